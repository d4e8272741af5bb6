"""Take the README's team-lead screenshots on a throw-away database.

    .venv/bin/python docs/screenshots_teams.py

It migrates a new SQLite file in a temporary folder, sets up a demo team
(a lead, four members with some progress, an invite, due dates), serves it
with `manage.py runserver` on a free port, and writes docs/team-*.png with
Debian's chromium (/usr/bin/chromium, or $CHROMIUM). Nothing of yours is touched.
"""

from playwright.sync_api import sync_playwright
from throwaway_site import ARGS, CHROMIUM, PASSWORD, log_in, shoot, throwaway_site

SET_UP = f"""
from datetime import date, timedelta
from django.contrib.auth.models import User
from django.utils import timezone
from comparisons.models import Dimension, Practice
from onboarding.models import Invite, Membership, ReadMark, Step, Team, Track
from quizzes import grading
from quizzes.models import Quiz

team = Team.objects.create(name="Data platform", slug="data-platform")
lead = User.objects.create_user("lena", password={PASSWORD!r})
Membership.objects.create(team=team, user=lead, role="lead")
track = Track.objects.create(team=team)
monitoring = Dimension.objects.get(slug="monitoring")
quiz = Quiz.objects.get(slug="warm-up")
Step.objects.create(track=track, position=1, dimension=monitoring,
                    due_on=timezone.localdate() - timedelta(days=2))
Step.objects.create(track=track, position=2, quiz=quiz,
                    due_on=timezone.localdate() + timedelta(days=12))
Invite.objects.create(team=team, created_by=lead, max_uses=5, uses=4)
for name, right, read in [("ada", 10, True), ("bo", 6, True), ("cy", 8, False), ("dee", 0, False)]:
    user = User.objects.create_user(name, password={PASSWORD!r}, email=f"{{name}}@example.org")
    Membership.objects.create(team=team, user=user)
    if read:
        ReadMark.objects.create(user=user, dimension=monitoring)
    if right:
        attempt = grading.start_attempt(quiz=quiz, owner={{"user": user, "session_key": ""}})
        for i, practice in enumerate(Practice.objects.filter(pk__in=attempt.practice_ids)):
            wrong = next(c for c in ("devops", "mlops", "both") if c != practice.category)
            choice = practice.category if i < right else wrong
            grading.record_answer(attempt=attempt, practice=practice, choice=choice)
"""


def take_all(base):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
        log_in(page, base, "lena")
        page.goto(base + "/teams/data-platform/")
        shoot(page, "team-dashboard.png")
        page.get_by_role("link", name="bo", exact=True).click()
        shoot(page, "team-member.png")
        page.goto(base + "/teams/data-platform/invites/")
        shoot(page, "team-invites.png")
        page.goto(base + "/teams/data-platform/track/")
        shoot(page, "team-track.png")
        learner = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
        log_in(learner, base, "bo")
        shoot(learner, "team-me.png")
        browser.close()


def main():
    with throwaway_site(SET_UP) as base:
        take_all(base)


if __name__ == "__main__":
    main()
