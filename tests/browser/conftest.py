import pytest
from axe_playwright_python.sync_playwright import Axe

_axe = Axe()


@pytest.fixture
def site(live_server, django_db_serialized_rollback):
    """Return the live server's URL with the shipped content in place.

    Browser tests are transactional: the database is flushed after each one.
    Serialized rollback restores the content the migrations loaded.
    """
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
