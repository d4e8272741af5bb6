"""The page chrome (head, header, footer) is cached for anonymous visitors only.

It is cached per page name and per deploy (the templates' hash), so the
current page stays marked in the navigation and a signed-in learner always
gets their own header, with its CSRF-protected "Log out".
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key

from opsguide.versions import templates_version

pytestmark = pytest.mark.django_db


def current(html):
    """Return the navigation labels marked as the current page."""
    return re.findall(r'aria-current="page">([^<]+)</a></li>', html)


def test_each_page_marks_itself_in_a_cached_header(client):
    for url, label in [("/compare/", "Compare"), ("/quizzes/", "Quizzes"), ("/tools/", "Tools")]:
        for _ in range(2):  # the second visit reads the cached header
            assert current(client.get(url).content.decode()) == [label]


def test_a_signed_in_learner_never_gets_the_anonymous_header(client):
    anonymous = client.get("/compare/").content.decode()
    assert "Log in" in anonymous and "Log out" not in anonymous
    user = get_user_model().objects.create_user("learner", password="a long passphrase")
    client.force_login(user)
    signed_in = client.get("/compare/").content.decode()
    assert "Log out" in signed_in and "My progress" in signed_in
    assert 'name="csrfmiddlewaretoken"' in signed_in.split("</header>")[0]
    client.logout()
    assert "Log out" not in client.get("/compare/").content.decode()


def test_a_deploy_with_changed_templates_gets_a_fresh_header(client, monkeypatch):
    key = make_template_fragment_key("header", [templates_version(), "list", "quizzes"])
    caches["local"].set(key, "<header>the old deploy's header</header>")
    assert "the old deploy's header" in client.get("/quizzes/").content.decode()
    monkeypatch.setattr("opsguide.context_processors.templates_version", lambda: "new-deploy")
    html = client.get("/quizzes/").content.decode()
    assert "the old deploy's header" not in html and current(html) == ["Quizzes"]
