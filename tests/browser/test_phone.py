"""The comparison and the navigation on a phone (390 and 320 px wide) and at desktop size."""

import re

import pytest
from playwright.sync_api import expect

from .pages import OVERFLOW, PASSWORD, assert_no_sideways_scroll, desktop, phone

PHONES = [pytest.param(390, id="390px"), pytest.param(320, id="320px")]


def boxes(row):
    """Return the bounding boxes of a comparison row's header and three cells."""
    return [cell.bounding_box() for cell in row.locator(":scope > th, :scope > td").all()]


@pytest.mark.parametrize("width", PHONES)
def test_the_comparison_stacks_each_dimension_on_a_phone(site, browser, width, assert_accessible):
    page = phone(browser, width)
    page.goto(site + "/compare/")
    assert_no_sideways_scroll(page)
    row = page.locator("table.comparison tbody tr").first
    dimension, devops, mlops, shared = boxes(row)
    # One under the other, each as wide as the block, in the order read.
    for upper, lower in [(dimension, devops), (devops, mlops), (mlops, shared)]:
        assert lower["y"] >= upper["y"] + upper["height"] - 1
        assert abs(lower["x"] - upper["x"]) < 1 and abs(lower["width"] - upper["width"]) < 1
    assert shared["x"] + shared["width"] <= width
    labels = row.locator(".cell-label")
    expect(labels).to_have_text(["DevOps", "MLOps", "What they share"])
    for label in labels.all():
        expect(label).to_be_visible()
    assert_accessible(page)


def test_the_comparison_is_a_table_side_by_side_on_a_desktop(site, browser, assert_accessible):
    page = desktop(browser)
    page.goto(site + "/compare/")
    assert_no_sideways_scroll(page)
    dimension, devops, mlops, shared = boxes(page.locator("table.comparison tbody tr").first)
    assert dimension["y"] == devops["y"] == mlops["y"] == shared["y"]
    assert dimension["x"] < devops["x"] < mlops["x"] < shared["x"]
    # The phone's labels are the column headers here.
    expect(page.locator("tbody .cell-label").first).to_be_hidden()
    expect(page.get_by_role("columnheader", name="What they share")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("width", PHONES)
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_navigation_folds_into_a_menu_on_a_phone(
    site, browser, width, javascript, assert_accessible
):
    page = phone(browser, width, java_script_enabled=javascript)
    page.goto(site + "/compare/")
    header = page.locator(".site-header").bounding_box()
    nav = page.get_by_role("navigation", name="Main")
    brand, menu = page.locator(".brand").bounding_box(), nav.locator("summary").bounding_box()
    assert abs(brand["y"] + brand["height"] / 2 - (menu["y"] + menu["height"] / 2)) < 2  # one row
    assert header["height"] < 80
    expect(nav.get_by_role("link", name="Practices")).to_be_hidden()
    assert_no_sideways_scroll(page)

    nav.get_by_text("Menu").click()
    expect(nav.get_by_role("link", name="Practices")).to_be_visible()
    assert_no_sideways_scroll(page)
    if javascript:
        assert_accessible(page)
    nav.get_by_role("link", name="Practices").click()
    expect(page).to_have_url(re.compile(r"/practices/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Practices glossary")


def test_the_navigation_is_one_open_row_on_a_desktop(site, browser, assert_accessible):
    page = desktop(browser)
    page.goto(site + "/compare/")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.locator("summary")).to_be_hidden()
    links = nav.get_by_role("link").all()
    assert [link.inner_text() for link in links] == [
        "Compare", "Quizzes", "Practices", "Tools", "Sources", "Log in",
    ]  # fmt: skip
    tops = {round(link.bounding_box()["y"]) for link in links}
    assert len(tops) == 1
    links[1].click()
    expect(page).to_have_url(re.compile(r"/quizzes/$"))
    assert_accessible(page)


# The top and bottom of a link's or button's text, not of its box.
TEXT_BOX = """element => {
  const range = document.createRange();
  range.selectNodeContents(element);
  const box = range.getBoundingClientRect();
  return [box.top, box.bottom];
}"""


def log_in(page, site, django_user_model):
    django_user_model.objects.create_user("robin", password=PASSWORD)
    page.goto(site + "/accounts/login/")
    page.get_by_label("Username").fill("robin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My progress")


def test_log_out_lines_up_with_the_other_navigation_links(site, browser, django_user_model):
    page = desktop(browser)
    log_in(page, site, django_user_model)
    for path in ["/", "/compare/", "/quizzes/"]:
        page.goto(site + path)
        nav = page.get_by_role("navigation", name="Main")
        link = nav.get_by_role("link", name="Compare").evaluate(TEXT_BOX)
        mine = nav.get_by_role("link", name="My progress").evaluate(TEXT_BOX)
        log_out = nav.get_by_role("button", name="Log out").evaluate(TEXT_BOX)
        assert abs(log_out[0] - link[0]) < 0.5 and abs(log_out[1] - link[1]) < 0.5, path
        assert abs(mine[0] - link[0]) < 0.5, path


@pytest.mark.parametrize("width", PHONES)
def test_log_out_sits_in_the_phone_menu_like_the_links(
    site, browser, width, django_user_model, assert_accessible
):
    page = phone(browser, width)
    log_in(page, site, django_user_model)
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_text("Menu").click()
    link = nav.get_by_role("link", name="My progress").bounding_box()
    log_out = nav.get_by_role("button", name="Log out").bounding_box()
    assert abs(log_out["x"] - link["x"]) < 1 and abs(log_out["height"] - link["height"]) < 1
    assert log_out["height"] >= 44  # a comfortable tap target
    assert_no_sideways_scroll(page)
    assert_accessible(page)


def test_key_hints_show_where_a_keyboard_is_likely(site, browser):
    page = desktop(browser)
    page.goto(site + "/quizzes/warm-up/")
    expect(page.locator(".key-hint").first).to_be_visible()
    page.get_by_role("button", name="Start the quiz").click()
    expect(page.locator(".choice kbd").first).to_be_visible()


@pytest.mark.parametrize("width", PHONES)
def test_key_hints_are_hidden_on_a_touch_phone(site, browser, width, assert_accessible):
    page = phone(browser, width)
    assert page.evaluate("matchMedia('(hover: hover)').matches") is False
    page.goto(site + "/quizzes/warm-up/")
    expect(page.locator(".key-hint").first).to_be_hidden()
    expect(page.get_by_text("pick a bucket")).to_be_hidden()
    page.get_by_role("button", name="Start the quiz").click()
    expect(page.get_by_role("button", name=re.compile("^DevOps"))).to_be_visible()
    expect(page.locator(".choice kbd").first).to_be_hidden()
    assert_no_sideways_scroll(page)
    assert_accessible(page)


@pytest.mark.parametrize("width", PHONES)
def test_no_learner_page_scrolls_sideways_on_a_phone(site, browser, width):
    page = phone(browser, width)
    for path in [
        "/", "/compare/?page=3", "/compare/monitoring/", "/practices/", "/practices/?q=model",
        "/quizzes/", "/quizzes/warm-up/", "/tools/", "/sources/", "/sorting-rule/",
    ]:  # fmt: skip
        page.goto(site + path)
        assert page.evaluate(OVERFLOW) == [], path  # the same check, with the path named
