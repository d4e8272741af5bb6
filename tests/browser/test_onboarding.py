"""A lead onboards a new member, from invite to finished track, without admin or code."""

import re

from playwright.sync_api import expect

from comparisons.models import Practice
from onboarding.models import Invite, Membership, Team
from quizzes.models import Attempt

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
    lead_page.get_by_role("link", name="Invites", exact=True).click()
    lead_page.get_by_role("button", name="Create the invite").click()
    link = lead_page.locator(".invite-link").first.inner_text()
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
    progress = lead_page.get_by_role("table", name=re.compile("learner.* × .*step"))
    row = progress.get_by_role("row", name=re.compile("newbie"))
    expect(row).to_contain_text("✓ done")
    # Their first review cards already show in the mastery table (nothing mastered yet).
    mastery = lead_page.get_by_role("table", name="Mastery per learner and dimension")
    expect(mastery.get_by_role("row", name=re.compile("newbie"))).to_contain_text("0%")
    expect(row).to_contain_text("best 100%")
    assert_accessible(lead_page)


def lead_of(django_user_model, name="Data platform", slug="data-platform"):
    team = Team.objects.create(name=name, slug=slug)
    lead = django_user_model.objects.create_user("lena", password=PASSWORD)
    Membership.objects.create(team=team, user=lead, role="lead")
    return team, lead


def csp_violations(page):
    found = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return found


def test_copy_button_copies_the_invite_link(site, browser, django_user_model, assert_accessible):
    team, _ = lead_of(django_user_model)
    invite = Invite.objects.create(team=team)
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    violations = csp_violations(page)
    log_in(page, site, "lena")
    page.goto(site + "/teams/data-platform/invites/")
    copy = page.get_by_role("button", name="Copy link")
    expect(copy).to_be_visible()
    copy.click()
    expect(page.locator(".copy-status").first).to_have_text("Link copied.")
    assert page.evaluate("navigator.clipboard.readText()") == site + invite.get_absolute_url()
    assert_accessible(page)
    assert violations == []


def test_without_javascript_the_full_invite_link_shows_and_no_copy_button(
    site, browser, django_user_model
):
    team, _ = lead_of(django_user_model)
    invite = Invite.objects.create(team=team)
    page = browser.new_context(java_script_enabled=False).new_page()
    log_in(page, site, "lena")
    page.goto(site + "/teams/data-platform/invites/")
    expect(page.locator(".invite-link")).to_have_text(site + invite.get_absolute_url())
    copy = page.locator("button[data-copy]")
    expect(copy).to_have_count(1)
    expect(copy).to_be_hidden()
    # Not cut off: the whole link fits in the box that shows it.
    box = page.locator(".invite-link").evaluate("e => e.scrollWidth <= e.clientWidth")
    assert box is True


def test_revoking_an_invite_asks_first(site, browser, django_user_model, assert_accessible):
    team, _ = lead_of(django_user_model)
    invite = Invite.objects.create(team=team)
    page = browser.new_context().new_page()
    log_in(page, site, "lena")
    page.goto(site + "/teams/data-platform/invites/")
    page.get_by_role("link", name="Revoke…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Revoke this invite to Data platform?"
    )
    assert_accessible(page)
    page.get_by_role("link", name="Keep it").click()
    invite.refresh_from_db()
    assert invite.revoked_at is None
    page.get_by_role("link", name="Revoke…").click()
    page.get_by_role("button", name="Revoke the invite").click()
    expect(page.locator(".messages")).to_contain_text("Invite revoked")
    expect(page.get_by_role("link", name="Revoke…")).to_have_count(0)
    invite.refresh_from_db()
    assert invite.status == "revoked"


def test_the_track_form_offers_the_field_of_the_chosen_kind_and_confirms_changes(
    site, browser, django_user_model, assert_accessible
):
    lead_of(django_user_model)
    page = browser.new_context().new_page()
    log_in(page, site, "lena")
    page.goto(site + "/teams/data-platform/track/")
    expect(page.get_by_label("Read a dimension")).to_be_checked()
    expect(page.get_by_label("Dimension to read")).to_be_visible()
    expect(page.get_by_label("Quiz to pass")).to_be_hidden()
    page.get_by_label("Pass a quiz").check()
    expect(page.get_by_label("Quiz to pass")).to_be_visible()
    expect(page.get_by_label("Dimension to read")).to_be_hidden()
    assert_accessible(page)
    page.get_by_label("Read a dimension").check()
    page.get_by_label("Dimension to read").select_option(label="Monitoring and observability")
    page.get_by_label("Due by (optional)").fill("2030-05-04")
    page.get_by_role("button", name="Add the step").click()
    step = "Read “Monitoring and observability”"
    expect(page.locator(".messages")).to_contain_text(f"Added step 1: {step}.")
    expect(page.locator(".steps")).to_contain_text("due by 4 May 2030")
    page.locator(".due-form input[type=date]").fill("2030-06-01")
    page.get_by_role("button", name=f"Save the due date of “{step}”").click()
    expect(page.locator(".messages")).to_contain_text("is now due by 1 Jun 2030")
    page.get_by_role("link", name=f"Remove “{step}”…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Remove the step {step}?")
    assert_accessible(page)
    page.get_by_role("button", name="Remove the step").click()
    expect(page.locator(".messages")).to_contain_text(f"Removed the step {step}.")
    expect(page.locator(".steps")).to_have_count(0)
    assert_accessible(page)


def test_a_lead_opens_a_members_page_and_removes_them(
    site, browser, django_user_model, assert_accessible
):
    team, _ = lead_of(django_user_model)
    mo = django_user_model.objects.create_user("mo", password=PASSWORD)
    Membership.objects.create(team=team, user=mo)
    page = browser.new_context().new_page()
    log_in(page, site, "lena")
    page.goto(site + "/teams/data-platform/")
    page.get_by_role("button", name="Count me as a learner too").click()
    expect(page.locator("#grid-heading + p")).to_contain_text("0 of 2 learners finished")
    assert_accessible(page)
    page.get_by_role("link", name="mo", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("mo")
    assert_accessible(page)
    page.get_by_role("link", name="Remove mo from Data platform").click()
    assert_accessible(page)
    page.get_by_role("button", name="Remove mo").click()
    expect(page.locator(".messages")).to_contain_text("mo is no longer in Data platform")
    assert not Membership.objects.filter(user=mo).exists()


def test_a_learner_deletes_their_account(site, browser, django_user_model, assert_accessible):
    team, _ = lead_of(django_user_model)
    mo = django_user_model.objects.create_user("mo", password=PASSWORD)
    Membership.objects.create(team=team, user=mo)
    page = browser.new_context().new_page()
    log_in(page, site, "mo")
    expect(page.get_by_role("heading", name="What your team leads can see")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Delete my account").click()
    assert_accessible(page)
    page.get_by_label("Your password").fill("not it")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("That is not your password.")).to_be_visible()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.locator(".messages")).to_contain_text("Your account is deleted")
    assert not django_user_model.objects.filter(username="mo").exists()
    assert not Attempt.objects.filter(user__username="mo").exists()
