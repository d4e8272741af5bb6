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
