"""Every public page answers with the expected content and a fixed number of queries."""

import pytest
from django.db import models
from django.urls import reverse
from django.utils.html import escape

from comparisons.models import Dimension, Practice, Tool
from comparisons.views import DIMENSIONS_PER_PAGE
from content.scale import multiply_content

from .factories import make_dimension, make_practice, make_tool

pytestmark = pytest.mark.django_db


def test_home_introduces_both_and_links_to_the_comparison(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "DevOps and MLOps, side by side" in html
    assert reverse("comparisons:compare") in html
    similarity = Dimension.objects.filter(kind="similarity").first()
    difference = Dimension.objects.filter(kind="difference").first()
    assert similarity.title in html
    assert difference.title in html


def test_compare_lists_every_published_dimension_side_by_side_a_page_at_a_time(client):
    pages = -(-Dimension.objects.published().count() // DIMENSIONS_PER_PAGE)
    html = "".join(
        client.get("/compare/", {"page": n}).content.decode() for n in range(1, pages + 1)
    )
    for dimension in Dimension.objects.published():
        assert dimension.get_absolute_url() in html
    assert '<th scope="col">DevOps</th>' in html
    assert '<th scope="col">MLOps</th>' in html


def test_compare_filters_by_kind(client):
    html = client.get("/compare/", {"kind": "similarity"}).content.decode()
    for dimension in Dimension.objects.all():
        assert (dimension.get_absolute_url() in html) == (dimension.kind == "similarity")


def test_compare_ignores_an_unknown_kind(client):
    response = client.get("/compare/", {"kind": "<script>"})
    assert response.status_code == 200
    shown = min(Dimension.objects.count(), DIMENSIONS_PER_PAGE)  # the first page of all
    assert response.content.decode().count("<tr>") == shown + 1


def test_compare_via_htmx_returns_only_the_table(client):
    response = client.get("/compare/", {"kind": "difference"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'id="comparison"' in html
    assert "<html" not in html


def test_dimension_page_shows_sides_practices_tools_and_sources(client):
    dimension = Dimension.objects.get(slug="monitoring")
    html = client.get(dimension.get_absolute_url()).content.decode()
    assert dimension.title in html
    for practice in dimension.practices.published():
        assert str(escape(practice.name)) in html
    for tool in dimension.tools.published():
        assert tool.url in html
    for source in dimension.sources.all():
        assert source.url in html
    assert "What they share" in html


def test_dimension_groups_practices_by_bucket(client):
    dimension = make_dimension(title="Grouping", slug="grouping")
    make_practice(dimension=dimension, name="Alpha devops", category="devops")
    make_practice(dimension=dimension, name="Beta mlops", category="mlops")
    html = client.get("/compare/grouping/").content.decode()
    devops_at = html.index('id="bucket-devops"')
    mlops_at = html.index('id="bucket-mlops"')
    both_at = html.index('id="bucket-both"')
    assert devops_at < html.index("Alpha devops") < mlops_at < html.index("Beta mlops") < both_at


def test_unknown_dimension_is_404_in_the_site_style(client):
    response = client.get("/compare/no-such-thing/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_unpublished_dimension_is_404_for_the_public(client):
    make_dimension(slug="secret", is_published=False)
    assert client.get("/compare/secret/").status_code == 404


def test_unpublished_content_is_hidden_from_every_list(client):
    hidden = make_dimension(title="Hidden dimension", is_published=False)
    make_practice(name="Hidden practice", is_published=False)
    make_practice(name="Orphan of a hidden dimension", dimension=hidden)
    make_tool(name="Hidden tool", is_published=False, dimensions=[Dimension.objects.first()])
    first = Dimension.objects.first().get_absolute_url()
    pages = ["/", "/compare/", "/practices/", "/tools/", first]
    for url in pages:
        html = client.get(url).content.decode()
        assert "Hidden dimension" not in html, url
        assert "Hidden practice" not in html, url
        assert "Orphan of a hidden dimension" not in html, url
        assert "Hidden tool" not in html, url


def test_staff_see_drafts_with_a_banner(client, staff_user):
    make_dimension(slug="draft-dim", title="Draft dimension", is_published=False)
    client.force_login(staff_user)
    response = client.get("/compare/draft-dim/")
    assert response.status_code == 200
    assert "Draft: only staff can see this dimension." in response.content.decode()


def test_glossary_lists_every_published_practice(client):
    html = client.get("/practices/").content.decode()
    assert f"{Practice.objects.published().count()} practices" in html
    assert 'role="search"' in html


def test_glossary_filters_by_bucket(client):
    html = "".join(
        client.get("/practices/", {"category": "devops", "page": page}).content.decode()
        for page in (1, 2)  # forty a page
    )
    for practice in Practice.objects.published():
        assert (f'id="{practice.slug}"' in html) == (practice.category == "devops")


def test_glossary_search_matches_name_description_and_explanation(client):
    make_practice(
        name="Zebra striping",
        description="Nothing else mentions okapis.",
        explanation="Quaggas are extinct.",
    )
    by_name = client.get("/practices/", {"q": "zebra"}).content.decode()
    by_description = client.get("/practices/", {"q": "OKAPIS"}).content.decode()
    by_explanation = client.get("/practices/", {"q": "quagga"}).content.decode()
    for html in (by_name, by_description, by_explanation):
        assert "Zebra striping" in html
        assert "1 practice matching" in html


def test_glossary_search_and_bucket_combine(client):
    make_practice(name="Unique wombat care", category="both")
    assert (
        "Unique wombat care"
        in client.get("/practices/", {"q": "wombat", "category": "both"}).content.decode()
    )
    assert (
        "Unique wombat care"
        not in client.get("/practices/", {"q": "wombat", "category": "mlops"}).content.decode()
    )


def test_glossary_via_htmx_returns_only_the_results(client):
    response = client.get("/practices/", {"q": "drift"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="results"')
    assert "<html" not in html
    assert "drift" in html.lower()


def test_glossary_without_matches_says_so(client):
    html = client.get("/practices/", {"q": "qwertyuiop"}).content.decode()
    assert "No practice matches" in html


def test_glossary_survives_odd_input(client):
    for params in ({"q": "x" * 5000}, {"category": "nope"}, {"q": "%' OR 1=1 --"}, {"q": "\x00"}):
        assert client.get("/practices/", params).status_code == 200


def test_tools_page_groups_tools_by_bucket(client):
    html = client.get("/tools/").content.decode()
    for tool in Tool.objects.published():
        assert tool.url in html


def test_sources_page_lists_every_source(client):
    from comparisons.models import Source

    html = client.get("/sources/").content.decode()
    for source in Source.objects.all():
        assert source.url in html


def test_pages_refuse_post(client):
    assert client.post("/compare/").status_code == 405


def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_healthz_answers_503_when_the_database_fails(client, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    assert client.get("/healthz").status_code == 503


PAGES = {
    "home": ("/", {}),
    "compare": ("/compare/", {}),
    "dimension": ("/compare/monitoring/", {}),
    "practices": ("/practices/", {}),
    "practices-search": ("/practices/", {"q": "model", "category": "mlops"}),
    "practice": ("/practices/monitor-input-data-drift/", {}),
    "tools": ("/tools/", {}),
    "sources": ("/sources/", {}),
}
# A first render: the content version, then the page's own queries. Served
# from the cache afterwards, a page costs no query (the version is cached for
# a second, and an editor's save deletes it).
EXPECTED_QUERIES = {
    "home": 3,
    "compare": 3,
    "dimension": 6,
    "practice": 3,
    "practices": 3,
    "practices-search": 3,
    "tools": 3,
    "sources": 2,
}


# Not named "page": pytest-playwright would treat the parameter as its browser page.
@pytest.mark.parametrize("name", PAGES)
def test_query_count_is_fixed_and_does_not_grow_with_content(
    name, client, django_assert_num_queries
):
    url, params = PAGES[name]
    with django_assert_num_queries(EXPECTED_QUERIES[name]):
        assert client.get(url, params).status_code == 200
    multiply_content(10)
    assert Practice.objects.count() >= 900
    with django_assert_num_queries(EXPECTED_QUERIES[name]):
        assert client.get(url, params).status_code == 200


@pytest.mark.parametrize("name", PAGES)
def test_a_cached_page_costs_no_query_until_content_changes(
    name, client, django_assert_num_queries
):
    url, params = PAGES[name]
    first = client.get(url, params)
    with django_assert_num_queries(0):  # the page and the content version from the cache
        again = client.get(url, params)
    assert again.content == first.content
    practice = Practice.objects.get(slug="monitor-input-data-drift")
    practice.description = "Changed by an editor just now."
    practice.save()
    with django_assert_num_queries(EXPECTED_QUERIES[name]):
        client.get(url, params)


def test_an_editors_change_shows_at_once(client):
    practice = Practice.objects.get(slug="monitor-input-data-drift")
    glossary = {"q": "drift"}
    assert "Changed by an editor" not in client.get("/practices/", glossary).content.decode()
    practice.description = "Changed by an editor just now."
    practice.save()
    html = client.get("/practices/", glossary).content.decode()
    assert "Changed by an editor just now." in html
    practice.sources.clear()
    assert (
        "Changed by an editor just now." in client.get(practice.get_absolute_url()).content.decode()
    )


def test_conditional_get_answers_304_until_content_changes(client):
    response = client.get("/compare/")
    etag = response["ETag"]
    assert response["Cache-Control"] == "no-cache"
    again = client.get("/compare/", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    Dimension.objects.filter(slug="monitoring").first().save()
    assert client.get("/compare/", headers={"If-None-Match": etag}).status_code == 200


def test_htmx_fragments_are_cached_apart_from_pages(client):
    page = client.get("/practices/", {"q": "drift"})
    fragment = client.get("/practices/", {"q": "drift"}, headers={"HX-Request": "true"})
    assert "<html" in page.content.decode()
    assert "<html" not in fragment.content.decode()
    assert page["ETag"] != fragment["ETag"]


def test_staff_never_get_the_public_cached_page(client, staff_user):
    # First in order, so that it is on the first page of the comparison.
    make_dimension(slug="draft-dim", title="Draft dimension", is_published=False, order=0)
    client.get("/compare/")
    client.force_login(staff_user)
    assert "Draft dimension" in client.get("/compare/").content.decode()


def test_practice_page_explains_the_bucket_and_the_other_two(client):
    practice = Practice.objects.get(slug="monitor-input-data-drift")
    html = client.get(practice.get_absolute_url()).content.decode()
    assert "Why it belongs here" in html
    assert "Not DevOps" in html and "Not Both" in html and "Not MLOps" not in html
    assert "behaviour was fitted to the data it was trained on" in html
    assert "inputs with a training distribution needs a training distribution" in html
    for source in practice.sources.all():
        assert source.url in html
    assert client.get("/practices/no-such-practice/").status_code == 404


def test_glossary_pages_forty_at_a_time_with_a_more_link(client):
    html = client.get("/practices/").content.decode()
    assert html.count('<li id="') == 41  # forty practices and the "more" item
    assert "More practices (40 of" in html
    more = client.get(
        "/practices/", {"page": 2}, headers={"HX-Request": "true", "HX-Target": "more"}
    ).content.decode()
    assert not more.lstrip().startswith("<section")
    assert "More practices (80 of" in more
    assert more.count("data-focus-loaded") == 1  # keyboard focus goes to the first new item
    assert "data-focus-loaded" not in html
    pages = -(-Practice.objects.published().count() // 40)
    last = client.get("/practices/", {"page": pages}).content.decode()
    assert "More practices" not in last


def test_compare_pages_eight_dimensions_at_a_time_with_a_more_link(client):
    per_page = DIMENSIONS_PER_PAGE
    assert per_page == 8
    shipped = Dimension.objects.published().count()
    assert 2 * per_page < shipped <= 3 * per_page  # the shipped comparison: three pages
    assert f"More dimensions (8 of {shipped} shown)" in client.get("/compare/").content.decode()
    multiply_content(2)
    total = 2 * shipped
    html = client.get("/compare/").content.decode()
    assert html.count('<th scope="row">') == per_page
    assert f"More dimensions (8 of {total} shown)" in html
    assert 'href="?page=2"' in html
    more = client.get(
        "/compare/", {"page": 2}, headers={"HX-Request": "true", "HX-Target": "more"}
    ).content.decode()
    assert more.lstrip().startswith("<tr>")  # rows to put in place of the link, not a table
    assert more.count('<th scope="row">') == per_page
    assert more.count("data-focus-loaded") == 1  # the first new row takes the focus
    assert f"More dimensions (16 of {total} shown)" in more
    last = client.get("/compare/", {"page": -(-total // per_page)}).content.decode()  # no JS
    assert "<html" in last and "More dimensions" not in last
    assert "data-focus-loaded" not in last


def test_compare_more_link_keeps_the_kind_filter(client):
    multiply_content(4)
    html = client.get("/compare/", {"kind": "difference"}).content.decode()
    assert 'href="?kind=difference&amp;page=2"' in html
    second = client.get("/compare/", {"kind": "difference", "page": 2}).content.decode()
    rows = Dimension.objects.published().filter(kind="difference").order_by("order", "title")
    assert rows[DIMENSIONS_PER_PAGE].get_absolute_url() in second
    assert rows[0].get_absolute_url() not in second


@pytest.mark.parametrize("page", ["0", "-1", "abc", "9999", "1e3"])
def test_compare_survives_odd_page_numbers(client, page):
    response = client.get("/compare/", {"page": page})
    assert response.status_code == 200
    assert 'id="comparison"' in response.content.decode()


# The content pages' cache never hands one visitor's CSRF token to another


def token_in(response):
    import re

    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())[1]


@pytest.mark.urls("tests.cache_urls")
def test_a_cached_page_with_a_csrf_form_is_never_served_to_another_visitor(monkeypatch):
    from django.core.cache import cache
    from django.test import Client

    stored = []
    original_set = cache.set
    monkeypatch.setattr(
        cache, "set", lambda key, *a, **k: stored.append(key) or original_set(key, *a, **k)
    )
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    mine = first.get("/form/")
    theirs = second.get("/form/")
    assert mine.cookies["csrftoken"].value != theirs.cookies["csrftoken"].value
    # Each page's token belongs to its visitor's cookie: the other's is refused.
    assert first.post("/form/", {"csrfmiddlewaretoken": token_in(theirs)}).status_code == 403
    assert token_in(first.get("/form/")) != token_in(second.get("/form/"))
    assert not [key for key in stored if key.startswith("page:")]  # the page was never stored


@pytest.mark.urls("tests.cache_urls")
def test_a_page_with_a_csrf_form_tells_caches_it_varies_by_cookie():
    from django.test import Client

    response = Client().get("/form/")
    assert "Cookie" in response["Vary"]
    assert "csrftoken" in response.cookies


@pytest.mark.parametrize(
    ("url", "params", "headers"),
    [
        ("/compare/", {}, {"HX-Request": "true", "HX-Target": "-"}),
        ("/compare/", {}, {"HX-Request": "yes", "HX-Target": "more"}),
        ("/practices/", {"page": "2"}, {"HX-Request": "true", "HX-Target": "more"}),
        ("/practices/", {"page": "2"}, {"HX-Request": "1"}),
    ],
)
def test_an_odd_htmx_request_never_leaves_a_fragment_for_the_next_visitor(url, params, headers):
    from django.test import Client

    Client().get(url, params, headers=headers)
    page = Client().get(url, params).content.decode()
    assert page.lstrip().startswith("<!doctype html>")


def test_unknown_query_parameters_share_the_cached_page(client):
    first = client.get("/compare/", {"utm_source": "a"})
    second = client.get("/compare/", {"utm_source": "b", "x": "1"})
    assert first["ETag"] == second["ETag"]


def test_another_process_sees_an_editors_change_within_a_second(client):
    """A worker whose cached content version is stale catches up when it expires."""
    import time_machine
    from django.core.cache import cache

    from comparisons.models import CONTENT_VERSION_KEY, ContentVersion

    with time_machine.travel("2026-11-30 10:00:00", tick=False) as clock:
        before = client.get("/compare/")["ETag"]
        # Another process's save: the database moves on, this process's cache does not.
        ContentVersion.objects.filter(pk=1).update(value=models.F("value") + 1)
        assert cache.get(CONTENT_VERSION_KEY) is not None
        assert client.get("/compare/")["ETag"] == before
        clock.shift(2)
        assert client.get("/compare/")["ETag"] != before


# Issue 16: the comparison's shared column, the route to the first quiz, hidden matches


def test_compare_shows_what_devops_and_mlops_share_in_each_row(client):
    html = client.get("/compare/").content.decode()
    assert '<th scope="col">What they share</th>' in html
    for dimension in Dimension.objects.published()[:DIMENSIONS_PER_PAGE]:
        assert str(dimension.shared_html) in html
    # Each cell also carries its label, shown where the rows stack on a phone.
    label = 'class="cell-label badge badge-both">What they share</span>'
    assert html.count(label) == DIMENSIONS_PER_PAGE


def test_home_has_one_start_learning_path_to_the_quiz_list(client):
    html = client.get("/").content.decode()
    start = f'<a class="button" href="{reverse("quizzes:list")}" aria-describedby="start-hint">'
    assert start + "Start learning</a>" in html
    assert html.count('<a class="button" ') == 1  # the one primary action


def test_the_quiz_list_starts_with_the_first_quiz_as_start_here(client):
    from quizzes.models import Quiz

    html = client.get("/quizzes/").content.decode()
    first = Quiz.objects.published().first()
    assert first.slug == "warm-up"
    start_here = html.index("Start here")
    assert html.count("Start here") == 1
    assert html.index(first.get_absolute_url()) > start_here
    for quiz in Quiz.objects.published()[1:]:
        assert html.index(quiz.get_absolute_url()) > html.index(first.get_absolute_url())
    assert "10 cards · about 3 min · pass mark 70% · not taken yet" in html
    assert f'href="{first.get_absolute_url()}">Start the first quiz</a>' in html


def test_the_quiz_list_shows_my_best_and_last_score_but_not_a_retry(client, django_user_model):
    from datetime import timedelta

    from django.utils import timezone

    from quizzes.models import Attempt, Quiz

    user = django_user_model.objects.create_user("robin")
    client.force_login(user)
    quiz = Quiz.objects.get(slug="warm-up")
    now = timezone.now()
    best = Attempt.objects.create(
        quiz=quiz, user=user, total=10, score=9, finished_at=now - timedelta(days=2)
    )
    Attempt.objects.create(quiz=quiz, user=user, total=10, score=5, finished_at=now)
    Attempt.objects.create(quiz=quiz, user=user, total=1, score=1, retry_of=best, finished_at=now)
    html = client.get("/quizzes/").content.decode()
    assert "your best: <strong>90%</strong> · your last: <strong>50%</strong>" in html
    assert "Take it again</a>" in html


def test_glossary_says_where_a_match_in_hidden_text_was_found(client):
    make_practice(
        name="Zebra striping",
        description="Nothing else mentions okapis.",
        explanation="Some say **quaggas** are [extinct](https://example.org/), others disagree.",
    )
    html = client.get("/practices/", {"q": "QUAGGA"}).content.decode()
    assert (
        '<p class="matched-in">Matched in the explanation: '
        "“Some say <mark>quagga</mark>s are extinct, others disagree.”</p>"
    ) in html
    for visible in ("zebra", "okapis"):
        assert "Matched in" not in client.get("/practices/", {"q": visible}).content.decode()


def test_glossary_quotes_a_long_explanation_around_the_match_only(client):
    make_practice(
        name="Zebra striping",
        explanation=" ".join(["filler words here"] * 20 + ["the quagga sits in the middle"]
                             + ["and more words after it"] * 20),
    )  # fmt: skip
    html = client.get("/practices/", {"q": "quagga"}).content.decode()
    quote = html.split("Matched in the explanation: “")[1].split("”")[0]
    assert quote.startswith("…") and quote.endswith("…")
    assert "<mark>quagga</mark>" in quote
    assert len(quote) < 2 * 45 + 40


def test_glossary_hidden_match_fragment_stays_apart_from_the_page_cache(client):
    make_practice(name="Zebra striping", explanation="Quaggas are extinct.")
    fragment = client.get("/practices/", {"q": "quagga"}, headers={"HX-Request": "true"})
    assert "Matched in the explanation" in fragment.content.decode()
    page = client.get("/practices/", {"q": "quagga"}).content.decode()
    assert page.lstrip().startswith("<!doctype html>")
    assert 'value="quagga"' in page and "Matched in the explanation" in page


@pytest.mark.parametrize("url", ["/practices/", "/compare/"])
def test_htmx_restoring_a_page_on_back_gets_the_whole_page_never_a_fragment(client, url):
    fragment = {"HX-Request": "true", "HX-Target": "results"}
    restore = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    params = {"q": "drift"} if url == "/practices/" else {"kind": "similarity"}
    assert "<html" not in client.get(url, params, headers=fragment).content.decode()
    for _ in range(2):  # rendered, then from the cache
        response = client.get(url, params, headers=restore)
        html = response.content.decode()
        assert html.lstrip().startswith("<!doctype html>")
        assert "HX-History-Restore-Request" in response["Vary"]
    if url == "/practices/":
        assert 'value="drift"' in html
    assert "<html" not in client.get(url, params, headers=fragment).content.decode()


def test_every_page_of_the_shipped_comparison_is_under_30_kb(client):
    """The rows carry what both share too: pages of eight keep even the longest under budget."""
    pages = -(-Dimension.objects.published().count() // DIMENSIONS_PER_PAGE)
    for number in range(1, pages + 1):
        for params in ({"page": number}, {"kind": "difference", "page": number}):
            size = len(client.get("/compare/", params).content)
            assert size < 30 * 1024, (params, size)
