"""A learner reads the site in a real browser."""

import re

from playwright.sync_api import expect

from comparisons.models import Dimension


def test_home_to_compare_to_dimension_to_glossary(site, page, assert_accessible):
    page.goto(site + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("DevOps and MLOps, side by side")
    assert_accessible(page)

    page.get_by_role("link", name="Read the comparison").click()
    expect(page).to_have_url(re.compile(r"/compare/$"))
    expect(page.get_by_role("table")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("table").get_by_role("link", name="Testing and quality gates").click()
    expect(page).to_have_url(re.compile(r"/compare/testing/$"))
    expect(page.get_by_role("heading", name="What they share")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Practices").click()
    expect(page).to_have_url(re.compile(r"/practices/$"))
    assert_accessible(page)


def test_typing_in_the_glossary_search_narrows_without_a_page_load(site, page):
    page.goto(site + "/practices/")
    page.evaluate("window.__stillHere = true")
    total = page.locator(".glossary > li").count()

    page.get_by_label("Search practices").press_sequentially("drift", delay=30)

    expect(page.locator("#results-count")).to_contain_text("matching “drift”")
    narrowed = page.locator(".glossary > li").count()
    assert 0 < narrowed < total
    assert page.evaluate("window.__stillHere") is True
    expect(page).to_have_url(re.compile(r"q=drift"))


def test_choosing_a_bucket_filters_and_the_url_keeps_it(site, page, assert_accessible):
    page.goto(site + "/practices/")
    page.evaluate("window.__stillHere = true")
    page.get_by_role("radio", name="MLOps").check()
    expect(page).to_have_url(re.compile(r"category=mlops"))
    expect(page.locator("#results-count")).to_contain_text("in MLOps")
    badges = page.locator(".glossary .badge").all_inner_texts()
    assert badges and set(badges) == {"MLOps"}
    assert page.evaluate("window.__stillHere") is True
    assert_accessible(page)

    page.reload()
    expect(page.get_by_role("radio", name="MLOps")).to_be_checked()
    expect(page.locator("#results-count")).to_contain_text("in MLOps")


def test_glossary_filter_works_without_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/practices/")
    page.get_by_label("Search practices").fill("rollback")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"q=rollback"))
    expect(page.locator("#results-count")).to_contain_text("matching “rollback”")
    context.close()


def test_tools_sources_and_404_pages_are_accessible(site, page, assert_accessible):
    for path in ("/tools/", "/sources/", "/compare/?kind=similarity"):
        page.goto(site + path)
        assert_accessible(page)
    response = page.goto(site + "/compare/nothing-here/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(page)


def test_keyboard_user_can_skip_to_content_with_visible_focus(site, page):
    page.goto(site + "/compare/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"


def test_more_dimensions_appends_rows_and_moves_focus_to_the_first(site, page, assert_accessible):
    total = Dimension.objects.published().count()  # three pages of eight
    assert 16 < total <= 24
    page.goto(site + "/compare/")
    page.evaluate("window.__stillHere = true")
    rows = page.locator("table.comparison tbody th[scope=row]")
    expect(rows).to_have_count(8)
    for shown in (8, 16):
        more = page.get_by_role("link", name=f"More dimensions ({shown} of {total} shown)")
        more.focus()
        page.keyboard.press("Enter")
        expect(rows).to_have_count(min(shown + 8, total))
        expect(rows.nth(shown).get_by_role("link")).to_be_focused()
    expect(page.get_by_role("link", name="More dimensions")).to_have_count(0)
    assert page.evaluate("window.__stillHere") is True  # appended in place, no page load
    assert_accessible(page)


def test_the_sorting_rule_from_a_quiz_intro_reads_at_desktop_and_phone_width(
    site, page, assert_accessible
):
    for width, height in ((1280, 800), (390, 844), (320, 640)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(site + "/quizzes/warm-up/")
        rule = page.get_by_role("region", name="The sorting rule")
        expect(rule).to_contain_text("carries over, and ML extends it")
        assert_accessible(page)
        rule.get_by_role("link", name="The rule in full, with tie-breakers").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("The sorting rule")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert_accessible(page)
