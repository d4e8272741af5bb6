"""`make load`: start OpsGuide under gunicorn with production settings and run learners at it.

    python -m loadtest --learners 50 --database sqlite
    python -m loadtest --learners 50 --database postgres

Loopback only; the run stops by itself. Exits non-zero on any 5xx, failed
request, lost or doubled answer, or score that does not match its answers.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from .learners import run_learners, summary, verify
from .server import ROOT, gunicorn, production_env

PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"


def fresh_database(kind, workdir):
    if kind == "sqlite":
        return f"sqlite:///{workdir / 'load.sqlite3'}"
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        connection.execute("DROP DATABASE IF EXISTS opsguide_load WITH (FORCE)")
        connection.execute("CREATE DATABASE opsguide_load")
    return "postgres://postgres@127.0.0.1:5432/opsguide_load"


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
        with open(workdir / "gunicorn.log", "w") as log:
            with gunicorn(env, workers=args.workers, threads=4, log=log) as base_url:
                started = time.perf_counter()
                run = run_learners(base_url, args.learners, quiz=args.quiz)
                seconds = time.perf_counter() - started

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
