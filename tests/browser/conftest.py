import pytest
from axe_playwright_python.sync_playwright import Axe

from comparisons.content import seed
from comparisons.models import Dimension, Practice, Source, Tool
from quizzes import content as quiz_content
from quizzes.models import Quiz, QuizItem

_axe = Axe()


@pytest.fixture
def site(live_server, transactional_db):
    """Return the live server's URL with the shipped content in place.

    Browser tests are transactional: the database is flushed after each one,
    so the content the migrations loaded is seeded again (a no-op when present).
    """
    seed(Source, Dimension, Tool, Practice)
    quiz_content.seed(Quiz, QuizItem, Practice)
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
