"""Issue 16 in a real browser: the sort board on wide screens and phones, switching
modes, honest retry results, focus, and what a screen reader is given."""

import re

import pytest
from playwright.sync_api import expect

from comparisons.models import Practice
from quizzes.models import Answer, Attempt

WARM_UP = "/quizzes/warm-up/"
PHONES = [pytest.param(390, id="390px"), pytest.param(320, id="320px")]
LABELS = {"devops": "DevOps", "mlops": "MLOps", "both": "Both"}

# Every element that scrolls sideways, and the page itself: none may overflow.
OVERFLOW = """() => {
  const found = [];
  const root = document.scrollingElement;
  if (root.scrollWidth > innerWidth) found.push(`page ${root.scrollWidth} > ${innerWidth}`);
  for (const el of document.querySelectorAll("body *")) {
    const style = getComputedStyle(el);
    if (!["auto", "scroll"].includes(style.overflowX)) continue;
    if (el.scrollWidth > el.clientWidth + 1) {
      found.push(`${el.tagName}.${el.className} ${el.scrollWidth} > ${el.clientWidth}`);
    }
  }
  return found;
}"""

# Where an element is on screen, and where the dock's top edge is.
BOX = """el => {
  const box = el.getBoundingClientRect();
  const dock = document.querySelector(".board-dock");
  const limit = dock ? Math.min(dock.getBoundingClientRect().top, innerHeight) : innerHeight;
  return {top: box.top, bottom: box.bottom, left: box.left, right: box.right,
          limit: limit, height: innerHeight};
}"""


def assert_no_horizontal_overflow(page):
    assert page.evaluate(OVERFLOW) == []


def in_view(locator):
    box = locator.evaluate(BOX)
    return box["top"] >= -1 and box["bottom"] <= box["limit"] + 1


def settle(page):
    """Wait until a smooth scroll has stopped."""
    last = None
    for _ in range(50):
        now = page.evaluate("window.scrollY")
        if now == last:
            return
        last = now
        page.wait_for_timeout(100)


def bucket_of(card):
    return Practice.objects.get(name=card.locator("h3").inner_text()).category


def open_board(page, site, width=1280, height=800):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(site + WARM_UP)
    page.get_by_role("button", name="Use the sort board").click()
    expect(page.locator("#column-pile .board-card")).to_have_count(10)
    page.evaluate("window.__stillHere = true")


def pile(page):
    return page.locator("#column-pile .board-card")


def place(card, bucket):
    card.get_by_role("button", name=LABELS[bucket], exact=True).click()


# Wide screens


def test_on_a_wide_screen_the_columns_sit_beside_the_pile_and_stay_in_view(
    site, page, assert_accessible
):
    open_board(page, site)
    boxes = [
        page.locator(selector).bounding_box()
        for selector in (".pile", ".column-devops", ".column-mlops", ".column-both")
    ]
    assert len({round(box["y"]) for box in boxes}) == 1, boxes
    assert [box["x"] for box in boxes] == sorted(box["x"] for box in boxes)
    expect(page.locator("#pile-count")).to_have_text("10")

    # Sort a card from low in the pile: the columns are still on screen.
    card = pile(page).nth(6)
    card.scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, 300)")
    name, bucket = card.locator("h3").inner_text(), bucket_of(card)
    place(card, bucket)
    expect(page.locator("#pile-count")).to_have_text("9")
    expect(page.locator(f"#column-{bucket}")).to_contain_text(name)
    for value in LABELS:
        assert in_view(page.locator(f".column-{value} h2")), value
    assert page.evaluate("window.__stillHere") is True
    assert_accessible(page)


def test_a_placed_card_shows_its_name_and_verdict_and_the_note_on_demand(site, page):
    open_board(page, site)
    card = pile(page).first
    card_id, bucket = card.get_attribute("id"), bucket_of(card)
    wrong = next(value for value in LABELS if value != bucket)
    description = card.locator(".board-card-description").inner_text()
    place(card, wrong)
    placed = page.locator(f"#column-{wrong} #{card_id}")
    expect(placed.locator(".verdict")).to_have_text(re.compile(r"^Not quite: you chose"))
    expect(placed.get_by_text(description)).to_be_hidden()
    expect(placed.get_by_role("link", name="I disagree with this answer")).to_be_hidden()
    # Collapsed, a placed card takes less room than one in the pile.
    assert placed.bounding_box()["height"] < pile(page).first.bounding_box()["height"]
    placed.locator("summary").click()
    expect(placed.get_by_text(description)).to_be_visible()
    expect(placed.get_by_role("link", name="I disagree with this answer")).to_be_visible()


def test_the_board_by_keyboard_moves_focus_to_the_next_card_then_the_results(
    site, page, assert_accessible
):
    open_board(page, site)
    keys = {"devops": "1", "mlops": "2", "both": "3"}
    pile(page).first.locator("h3").focus()
    for placed in range(1, 11):
        card = pile(page).first
        card_id, bucket = card.get_attribute("id"), bucket_of(card)
        following = pile(page).nth(1).get_attribute("id") if placed < 10 else None
        page.keyboard.press(keys[bucket])
        expect(page.locator(f"#column-{bucket} #{card_id}")).to_be_visible()
        expect(page.locator("#pile-count")).to_have_text(str(10 - placed))
        if following:
            expect(page.locator(f"#{following} h3")).to_be_focused()
    results = page.get_by_role("link", name="See your results")
    expect(results).to_be_focused()
    expect(results).to_be_in_viewport()
    assert_accessible(page)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_be_focused()
    expect(page.get_by_text("Passed.")).to_be_visible()


# Phones


@pytest.mark.parametrize("width", PHONES)
def test_on_a_phone_placing_a_card_keeps_the_view_on_the_next_card(
    site, page, width, assert_accessible
):
    open_board(page, site, width=width, height=844)
    assert_no_horizontal_overflow(page)
    dock = page.locator(".board-dock")
    for placed in range(1, 4):
        # The learner has scrolled down the pile to its third card.
        card = pile(page).nth(2)
        following = pile(page).nth(3)
        following_id = following.get_attribute("id")
        card.evaluate(
            "el => window.scrollTo({top: el.getBoundingClientRect().top + scrollY - 150,"
            " behavior: 'instant'})"
        )
        before = page.evaluate("window.scrollY")
        assert before > 0
        card_id = card.get_attribute("id")
        name, bucket = card.locator("h3").inner_text(), bucket_of(card)
        place(card, bucket)
        expect(page.locator(f"#column-{bucket} #{card_id}")).to_be_attached()
        expect(page.locator("#pile-count")).to_have_text(str(10 - placed))
        expect(page.locator("#announce")).to_have_text(f"{name}: right, {LABELS[bucket]}.")
        settle(page)
        after = page.evaluate("window.scrollY")
        assert abs(after - before) <= 1, (before, after)
        expect(page.locator(f"#{following_id} h3")).to_be_focused()
        assert in_view(page.locator(f"#{following_id}")), page.locator(f"#{following_id}").evaluate(
            BOX
        )
        # The verdict and the three columns' tallies stay on screen.
        expect(dock).to_be_in_viewport(ratio=1)
        expect(dock.locator(f".tally-{bucket}")).to_be_visible()
    assert sum(int(n) for n in dock.locator(".tally-count").all_inner_texts()) == 3
    page.locator(".column .board-card summary").first.click()
    assert_no_horizontal_overflow(page)
    assert_accessible(page)


@pytest.mark.parametrize("width", PHONES)
def test_on_a_phone_without_javascript_the_board_counts_down_and_returns_to_the_next_card(
    site, browser, width
):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": width, "height": 844}
    )
    page = context.new_page()
    page.goto(site + WARM_UP)
    page.get_by_role("button", name="Use the sort board").click()
    expect(page.locator("#pile-count")).to_have_text("10")
    for placed in range(1, 11):
        cards = pile(page)
        card = cards.nth(1) if cards.count() > 1 else cards.first
        following = cards.nth(2).get_attribute("id") if cards.count() > 2 else None
        name, bucket = card.locator("h3").inner_text(), bucket_of(card)
        place(card, bucket)
        expect(page.locator("#pile-count")).to_have_text(str(10 - placed))
        expect(page.locator("#announce")).to_have_text(f"{name}: right, {LABELS[bucket]}.")
        if following:
            # The browser scrolls (smoothly) to the next card, clear of the dock.
            settle(page)
            box = page.locator(f"#{following}").evaluate(BOX)
            assert in_view(page.locator(f"#{following}")), (placed, box)
        assert_no_horizontal_overflow(page)
    results = page.get_by_role("link", name="See your results")
    expect(results).to_be_in_viewport()
    results.click()
    expect(page.get_by_role("heading", level=2, name=re.compile("10 of 10 right"))).to_be_visible()
    context.close()


# Switching mode and starting over


def test_switching_between_card_and_board_keeps_the_answers_and_start_over_keeps_history(
    site, page
):
    page.goto(site + WARM_UP)
    page.get_by_role("button", name="Start the quiz").click()
    for number in (1, 2):
        page.locator("#choices").get_by_role("button", name=re.compile("^Both")).click()
        expect(page.locator("#status")).to_contain_text(f"{number} of 10 answered")
        page.get_by_role("link", name="Next card").click()
        expect(page.locator("#feedback")).to_be_empty()

    page.get_by_role("link", name="Switch to the sort board").click()
    expect(page.locator("#pile-count")).to_have_text("8")
    expect(page.locator("#column-both .board-card")).to_have_count(2)
    card = pile(page).first
    place(card, bucket_of(card))
    expect(page.locator("#pile-count")).to_have_text("7")

    page.get_by_role("link", name="Switch to one card at a time").click()
    expect(page.locator("#status")).to_contain_text("3 of 10 answered")
    expect(page.locator("#card-title")).to_be_visible()

    page.get_by_role("button", name="Start over").click()
    expect(page.locator("#status")).to_contain_text("0 of 10 answered")
    old, new = Attempt.objects.order_by("started_at")
    assert Answer.objects.filter(attempt=old).count() == 3
    assert not new.answers.exists()
    page.goto(site + old.get_absolute_url())
    expect(page.get_by_text("3 of 10 answered. You started over after it")).to_be_visible()


# Honest results for a retry


@pytest.mark.parametrize("width", [1280, 390, 320])
def test_a_retry_is_practice_and_its_results_say_so(site, page, width, assert_accessible):
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(site + WARM_UP)
    page.get_by_role("button", name="Start the quiz").click()
    for number in range(1, 11):
        page.locator("#choices").get_by_role("button", name=re.compile("^DevOps")).click()
        expect(page.locator("#status")).to_contain_text(f"{number} of 10 answered")
        page.get_by_role("link", name="Next card" if number < 10 else "See your results").click()
    missed = page.locator(".mistakes > li").count()
    page.get_by_role("button", name=f"Retry the {missed} I missed").click()

    # From the first card on, the title and the heading say it is a retry.
    expect(page).to_have_title(re.compile("^Retry of your missed cards: "))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile("^Retry of your missed cards: ")
    )
    for number in range(1, missed + 1):
        name = page.locator("#card-title").inner_text()
        right = Practice.objects.get(name=name).get_category_display()
        # One card is got wrong again.
        label = right if number > 1 else next(x for x in LABELS.values() if x != right)
        page.locator("#choices").get_by_role("button", name=re.compile(f"^{label}")).click()
        expect(page.locator("#status")).to_contain_text(f"{number} of {missed} answered")
        link = "Next card" if number < missed else "See your results"
        page.get_by_role("link", name=link).click()
        if number < missed:
            expect(page.locator("#feedback")).to_be_empty()

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile("^Retry of your missed cards: "))
    expect(heading).to_be_focused()
    expect(page).to_have_title(re.compile("^Retry results: "))
    summary = page.locator(".result-summary")
    expect(summary.get_by_role("heading", level=2)).to_have_text(
        f"You now have {missed - 1} of the {missed} you missed"
    )
    expect(page.locator("main")).not_to_contain_text("Passed")
    expect(summary.locator(".retry-side").first).to_contain_text("3 of 10 right · 30%")
    expect(summary.locator(".retry-side").last).to_contain_text("9 of 10 cards now sorted right")
    assert_no_horizontal_overflow(page)
    assert_accessible(page)


# Focus on the results page and in "I disagree"


@pytest.mark.parametrize("width", [1280, 390])
def test_i_disagree_takes_focus_into_its_form_and_then_to_the_confirmation(
    site, page, width, assert_accessible
):
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(site + WARM_UP)
    page.get_by_role("button", name="Start the quiz").click()
    for number in range(1, 11):
        page.locator("#choices").get_by_role("button", name=re.compile("^MLOps")).click()
        expect(page.locator("#status")).to_contain_text(f"{number} of 10 answered")
        page.get_by_role("link", name="Next card" if number < 10 else "See your results").click()
    expect(page.get_by_role("heading", level=1)).to_be_focused()
    page.get_by_role("link", name="I disagree with this answer").first.click()
    box = page.get_by_label("Why do you think it belongs elsewhere?")
    expect(box).to_be_focused()
    page.keyboard.type("The team I work with treats this as MLOps work.")
    page.get_by_role("button", name="Send to the editors").click()
    expect(page.get_by_role("status").filter(has_text="Thank you")).to_be_focused()
    assert_no_horizontal_overflow(page)
    assert_accessible(page)


# What a screen reader gets


def test_a_screen_reader_hears_progress_and_the_verdict_after_each_answer(site, page):
    page.goto(site + WARM_UP)
    page.get_by_role("button", name="Start the quiz").click()
    page.evaluate("window.__status = document.getElementById('status')")
    name = page.locator("#card-title").inner_text()
    right = Practice.objects.get(name=name).get_category_display()
    page.locator("#choices").get_by_role("button", name=re.compile(f"^{right}")).click()
    expect(page.locator("#status")).to_match_aria_snapshot(
        """
        - status:
          - paragraph: 1 of 10 answered
          - progressbar "1 of 10 answered"
          - paragraph:
            - text: Score
            - strong: "1"
            - text: / 1
        """
    )
    # The live region is the same element, its content changed: that is announced.
    assert page.evaluate("window.__status === document.getElementById('status')") is True
    next_card = page.get_by_role("link", name="Next card")
    expect(next_card).to_be_focused()
    expect(next_card).to_have_accessible_description(f"Right: {right}.")


def test_a_screen_reader_on_the_board_hears_the_verdict_on_the_next_card(site, page):
    open_board(page, site)
    page.evaluate("window.__announce = document.getElementById('announce')")
    card = pile(page).first
    name, bucket = card.locator("h3").inner_text(), bucket_of(card)
    following = pile(page).nth(1).get_attribute("id")
    place(card, bucket)
    verdict = f"{name}: right, {LABELS[bucket]}."
    expect(page.locator("#announce")).to_have_text(verdict)
    assert page.evaluate("window.__announce === document.getElementById('announce')") is True
    heading = page.locator(f"#{following} h3")
    expect(heading).to_be_focused()
    expect(heading).to_have_accessible_description(verdict)
    expect(page.locator("#pile-heading")).to_match_aria_snapshot('- heading "To sort 9" [level=2]')
    expect(page.locator(f"#column-{bucket} .board-card").first).to_match_aria_snapshot(
        f"""
        - listitem "{name}":
          - heading "{name}" [level=3]
          - paragraph:
            - strong: "Right:"
            - text: {LABELS[bucket]}.
          - group: Why {LABELS[bucket]}
        """
    )
