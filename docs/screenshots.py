"""Retake the README's screenshots from a running OpsGuide.

It starts nothing itself: serve the site first (`make run`), then

    .venv/bin/python docs/screenshots.py [BASE_URL]   # default http://127.0.0.1:8000

It drives Debian's chromium (/usr/bin/chromium, or $CHROMIUM) with Playwright
and writes docs/*.png. Quiz screenshots start attempts as an anonymous
visitor, as any learner would; they leave only those rows behind.
"""

import os
import sys
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

DOCS = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
QUIZ = "warm-up"


def desktop(browser, width=DESKTOP["width"]):
    return browser.new_context(viewport={**DESKTOP, "width": width}).new_page()


def phone(browser):
    return browser.new_context(**PHONE).new_page()


def shoot(page, name):
    path = DOCS / name
    page.screenshot(path=path)
    print(f"wrote {path.relative_to(DOCS.parent)}")


def take_all(base):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)

        page = desktop(browser)
        page.goto(base + "/compare/")
        shoot(page, "compare.png")

        page = phone(browser)
        page.goto(base + "/compare/")
        shoot(page, "compare-mobile.png")

        page = phone(browser)
        page.goto(base + "/compare/monitoring/")
        shoot(page, "dimension-mobile.png")

        page = desktop(browser)
        page.goto(base + "/quizzes/")
        shoot(page, "quizzes.png")

        # One wrong answer, so the feedback shows the right bucket and the reason.
        page = desktop(browser, width=1100)
        page.goto(f"{base}/quizzes/{QUIZ}/")
        page.get_by_role("button", name="Start the quiz").click()
        page.locator("button.choice").first.click()
        expect(page.locator("#feedback .verdict")).to_be_visible()
        page.locator(".card").scroll_into_view_if_needed()
        shoot(page, "quiz-feedback.png")

        # The sort board on a phone, with a few cards placed.
        page = phone(browser)
        page.goto(f"{base}/quizzes/{QUIZ}/")
        page.get_by_role("button", name="Start the quiz").click()
        page.goto(f"{base}/quizzes/{QUIZ}/board/")
        for _ in range(2):
            placed = page.locator("button.choice:not([disabled])").count()
            page.locator("button.choice:not([disabled])").first.click()
            expect(page.locator("button.choice:not([disabled])")).not_to_have_count(placed)
        page.wait_for_timeout(500)  # let any scroll or focus move settle
        shoot(page, "board-mobile.png")

        browser.close()


if __name__ == "__main__":
    take_all((sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000").rstrip("/"))
