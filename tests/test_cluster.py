"""A short `make load` inside `make test`: Locust learners through nginx and two instances.

Tens of learners for a few seconds, on the database the suite runs on
(a SQLite file both instances share, or a PostgreSQL database of its own),
once steady and once with an instance SIGKILLed on the way. The database is
never restarted here: the suite itself uses it. `make load` has the full runs.
"""

import os
import shutil

import pytest

from loadtest.cluster import cluster
from loadtest.runs import Fault, run
from loadtest.server import fresh_database


@pytest.fixture
def database(tmp_path):
    for tool in ("nginx", "redis-server"):
        assert shutil.which(tool), f"no {tool}: `make test` installs it from Debian's packages"
    kind = "postgres" if os.getenv("DATABASE_URL", "").startswith("postgres") else "sqlite"
    return fresh_database(kind, tmp_path, name="opsguide_cluster_smoke")


def test_steady_learners_through_the_cluster_lose_and_double_nothing(database, tmp_path):
    with cluster(database, tmp_path / "cluster") as node:
        report = run(node, "steady", learners=20, seconds=8, pacing=1)
    assert report.ok, report.text()
    assert report.figures["acknowledged"] >= 60, report.text()
    assert report.troubles == [], report.text()


def test_killing_an_instance_mid_run_loses_no_acknowledged_answer(database, tmp_path):
    kill = Fault("instance killed", at=4, apply=lambda node: node.kill_instance(0))
    with cluster(database, tmp_path / "cluster") as node:
        report = run(node, "kill", learners=20, seconds=10, pacing=1, fault=kill)
        assert node.instances[0].poll() is not None  # it really is dead
        assert node.instances[1].poll() is None
    assert report.ok, report.text()
    # The other instance carried on: learners kept answering after the kill.
    assert report.answered_after >= 40, report.text()
