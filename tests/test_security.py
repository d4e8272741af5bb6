"""Deployment settings, security headers, CSRF and rate limits."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from opsguide.ratelimit import login_username
from quizzes.models import Answer, Attempt, Dispute

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db

PAGES = ["/", "/compare/", "/compare/monitoring/", "/practices/", "/tools/", "/sources/",
         "/quizzes/", "/quizzes/warm-up/", "/accounts/login/", "/nowhere/"]  # fmt: skip


def production_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.pop("DATABASE_URL", None)
    env.update(
        DJANGO_SECRET_KEY="k" * 20 + "production-secret-with-enough-variety-0123456789",
        DJANGO_ALLOWED_HOSTS="ops.example.com",
        **extra,
    )
    return env


def test_check_deploy_is_clean_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=production_env(), capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_https_can_be_turned_off_for_loopback_runs():
    code = "import opsguide.settings as s; print(s.SECURE_SSL_REDIRECT if s.HTTPS else 'plain')"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=production_env(DJANGO_HTTPS="0"),
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.stdout.strip() == "plain", result.stderr


@pytest.mark.parametrize("url", PAGES)
def test_every_page_sends_the_security_headers(client, url):
    response = client.get(url)
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert len(response["X-Request-ID"]) == 32


def test_pages_have_no_inline_script_or_style(client):
    for url in PAGES:
        html = client.get(url).content.decode()
        assert "<style" not in html
        assert " style=" not in html
        for tag in html.split("<script")[1:]:
            assert tag.lstrip().startswith("src="), tag[:80]


def test_ssl_redirect_and_proxy_header(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = client.get("/compare/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    assert client.get("/compare/", headers={"X-Forwarded-Proto": "https"}).status_code == 200


def test_a_trusted_proxys_sane_request_id_is_kept_and_a_bad_one_replaced(client, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]  # the test client's address
    assert client.get("/", headers={"X-Request-ID": "abc-123"})["X-Request-ID"] == "abc-123"
    replaced = client.get("/", headers={"X-Request-ID": "<script>"})["X-Request-ID"]
    assert replaced != "<script>" and len(replaced) == 32


def test_a_request_id_from_any_other_peer_is_replaced_by_the_servers(client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    replaced = client.get("/", headers={"X-Request-ID": "abc-123"})["X-Request-ID"]
    assert replaced != "abc-123" and len(replaced) == 32


def test_healthz_answers_plain_http_while_pages_redirect_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    assert client.get("/healthz").status_code == 200
    assert client.get("/compare/").status_code == 301


def test_the_production_settings_exempt_healthz_from_the_https_redirect():
    import subprocess
    import sys

    code = (
        "import os; os.environ.update(DJANGO_SECRET_KEY='x', DJANGO_HTTPS='1'); "
        "from opsguide import settings as s; print(s.SECURE_SSL_REDIRECT, s.SECURE_REDIRECT_EXEMPT)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True ['^healthz$']"


def test_request_log_is_one_json_line_with_the_request_id(client, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    import io
    import json
    import logging

    from opsguide.logging import JsonFormatter, RequestIdFilter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("opsguide.request")
    logger.addHandler(handler)
    try:
        client.get("/compare/", headers={"X-Request-ID": "trace-me"})
    finally:
        logger.removeHandler(handler)
    [line] = stream.getvalue().splitlines()
    entry = json.loads(line)
    assert (entry["logger"], entry["request_id"], entry["method"], entry["path"]) == (
        "opsguide.request",
        "trace-me",
        "GET",
        "/compare/",
    )
    assert entry["status"] == 200 and entry["duration_ms"] >= 0


def test_htmx_posts_carry_the_csrf_token_from_the_page(client):
    html = client.get("/quizzes/warm-up/").content.decode()
    assert 'hx-headers=\'{"x-csrftoken": "' in html


def page_token(client, path="/quizzes/warm-up/"):
    html = client.get(path).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"', html).group(1)


def test_each_page_masks_the_csrf_token_afresh_and_every_mask_is_accepted():
    strict = Client(enforce_csrf_checks=True)
    first = page_token(strict)  # a new visitor: Django makes the secret and sets the cookie
    secret = strict.cookies["csrftoken"].value
    tokens = {first} | {page_token(strict) for _ in range(5)}
    assert len(tokens) == 6  # a new mask on every page (the BREACH defence)
    for token in tokens:
        response = strict.post(
            reverse("quizzes:start", args=["warm-up"]), {"csrfmiddlewaretoken": token}
        )
        assert response.status_code == 302
    assert strict.cookies["csrftoken"].value == secret  # renewed, never replaced


def test_a_post_with_the_pages_csrf_token_is_accepted():
    strict = Client(enforce_csrf_checks=True)
    page_token(strict)
    token = page_token(strict)  # the cookie is already set
    response = strict.post(
        reverse("quizzes:start", args=["warm-up"]), {"csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert Attempt.objects.count() == 1


def test_a_post_without_csrf_is_refused():
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("quizzes:start", args=["warm-up"])).status_code == 403
    assert strict.post(reverse("login"), {"username": "a", "password": "b"}).status_code == 403
    assert not Attempt.objects.exists()


# Rate limits


def test_login_attempts_are_limited_then_recover(client, settings, clock):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": (3, 60)}
    url = reverse("login")
    for _ in range(3):
        assert client.post(url, {"username": "x", "password": "y"}).status_code == 200
    refused = client.post(url, {"username": "x", "password": "y"})
    assert refused.status_code == 429
    assert "Too many requests" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    assert client.get(url).status_code == 200  # reading the form is never limited
    clock[0] += 61
    assert client.post(url, {"username": "x", "password": "y"}).status_code == 200


def test_answer_posts_are_limited_per_learner_then_recover(client, settings, clock):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "answer": (2, 60)}
    client.post(reverse("quizzes:start", args=["warm-up"]))
    attempt = Attempt.objects.get()
    url = reverse("quizzes:answer", args=["warm-up", attempt.public_id])
    ids = attempt.practice_ids
    headers = {"HX-Request": "true"}
    assert (
        client.post(url, {"practice": ids[0], "choice": "both"}, headers=headers).status_code == 200
    )
    assert (
        client.post(url, {"practice": ids[1], "choice": "both"}, headers=headers).status_code == 200
    )
    refused = client.post(url, {"practice": ids[2], "choice": "both"}, headers=headers)
    assert refused.status_code == 429
    assert refused["HX-Retarget"] == "#refusal"
    assert Answer.objects.count() == 2
    other = Client()  # another learner is not affected
    other.post(reverse("quizzes:start", args=["warm-up"]))
    theirs = Attempt.objects.exclude(pk=attempt.pk).get()
    other_url = reverse("quizzes:answer", args=["warm-up", theirs.public_id])
    assert (
        other.post(other_url, {"practice": theirs.practice_ids[0], "choice": "both"}).status_code
        == 302
    )
    clock[0] += 61
    assert (
        client.post(url, {"practice": ids[2], "choice": "both"}, headers=headers).status_code == 200
    )
    attempt.refresh_from_db()
    assert attempt.answered == 3  # the refused answer was not stored, the later one was


def test_login_limit_keys_hold_no_raw_username(rf):
    odd = rf.post("/accounts/login/", {"username": "Ada Lovelace\x00\u202e' --"})
    same = rf.post("/accounts/login/", {"username": "ada lovelace\x00\u202e' --"})
    other = rf.post("/accounts/login/", {"username": "grace"})
    key = login_username(odd)
    assert re.fullmatch(r"username:[0-9a-f]{32}", key)
    assert key == login_username(same)  # case-insensitive, as usernames are
    assert key != login_username(other)


# Forwarded addresses count only from trusted proxies


@pytest.mark.parametrize(
    ("trusted", "peer", "forwarded", "client_address"),
    [
        ([], "203.0.113.9", "198.51.100.1", "203.0.113.9"),  # nobody trusted: the peer
        (["10.0.0.0/8"], "203.0.113.9", "198.51.100.1", "203.0.113.9"),  # untrusted peer
        (["10.0.0.5"], "10.0.0.5", "198.51.100.1", "198.51.100.1"),
        # A client's own forged entry sits left of what the proxy appended.
        (["10.0.0.5"], "10.0.0.5", "1.1.1.1, 198.51.100.1", "198.51.100.1"),
        (["10.0.0.0/8"], "10.0.0.5", "198.51.100.1, 10.0.0.7", "198.51.100.1"),
        (["10.0.0.5"], "10.0.0.5", "", "10.0.0.5"),
        (["10.0.0.5"], "10.0.0.5", "not-an-address", "10.0.0.5"),
    ],
)
def test_client_ip_believes_forwarded_for_only_from_trusted_proxies(
    rf, settings, trusted, peer, forwarded, client_address
):
    from opsguide.proxies import client_ip

    settings.TRUSTED_PROXIES = trusted
    request = rf.get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == client_address


def test_rotating_x_forwarded_for_from_an_untrusted_peer_does_not_lift_a_limit(settings, clock):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": (3, 60)}
    client = Client()
    statuses = [
        client.post(
            reverse("login"),
            {"username": f"user{n}", "password": "wrong"},
            headers={"X-Forwarded-For": f"198.51.100.{n}"},
        ).status_code
        for n in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]


@pytest.mark.parametrize("spelling", [" alice ", "ａｌｉｃｅ", "ALICE", "Alice\t"])
def test_the_login_limit_keys_on_the_name_django_would_look_up(
    spelling, settings, django_user_model, clock
):
    django_user_model.objects.create_user("alice", password="correct horse battery")
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login_user": (2, 60)}
    client = Client()
    for _ in range(2):
        client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    locked = client.post(
        reverse("login"), {"username": "alice", "password": "correct horse battery"}
    )
    assert locked.status_code == 429
    other = Client()
    response = other.post(
        reverse("login"), {"username": spelling, "password": "correct horse battery"}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in other.session


# Anonymous writes: per-session and per-address limits together


def test_fifty_learners_behind_one_address_finish_a_quiz_at_the_production_limits():
    from django.conf import settings

    assert settings.RATE_LIMITS["answer_ip"][0] >= 2400  # what this test relies on
    learners = [Client() for _ in range(50)]
    for learner in learners:
        assert learner.post(reverse("quizzes:start", args=["warm-up"])).status_code == 302
    for learner in learners:
        attempt = Attempt.objects.filter(session_key=learner.session.session_key).get()
        url = reverse("quizzes:answer", args=["warm-up", attempt.public_id])
        for practice_id in attempt.practice_ids:
            response = learner.post(url, {"practice": practice_id, "choice": "both"})
            assert response.status_code == 302, response.status_code
    assert Attempt.objects.filter(finished_at__isnull=False).count() == 50


def test_new_sessions_from_one_address_meet_the_per_address_limit(settings, clock):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "start_ip": (5, 60)}
    statuses = [
        Client().post(reverse("quizzes:start", args=["warm-up"])).status_code for _ in range(7)
    ]
    assert statuses == [302] * 5 + [429] * 2
    assert Attempt.objects.count() == 5


def dispute_from_a_new_session(practice_index=0):
    client = Client()
    client.post(reverse("quizzes:start", args=["warm-up"]))
    attempt = Attempt.objects.filter(session_key=client.session.session_key).get()
    practice_id = sorted(attempt.practice_ids)[practice_index]
    answer_url = reverse("quizzes:answer", args=["warm-up", attempt.public_id])
    client.post(answer_url, {"practice": practice_id, "choice": "both"})
    url = reverse("quizzes:dispute", args=["warm-up", attempt.public_id])
    return client.post(url, {"practice": practice_id, "reason": "I think this is wrong."})


def test_open_disputes_about_one_card_from_one_address_are_capped():
    statuses = [dispute_from_a_new_session().status_code for _ in range(5)]
    assert statuses[:3] == [200, 200, 200]
    assert statuses[3:] == [429, 429]
    assert Dispute.objects.count() == 3
    # Another card from the same address is still heard.
    assert dispute_from_a_new_session(practice_index=1).status_code == 200


def test_a_dispute_flood_from_fresh_sessions_meets_the_per_address_limit(settings, clock):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "dispute_ip": (4, 60)}
    statuses = [dispute_from_a_new_session(practice_index=n).status_code for n in range(6)]
    assert statuses == [200] * 4 + [429] * 2
    assert Dispute.objects.count() == 4


def test_a_dispute_stores_a_keyed_hash_of_the_address_not_the_address():
    dispute_from_a_new_session()
    stored = Dispute.objects.get().address
    assert len(stored) == 64 and "127.0.0.1" not in stored
    assert stored == Dispute.address_key("127.0.0.1")
