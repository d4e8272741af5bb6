"""`make load`: start OpsGuide under gunicorn with production settings and run learners at it.

    python -m loadtest --learners 50 --database sqlite
    python -m loadtest --learners 50 --database postgres

Loopback only; the run stops by itself. Exits non-zero on any 5xx, failed
request, lost or doubled answer, or score that does not match its answers.
"""

import argparse
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from .learners import run_learners, summary, verify

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(database_url):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_DEBUG="false",
        DJANGO_HTTPS="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_LOG_LEVEL="WARNING",
    )
    return env


def fresh_database(kind, workdir):
    if kind == "sqlite":
        return f"sqlite:///{workdir / 'load.sqlite3'}"
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        connection.execute("DROP DATABASE IF EXISTS opsguide_load WITH (FORCE)")
        connection.execute("CREATE DATABASE opsguide_load")
    return "postgres://postgres@127.0.0.1:5432/opsguide_load"


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def wait_until_up(base_url, server, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited before it answered")
        try:
            if httpx.get(base_url + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /healthz in time")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--quiz", default="warm-up")
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        env = production_env(fresh_database(args.database, workdir))
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "collectstatic", "--no-input", "-v0")
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        log = open(workdir / "gunicorn.log", "w")  # noqa: SIM115 - closed below
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "opsguide.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", str(args.workers), "--threads", "4", "--timeout", "60"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            wait_until_up(base_url, server)
            started = time.perf_counter()
            run = run_learners(base_url, args.learners, quiz=args.quiz)
            seconds = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()

        os.environ.update(env)
        os.environ["DJANGO_SETTINGS_MODULE"] = "opsguide.settings"
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        figures = verify(args.quiz)
        print(f"== load run: {args.learners} learners, {args.database}, {args.workers} workers ==")
        print(summary(run, figures, seconds))
        for failure in run.failures[:10]:
            print("  failed:", failure)
        bad = (
            run.server_errors
            or run.failures
            or figures["lost"]
            or figures["doubled"]
            or figures["wrong_scores"]
            or figures["wrong_counts"]
            or run.learners_done != args.learners
        )
        if bad:
            print("gunicorn log tail:\n" + (workdir / "gunicorn.log").read_text()[-3000:])
        return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
