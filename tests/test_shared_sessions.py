"""Sessions are shared by every worker: one that ends on one worker is over on all.

Without Redis, each gunicorn worker has its own memory; a session copy kept
there would let a logged-out cookie keep working on the other workers.
"""

import re
from concurrent.futures import ThreadPoolExecutor

import httpx

from loadtest.server import gunicorn, manage, production_env

PASSWORD = "a long enough passphrase 7"


def me_statuses(base, cookies, requests=24):
    """GET /me/ with these cookies on new connections, several at once; return the statuses."""

    def get(_):
        headers = {"Connection": "close"}
        return httpx.get(base + "/me/", cookies=cookies, headers=headers).status_code

    # Four at a time, so both workers take requests (and would keep a copy).
    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(get, range(requests)))


def test_a_session_logged_out_on_one_worker_is_over_on_every_worker(tmp_path):
    env = production_env(f"sqlite:///{tmp_path / 'sessions.sqlite3'}", DJANGO_RATE_LIMITS_OFF="1")
    with gunicorn(env, workers=2) as base:
        code = (
            "from django.contrib.auth.models import User; "
            f"User.objects.create_user('ada', password={PASSWORD!r})"
        )
        manage(env, "shell", "-c", code)
        with httpx.Client(base_url=base) as browser:
            page = browser.get("/accounts/login/").text
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
            login = browser.post(
                "/accounts/login/",
                data={"csrfmiddlewaretoken": token, "username": "ada", "password": PASSWORD},
                headers={"Referer": base + "/accounts/login/"},
            )
            assert login.status_code == 302, login.text
            signed_in = dict(browser.cookies)
            assert set(me_statuses(base, signed_in)) == {200}

            me = browser.get("/me/").text
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', me).group(1)
            logout = browser.post(
                "/accounts/logout/",
                data={"csrfmiddlewaretoken": token},
                headers={"Referer": base + "/me/"},
            )
            assert logout.status_code == 302

        # The old cookie, replayed: no worker may still know the session.
        assert set(me_statuses(base, signed_in)) == {302}
