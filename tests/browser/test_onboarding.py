"""A lead onboards a new member, from invite to finished track, without admin or code."""

import re

from playwright.sync_api import expect

from comparisons.models import Practice
from onboarding.models import Membership, Team

PASSWORD = "a-long-and-unusual-passphrase"


def log_in(page, site, username):
    page.goto(site + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My progress")


def test_invite_sign_up_quiz_and_dashboard(site, browser, django_user_model, assert_accessible):
    team = Team.objects.create(name="Data platform", slug="data-platform")
    lead = django_user_model.objects.create_user("lena", password=PASSWORD)
    Membership.objects.create(team=team, user=lead, role="lead")

    lead_page = browser.new_context().new_page()
    log_in(lead_page, site, "lena")
    assert_accessible(lead_page)
    lead_page.get_by_role("link", name="Edit the track").click()
    lead_page.get_by_label("Pass a quiz").check()
    warm_up = "Warm-up: ten cards to learn the rule"
    lead_page.get_by_label("Quiz to pass").select_option(label=warm_up)
    lead_page.get_by_role("button", name="Add the step").click()
    expect(lead_page.locator(".steps")).to_contain_text(f"Pass “{warm_up}”")
    assert_accessible(lead_page)

    lead_page.get_by_role("link", name="Data platform").click()
    lead_page.get_by_role("link", name="Invites").click()
    lead_page.get_by_role("button", name="Create the invite").click()
    link = lead_page.locator(".invite-link").first.input_value()
    assert "/invite/" in link
    assert_accessible(lead_page)

    newbie = browser.new_context().new_page()
    newbie.goto(link)
    expect(newbie.get_by_role("heading", level=1)).to_have_text("Join Data platform")
    assert_accessible(newbie)
    newbie.get_by_label("Username").fill("newbie")
    newbie.get_by_label("Password", exact=True).fill(PASSWORD)
    newbie.get_by_label("Password confirmation").fill(PASSWORD)
    newbie.get_by_role("button", name="Create my account and join").click()
    expect(newbie.get_by_role("heading", level=1)).to_have_text("My progress")
    expect(newbie.locator(".steps")).to_contain_text("To do")

    newbie.get_by_role("link", name="Warm-up: ten cards to learn the rule").click()
    newbie.get_by_role("button", name="Start the quiz").click()
    for number in range(1, 11):
        name = newbie.locator("#card-title").inner_text()
        label = Practice.objects.get(name=name).get_category_display()
        newbie.locator("#choices").get_by_role("button", name=re.compile(f"^{label}")).click()
        expect(newbie.locator("#status")).to_contain_text(f"{number} of 10 answered")
        if number < 10:
            newbie.get_by_role("link", name="Next card").click()
            expect(newbie.locator("#feedback")).to_be_empty()
    newbie.get_by_role("link", name="See your results").click()
    expect(newbie.get_by_text("Passed.")).to_be_visible()
    newbie.get_by_role("link", name="My progress").click()
    expect(newbie.locator(".steps")).to_contain_text("✓ Done")

    lead_page.get_by_role("link", name="Data platform").click()
    row = lead_page.get_by_role("row", name=re.compile("newbie"))
    expect(row).to_contain_text("✓ done")
    expect(row).to_contain_text("best 100%")
    assert_accessible(lead_page)
