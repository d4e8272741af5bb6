"""Small helpers that make content rows for tests."""

from itertools import count

from comparisons.models import Category, Dimension, Practice, Source, Tool

_numbers = count(1)


def make_source(**fields):
    n = next(_numbers)
    values = {
        "key": f"source-{n}",
        "title": f"Source {n}",
        "authors": "Test Authors",
        "year": 2020,
        "url": f"https://example.org/{n}",
    }
    values.update(fields)
    return Source.objects.create(**values)


def make_dimension(**fields):
    n = next(_numbers)
    values = {
        "slug": f"dimension-{n}",
        "title": f"Dimension {n}",
        "summary": f"Summary {n}",
        "kind": Dimension.Kind.DIFFERENCE,
        "devops_text": "DevOps side",
        "mlops_text": "MLOps side",
        "shared_text": "Shared",
        "order": 100 + n,
    }
    values.update(fields)
    return Dimension.objects.create(**values)


def make_practice(dimension=None, sources=(), **fields):
    n = next(_numbers)
    values = {
        "name": f"Practice {n}",
        "slug": f"practice-{n}",
        "description": f"Description {n}",
        "category": Category.MLOPS,
        "explanation": "Because models learn from data.",
        "dimension": dimension or make_dimension(),
    }
    values.update(fields)
    practice = Practice.objects.create(**values)
    practice.sources.set(sources or [make_source()])
    return practice


def make_tool(dimensions=(), **fields):
    n = next(_numbers)
    values = {
        "name": f"Tool {n}",
        "slug": f"tool-{n}",
        "category": Category.DEVOPS,
        "kind": "CI server",
        "description": "Builds things.",
        "url": f"https://tool{n}.example.org/",
    }
    values.update(fields)
    tool = Tool.objects.create(**values)
    tool.dimensions.set(dimensions)
    return tool


def multiply_content(times=10):
    """Add copies of every shipped dimension, practice and tool until there are `times` as many."""
    sources = list(Source.objects.all())
    for dimension in list(Dimension.objects.prefetch_related("practices", "tools")):
        for copy in range(1, times):
            twin = make_dimension(
                slug=f"{dimension.slug}-{copy}",
                title=f"{dimension.title} {copy}",
                kind=dimension.kind,
                devops_text=dimension.devops_text,
                mlops_text=dimension.mlops_text,
                shared_text=dimension.shared_text,
            )
            twin.sources.set(sources[:3])
            for practice in dimension.practices.all():
                make_practice(
                    dimension=twin,
                    sources=sources[:2],
                    name=f"{practice.name} {copy}",
                    slug=f"{practice.slug}-{copy}",
                    category=practice.category,
                    description=practice.description,
                    explanation=practice.explanation,
                )
            for tool in dimension.tools.all()[:2]:
                make_tool(
                    dimensions=[twin],
                    name=f"{tool.name} {twin.slug}",
                    slug=f"{tool.slug}-{twin.slug}",
                    category=tool.category,
                )


def make_quiz(practices=None, size=5, **fields):
    """Create a quiz over the given practices (or `size` new ones, mixed buckets)."""
    from quizzes.models import Quiz, QuizItem

    n = next(_numbers)
    if practices is None:
        dimension = make_dimension()
        buckets = Category.values
        practices = [
            make_practice(dimension=dimension, category=buckets[i % 3]) for i in range(size)
        ]
    values = {
        "title": f"Quiz {n}",
        "slug": f"quiz-{n}",
        "description": "A test quiz.",
        "pass_mark": 60,
        "shuffle": False,
    }
    values.update(fields)
    quiz = Quiz.objects.create(**values)
    QuizItem.objects.bulk_create(
        QuizItem(quiz=quiz, practice=practice, position=i) for i, practice in enumerate(practices)
    )
    return quiz
