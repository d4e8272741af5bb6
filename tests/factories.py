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


def practices_of(quiz):
    """Return the quiz's practices in the quiz's own order."""
    return [item.practice for item in quiz.items.select_related("practice")]


def wrong_for(practice):
    """Return a bucket that is not the practice's own."""
    return next(c for c in Category.values if c != practice.category)


def start(client, quiz, **data):
    """Start (or resume) the quiz as the client's learner; return the newest attempt."""
    from django.urls import reverse

    from quizzes.models import Attempt

    response = client.post(reverse("quizzes:start", args=[quiz.slug]), data)
    assert response.status_code == 302
    return Attempt.objects.latest("started_at")


# Learners and teams (onboarding tests)

PASSWORD = "a-long-and-unusual-passphrase"


def make_user(django_user_model, name, **fields):
    return django_user_model.objects.create_user(name, password=PASSWORD, **fields)


def logged_in(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def take(user, quiz, right):
    """Finish an attempt at quiz for user with `right` correct answers; return it."""
    from quizzes import grading

    attempt = grading.start_attempt(quiz=quiz, owner={"user": user, "session_key": ""})
    for i, practice in enumerate(Practice.objects.filter(pk__in=attempt.practice_ids)):
        choice = (
            practice.category
            if i < right
            else next(c for c in ("devops", "mlops", "both") if c != practice.category)
        )
        grading.record_answer(attempt=attempt, practice=practice, choice=choice)
    attempt.refresh_from_db()
    return attempt


def team_quiz(team):
    return team.track.steps.get(quiz__isnull=False).quiz
