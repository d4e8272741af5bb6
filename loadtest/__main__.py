"""`make load`: Locust learners against the two-instance cluster, with faults on purpose.

    python -m loadtest [steady kill redis database capacity] [--learners 200] [--seconds 60]

Each run gets a fresh PostgreSQL database and its own cluster (two gunicorn
instances behind nginx, sharing that database and a Redis; loadtest.cluster).

- steady:   200 learners answering every 5 s, with the production rate limits.
- kill:     the same, and one instance is SIGKILLed a third of the way in.
- redis:    Redis is stopped for 10 s in the middle of the run.
- database: PostgreSQL restarts (pg_ctlcluster ... restart) in the middle.
- capacity: rate limits off (all load comes from one address); the answer
            rate climbs in steps until the answer post's p99 passes 200 ms.

Exits non-zero if any run loses or doubles an answer, gets a score wrong, or
sees a 5xx outside its fault. Loopback only; restarts this machine's
PostgreSQL for `database`, so it is not part of `make test`.
"""

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .cluster import cluster
from .runs import Fault, run
from .server import fresh_database

CAPACITY_TARGET_P99 = 200.0  # ms, the answer post's
CAPACITY_STEPS = (25, 50, 75, 100, 125, 150, 200, 250)  # answers a second


def kill_one(node):
    node.kill_instance(0)


def redis_gap(node, seconds=10):
    node.stop_redis()
    time.sleep(seconds)
    node.start_redis()


def restart_postgres(node):
    version = next(Path("/etc/postgresql").iterdir()).name
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True
    )


def scenario(name, learners, seconds, workdir, fault=None, **env):
    database = fresh_database("postgres", workdir, name="opsguide_load")
    with cluster(database, workdir / name, **env) as node:
        report = run(node, name, learners, seconds, fault=fault)
    print(report.text(), flush=True)
    return report


def capacity(workdir, seconds):
    """Step the answer rate up with limits off; return the highest step within the p99 target."""
    database = fresh_database("postgres", workdir, name="opsguide_load")
    best = None
    print("== capacity: rate limits off, learners answering every 5 s ==", flush=True)
    with cluster(database, workdir / "capacity", DJANGO_RATE_LIMITS_OFF="1") as node:
        for rate in CAPACITY_STEPS:
            report = run(node, f"capacity {rate}", rate * 5, seconds)
            answer = report.stats.get("answer", {})
            within = report.ok and answer.get("p99", 1e9) <= CAPACITY_TARGET_P99
            print(
                f"target {rate:4d}/s: answers {answer.get('rps', 0):6.1f}/s, p50 "
                f"{answer.get('p50', 0):4.0f} ms, p99 {answer.get('p99', 0):5.0f} ms, "
                f"{'' if within else '(over the target) '}CPU: {report.cpu_text()}",
                flush=True,
            )
            if not report.ok:
                print(report.text())
            if not within:
                break
            best = (rate, answer)
    if best:
        rate, answer = best
        print(
            f"Sustained: {answer['rps']:.0f} answers/s (step {rate}/s), p99 {answer['p99']:.0f} ms"
        )
    else:
        print("Not even the first step held the p99 target")
    return best is not None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "runs", nargs="*", default=["steady", "kill", "redis", "database", "capacity"]
    )
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args(argv)
    passed = True
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        third, middle = args.seconds / 3, args.seconds / 2
        faults = {
            "steady": None,
            "kill": Fault("instance killed", third, kill_one),
            "redis": Fault("Redis stopped for 10 s", middle - 5, redis_gap),
            "database": Fault("PostgreSQL restarted", middle, restart_postgres, only_503=True),
        }
        for name in args.runs:
            if name == "capacity":
                passed &= capacity(workdir, seconds=30)
                continue
            report = scenario(name, args.learners, args.seconds, workdir, fault=faults[name])
            passed &= report.ok
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
