from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from opsguide.extras import dimension_extras

from .models import (
    Category,
    ContentVersion,
    Dimension,
    Practice,
    Source,
    Tool,
    clean_search_text,
)
from .pages import cached_for_anonymous

PRACTICES_PER_PAGE = 40
# A row of the comparison weighs up to about 2 KB, so a page of twelve stays
# under the 30 KB budget (tests/test_weight.py) however many dimensions
# editors add; "More dimensions" appends the next twelve.
DIMENSIONS_PER_PAGE = 12
HOME_DIMENSIONS = 12


@require_safe
@cached_for_anonymous()
def home(request):
    dimensions = Dimension.objects.visible_to(request.user)
    counts = Practice.objects.visible_to(request.user).aggregate(
        total=Count("pk"),
        **{value: Count("pk", filter=Q(category=value)) for value in Category.values},
    )
    similarities = [d for d in dimensions if d.kind == Dimension.Kind.SIMILARITY]
    differences = [d for d in dimensions if d.kind == Dimension.Kind.DIFFERENCE]
    context = {
        # The home page names a dozen of each; the comparison has them all.
        "similarities": similarities[:HOME_DIMENSIONS],
        "more_similarities": len(similarities) - HOME_DIMENSIONS,
        "differences": differences[:HOME_DIMENSIONS],
        "more_differences": len(differences) - HOME_DIMENSIONS,
        "counts": counts,
    }
    return render(request, "comparisons/home.html", context)


def _compare_fragment(request):
    """Name what htmx gets: "More dimensions" appends rows; a filter replaces the table."""
    return "rows" if request.htmx.target == "more" else "table"


def _practices_fragment(request):
    """Name what htmx gets: "More practices" appends items; the filters replace the results."""
    return "items" if request.htmx.target == "more" else "results"


@require_safe
@vary_on_headers("HX-Request", "HX-Target")
@cached_for_anonymous(params=["kind", "page"], fragment=_compare_fragment)
def compare(request):
    kind = request.GET.get("kind", "")
    if kind not in Dimension.Kind.values:
        kind = ""
    dimensions = Dimension.objects.visible_to(request.user)
    if kind:
        dimensions = dimensions.filter(kind=kind)
    page = Paginator(dimensions, DIMENSIONS_PER_PAGE).get_page(request.GET.get("page"))
    more = ""
    if page.has_next():
        params = {"kind": kind} if kind else {}
        more = "?" + urlencode({**params, "page": page.next_page_number()})
    context = {
        "dimensions": page.object_list,
        "page": page,
        "total": page.paginator.count,
        "more": more,
        "kind": kind,
        "kinds": Dimension.Kind.choices,
    }
    template_name = "comparisons/compare.html"
    if request.htmx:
        template_name += "#" + _compare_fragment(request)
    return render(request, template_name, context)


@require_safe
@cached_for_anonymous()
def dimension(request, slug):
    practices = Practice.objects.visible_to(request.user).order_by("name")
    dimension = get_object_or_404(
        Dimension.objects.visible_to(request.user).prefetch_related(
            Prefetch("practices", queryset=practices, to_attr="visible_practices"),
            Prefetch("tools", queryset=Tool.objects.visible_to(request.user)),
            "sources",
        ),
        slug=slug,
    )
    groups = [
        (label, value, [p for p in dimension.visible_practices if p.category == value])
        for value, label in Category.choices
    ]
    neighbours = list(Dimension.objects.visible_to(request.user).only("slug", "title", "order"))
    index = next(i for i, d in enumerate(neighbours) if d.pk == dimension.pk)
    context = {
        "dimension": dimension,
        "groups": groups,
        "previous": neighbours[index - 1] if index > 0 else None,
        "next": neighbours[index + 1] if index + 1 < len(neighbours) else None,
        "extras": dimension_extras(request, dimension),
    }
    return render(request, "comparisons/dimension.html", context)


@require_safe
@vary_on_headers("HX-Request", "HX-Target")
@cached_for_anonymous(params=["q", "category", "page"], fragment=_practices_fragment)
def practices(request):
    query = clean_search_text(request.GET.get("q", ""))
    category = request.GET.get("category", "")
    if category not in Category.values:
        category = ""
    found = (
        Practice.objects.visible_to(request.user)
        .search(query)
        .select_related("dimension")
        .only(
            "name", "slug", "description", "category", "is_contested", "is_published",
            "dimension__slug", "dimension__title",
        )
    )  # fmt: skip
    if category:
        found = found.filter(category=category)
    page = Paginator(found, PRACTICES_PER_PAGE).get_page(request.GET.get("page"))
    more = ""
    if page.has_next():
        more = "?" + urlencode({"q": query, "category": category, "page": page.next_page_number()})
    context = {
        "page": page,
        "practices": page.object_list,
        "total": page.paginator.count,
        "more": more,
        "query": query,
        "category": category,
        "categories": Category.choices,
    }
    template_name = "comparisons/practices.html"
    if request.htmx:
        template_name += "#" + _practices_fragment(request)
    return render(request, template_name, context)


@require_safe
@cached_for_anonymous()
def practice(request, slug):
    """One practice: its bucket, why, why not the other two, and its sources."""
    practice = get_object_or_404(
        Practice.objects.visible_to(request.user)
        .select_related("dimension")
        .prefetch_related("sources"),
        slug=slug,
    )
    others = [
        (label, practice.note_for(value))
        for value, label in Category.choices
        if value != practice.category
    ]
    return render(request, "comparisons/practice.html", {"practice": practice, "others": others})


@require_safe
@cached_for_anonymous()
def tools(request):
    found = Tool.objects.visible_to(request.user).prefetch_related(
        Prefetch("dimensions", queryset=Dimension.objects.visible_to(request.user))
    )
    groups = [
        (label, value, [t for t in found if t.category == value])
        for value, label in Category.choices
    ]
    return render(request, "comparisons/tools.html", {"groups": groups})


@require_safe
@cached_for_anonymous()
def sources(request):
    return render(request, "comparisons/sources.html", {"sources": Source.objects.all()})


@require_safe
@cached_for_anonymous()
def rule(request):
    """Show the sorting rule every card and every quiz answer follows, with examples."""
    return render(request, "comparisons/rule.html")


@require_safe
def healthz(request):
    """Answer 200 when the database answers, 503 when it does not."""
    try:
        ContentVersion.objects.exists()
    except Exception:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
