import html
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Case, Count, F, Prefetch, Q, TextField, Value, When
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.html import strip_tags
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from opsguide.extras import dimension_extras

from .markdown import render_markdown
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
# A row of the comparison (DevOps, MLOps and what they share) weighs about
# 2 KB, the longest up to 5 KB, so a page of eight stays under the 30 KB
# budget (tests/test_weight.py, and every page in tests/test_pages.py) however
# many dimensions editors add; "More dimensions" appends the next eight.
DIMENSIONS_PER_PAGE = 8
HOME_DIMENSIONS = 12
# How much of the explanation a glossary hit quotes around a match the list does not show.
EXCERPT_CONTEXT = 45


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
    if not request.htmx or request.htmx.history_restore_request:
        return None  # the whole page, also when htmx restores it on Back
    return "rows" if request.htmx.target == "more" else "table"


def _practices_fragment(request):
    """Name what htmx gets: "More practices" appends items; the filters replace the results."""
    if not request.htmx or request.htmx.history_restore_request:
        return None  # the whole page, also when htmx restores it on Back
    return "items" if request.htmx.target == "more" else "results"


@require_safe
@vary_on_headers("HX-Request", "HX-Target", "HX-History-Restore-Request")
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
    if fragment := _compare_fragment(request):
        template_name += "#" + fragment
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
@vary_on_headers("HX-Request", "HX-Target", "HX-History-Restore-Request")
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
    if query:
        # A hit whose name and description lack the words matched in its
        # explanation, which the list does not show: fetch that text (only
        # for those hits, in the same query) to say so and quote it.
        shown = Q(name__icontains=query) | Q(description__icontains=query)
        found = found.annotate(
            hidden_match=Case(
                When(shown, then=Value("")), default=F("explanation"), output_field=TextField()
            )
        )
    page = Paginator(found, PRACTICES_PER_PAGE).get_page(request.GET.get("page"))
    hits = list(page.object_list)
    for practice in hits:
        hidden = getattr(practice, "hidden_match", "")
        practice.matched_in = "explanation" if hidden else ""
        practice.excerpt = _excerpt(hidden, query) if hidden else None
    more = ""
    if page.has_next():
        more = "?" + urlencode({"q": query, "category": category, "page": page.next_page_number()})
    context = {
        "page": page,
        "practices": hits,
        "total": page.paginator.count,
        "more": more,
        "query": query,
        "category": category,
        "categories": Category.choices,
    }
    template_name = "comparisons/practices.html"
    if fragment := _practices_fragment(request):
        template_name += "#" + fragment
    return render(request, template_name, context)


def _excerpt(markdown_text, query):
    """Return (before, match, after) around the query in the text as read, or None."""
    text = " ".join(html.unescape(strip_tags(render_markdown(markdown_text))).split())
    start = text.lower().find(query.lower())
    if start < 0:
        return None
    end = start + len(query)
    before = text[max(0, start - EXCERPT_CONTEXT) : start]
    after = text[end : end + EXCERPT_CONTEXT]
    # Cut at whole words, and mark a cut with an ellipsis.
    if start > EXCERPT_CONTEXT:
        before = "…" + before.split(" ", 1)[-1] if " " in before else "…" + before
    if end + EXCERPT_CONTEXT < len(text):
        after = after.rsplit(" ", 1)[0] + "…" if " " in after else after + "…"
    return before, text[start:end], after


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
    others = practice.why_not()  # never the explanation again
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
