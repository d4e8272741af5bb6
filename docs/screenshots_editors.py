"""Take the README's editor screenshots on a throw-away database.

    .venv/bin/python docs/screenshots_editors.py

It migrates a new SQLite file in a temporary folder, sets up an editor, a
few learners' attempts and an edited card, serves it with `manage.py
runserver` on a free port, and writes docs/editor-*.png with Debian's
chromium (/usr/bin/chromium, or $CHROMIUM). Nothing of yours is touched.
"""

from playwright.sync_api import sync_playwright
from throwaway_site import ARGS, CHROMIUM, PASSWORD, log_in, shoot, throwaway_site

SET_UP = f"""
from django.contrib.auth.models import Group, User
from comparisons.models import Practice
from quizzes import grading
from quizzes.models import Quiz

editor = User.objects.create_user("edna", password={PASSWORD!r}, is_staff=True)
editor.groups.add(Group.objects.get(name="Content editors"))
quiz = Quiz.objects.get(slug="warm-up")
for n in range(12):
    attempt = grading.start_attempt(quiz=quiz, owner={{"user": None, "session_key": f"{{n:032}}"}})
    for i, practice in enumerate(Practice.objects.filter(pk__in=attempt.practice_ids)):
        wrong = next(c for c in ("devops", "mlops", "both") if c != practice.category)
        choice = practice.category if (i + n) % 4 else wrong
        grading.record_answer(attempt=attempt, practice=practice, choice=choice)
card = Practice.objects.get(pk=attempt.practice_ids[0])
card.description = card.description + " (reworded)"
card._history_user = editor
card.save(substantive=True)
"""


def take_all(base):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        log_in(page, base, "edna", login="/admin/login/")
        shoot(page, "editor-index.png")
        page.goto(base + "/admin/comparisons/practice/?category__exact=devops")
        page.locator("#result_list tbody th a").first.click()
        page.get_by_label("Category").select_option("both")
        page.get_by_role("button", name="Save", exact=True).click()
        shoot(page, "editor-bucket-change.png")
        page.goto(base + "/admin/comparisons/practice/?q=reworded")
        page.locator("#result_list tbody th a").first.click()
        page.get_by_role("link", name="History").click()
        page.get_by_role("button", name="Compare the two chosen versions").click()
        shoot(page, "editor-compare.png")
        page.goto(base + "/admin/statistics/")
        shoot(page, "editor-statistics.png")
        browser.close()


def main():
    with throwaway_site(SET_UP) as base:
        take_all(base)


if __name__ == "__main__":
    main()
