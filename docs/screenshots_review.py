"""Take the README's screenshot of /me/ with mastery from review, on a throw-away database.

    .venv/bin/python docs/screenshots_review.py

It migrates a new SQLite file in a temporary folder and sets up a learner with
three weeks of history: three quizzes taken on earlier days, then the reviews
FSRS offered on most days since (each card remembered with the probability
FSRS predicts, from a fixed seed), and none for the last two days, so some
cards are due. Past days are reached with time-machine while setting up; the
site itself runs on today's clock. It serves the site with `manage.py
runserver` on a free port and writes docs/me-mastery.png with Debian's
chromium (/usr/bin/chromium, or $CHROMIUM). Nothing of yours is touched.
"""

from playwright.sync_api import sync_playwright
from throwaway_site import ARGS, CHROMIUM, PASSWORD, log_in, shoot, throwaway_site

SET_UP = f"""
import random
from datetime import timedelta

import time_machine
from django.contrib.auth.models import User
from django.utils import timezone

from comparisons.models import Category, Practice
from quizzes import grading
from quizzes.models import Quiz
from review import scheduling
from review.models import ReminderChoice

rng = random.Random(11)
random.seed(11)  # FSRS's fuzzing of due dates
now = timezone.now()
user = User.objects.create_user("mia", email="mia@example.org", password={PASSWORD!r})
ReminderChoice.objects.create(user=user, wanted=True)


def answer(practice, remembered):
    wrong = [c for c in Category.values if c != practice.category]
    return practice.category if remembered else rng.choice(wrong)


# Quizzes on three days; a signed-in learner's answers seed review cards.
quizzes = {{"warm-up": 23, "delivery-and-automation": 20, "data-and-models": 12}}
for slug, days_ago in quizzes.items():
    with time_machine.travel(now - timedelta(days=days_ago, hours=2), tick=False):
        owner = {{"user": user, "session_key": ""}}
        quiz = Quiz.objects.get(slug=slug)
        attempt = grading.start_attempt(quiz=quiz, owner=owner, rng=rng)
        for practice in Practice.objects.in_bulk(attempt.practice_ids).values():
            choice = answer(practice, rng.random() < 0.7)
            grading.record_answer(attempt=attempt, practice=practice, choice=choice)

# Reviews on most days since, until two days ago: whatever FSRS offers that day.
for days_ago in range(23, 1, -1):
    if days_ago % 7 in (3, 4):  # a weekend off
        continue
    when = now - timedelta(days=days_ago, hours=1)
    while cards := scheduling.queue(user, now=when).cards:
        for card in cards:
            choice = answer(card.practice, rng.random() < scheduling.recall(card, when))
            scheduling.review(user, card.practice_id, choice=choice, now=when)
        when += timedelta(minutes=20)
"""


def take_all(base):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
        log_in(page, base, "mia")
        page.goto(base + "/me/")
        # From the site bar's "Review (N)" down to the reminder setting: the rest of
        # the page (attempts, privacy, data) is in docs/team-me.png.
        end = page.locator("#reminders").bounding_box()
        height = end["y"] + end["height"] + 24
        shoot(page, "me-mastery.png", clip={"x": 0, "y": 0, "width": 1280, "height": height})
        browser.close()


def main():
    with throwaway_site(SET_UP) as base:
        take_all(base)


if __name__ == "__main__":
    main()
