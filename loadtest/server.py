"""Run OpsGuide under gunicorn with production settings on loopback (load runs, benchmarks)."""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def production_env(database_url, **extra):
    """Return an environment with production settings, plain HTTP and this database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_DEBUG="false",
        DJANGO_HTTPS="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_LOG_LEVEL="WARNING",
        **extra,
    )
    return env


PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"


def fresh_database(kind, workdir, name="opsguide_load"):
    """Return the URL of an empty database: a SQLite file in workdir, or a new PostgreSQL one."""
    if kind == "sqlite":
        return f"sqlite:///{Path(workdir) / (name + '.sqlite3')}"
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env, port, workers=2, threads=1, log=subprocess.DEVNULL):
    """Start gunicorn on a loopback port in its own process group (so it can be killed whole)."""
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "opsguide.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--threads", str(threads), "--timeout", "60"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip


def wait_healthy(base, process, seconds=30):
    """Wait until base/healthz answers 200; fail if the process exits or time runs out."""
    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            raise SystemExit(f"{process.args[0]} exited before {base} answered")
        try:
            if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"{base}/healthz did not answer in time")
        time.sleep(0.2)


def stop(process, seconds=30):
    """Stop a process started with start_gunicorn (its whole group), if it still runs."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextmanager
def gunicorn(env, workers=2, threads=1, log=subprocess.DEVNULL, seconds=30):
    """Migrate, collect static files, start gunicorn, wait for /healthz; yield its base URL."""
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "collectstatic", "--no-input", "-v0")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(env, port, workers, threads, log)
    try:
        wait_healthy(base, server, seconds)
        yield base
    finally:
        stop(server)
