"""A learner takes quizzes in a real browser: mouse, keyboard, no JavaScript, sort board."""

import re

import pytest
from playwright.sync_api import expect

from comparisons.models import Practice

WARM_UP = "/quizzes/warm-up/"


def right_bucket(page):
    """Return the label of the right bucket for the card on screen."""
    name = page.locator("#card-title").inner_text()
    return Practice.objects.get(name=name).get_category_display()


def start(page, site, path=WARM_UP):
    page.goto(site + path)
    page.get_by_role("button", name="Start the quiz").click()
    expect(page.locator("#card-title")).to_be_visible()


def test_a_full_quiz_by_mouse_never_reloads_the_page(site, page, assert_accessible):
    start(page, site)
    page.evaluate("window.__stillHere = true")
    assert_accessible(page)
    for number in range(1, 11):
        label = right_bucket(page)
        page.locator("#choices").get_by_role("button", name=re.compile(f"^{label}")).click()
        expect(page.locator("#feedback")).to_contain_text("Right:")
        expect(page.locator("#status")).to_contain_text(f"{number} of 10 answered")
        expect(page.locator("#status")).to_contain_text(f"Score {number} / {number}")
        if number == 1:
            assert_accessible(page)
        if number < 10:
            page.get_by_role("link", name="Next card").click()
            expect(page.locator("#feedback")).to_be_empty()
    assert page.evaluate("window.__stillHere") is True
    page.get_by_role("link", name="See your results").click()
    expect(page.get_by_role("heading", level=2, name=re.compile("10 of 10 right"))).to_be_visible()
    expect(page.get_by_text("Passed.")).to_be_visible()
    assert_accessible(page)


def test_a_full_quiz_by_keyboard_only(site, page, assert_accessible):
    page.goto(site + WARM_UP)
    # Reach the start button by tabbing, as a keyboard user would.
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Start the quiz":
            break
    page.keyboard.press("Enter")
    expect(page.locator("#card-title")).to_be_visible()
    page.evaluate("window.__stillHere = true")
    wrong_once = False
    for number in range(1, 11):
        label = right_bucket(page)
        keys = {"DevOps": "1", "MLOps": "2", "Both": "3"}
        key = keys[label]
        if not wrong_once:
            key = next(k for name, k in keys.items() if name != label)
            wrong_once = True
        page.keyboard.press(key)
        expect(page.locator("#status")).to_contain_text(f"{number} of 10 answered")
        focused = page.locator(":focus")
        expected_link = "Next card" if number < 10 else "See your results"
        expect(focused).to_have_text(expected_link)
        if number == 1:
            expect(page.locator("#feedback")).to_contain_text("Not quite:")
            assert_accessible(page)
        page.keyboard.press("Enter")
        if number < 10:
            expect(page.locator("#card-title")).to_be_focused()
    expect(page.get_by_role("heading", level=2, name=re.compile("9 of 10 right"))).to_be_visible()
    assert_accessible(page)


def test_a_full_quiz_without_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    start(page, site)
    for number in range(1, 11):
        label = right_bucket(page)
        page.locator("#choices").get_by_role("button", name=re.compile(f"^{label}")).click()
        expect(page.locator("#feedback")).to_contain_text("Right:")
        expect(page.locator("#status")).to_contain_text(f"{number} of 10 answered")
        if number < 10:
            page.get_by_role("link", name="Next card").click()
    page.get_by_role("link", name="See your results").click()
    expect(page.get_by_role("heading", level=2, name=re.compile("10 of 10 right"))).to_be_visible()
    context.close()


def test_missed_cards_can_be_retried(site, page):
    start(page, site)
    for number in range(1, 11):
        page.locator("#choices").get_by_role("button", name=re.compile("^DevOps")).click()
        expect(page.locator("#status")).to_contain_text(f"{number} of 10 answered")
        link = "Next card" if number < 10 else "See your results"
        page.get_by_role("link", name=link).click()
    expect(page.get_by_text("Not passed yet.")).to_be_visible()
    missed = page.locator(".mistakes > li").count()
    assert missed == 7
    page.get_by_role("button", name=f"Retry the {missed} I missed").click()
    expect(page.locator("#status")).to_contain_text(f"0 of {missed} answered")


@pytest.fixture
def board(site, page):
    # Tall enough that no card or column needs scrolling into view mid-drag:
    # Playwright's synthetic drag picks its source point before it scrolls.
    page.set_viewport_size({"width": 1280, "height": 2400})
    page.goto(site + WARM_UP)
    page.get_by_role("button", name="Use the sort board").click()
    expect(page.locator("#column-pile .board-card")).to_have_count(10)
    page.evaluate("window.__stillHere = true")
    return page


def card_bucket(card):
    name = card.locator("h3").inner_text()
    return Practice.objects.get(name=name).category


def test_the_sort_board_by_drag_and_drop(board, assert_accessible):
    page = board
    for placed in range(1, 4):
        card = page.locator("#column-pile .board-card").first
        card_id = card.get_attribute("id")
        bucket = card_bucket(card)
        card.drag_to(page.locator(f'[data-drop="{bucket}"]'))
        expect(page.locator(f"#column-{bucket} #{card_id}")).to_be_visible()
        expect(page.locator(f"#{card_id}")).to_contain_text("Right:")
        expect(page.locator("#status")).to_contain_text(f"{placed} of 10 answered")
    expect(page.locator("#column-pile .board-card")).to_have_count(7)
    assert page.evaluate("window.__stillHere") is True
    assert_accessible(page)


def test_the_sort_board_by_keyboard_to_the_end(board):
    page = board
    keys = {"devops": "1", "mlops": "2", "both": "3"}
    for placed in range(10):
        card = page.locator("#column-pile .board-card").first
        card_id = card.get_attribute("id")
        bucket = card_bucket(card)
        card.locator("button").first.focus()
        page.keyboard.press(keys[bucket])
        expect(page.locator(f"#column-{bucket} #{card_id}")).to_be_visible()
        expect(page.locator("#announce")).to_contain_text("right")
        # Focus moves on to the next card to sort, not to the card just placed.
        if placed < 9:
            expect(page.locator("#column-pile .board-card h3").first).to_be_focused()
    expect(page.get_by_role("link", name="See your results")).to_be_focused()
    expect(page.locator("#status")).to_contain_text("Score 10 / 10")
    page.get_by_role("link", name="See your results").click()
    expect(page.get_by_role("heading", level=2, name=re.compile("10 of 10 right"))).to_be_visible()
    assert page.evaluate("window.__stillHere") is None  # a real navigation to the results


def test_quiz_list_is_accessible(site, page, assert_accessible):
    page.goto(site + "/quizzes/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Quizzes")
    assert_accessible(page)


@pytest.mark.parametrize(
    "failure, message",
    [("503", "could not take that just now"), ("abort", "No connection to OpsGuide")],
)
def test_an_answer_the_server_could_not_take_says_so_and_can_be_sent_again(
    site, page, failure, message
):
    start(page, site)
    label = right_bucket(page)
    button = page.locator("#choices").get_by_role("button", name=re.compile(f"^{label}"))

    def fail(route):
        if failure == "abort":
            route.abort()
        else:
            route.fulfill(status=503, body="<h1>Back in a moment</h1>", content_type="text/html")

    page.route("**/answer/", fail)
    button.click()
    expect(page.get_by_role("alert")).to_contain_text(message)
    expect(page.locator("#status")).to_contain_text("0 of 10 answered")
    page.unroute("**/answer/")
    expect(button).to_be_enabled()
    button.click()
    expect(page.locator("#feedback")).to_contain_text("Right:")
    expect(page.locator("#refusal")).to_have_text("")
