"""A lead's view of the team (issue 17): who counts, dates, members, CSV, invites, privacy."""

import csv
import io
import json
import re
from datetime import date, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comparisons.models import Dimension, Practice
from onboarding.models import FormerAnswers, Invite, Membership, ReadMark, Step, Team, Track
from quizzes.models import Answer, Attempt

from .factories import PASSWORD, logged_in, make_user, take, team_quiz

pytestmark = pytest.mark.django_db

MONITORING = "monitoring"


def at(day):
    return timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=9))


def dashboard(client, team):
    response = client.get(team.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def csv_rows(client, team):
    response = client.get(reverse("onboarding:csv", args=[team.slug]))
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


# Completion counts: leads are learners only if they opt in


def test_a_lead_is_not_counted_as_a_learner(lead, member, team):
    take(member, team_quiz(team), right=5)
    ReadMark.objects.create(user=member, dimension=Dimension.objects.get(slug=MONITORING))
    html = dashboard(logged_in(lead), team)
    assert "1 learner × 2 steps" in html
    assert "1 of 1 learner finished the track" in html
    assert html.count("<td>1/1</td>") == 2  # each step: done by the one learner
    grid = html[html.index('id="grid-heading"') : html.index("</table>")]
    assert ">lena</a>" not in grid


def test_a_lead_who_opts_in_counts_as_a_learner_and_can_opt_out(lead, member, team):
    client = logged_in(lead)
    url = reverse("onboarding:lead-learns", args=[team.slug])
    assert "Count me as a learner too" in dashboard(client, team)
    response = client.post(url, {"learns": "1"})
    assert response.status_code == 302
    html = dashboard(client, team)
    assert "2 learners × 2 steps" in html
    assert "lena (counted as a learner)" in html
    assert [row[0] for row in csv_rows(client, team)[1:]] == ["lena", "mo"]
    client.post(url, {"learns": "0"})
    assert "1 learner × 2 steps" in dashboard(client, team)


def test_only_the_teams_leads_opt_in(member, team, people):
    url = reverse("onboarding:lead-learns", args=[team.slug])
    assert logged_in(member).post(url, {"learns": "1"}).status_code == 403
    # A progress viewer may read the dashboard but is no lead: nothing to opt into.
    assert logged_in(people["progress viewer"]).post(url, {"learns": "1"}).status_code == 400
    assert logged_in(people["other lead"]).post(url, {"learns": "1"}).status_code == 404
    assert not Membership.objects.filter(learns_too=True).exists()


# The dashboard: joined, last active, the date each step was done, pending invites


def test_dashboard_shows_joined_last_active_and_when_each_step_was_done(lead, member, team):
    Membership.objects.filter(user=member).update(joined_at=at(date(2026, 10, 5)))
    mark = ReadMark.objects.create(user=member, dimension=Dimension.objects.get(slug=MONITORING))
    ReadMark.objects.filter(pk=mark.pk).update(marked_at=at(date(2026, 10, 7)))
    attempt = take(member, team_quiz(team), right=5)
    Attempt.objects.filter(pk=attempt.pk).update(finished_at=at(date(2026, 10, 9)))
    Answer.objects.filter(attempt=attempt).update(answered_at=at(date(2026, 10, 9)))
    row = dashboard(logged_in(lead), team).split(">mo</a>")[1].split("</tr>")[0]
    assert "5 Oct 2026" in row  # joined
    assert "9 Oct 2026" in row  # last active: the latest answer
    assert '✓ done <span class="hint">7 Oct</span>' in row
    assert '✓ done <span class="hint">9 Oct</span>' in row


def test_a_quiz_step_is_dated_by_the_first_attempt_that_passed(lead, member, team):
    quiz = team_quiz(team)
    failed = take(member, quiz, right=1)
    passed = take(member, quiz, right=4)
    later = take(member, quiz, right=5)
    for attempt, day in ((failed, 1), (passed, 2), (later, 3)):
        Attempt.objects.filter(pk=attempt.pk).update(finished_at=at(date(2026, 11, day)))
    rows = csv_rows(logged_in(lead), team)
    mo = rows[1]
    quiz_columns = [i for i, name in enumerate(rows[0]) if name.startswith("2. Pass")]
    assert [mo[i] for i in quiz_columns] == ["done", "100", "2026-11-02"]


def test_last_active_is_never_for_a_learner_who_did_nothing(lead, member, team):
    row = dashboard(logged_in(lead), team).split(">mo</a>")[1].split("</tr>")[0]
    assert "never" in row


def test_dashboard_lists_pending_invites_with_uses_left_and_expiry(lead, team):
    expiry = at(date(2030, 1, 15))
    Invite.objects.create(team=team, max_uses=5, uses=2, expires_at=expiry)
    Invite.objects.create(team=team, max_uses=9, revoked_at=timezone.now())
    Invite.objects.create(team=team, max_uses=8, expires_at=timezone.now() - timedelta(days=1))
    section = (
        dashboard(logged_in(lead), team).split('id="invites-heading"')[1].split("</section>")[0]
    )
    assert "3 uses left</strong> of 5" in section
    assert "15 Jan 2030" in section
    assert "of 9" not in section and "of 8" not in section


def test_a_progress_viewer_sees_the_dashboard_without_change_links(people, team):
    html = dashboard(logged_in(people["progress viewer"]), team)
    assert "Download CSV" in html
    assert "Edit the track" not in html
    assert "Count me as a learner" not in html


# Weak spots


def test_weak_spots_say_missed_n_of_m_and_link_the_practice_and_dimension(lead, member, team):
    quiz = team_quiz(team)
    take(member, quiz, right=4)  # one practice missed once, answered once
    take(member, quiz, right=5)
    attempt = Attempt.objects.filter(user=member).order_by("started_at").first()
    practice = attempt.answers.get(is_correct=False).practice
    weak = dashboard(logged_in(lead), team).split('id="weak-heading"')[1]
    assert (
        f'<a href="{practice.get_absolute_url()}">{practice.name}</a>: missed 1 of 2 answers'
        in weak
    )
    assert f'to read: <a href="{practice.dimension.get_absolute_url()}">' in weak


# The per-member page


def test_a_members_page_shows_their_track_attempts_and_mistakes(lead, member, team):
    attempt = take(member, team_quiz(team), right=3)
    wrong = attempt.answers.filter(is_correct=False).select_related("practice")
    response = logged_in(lead).get(reverse("onboarding:member", args=[team.slug, member.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>mo</h1>" in html
    assert "3 / 5 (60%, passed)" in html
    for answer in wrong:
        assert answer.practice.name in html
        assert f"chose {answer.get_choice_display()}, it is {answer.get_expected_display()}" in html
    assert "1 of 2</strong> steps done" in html
    link = reverse("onboarding:member", args=[team.slug, member.pk])
    assert f'href="{link}"' in dashboard(logged_in(lead), team)


@pytest.mark.parametrize("user_id", ["other", 999999, 2**40])
def test_a_members_page_for_someone_outside_the_team_is_404(lead, team, user_id, django_user_model):
    if user_id == "other":
        user_id = make_user(django_user_model, "stranger").pk
    response = logged_in(lead).get(reverse("onboarding:member", args=[team.slug, user_id]))
    assert response.status_code == 404
    assert "not in Platform" in response.content.decode()


# The member page and removing a member, across everyone the matrix covers.
MEMBER_ACCESS = {
    "anonymous": (302, 302),
    "member": (403, 403),
    "lead": (200, 200),
    "other lead": (404, 404),
    "editor": (404, 404),
    "progress viewer": (200, 403),
    "superuser": (200, 200),
}


@pytest.mark.parametrize("who", MEMBER_ACCESS)
def test_the_access_matrix_for_a_members_page_and_removing_them(people, team, member, who):
    user = people[who]
    client = logged_in(user) if user else Client()
    page, remove = MEMBER_ACCESS[who]
    assert client.get(reverse("onboarding:member", args=[team.slug, member.pk])).status_code == page
    url = reverse("onboarding:remove-member", args=[team.slug, member.pk])
    assert client.get(url).status_code == remove
    response = client.post(url)
    assert response.status_code == (302 if remove == 200 else remove)
    assert Membership.objects.filter(user=member, team=team).exists() == (remove != 200)


# Who may revoke an invite or set a due date: those who may change the team.
CHANGE_ACCESS = {
    "anonymous": 302,
    "member": 403,
    "lead": 200,
    "other lead": 404,
    "editor": 404,
    "progress viewer": 403,
    "superuser": 200,
}


@pytest.mark.parametrize("who", CHANGE_ACCESS)
def test_the_access_matrix_for_revoking_and_due_dates(people, team, who):
    user = people[who]
    client = logged_in(user) if user else Client()
    expected = CHANGE_ACCESS[who]
    invite = Invite.objects.create(team=team)
    revoke = reverse("onboarding:revoke", args=[team.slug, invite.pk])
    assert client.get(revoke).status_code == expected
    step = team.track.steps.first()
    track = reverse("onboarding:track", args=[team.slug])
    due = client.post(track, {"action": "due", "step": step.pk, "due_on": "2030-01-02"})
    assert client.post(revoke).status_code == (302 if expected == 200 else expected)
    assert due.status_code == (302 if expected == 200 else expected)
    invite.refresh_from_db()
    step.refresh_from_db()
    allowed = expected == 200
    assert (invite.revoked_at is not None, step.due_on is not None) == (allowed, allowed)


# Removing a member


def test_a_lead_removes_a_member_after_confirming_and_their_history_stays(lead, member, team):
    attempt = take(member, team_quiz(team), right=2)
    ReadMark.objects.create(user=member, dimension=Dimension.objects.get(slug=MONITORING))
    client = logged_in(lead)
    url = reverse("onboarding:remove-member", args=[team.slug, member.pk])
    confirm = client.get(url).content.decode()
    assert "Remove mo from Platform?" in confirm
    assert Membership.objects.filter(user=member, team=team).exists()
    response = client.post(url, follow=True)
    assert "mo is no longer in Platform" in response.content.decode()
    assert not Membership.objects.filter(user=member, team=team).exists()
    attempt.refresh_from_db()
    assert attempt.user == member
    assert ReadMark.objects.filter(user=member).exists()
    assert ">mo</a>" not in dashboard(client, team)
    mine = logged_in(member).get(reverse("onboarding:me")).content.decode()
    assert "Platform" not in mine and "3 / 5" not in mine and "2 / 5" in mine
    again = client.post(url)  # a double submit
    assert again.status_code == 404
    assert "not in Platform (any more)" in again.content.decode()


def test_a_lead_cannot_be_removed_on_the_members_page(lead, team, django_user_model):
    other = make_user(django_user_model, "lars")
    Membership.objects.create(team=team, user=other, role="lead")
    response = logged_in(lead).post(reverse("onboarding:remove-member", args=[team.slug, other.pk]))
    assert response.status_code == 400
    assert "Leads are not removed here" in response.content.decode()
    assert Membership.objects.filter(user=other, team=team).exists()


# The CSV


def test_csv_has_a_bom_ascii_headers_iso_dates_email_and_separate_status_and_score(
    lead, member, team
):
    member.email = "mo@example.org"
    member.save()
    Membership.objects.filter(user=member).update(joined_at=at(date(2026, 10, 5)))
    take(member, team_quiz(team), right=2)
    response = logged_in(lead).get(reverse("onboarding:csv", args=[team.slug]))
    assert response.content.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, mo = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert all(name.isascii() for name in header[:7])
    assert mo["email"] == "mo@example.org"
    assert mo["joined"] == "2026-10-05"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", mo["last active"])
    quiz = next(name for name in header if name.startswith("2. Pass") and "status" in name)
    assert mo[quiz] == "to do"
    assert mo[quiz.replace(": status", ": best score (%)")] == "40"
    assert mo[quiz.replace(": status", ": done on")] == ""


def test_csv_neutralises_formulas_in_every_text_cell(lead, team, django_user_model):
    evil = make_user(django_user_model, "@SUM(A1)", email="=cmd@example.org")
    Membership.objects.create(team=team, user=evil)
    rows = csv_rows(logged_in(lead), team)
    assert rows[1][:2] == ["'@SUM(A1)", "'=cmd@example.org"]


# Invites: Copy (with the full link without JavaScript) and Revoke with confirmation


def test_invites_page_shows_the_full_link_and_a_copy_button_for_js(lead, team):
    invite = Invite.objects.create(team=team)
    html = logged_in(lead).get(reverse("onboarding:invites", args=[team.slug])).content.decode()
    full = f"http://testserver{invite.get_absolute_url()}"
    assert f'<code class="invite-link" id="invite-link-{invite.pk}">{full}</code>' in html
    assert f'data-copy="invite-link-{invite.pk}"' in html
    assert "js/copy.js" in html
    assert "js/copy.js" not in dashboard(logged_in(lead), team)


def test_revoke_asks_first_then_revokes_and_a_second_submit_is_harmless(lead, team):
    invite = Invite.objects.create(team=team)
    client = logged_in(lead)
    url = reverse("onboarding:revoke", args=[team.slug, invite.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Revoke this invite to Platform?" in confirm.content.decode()
    invite.refresh_from_db()
    assert invite.revoked_at is None
    listing = client.get(reverse("onboarding:invites", args=[team.slug])).content.decode()
    assert f'href="{url}"' in listing
    assert "Invite revoked" in client.post(url, follow=True).content.decode()
    invite.refresh_from_db()
    assert invite.status == "revoked"
    again = client.post(url, follow=True)
    assert again.status_code == 200
    assert "already revoked" in again.content.decode()


def test_revoking_an_unknown_or_other_teams_invite_is_404(lead, team):
    other = Invite.objects.create(team=Team.objects.create(name="Other", slug="other"))
    client = logged_in(lead)
    assert client.post(reverse("onboarding:revoke", args=[team.slug, other.pk])).status_code == 404
    assert client.get(reverse("onboarding:revoke", args=[team.slug, 987654])).status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None


# The track form


def test_track_form_ties_each_field_to_its_kind_of_step(lead, team):
    html = logged_in(lead).get(reverse("onboarding:track", args=[team.slug])).content.decode()
    assert re.search(r'data-kind="read">\s*<label for="id_dimension">', html)
    assert re.search(r'data-kind="quiz">\s*<label for="id_quiz">', html)
    assert re.search(r'value="read"[^>]*checked', html)  # a kind is chosen from the start


def test_each_track_change_is_named_in_a_message(lead, team):
    client = logged_in(lead)
    url = reverse("onboarding:track", args=[team.slug])
    tooling = Dimension.objects.get(slug="tooling")
    step = f"Read “{tooling.title}”"
    html = client.post(url, {"action": "add", "kind": "read", "dimension": tooling.pk}, follow=True)
    assert f"Added step 3: {step}." in html.content.decode()
    added = team.track.steps.get(dimension=tooling)
    html = client.post(url, {"action": "up", "step": added.pk}, follow=True).content.decode()
    assert f"Moved {step} up, to step 2." in html
    html = client.post(url, {"action": "down", "step": added.pk}, follow=True).content.decode()
    assert f"Moved {step} down, to step 3." in html
    due = {"action": "due", "step": added.pk, "due_on": "2030-01-02"}
    assert (
        f"{step} is now due by 2 Jan 2030." in client.post(url, due, follow=True).content.decode()
    )
    remove = reverse("onboarding:remove-step", args=[team.slug, added.pk])
    assert f"Removed the step {step}." in client.post(remove, follow=True).content.decode()


def test_a_step_is_numbered_by_its_place_after_a_removal(lead, team):
    client = logged_in(lead)
    first = team.track.steps.first()
    client.post(reverse("onboarding:remove-step", args=[team.slug, first.pk]))
    url = reverse("onboarding:track", args=[team.slug])
    tooling = Dimension.objects.get(slug="tooling")
    html = client.post(url, {"action": "add", "kind": "read", "dimension": tooling.pk}, follow=True)
    assert f"Added step 2: Read “{tooling.title}”." in html.content.decode()


def test_removing_a_step_asks_first_and_the_question_changes_nothing(lead, member, team):
    ReadMark.objects.create(user=member, dimension=Dimension.objects.get(slug=MONITORING))
    step = team.track.steps.first()
    Step.objects.filter(pk=step.pk).update(due_on=date(2030, 1, 2))
    client = logged_in(lead)
    track = client.get(reverse("onboarding:track", args=[team.slug])).content.decode()
    confirm = reverse("onboarding:remove-step", args=[team.slug, step.pk])
    assert f'href="{confirm}"' in track
    response = client.get(confirm)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Remove the step {step}?" in html
    assert "1 of 1 learner has done it" in html
    assert "stay in their own accounts" in html
    assert "2 Jan 2030" in html
    assert '<button type="submit">Remove the step</button>' in html
    assert team.track.steps.filter(pk=step.pk).exists()


def test_a_remove_posted_without_confirming_only_leads_to_the_question(lead, team):
    step = team.track.steps.first()
    client = logged_in(lead)
    response = client.post(
        reverse("onboarding:track", args=[team.slug]), {"action": "remove", "step": step.pk}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("onboarding:remove-step", args=[team.slug, step.pk])
    assert team.track.steps.filter(pk=step.pk).exists()


def test_confirming_removes_the_step_and_a_second_confirmation_is_harmless(lead, team):
    step = team.track.steps.first()
    client = logged_in(lead)
    confirm = reverse("onboarding:remove-step", args=[team.slug, step.pk])
    response = client.post(confirm)
    assert response.status_code == 302
    assert not team.track.steps.filter(pk=step.pk).exists()
    assert team.track.steps.count() == 1
    html = client.post(confirm, follow=True).content.decode()  # a double submit
    assert "That step is no longer in the track." in html
    assert team.track.steps.count() == 1


def test_a_step_of_another_team_is_not_removed(lead, team):
    track = Track.objects.create(team=Team.objects.create(name="Other", slug="other"))
    theirs = Step.objects.create(track=track, dimension=Dimension.objects.get(slug=MONITORING))
    client = logged_in(lead)
    client.post(reverse("onboarding:remove-step", args=[team.slug, theirs.pk]))
    assert Step.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("who", CHANGE_ACCESS)
def test_the_access_matrix_for_removing_a_step(people, team, who):
    user = people[who]
    client = logged_in(user) if user else Client()
    expected = CHANGE_ACCESS[who]
    step = team.track.steps.first()
    url = reverse("onboarding:remove-step", args=[team.slug, step.pk])
    assert client.get(url).status_code == expected
    assert client.post(url).status_code == (302 if expected == 200 else expected)
    assert team.track.steps.filter(pk=step.pk).exists() == (expected != 200)


def test_a_quiz_step_ignores_a_dimension_sent_with_it(lead, team):
    client = logged_in(lead)
    url = reverse("onboarding:track", args=[team.slug])
    quiz = team_quiz(team)
    tooling = Dimension.objects.get(slug="tooling")
    client.post(url, {"action": "add", "kind": "quiz", "quiz": quiz.pk, "dimension": tooling.pk})
    step = team.track.steps.last()
    assert (step.quiz, step.dimension) == (quiz, None)


# Due dates


def test_a_lead_sets_and_clears_a_due_date(lead, team):
    client = logged_in(lead)
    url = reverse("onboarding:track", args=[team.slug])
    step = team.track.steps.first()
    html = client.post(url, {"action": "due", "step": step.pk, "due_on": "2030-03-01"}, follow=True)
    assert "is now due by 1 Mar 2030" in html.content.decode()
    step.refresh_from_db()
    assert step.due_on == date(2030, 3, 1)
    assert client.post(url, {"action": "due", "step": step.pk, "due_on": "soon"}).status_code == 400
    client.post(url, {"action": "due", "step": step.pk, "due_on": ""})
    step.refresh_from_db()
    assert step.due_on is None
    added = client.post(
        url,
        {
            "action": "add",
            "kind": "read",
            "dimension": Dimension.objects.get(slug="tooling").pk,
            "due_on": "2030-04-02",
        },
    )
    assert added.status_code == 302
    assert team.track.steps.last().due_on == date(2030, 4, 2)


def test_due_dates_show_to_the_member_and_late_steps_are_overdue(lead, member, team):
    reading, quiz_step = team.track.steps.all()
    Step.objects.filter(pk=reading.pk).update(due_on=date(2020, 1, 1))
    Step.objects.filter(pk=quiz_step.pk).update(due_on=date(2099, 5, 6))
    me = logged_in(member).get(reverse("onboarding:me")).content.decode()
    assert "Overdue" in me
    assert "due by 6 May 2099" in me
    html = dashboard(logged_in(lead), team)
    assert "due by 1 Jan 2020" in html and "due by 6 May 2099" in html
    row = html.split(">mo</a>")[1].split("</tr>")[0]
    assert '<td class="off">overdue' in row
    rows = csv_rows(logged_in(lead), team)
    mo = dict(zip(rows[0], rows[1], strict=True))
    assert mo[next(h for h in rows[0] if h.startswith("1. ") and h.endswith("status"))] == "overdue"
    assert (
        mo[next(h for h in rows[0] if h.startswith("2. ") and h.endswith("due by"))] == "2099-05-06"
    )
    # Done in time or late, a done step is never overdue.
    ReadMark.objects.create(user=member, dimension=reading.dimension)
    assert "Overdue" not in logged_in(member).get(reverse("onboarding:me")).content.decode()


# Privacy: what leads see, the learner's own data, deleting the account


def test_joining_and_me_say_what_leads_can_see(team, member):
    invite = Invite.objects.create(team=team)
    for html in (
        Client().get(invite.get_absolute_url()).content.decode(),
        logged_in(member).get(reverse("onboarding:me")).content.decode(),
    ):
        notice = html.split('id="privacy-heading"')[1].split("</section>")[0]
        for word in ("progress", "scores", "mistakes", "mastery"):
            assert word in notice


def test_a_learner_downloads_their_own_data(member, lead, team):
    take(member, team_quiz(team), right=4)
    take(lead, team_quiz(team), right=1)
    ReadMark.objects.create(user=member, dimension=Dimension.objects.get(slug=MONITORING))
    response = logged_in(member).get(reverse("onboarding:my-data"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["username"] == "mo"
    assert data["teams"] == [
        {
            "team": "Platform",
            "role": "member",
            "joined": data["teams"][0]["joined"],
            "counted_as_learner": True,
        }
    ]
    assert len(data["read"]) == 1
    assert [a["score"] for a in data["attempts"]] == [4]  # the lead's attempt is not in it
    assert len(data["attempts"][0]["answers"]) == 5
    assert Client().get(reverse("onboarding:my-data")).status_code == 302


def test_deleting_an_account_needs_the_password(member):
    client = logged_in(member)
    url = reverse("onboarding:delete-account")
    assert "Delete my account" in client.get(url).content.decode()
    response = client.post(url, {"password": "wrong"})
    assert response.status_code == 400
    assert "That is not your password." in response.content.decode()
    assert type(member).objects.filter(pk=member.pk).exists()


def test_a_deleted_learners_answers_stop_being_theirs_and_the_team_keeps_counts(lead, member, team):
    attempt = take(member, team_quiz(team), right=3)
    missed = set(attempt.answers.filter(is_correct=False).values_list("practice_id", flat=True))
    client = logged_in(member)
    response = client.post(reverse("onboarding:delete-account"), {"password": PASSWORD})
    assert response.status_code == 302
    assert not type(member).objects.filter(username="mo").exists()
    assert client.get(reverse("onboarding:me")).status_code == 302  # logged out
    attempt.refresh_from_db()
    assert (attempt.user, attempt.session_key) == (None, "")
    assert attempt.answers.count() == 5  # still in the quizzes' statistics
    tallies = FormerAnswers.objects.filter(team=team)
    assert {t.practice_id for t in tallies if t.misses} == missed
    assert sum(t.answers for t in tallies) == 5
    html = dashboard(logged_in(lead), team)
    assert ">mo<" not in html
    assert "0 learners" in html
    weak = html.split('id="weak-heading"')[1]
    for practice in Practice.objects.filter(pk__in=missed):
        assert f"{practice.name}</a>: missed 1 of 1 answer " in weak


def test_the_teams_counts_outlive_the_pruning_of_a_deleted_learners_attempts(lead, member, team):
    from quizzes.management.commands.prune_anonymous import prune_attempts

    take(member, team_quiz(team), right=4)
    logged_in(member).post(reverse("onboarding:delete-account"), {"password": PASSWORD})
    assert prune_attempts(timezone.now() + timedelta(days=1)) == (1, 5)
    assert not Attempt.objects.exists()
    assert "missed 1 of 1 answer " in dashboard(logged_in(lead), team)


def test_a_deleted_leads_answers_are_not_team_counts_unless_they_learned(lead, team):
    take(lead, team_quiz(team), right=1)
    logged_in(lead).post(reverse("onboarding:delete-account"), {"password": PASSWORD})
    assert not FormerAnswers.objects.exists()
    assert Attempt.objects.get().user is None


def test_staff_accounts_are_not_deleted_from_me(people):
    editor = people["editor"]
    response = logged_in(editor).post(reverse("onboarding:delete-account"), {"password": PASSWORD})
    assert response.status_code == 403
    assert type(editor).objects.filter(pk=editor.pk).exists()


def test_password_guesses_at_deleting_an_account_are_rate_limited(member, settings, clock):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login_user": (2, 60)}
    client = logged_in(member)
    url = reverse("onboarding:delete-account")
    assert [client.post(url, {"password": "nope"}).status_code for _ in range(3)] == [400, 400, 429]
    assert client.post(url, {"password": PASSWORD}).status_code == 429
    assert type(member).objects.filter(pk=member.pk).exists()
