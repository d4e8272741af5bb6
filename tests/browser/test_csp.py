"""htmx and our own script work under the strict Content-Security-Policy."""

import re

from playwright.sync_api import expect

from quizzes.models import Quiz

from .pages import watch_csp


def test_no_csp_violation_across_the_site_and_htmx_still_works(site, page, admin_user):
    violations = watch_csp(page)
    for path in ["/", "/compare/", "/compare/monitoring/", "/tools/", "/sources/", "/quizzes/"]:
        page.goto(site + path)
    page.goto(site + "/practices/")
    page.get_by_label("Search practices").press_sequentially("drift", delay=20)
    expect(page.locator("#results-count")).to_contain_text("matching “drift”")

    page.goto(site + "/quizzes/warm-up/")
    page.get_by_role("button", name="Start the quiz").click()
    page.evaluate("window.__stillHere = true")
    page.keyboard.press("1")
    expect(page.locator("#status")).to_contain_text("1 of 10 answered")
    page.get_by_role("link", name="Next card").click()
    expect(page.locator("#feedback")).to_be_empty()
    assert page.evaluate("window.__stillHere") is True

    page.goto(site + "/admin/login/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("password")
    page.get_by_role("button", name="Log in").click()
    quiz_id = Quiz.objects.get(slug="warm-up").pk
    admin_pages = [
        "/admin/",
        "/admin/comparisons/practice/",
        f"/admin/quizzes/quiz/{quiz_id}/change/",
        "/admin/statistics/",
    ]
    for path in admin_pages:
        page.goto(site + path)
        expect(page).to_have_url(re.compile(re.escape(path) + "$"))
    assert violations == []
