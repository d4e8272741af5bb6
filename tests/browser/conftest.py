import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group, Permission

from content.editors import create_editors_group
from content.shipped import load_shipped_content

_axe = Axe()


@pytest.fixture
def site(live_server, transactional_db):
    """Return the live server's URL with the shipped content in place.

    Browser tests are transactional: the database is flushed after each one,
    so what the data migrations loaded is created again (a no-op when present).
    """
    load_shipped_content()
    create_editors_group(Group, Permission)
    return live_server.url


@pytest.fixture
def assert_accessible():
    def check(page):
        results = _axe.run(page)
        assert results.violations_count == 0, results.generate_report()

    return check


def pytest_collection_modifyitems(items):
    for item in items:
        if "/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
