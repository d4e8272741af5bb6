"""Grow the content to a multiple of its size, to measure pages and queries at scale.

`make bench` measures every page at the shipped size and at ten times that; the
tests check that query counts and page weights do not grow with the content.
"""

from comparisons.models import Dimension, Practice, Source, Tool


def multiply_content(times=10):
    """Add copies of every dimension with its practices and two of its tools, `times` in all."""
    sources = list(Source.objects.all())
    for dimension in list(Dimension.objects.prefetch_related("practices", "tools")):
        for copy in range(1, times):
            twin = Dimension.objects.create(
                slug=f"{dimension.slug}-{copy}",
                title=f"{dimension.title} {copy}",
                summary=dimension.summary,
                kind=dimension.kind,
                devops_text=dimension.devops_text,
                mlops_text=dimension.mlops_text,
                shared_text=dimension.shared_text,
                order=dimension.order + 100 * copy,
            )
            twin.sources.set(sources[:3])
            for practice in dimension.practices.all():
                clone = Practice.objects.create(
                    dimension=twin,
                    name=f"{practice.name} {copy}",
                    slug=f"{practice.slug}-{copy}",
                    category=practice.category,
                    description=practice.description,
                    explanation=practice.explanation,
                    rule_reason=practice.rule_reason,
                )
                clone.sources.set(sources[:2])
            for tool in dimension.tools.all()[:2]:
                clone = Tool.objects.create(
                    name=f"{tool.name} {twin.slug}",
                    slug=f"{tool.slug}-{twin.slug}",
                    category=tool.category,
                    kind=tool.kind,
                    description=tool.description,
                    url=tool.url,
                )
                clone.dimensions.set([twin])
