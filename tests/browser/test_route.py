"""A clear route: from the home page to the warm-up, the quiz list, and back to the glossary."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from comparisons.models import Dimension
from quizzes.models import Attempt, Quiz

from ..factories import make_practice
from .pages import PASSWORD, assert_no_sideways_scroll, desktop, phone, watch_csp

SIZES = ["desktop", "390px", "320px"]


def open_page(browser, size, **options):
    if size == "desktop":
        return desktop(browser, **options)
    return phone(browser, int(size.removesuffix("px")), **options)


@pytest.mark.parametrize("size", SIZES)
def test_start_learning_leads_from_home_to_the_warm_up(site, browser, size, assert_accessible):
    page = open_page(browser, size)
    page.goto(site + "/")
    page.get_by_role("link", name="Start learning").click()
    expect(page).to_have_url(re.compile(r"/quizzes/$"))

    first = page.locator(".quiz-list > li").first
    expect(first).to_contain_text("Start here")
    expect(first.get_by_role("heading", level=2)).to_have_text(
        Quiz.objects.get(slug="warm-up").title
    )
    expect(first).to_contain_text("10 cards · about 3 min")
    expect(first).to_contain_text("not taken yet")
    assert page.get_by_text("Start here", exact=True).count() == 1
    assert_no_sideways_scroll(page)
    assert_accessible(page)

    first.get_by_role("link", name="Start the first quiz").click()
    expect(page).to_have_url(re.compile(r"/quizzes/warm-up/$"))
    expect(page.get_by_role("button", name="Start the quiz")).to_be_visible()


@pytest.mark.parametrize("size", SIZES)
def test_each_quiz_shows_its_cards_time_and_my_best_and_last_score(
    site, browser, size, django_user_model, assert_accessible
):
    user = django_user_model.objects.create_user("robin", password=PASSWORD)
    quiz = Quiz.objects.get(slug="warm-up")
    now = timezone.now()
    for score, days_ago, retry_of in [(9, 3, None), (6, 1, None)]:
        attempt = Attempt.objects.create(
            quiz=quiz, user=user, total=10, score=score, answered=10, retry_of=retry_of,
            finished_at=now - timedelta(days=days_ago),
        )  # fmt: skip
    # A retry of the missed cards is practice: it is neither the best nor the last score.
    Attempt.objects.create(
        quiz=quiz, user=user, total=4, score=4, answered=4, retry_of=attempt, finished_at=now
    )
    page = open_page(browser, size)
    page.goto(site + "/accounts/login/")
    page.get_by_label("Username").fill("robin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(site + "/quizzes/")
    first = page.locator(".quiz-list > li").first
    expect(first).to_contain_text("your best: 90% · your last: 60%")
    expect(first.get_by_role("link", name="Take it again")).to_be_visible()
    full_mix = page.locator(".quiz-list > li", has_text="The full mix")
    expect(full_mix).to_contain_text("30 cards · about 10 min")
    expect(full_mix).to_contain_text("not taken yet")
    assert_no_sideways_scroll(page)
    assert_accessible(page)


def test_back_to_the_glossary_restores_the_search_text_and_the_results(site, page):
    violations = watch_csp(page)
    page.goto(site + "/practices/")
    # A style set through the CSSOM (as browser extensions and test tools do) is
    # allowed; replayed from a snapshot of the page's HTML it would be an inline
    # style, refused by the CSP. Back must not replay the page that way.
    page.evaluate("document.querySelector('.lead').style.outline = '0px'")
    search = page.get_by_label("Search practices")
    # One input event per search (fill), so each search is one entry in the history.
    search.fill("drift")
    expect(page).to_have_url(re.compile(r"q=drift"))
    expect(page.locator("#results-count")).to_contain_text("matching “drift”")
    found = page.locator(".glossary > li").count()

    # Narrow further, then Back within the page: the earlier search comes back whole.
    search.fill("drift mon")
    expect(page).to_have_url(re.compile(r"q=drift(\+|%20)mon"))
    expect(page.locator("#results-count")).to_contain_text("matching “drift mon”")
    page.go_back()
    expect(page).to_have_url(re.compile(r"q=drift(&|$)"))
    expect(search).to_have_value("drift")
    expect(page.locator("#results-count")).to_contain_text("matching “drift”")

    # Open a hit, then Back to the glossary: the text and the results again.
    page.locator(".glossary h2 a").first.click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Practices glossary")
    page.go_back()
    expect(page).to_have_url(re.compile(r"q=drift(&|$)"))
    expect(page.get_by_label("Search practices")).to_have_value("drift")
    expect(page.locator("#results-count")).to_contain_text("matching “drift”")
    assert page.locator(".glossary > li").count() == found

    # And Back to where the search began: an empty box and every practice.
    page.go_back()
    expect(page).to_have_url(re.compile(r"/practices/$"))
    expect(page.get_by_label("Search practices")).to_have_value("")
    expect(page.locator("#results-count")).not_to_contain_text("matching")
    assert violations == []


@pytest.mark.parametrize("size", SIZES)
def test_a_hit_in_hidden_text_says_where_it_matched(site, browser, size, assert_accessible):
    make_practice(
        name="Keep a log of retraining runs",
        description="Every run leaves a record.",
        explanation="A learned model has no source to diff, so the team keeps a quagga of runs.",
        dimension=Dimension.objects.published().first(),
    )
    page = open_page(browser, size)
    page.goto(site + "/practices/")
    page.get_by_label("Search practices").press_sequentially("quagga", delay=30)
    hit = page.locator(".glossary > li", has_text="Keep a log of retraining runs")
    expect(hit).to_contain_text("Matched in the explanation: “…has no source to diff")
    expect(hit).to_contain_text("the team keeps a quagga of runs.”")
    expect(hit.locator("mark")).to_have_text("quagga")
    assert_accessible(page)

    # A hit matched in what the list shows says nothing more.
    page.get_by_label("Search practices").fill("retraining runs")
    expect(page.locator("#results-count")).to_contain_text("matching “retraining runs”")
    expect(hit).not_to_contain_text("Matched in")
    assert_no_sideways_scroll(page)
