import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django refuses
# ORM calls from such a thread unless told the test knows what it is doing.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch Debian's chromium where it exists, else Playwright's own browser."""
    args = {**browser_type_launch_args, "args": CHROMIUM_ARGS}
    if os.path.exists(CHROMIUM):
        args["executable_path"] = CHROMIUM
    return args


@pytest.fixture
def clock(monkeypatch):
    """A clock for the rate limiter, stopped until the test moves it (`clock[0] += 61`).

    The limits count in fixed windows of the clock: a test that expects a count
    to reach its limit would pass nothing if a slow run crossed into a new window.
    """
    now = [1_000_000.0]
    monkeypatch.setattr("opsguide.ratelimit.time.time", lambda: now[0])
    return now


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user(
        username="editor", password="correct horse battery", is_staff=True
    )


def _flushes_the_database(item):
    marker = item.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction"))
    return transactional or bool({"live_server", "transactional_db"} & set(item.fixturenames))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the tests that flush the database after all the others, whatever reordered them.

    A transactional test empties every table when it ends, shipped content
    included; pytest-django sorts them last, but pytest's own grouping of
    parametrized fixtures can move tests behind them again.
    """
    items.sort(key=_flushes_the_database)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start every test with empty caches: content versions restart with each test's data."""
    from django.core.cache import caches

    for alias in ("default", "local"):
        caches[alias].clear()
    yield


# A team with a lead and a track (monitoring, then a five-card quiz), a member,
# and everyone the access matrix covers: the onboarding and team tests share them.


@pytest.fixture
def team(django_user_model):
    from comparisons.models import Dimension
    from onboarding.models import Membership, Step, Team, Track

    from .factories import make_quiz, make_user

    team = Team.objects.create(name="Platform", slug="platform")
    lead = make_user(django_user_model, "lena")
    Membership.objects.create(team=team, user=lead, role="lead")
    track = Track.objects.create(team=team)
    Step.objects.create(track=track, position=1, dimension=Dimension.objects.get(slug="monitoring"))
    Step.objects.create(track=track, position=2, quiz=make_quiz(size=5, pass_mark=60))
    return team


@pytest.fixture
def lead(team):
    return team.memberships.get(role="lead").user


@pytest.fixture
def member(team, django_user_model):
    from onboarding.models import Membership

    from .factories import make_user

    user = make_user(django_user_model, "mo")
    Membership.objects.create(team=team, user=user)
    return user


@pytest.fixture
def people(member, lead, team, django_user_model):
    """Everyone the access matrix covers, by role (None for an anonymous visitor)."""
    from django.contrib.auth.models import Group, Permission

    from onboarding.models import Membership, Team

    from .factories import make_user

    other_team = Team.objects.create(name="Other", slug="other")
    other_lead = make_user(django_user_model, "olga")
    Membership.objects.create(team=other_team, user=other_lead, role="lead")
    editor = make_user(django_user_model, "ed", is_staff=True)
    editor.groups.add(Group.objects.get(name="Content editors"))
    watcher = make_user(django_user_model, "wanda", is_staff=True)
    watcher.user_permissions.add(Permission.objects.get(codename="view_team_progress"))
    superuser = make_user(django_user_model, "root", is_staff=True, is_superuser=True)
    return {
        "anonymous": None,
        "member": member,
        "lead": lead,
        "other lead": other_lead,
        "editor": editor,
        "progress viewer": watcher,
        "superuser": superuser,
    }
