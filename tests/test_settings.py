import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


SHOW_DEBUG_AND_ENGINE = (
    "import opsguide.settings as s; print(s.DEBUG, s.DATABASES['default']['ENGINE'])"
)


def run_settings(env, code=SHOW_DEBUG_AND_ENGINE):
    """Import the settings in a fresh interpreter with only env's DJANGO_ variables."""
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"
    }
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )


def test_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = run_settings({})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_debug_without_a_secret_key_uses_a_development_key():
    result = run_settings({"DJANGO_DEBUG": "true"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "django.db.backends.sqlite3"]


def test_database_url_selects_postgresql():
    result = run_settings(
        {"DJANGO_SECRET_KEY": "x", "DATABASE_URL": "postgres://u@127.0.0.1:5432/db"}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "django.db.backends.postgresql"]


def test_redis_url_selects_redis_for_the_cache_and_for_rate_limits():
    code = (
        "import opsguide.settings as s; c = s.CACHES; "
        "print(c['default']['BACKEND'], c['default']['OPTIONS']['IGNORE_EXCEPTIONS'], "
        "c['ratelimit']['BACKEND'], 'IGNORE_EXCEPTIONS' in c['ratelimit']['OPTIONS'])"
    )
    result = run_settings(
        {"DJANGO_SECRET_KEY": "x", "REDIS_URL": "redis://127.0.0.1:6379/0"}, code=code
    )
    assert result.stdout.split() == [
        "django_redis.cache.RedisCache",
        "True",  # a Redis outage is a cache miss for pages and sessions
        "django_redis.cache.RedisCache",
        "False",  # rate limits see the error, and count in the database instead
    ]


def test_without_redis_rate_limits_have_no_cache_alias():
    code = "import opsguide.settings as s; print(sorted(s.CACHES))"
    result = run_settings({"DJANGO_SECRET_KEY": "x", "REDIS_URL": ""}, code=code)
    assert result.stdout.strip() == "['default', 'local']"


def test_allowed_hosts_come_from_the_environment():
    result = run_settings(
        {"DJANGO_SECRET_KEY": "x", "DJANGO_ALLOWED_HOSTS": "ops.example.com, intranet"},
        code="import opsguide.settings as s; print(s.ALLOWED_HOSTS)",
    )
    assert result.stdout.strip() == "['ops.example.com', 'intranet']"


def test_sqlite_file_database_runs_in_wal_mode_with_immediate_transactions(tmp_path):
    code = (
        "import django; django.setup();"
        "from django.conf import settings; from django.db import connection;"
        "c = connection.cursor(); c.execute('PRAGMA journal_mode');"
        "print(c.fetchone()[0], settings.DATABASES['default']['OPTIONS']['transaction_mode'])"
    )
    result = run_settings(
        {
            "DJANGO_SECRET_KEY": "x",
            "DJANGO_SETTINGS_MODULE": "opsguide.settings",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'wal.sqlite3'}",
        },
        code=code,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "IMMEDIATE"]


def test_make_serve_logs_each_request_once_through_the_apps_json_log():
    """gunicorn's own access log would repeat every line opsguide.logging writes."""
    from pathlib import Path

    from django.conf import settings

    serve = Path(settings.BASE_DIR, "Makefile").read_text().split("\nserve:")[1].split("\n\n")[0]
    assert "gunicorn" in serve
    assert "--access-logfile" not in serve and "--access-log" not in serve
