"""An editor changes content in the admin and a learner sees it at once."""

import re

from django.contrib.auth.models import Group
from playwright.sync_api import expect

from comparisons.models import Practice
from quizzes.models import Quiz


def test_an_editors_new_explanation_reaches_the_learners_feedback(site, browser, django_user_model):
    editor = django_user_model.objects.create_user(
        "editor", password="a-long-passphrase", is_staff=True
    )
    editor.groups.add(Group.objects.get(name="Content editors"))
    quiz = Quiz.objects.get(slug="warm-up")
    quiz.shuffle = False
    quiz.save()
    practice = quiz.items.first().practice

    editing = browser.new_context().new_page()
    editing.goto(site + "/admin/")
    editing.get_by_label("Username").fill("editor")
    editing.get_by_label("Password").fill("a-long-passphrase")
    editing.get_by_role("button", name="Log in").click()
    editing.get_by_role("link", name="Practices", exact=True).click()
    editing.get_by_role("textbox", name="Search").fill(practice.name)
    editing.keyboard.press("Enter")
    editing.get_by_role("link", name=practice.name, exact=True).click()
    new_text = "Edited just now: an explanation written by the editor in the admin."
    editing.get_by_label("Explanation").fill(new_text)
    editing.get_by_role("button", name="Save", exact=True).click()
    expect(editing.locator(".messagelist")).to_contain_text("was changed successfully")
    assert Practice.objects.get(pk=practice.pk).explanation == new_text

    learner = browser.new_context().new_page()
    learner.goto(site + "/quizzes/warm-up/")
    learner.get_by_role("button", name="Start the quiz").click()
    expect(learner.locator("#card-title")).to_have_text(practice.name)
    label = practice.get_category_display()
    learner.locator("#choices").get_by_role("button", name=re.compile(f"^{label}")).click()
    expect(learner.locator("#feedback")).to_contain_text(new_text)
