"""Editors' forms in a browser: a bucket change asks for the notes, history compares and reverts."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from comparisons.models import Dimension, Practice
from quizzes.models import Dispute, Quiz


def log_in(browser, site, django_user_model):
    editor = django_user_model.objects.create_user(
        "editor", password="a-long-passphrase", is_staff=True
    )
    editor.groups.add(Group.objects.get(name="Content editors"))
    page = browser.new_context().new_page()
    page.goto(site + "/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("a-long-passphrase")
    page.get_by_role("button", name="Log in").click()
    return page


def test_a_bucket_change_names_the_notes_to_review_then_saves(
    site, browser, django_user_model, assert_accessible
):
    practice = (
        Practice.objects.filter(category="devops", is_contested=False)
        .exclude(note_if_both="")
        .exclude(note_if_mlops="")
        .first()
    )
    page = log_in(browser, site, django_user_model)
    expect(page.locator("#site-name")).to_contain_text("OpsGuide")
    page.goto(f"{site}/admin/comparisons/practice/{practice.pk}/change/")
    name = page.locator("#id_name")
    assert name.evaluate("e => e.scrollWidth <= e.clientWidth")  # the name fits its box
    page.get_by_label("Category").select_option("both")
    page.get_by_role("button", name="Save", exact=True).click()

    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Both is now the right bucket")
    expect(summary).to_contain_text("Written while the practice was DevOps")
    page.get_by_label("Feedback if answered Both").fill("")
    page.get_by_label("Feedback if answered DevOps").fill("Not DevOps alone: ML adds checks.")
    page.get_by_label("The notes are right for the new bucket").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    practice.refresh_from_db()
    assert (practice.category, practice.notes_bucket) == ("both", "both")

    # History: compare the two latest versions, then revert to the DevOps one.
    page.goto(f"{site}/admin/comparisons/practice/{practice.pk}/history/")
    assert_accessible(page)
    devops = practice.history.filter(category="devops").first()
    page.locator(f'input[name="old"][value="{devops.pk}"]').check()
    page.get_by_role("button", name="Compare the two chosen versions").click()
    expect(page.locator("#comparison")).to_contain_text("Both")
    assert_accessible(page)
    page.get_by_role("link", name="Revert to the older version…").click()
    page.get_by_role("button", name="Revert to this version").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    practice.refresh_from_db()
    assert practice.category == "devops"


def test_the_practice_change_and_add_forms_pass_axe(
    site, browser, django_user_model, assert_accessible
):
    # A long name makes the breadcrumbs a line of text, where links must stand out.
    practice = max(Practice.objects.filter(quiz_items__isnull=False), key=lambda p: len(p.name))
    Dispute.objects.create(
        practice=practice, chosen="devops", proposed="both", reason="Both, surely."
    )
    page = log_in(browser, site, django_user_model)
    page.goto(f"{site}/admin/comparisons/practice/{practice.pk}/change/")
    expect(page.locator("#disputes-group")).to_contain_text("Both, surely.")
    expect(page.get_by_role("combobox", name="Dimension")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{site}/admin/comparisons/practice/add/")
    expect(page.get_by_role("combobox", name="Dimension")).to_be_visible()
    expect(page.get_by_role("searchbox", name="Sources")).to_be_visible()
    assert_accessible(page)


def dimension_with_sources():
    dimension = Dimension.objects.filter(sources__isnull=False).first()
    return f"/admin/comparisons/dimension/{dimension.pk}/change/"


def quiz_with_items():
    quiz = Quiz.objects.filter(items__isnull=False).first()
    return f"/admin/quizzes/quiz/{quiz.pk}/change/"


@pytest.mark.parametrize(
    "address",
    [
        lambda: "/admin/",
        lambda: "/admin/comparisons/practice/",
        dimension_with_sources,
        quiz_with_items,
    ],
    ids=["index", "practice-changelist", "dimension-change", "quiz-change"],
)
def test_the_editors_other_admin_pages_pass_axe(
    address, site, browser, django_user_model, assert_accessible
):
    page = log_in(browser, site, django_user_model)
    page.goto(site + address())
    expect(page.locator("#content")).to_be_visible()
    assert_accessible(page)
