"""Accounts, invites, tracks, progress, the lead's dashboard and who may see what."""

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comparisons.models import Dimension, Practice
from onboarding.models import Invite, Membership, ReadMark, Team
from quizzes import grading
from quizzes.models import Attempt, Quiz

from .factories import PASSWORD, logged_in, make_user, take, team_quiz

pytestmark = pytest.mark.django_db
# Accounts


def test_login_page_and_logging_in(client, member):
    assert client.get(reverse("login")).status_code == 200
    response = client.post(reverse("login"), {"username": "mo", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("onboarding:me")


def test_logout_is_a_post(member):
    client = logged_in(member)
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("onboarding:me")).status_code == 302


def test_password_change_and_reset_pages(client, member, mailoutbox):
    member.email = "mo@example.org"
    member.save()
    response = client.post(reverse("password_reset"), {"email": "mo@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/accounts/reset/" in mailoutbox[0].body
    authed = logged_in(member)
    assert authed.get(reverse("password_change")).status_code == 200
    response = authed.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-phrase-1",
            "new_password2": "another-long-phrase-1",
        },
    )
    assert response.status_code == 302


def test_there_is_no_open_sign_up(client):
    assert client.get("/accounts/signup/").status_code == 404


def test_anonymous_attempts_move_to_the_account_on_login(client, member):
    quiz = Quiz.objects.get(slug="warm-up")
    client.post(reverse("quizzes:start", args=[quiz.slug]))
    attempt = Attempt.objects.get()
    assert attempt.user is None
    client.post(reverse("login"), {"username": "mo", "password": PASSWORD})
    attempt.refresh_from_db()
    assert attempt.user == member
    assert attempt.session_key == ""
    assert "Resume" in client.get("/quizzes/").content.decode()


# Invites


def test_a_valid_invite_signs_up_and_joins_the_team(client, team):
    invite = Invite.objects.create(team=team, max_uses=2)
    page = client.get(invite.get_absolute_url())
    assert page.status_code == 200
    assert "Join Platform" in page.content.decode()
    response = client.post(
        invite.get_absolute_url(),
        {"username": "newbie", "email": "", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__username="newbie")
    assert (membership.team, membership.role) == (team, "member")
    invite.refresh_from_db()
    assert invite.uses == 1
    assert "newbie" in client.get(reverse("onboarding:me")).content.decode()


def test_sign_up_through_an_invite_keeps_anonymous_attempts(client, team):
    client.post(reverse("quizzes:start", args=["warm-up"]))
    invite = Invite.objects.create(team=team)
    client.post(
        invite.get_absolute_url(),
        {"username": "newbie", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert Attempt.objects.get().user.username == "newbie"


def test_a_logged_in_user_joins_with_one_click(team, django_user_model):
    user = make_user(django_user_model, "existing")
    invite = Invite.objects.create(team=team)
    client = logged_in(user)
    assert "Join Platform" in client.get(invite.get_absolute_url()).content.decode()
    assert client.post(invite.get_absolute_url()).status_code == 302
    assert Membership.objects.filter(team=team, user=user).exists()
    assert client.post(invite.get_absolute_url()).status_code == 302
    invite.refresh_from_db()
    assert invite.uses == 1


def test_a_bad_sign_up_is_400_and_uses_nothing(client, team):
    invite = Invite.objects.create(team=team)
    response = client.post(
        invite.get_absolute_url(), {"username": "x", "password1": "a", "password2": "b"}
    )
    assert response.status_code == 400
    invite.refresh_from_db()
    assert invite.uses == 0


@pytest.mark.parametrize(
    "fields, reason",
    [
        ({"expires_at": timezone.now() - timedelta(minutes=1)}, "has expired"),
        ({"revoked_at": timezone.now()}, "was withdrawn"),
        ({"max_uses": 1, "uses": 1}, "has been used as many times"),
    ],
)
def test_an_unusable_invite_is_refused_with_a_clear_page(client, team, fields, reason):
    invite = Invite.objects.create(team=team, **fields)
    for response in (
        client.get(invite.get_absolute_url()),
        client.post(
            invite.get_absolute_url(),
            {"username": "late", "password1": PASSWORD, "password2": PASSWORD},
        ),
    ):
        assert response.status_code == 410
        assert reason in response.content.decode()
    assert not Membership.objects.filter(user__username="late").exists()


def test_an_unknown_invite_is_404(client):
    response = client.get(reverse("onboarding:invite", args=["nope"]))
    assert response.status_code == 404
    assert "There is no invite at this address." in response.content.decode()


def test_the_last_use_of_an_invite_cannot_be_taken_twice(team):
    invite = Invite.objects.create(team=team, max_uses=1)
    assert invite.use() is True
    assert invite.use() is False
    invite.refresh_from_db()
    assert invite.uses == 1


def test_a_lead_creates_and_revokes_invites(lead, team):
    client = logged_in(lead)
    url = reverse("onboarding:invites", args=[team.slug])
    assert client.post(url, {"days": "7", "max_uses": "3"}).status_code == 302
    invite = Invite.objects.get()
    assert invite.max_uses == 3 and invite.created_by == lead
    assert invite.get_absolute_url() in client.get(url).content.decode()
    client.post(reverse("onboarding:revoke", args=[team.slug, invite.pk]))
    invite.refresh_from_db()
    assert invite.status == "revoked"
    assert client.post(url, {"days": "0", "max_uses": "3"}).status_code == 400


# Progress


def test_a_reading_step_is_done_when_marked_read(member, team):
    client = logged_in(member)
    dimension = Dimension.objects.get(slug="monitoring")
    page = client.get(dimension.get_absolute_url()).content.decode()
    assert "Mark as read" in page
    response = client.post(
        reverse("onboarding:mark-read", args=[dimension.slug]), headers={"HX-Request": "true"}
    )
    assert "Marked as read" in response.content.decode()
    assert ReadMark.objects.filter(user=member, dimension=dimension).exists()
    me = client.get(reverse("onboarding:me")).content.decode()
    assert "1 of 2</strong> steps done" in me


def test_mark_as_read_is_offered_only_on_track_dimensions(member, client):
    other = Dimension.objects.get(slug="tooling")
    assert "Mark as read" not in logged_in(member).get(other.get_absolute_url()).content.decode()
    assert "Mark as read" not in client.get("/compare/monitoring/").content.decode()
    assert client.post(reverse("onboarding:mark-read", args=["monitoring"])).status_code == 302
    assert not ReadMark.objects.exists()


def test_a_quiz_step_is_done_only_at_the_pass_mark(member, team):
    quiz = team_quiz(team)
    client = logged_in(member)
    take(member, quiz, right=2)  # 40 %, below 60 %
    assert "0 of 2</strong> steps done" in client.get(reverse("onboarding:me")).content.decode()
    take(member, quiz, right=3)  # 60 %: passes
    me = client.get(reverse("onboarding:me")).content.decode()
    assert "1 of 2</strong> steps done" in me
    assert "best 60%" in me


def test_a_perfect_retry_of_missed_cards_does_not_pass_the_quiz(member, team):
    quiz = team_quiz(team)
    first = take(member, quiz, right=1)
    missed = list(first.answers.filter(is_correct=False).values_list("practice_id", flat=True))
    retry = grading.start_attempt(
        quiz=quiz, owner={"user": member, "session_key": ""}, practice_ids=missed, retry_of=first
    )
    for practice in Practice.objects.filter(pk__in=missed):
        grading.record_answer(attempt=retry, practice=practice, choice=practice.category)
    me = logged_in(member).get(reverse("onboarding:me")).content.decode()
    assert "0 of 2</strong> steps done" in me


# The dashboard


def test_dashboard_grid_completion_and_weak_spots(lead, member, team, django_user_model):
    quiz = team_quiz(team)
    second = make_user(django_user_model, "nia")
    Membership.objects.create(team=team, user=second)
    take(member, quiz, right=5)
    take(second, quiz, right=1)
    ReadMark.objects.create(user=second, dimension=Dimension.objects.get(slug="monitoring"))
    html = logged_in(lead).get(team.get_absolute_url()).content.decode()
    assert "2 learners × 2 steps" in html
    assert "best 100%" in html and "best 20%" in html
    assert html.count("✓ done") == 2
    assert "<strong>1/2</strong>" in html  # each learner has one step done
    assert html.count("<td>1/2</td>") == 2  # each step done by one of two learners
    weak = html[html.index('id="weak-heading"') :]
    assert "missed 1 of 2 answers" in weak  # four practices missed once, by nia
    assert weak.count("<li>") == 4


def test_dashboard_csv(lead, member, team):
    take(member, team_quiz(team), right=5)
    response = logged_in(lead).get(reverse("onboarding:csv", args=[team.slug]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:7] == [
        "member",
        "email",
        "role",
        "joined",
        "last active",
        "steps done",
        "steps total",
    ]
    assert rows[0][7].startswith("1. Read") and rows[0][7].endswith(": status")
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["mo"][2] == "member"
    assert by_name["mo"][5:8] == ["1", "2", "to do"]
    assert by_name["mo"][10:12] == ["done", "100"]
    assert "lena" not in by_name  # a lead who does not learn is not a row


def test_csv_cells_cannot_become_formulas(team, django_user_model):
    evil = make_user(django_user_model, "=cmd")
    Membership.objects.create(team=team, user=evil)
    lead = team.memberships.get(role="lead").user
    text = logged_in(lead).get(reverse("onboarding:csv", args=[team.slug])).content.decode()
    assert "'=cmd" in text


def _add_learners(team, django_user_model, names):
    quiz = team_quiz(team)
    monitoring = Dimension.objects.get(slug="monitoring")
    for n, name in enumerate(names):
        user = make_user(django_user_model, name, email=f"{name}@example.org")
        Membership.objects.create(team=team, user=user)
        take(user, quiz, right=n % 6)
        if n % 2:
            ReadMark.objects.create(user=user, dimension=monitoring)


def test_dashboard_query_count_does_not_grow_with_the_team(
    lead, team, django_user_model, django_assert_num_queries, django_assert_max_num_queries
):
    """The dashboard and the CSV make as many queries for 20 learners as for 2."""
    client = logged_in(lead)
    Invite.objects.create(team=team)
    _add_learners(team, django_user_model, ["m0", "m1"])
    urls = [team.get_absolute_url(), reverse("onboarding:csv", args=[team.slug])]
    counts = []
    for url in urls:
        with django_assert_max_num_queries(30) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured.captured_queries))
    _add_learners(team, django_user_model, [f"n{n}" for n in range(18)])
    Invite.objects.create(team=team)
    assert team.memberships.learners().count() == 20
    for url, count in zip(urls, counts, strict=True):
        with django_assert_num_queries(count):
            assert client.get(url).status_code == 200


# The track editor


def test_a_lead_adds_moves_and_removes_steps(lead, team):
    client = logged_in(lead)
    url = reverse("onboarding:track", args=[team.slug])
    assert client.get(url).status_code == 200
    tooling = Dimension.objects.get(slug="tooling")
    assert (
        client.post(url, {"action": "add", "kind": "read", "dimension": tooling.pk}).status_code
        == 302
    )
    steps = list(team.track.steps.all())
    assert steps[-1].dimension == tooling
    client.post(url, {"action": "up", "step": steps[-1].pk})
    assert list(team.track.steps.all())[1].dimension == tooling
    client.post(url, {"action": "remove", "step": steps[-1].pk})
    assert team.track.steps.filter(dimension=tooling).exists()  # asked first
    client.post(reverse("onboarding:remove-step", args=[team.slug, steps[-1].pk]))
    assert not team.track.steps.filter(dimension=tooling).exists()
    assert client.post(url, {"action": "add", "kind": "quiz"}).status_code == 400
    assert client.post(url, {"action": "explode", "step": "1"}).status_code == 400


# Who may see what


TEAM_URLS = ["onboarding:team", "onboarding:csv", "onboarding:track", "onboarding:invites"]


@pytest.mark.parametrize("name", TEAM_URLS)
def test_team_pages_need_a_login(client, team, name):
    response = client.get(reverse(name, args=[team.slug]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize("name", TEAM_URLS)
def test_members_get_403_and_other_leads_404(member, team, name, django_user_model):
    other_team = Team.objects.create(name="Other", slug="other")
    other_lead = make_user(django_user_model, "olga")
    Membership.objects.create(team=other_team, user=other_lead, role="lead")
    url = reverse(name, args=[team.slug])
    refused = logged_in(member).get(url)
    assert refused.status_code == 403
    assert "Only team leads can see this" in refused.content.decode()
    assert logged_in(other_lead).get(url).status_code == 404
    assert logged_in(other_lead).get(reverse(name, args=["no-such-team"])).status_code == 404


READ_URLS = ["onboarding:team", "onboarding:csv"]
CHANGE_URLS = ["onboarding:track", "onboarding:invites"]


# What each may do: "read" the dashboard and CSV, "change" the track and invites.
# Someone refused who knows the team exists (a member, a progress viewer) gets 403.
KNOWS_THE_TEAM = {"member", "progress viewer"}
ACCESS = {
    "anonymous": set(),
    "member": set(),
    "lead": {"read", "change"},
    "other lead": set(),
    "editor": set(),  # staff status alone manages no team
    "progress viewer": {"read"},  # reading and changing are separate permissions
    "superuser": {"read", "change"},
}


@pytest.mark.parametrize("who", ACCESS)
def test_the_access_matrix_for_team_pages(people, team, who):

    user = people[who]
    client = logged_in(user) if user else Client()
    for kind, names in (("read", READ_URLS), ("change", CHANGE_URLS)):
        for name in names:
            status = client.get(reverse(name, args=[team.slug])).status_code
            if kind in ACCESS[who]:
                assert status == 200, (who, name)
            elif user is None:
                assert status == 302, (who, name)  # to the login page
            elif who in KNOWS_THE_TEAM:
                assert status == 403, (who, name)
            else:
                assert status == 404, (who, name)


@pytest.mark.parametrize("who", ["editor", "progress viewer", "other lead"])
def test_without_the_change_permission_nobody_creates_an_invite_or_edits_the_track(
    people, team, who
):
    client = logged_in(people[who])
    refused = 403 if who in KNOWS_THE_TEAM else 404
    before = Invite.objects.count()
    assert client.post(reverse("onboarding:invites", args=[team.slug]), {}).status_code == refused
    track = reverse("onboarding:track", args=[team.slug])
    assert client.post(track, {"action": "add", "kind": "quiz"}).status_code == refused
    assert Invite.objects.count() == before


def test_other_leads_cannot_revoke_or_post(member, team, django_user_model):
    invite = Invite.objects.create(team=team)
    other_lead = make_user(django_user_model, "olga")
    other_team = Team.objects.create(name="Other", slug="other")
    Membership.objects.create(team=other_team, user=other_lead, role="lead")
    client = logged_in(other_lead)
    assert client.post(reverse("onboarding:revoke", args=[team.slug, invite.pk])).status_code == 404
    assert client.post(reverse("onboarding:revoke", args=["other", invite.pk])).status_code == 404
    invite.refresh_from_db()
    assert invite.revoked_at is None
    track_url = reverse("onboarding:track", args=[team.slug])
    assert logged_in(member).post(track_url, {"action": "remove", "step": 1}).status_code == 403


def test_me_needs_a_login_and_shows_only_my_progress(client, member, lead, team):
    assert client.get(reverse("onboarding:me")).status_code == 302
    take(lead, team_quiz(team), right=5)
    html = logged_in(member).get(reverse("onboarding:me")).content.decode()
    assert "Platform" in html
    assert "Team dashboard" not in html
    assert "No attempts yet" in html
