"""One load run: Locust learners against a cluster, a fault on the way, and the check after.

`run` starts headless Locust (one process, FastHttpUser) against the
cluster's nginx, applies the fault at its moment, waits for the end, then
checks the database in a separate process (loadtest.check) and reads
Locust's CSV statistics. A `Report` says whether the run passed:

- no acknowledged answer lost or stored with another choice, none doubled,
  every score and counter equal to the stored answers;
- no 5xx and no failed connection outside the fault's window (the window
  runs from the fault's start to a few seconds after its end);
- for a database restart, every error in the window a clean 503.
"""

import csv
import json
import os
import resource
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .server import ROOT

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
GRACE = 3.0  # seconds after a fault ends during which errors still count as the fault's
KINDS = ("quiz intro", "start", "answer", "next card")


@dataclass
class Fault:
    """Something to break `at` seconds into a run; `apply` returns when it is mended."""

    name: str
    at: float
    apply: object  # callable(cluster)
    only_503: bool = False


@dataclass
class Report:
    name: str
    learners: int
    seconds: float
    figures: dict
    stats: dict
    troubles: list
    window: tuple | None = None
    only_503: bool = False
    locust_cpu: float = 0.0  # share of the whole machine
    answered_after: int = 0  # answers acknowledged after the fault was applied
    cpu_by_role: dict = field(default_factory=dict)  # share of the machine per part
    problems: list = field(default_factory=list)

    def __post_init__(self):
        f = self.figures
        for key in ("lost", "changed", "doubled", "wrong_scores", "wrong_counts"):
            if f.get(key):
                self.problems.append(f"{f[key]} {key.replace('_', ' ')}")
        if not f.get("acknowledged"):
            self.problems.append("no answer was acknowledged")
        start, end = self.window or (0, 0)
        outside = [t for t in self.troubles if not start <= t[0] <= end + GRACE]
        if outside:
            self.problems.append(f"{len(outside)} errors outside the fault, e.g. {outside[:3]}")
        if self.only_503:
            not_503 = [t for t in self.troubles if t[2] != 503 and start <= t[0] <= end + GRACE]
            if not_503:
                self.problems.append(f"{len(not_503)} errors in the fault were not 503")

    def cpu_text(self):
        """Each part's share of the machine, busiest first."""
        parts = sorted(self.cpu_by_role.items(), key=lambda item: -item[1])
        return ", ".join(f"{role} {share:.0%}" for role, share in parts if share >= 0.005)

    @property
    def ok(self):
        return not self.problems

    def text(self):
        f = self.figures
        lines = [
            f"== {self.name}: {self.learners} learners, {self.seconds:.0f} s ==",
            f"{'request':12} {'count':>7} {'fail':>5} {'req/s':>7} "
            f"{'p50':>6} {'p95':>6} {'p99':>6}",
        ]
        for kind in (*KINDS, "Aggregated"):
            row = self.stats.get(kind)
            if row:
                lines.append(
                    f"{kind:12} {row['count']:7d} {row['failures']:5d} {row['rps']:7.1f} "
                    f"{row['p50']:6.0f} {row['p95']:6.0f} {row['p99']:6.0f}"
                )
        lines += [
            "(milliseconds; a failed try that was retried counts as a failure here)",
            f"answers acknowledged {f.get('acknowledged', 0)}, stored {f.get('stored', 0)}; "
            f"lost {f.get('lost', 0)}, changed {f.get('changed', 0)}, "
            f"doubled {f.get('doubled', 0)}; wrong scores {f.get('wrong_scores', 0)}, "
            f"wrong counters {f.get('wrong_counts', 0)}; attempts {f.get('attempts', 0)} "
            f"({f.get('finished', 0)} finished)",
            f"errors (5xx or no connection) {len(self.troubles)}, by status "
            f"{dict(Counter(t[2] for t in self.troubles))}"
            + (f"; the fault lasted {self.window[1] - self.window[0]:.1f} s, and "
               f"{self.answered_after} answers were acknowledged after it" if self.window else ""),
            f"Locust's own CPU: {self.locust_cpu:.0%} of the machine ({os.cpu_count()} cores)",
            "CPU by part: " + self.cpu_text(),
            "PASS" if self.ok else "FAIL: " + "; ".join(self.problems),
        ]  # fmt: skip
        return "\n".join(lines)


def cpu_seconds_by_role(cluster, locust_pid):
    """Return CPU seconds used so far by each part of the run, read from /proc."""
    groups = {process.pid: "gunicorn" for process in cluster.instances}
    ticks = os.sysconf("SC_CLK_TCK")
    used = Counter()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            name = (entry / "comm").read_text().strip()
        except OSError:  # the process ended while we looked
            continue
        pgid, cpu = int(fields[2]), (int(fields[11]) + int(fields[12])) / ticks
        if int(entry.name) == locust_pid:
            role = "locust"
        elif pgid in groups:
            role = groups[pgid]
        elif name in ("postgres", "nginx", "redis-server"):
            role = name
        else:
            role = "other"
        used[role] += cpu
    return used


def read_stats(prefix):
    """Return Locust's per-request statistics from its CSV file, in milliseconds."""
    stats = {}
    with open(f"{prefix}_stats.csv", newline="") as table:
        for row in csv.DictReader(table):
            stats[row["Name"]] = {
                "count": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]),
                "p50": float(row["50%"] or 0),
                "p95": float(row["95%"] or 0),
                "p99": float(row["99%"] or 0),
            }
    return stats


def run(cluster, name, learners, seconds, *, pacing=5.0, fault=None, quiz="warm-up"):
    """Run `learners` Locust learners for `seconds` against the cluster; return a Report."""
    workdir = Path(cluster.workdir) / name.replace(" ", "-")
    workdir.mkdir(parents=True, exist_ok=True)
    record = workdir / "record.json"
    env = {
        **os.environ,
        "LOAD_QUIZ": quiz,
        "LOAD_PACING": str(pacing),
        "LOAD_RECORD": str(record),
    }
    ramp = max(1.0, learners / max(1.0, min(seconds / 4, 10)))
    command = [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
        "-u", str(learners), "-r", f"{ramp:.1f}", "-t", f"{seconds:.0f}s",
        "--host", cluster.url, "--csv", str(workdir / "locust"), "--only-summary",
        "--loglevel", "WARNING", "--stop-timeout", "10", "--exit-code-on-error", "0",
    ]  # fmt: skip
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.time()
    locust = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    errors = []
    threading.Thread(target=lambda: errors.append(locust.stderr.read()), daemon=True).start()
    cpu_before = cpu_seconds_by_role(cluster, locust.pid)
    window = None
    if fault:
        time.sleep(max(0.0, started + fault.at - time.time()))
        fault_start = time.time()
        fault.apply(cluster)
        window = (fault_start, time.time())
    while locust.poll() is None and time.time() < started + seconds:
        time.sleep(0.5)
    cpu_after = cpu_seconds_by_role(cluster, locust.pid)  # before Locust exits
    cpu_wall = time.time() - started
    locust.wait(timeout=seconds + 120)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.time() - started
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if locust.returncode != 0 or not record.exists():
        raise SystemExit(f"locust failed ({locust.returncode}):\n{''.join(errors)[-3000:]}")
    recorded = json.loads(record.read_text())
    checked = subprocess.run(
        [sys.executable, "-m", "loadtest.check", str(record)], cwd=ROOT, capture_output=True,
        env={**cluster.env, "DJANGO_SETTINGS_MODULE": "opsguide.settings"}, text=True,
    )  # fmt: skip
    if checked.returncode:
        raise SystemExit(f"the check failed:\n{checked.stderr[-3000:]}")
    return Report(
        name=name,
        learners=learners,
        seconds=wall,
        figures=json.loads(checked.stdout),
        stats=read_stats(workdir / "locust"),
        troubles=[tuple(t) for t in recorded["troubles"]],
        answered_after=sum(1 for *_, at in recorded["acknowledged"] if window and at > window[1]),
        window=window,
        only_503=bool(fault and fault.only_503),
        locust_cpu=cpu / wall / (os.cpu_count() or 1),
        cpu_by_role={
            role: (cpu_after[role] - cpu_before.get(role, 0)) / cpu_wall / (os.cpu_count() or 1)
            for role in cpu_after
        },
    )
