"""A signed-in learner misses three warm-up cards, and finds them again in Review a little later."""

import re
from datetime import timedelta

import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from comparisons.models import Practice

PASSWORD = "a-long-and-unusual-passphrase"


def bucket_of(page):
    return Practice.objects.get(
        name=page.locator("#card-title").inner_text()
    ).get_category_display()


def other_than(label):
    return next(name for name in ("DevOps", "MLOps", "Both") if name != label)


def test_missed_cards_come_back_in_review_and_are_answered_without_a_reload(
    site, page, django_user_model, assert_accessible
):
    django_user_model.objects.create_user("lea", password=PASSWORD)
    page.goto(site + "/accounts/login/")
    page.get_by_label("Username").fill("lea")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(site + "/quizzes/warm-up/")
    page.get_by_role("button", name="Start the quiz").click()
    for number in range(10):
        label = bucket_of(page)
        choice = other_than(label) if number < 3 else label
        page.locator("#choices").get_by_role("button", name=re.compile(f"^{choice}")).click()
        expect(page.locator("#status")).to_contain_text(f"{number + 1} of 10 answered")
        if number < 9:
            page.get_by_role("link", name="Next card").click()
            expect(page.locator("#feedback")).to_be_empty()

    # A little later: past the scheduler's first learning step.
    with time_machine.travel(timezone.now() + timedelta(minutes=2), tick=True):
        page.goto(site + "/quizzes/")
        page.get_by_role("link", name="Review (3)").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Review")
        expect(page.locator("#review-status")).to_contain_text("3 cards due now")
        assert_accessible(page)
        page.evaluate("window.__stillHere = true")
        for left in (2, 1, 0):
            label = bucket_of(page)
            page.locator("#choices").get_by_role("button", name=re.compile(f"^{label}")).click()
            expect(page.locator("#feedback")).to_contain_text("Right:")
            expect(page.locator("#review-status")).to_contain_text(
                f"{left} cards due now"
                if left > 1
                else ("1 card due now" if left else "Nothing due now")
            )
            if left:
                page.get_by_role("link", name="Next card").click()
                expect(page.locator("#feedback")).to_be_empty()
        assert page.evaluate("window.__stillHere") is True

    # What sticks, and the reminder setting, on their progress page: accessible too.
    page.get_by_role("link", name="My progress").click()
    expect(page.get_by_role("heading", name="What sticks")).to_be_visible()
    page.get_by_label("E-mail me on days when cards are due for review").check()
    page.locator("#reminders").get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("Reminders on")
    expect(page.get_by_label("E-mail me on days when cards are due for review")).to_be_checked()
    assert_accessible(page)


def test_the_g_key_marks_a_signed_in_learners_answer_as_a_guess(site, page, django_user_model):
    from review.models import ReviewLog

    django_user_model.objects.create_user("gus", password=PASSWORD)
    page.goto(site + "/accounts/login/")
    page.get_by_label("Username").fill("gus")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(site + "/quizzes/warm-up/")
    page.get_by_role("button", name="Start the quiz").click()
    guess = page.get_by_label("I guessed")
    expect(guess).not_to_be_checked()
    page.keyboard.press("g")
    expect(guess).to_be_checked()
    label = bucket_of(page)
    page.locator("#choices").get_by_role("button", name=re.compile(f"^{label}")).click()
    expect(page.locator("#feedback")).to_contain_text("Right:")
    log = ReviewLog.objects.get(user__username="gus")
    assert (log.guessed, log.rating) == (True, 2)  # Hard
