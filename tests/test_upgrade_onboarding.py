"""Upgrading from release 3: teams, members, invites, tracks and progress survive.

The database is taken back to release 3's migrations, a team is set up there
as a lead would have it (members, invites, a track, read marks and a passed
quiz), then migrated forward to the latest migrations.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from onboarding.models import Invite, Membership, Step, Team
from onboarding.progress import progress

from .releases import RELEASE_3


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor


def set_up_a_team(apps):
    """Create a team with a lead, two members, invites, a track and some progress."""
    User = apps.get_model("auth", "User")
    Team_ = apps.get_model("onboarding", "Team")
    Membership_ = apps.get_model("onboarding", "Membership")
    team = Team_.objects.create(name="Platform", slug="platform")
    lead = User.objects.create(username="lena")
    ada = User.objects.create(username="ada")
    bo = User.objects.create(username="bo")
    Membership_.objects.create(team=team, user=lead, role="lead")
    Membership_.objects.create(team=team, user=ada, role="member")
    Membership_.objects.create(team=team, user=bo, role="member")
    Invite_ = apps.get_model("onboarding", "Invite")
    expires = timezone.now() + timedelta(days=3)
    Invite_.objects.create(team=team, token="open-invite", max_uses=4, uses=1, expires_at=expires)
    Invite_.objects.create(
        team=team, token="revoked-invite", expires_at=expires, revoked_at=timezone.now()
    )
    track = apps.get_model("onboarding", "Track").objects.create(team=team, title="Week one")
    dimension = apps.get_model("comparisons", "Dimension").objects.get(slug="monitoring")
    quiz = apps.get_model("quizzes", "Quiz").objects.get(slug="warm-up")
    Step_ = apps.get_model("onboarding", "Step")
    Step_.objects.create(track=track, position=1, dimension=dimension)
    Step_.objects.create(track=track, position=2, quiz=quiz)
    apps.get_model("onboarding", "ReadMark").objects.create(user=ada, dimension=dimension)
    practices = list(quiz.practices.all())
    apps.get_model("quizzes", "Attempt").objects.create(
        quiz=quiz,
        user=bo,
        practice_ids=[p.pk for p in practices],
        score=len(practices),
        answered=len(practices),
        total=len(practices),
        finished_at=timezone.now(),
    )


@pytest.mark.django_db(transaction=True)
def test_upgrade_from_release_3_keeps_teams_invites_tracks_and_progress():
    migrate([("comparisons", None)])
    executor = migrate(RELEASE_3)
    set_up_a_team(executor.loader.project_state(RELEASE_3).apps)

    migrate(executor.loader.graph.leaf_nodes())

    team = Team.objects.get(slug="platform")
    roles = dict(team.memberships.values_list("user__username", "role"))
    assert roles == {"lena": "lead", "ada": "member", "bo": "member"}
    # Leads who were there before count as learners only once they opt in.
    assert [m.user.username for m in team.memberships.learners().order_by("user__username")] == [
        "ada",
        "bo",
    ]
    assert not Membership.objects.filter(learns_too=True).exists()
    invites = {i.token: i for i in Invite.objects.filter(team=team)}
    assert (invites["open-invite"].status, invites["open-invite"].uses_left) == ("active", 3)
    assert invites["revoked-invite"].status == "revoked"
    steps = list(Step.objects.filter(track__team=team).select_related("quiz"))
    assert [s.position for s in steps] == [1, 2]
    assert all(s.due_on is None for s in steps)
    users = dict(team.memberships.values_list("user__username", "user_id"))
    cells = progress(users.values(), steps)
    assert cells[(users["ada"], steps[0].pk)].done
    assert not cells[(users["ada"], steps[1].pk)].done
    assert cells[(users["bo"], steps[1].pk)].done
    assert cells[(users["bo"], steps[1].pk)].best == 100
