"""`make lighthouse`: Lighthouse's four scores for the main pages, against Debian's chromium.

Starts OpsGuide under gunicorn with production settings on loopback (plain
HTTP), runs lighthouse@12.2.3 from .lighthouse/node_modules on each page and
prints performance, accessibility, best practices and SEO.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.__main__ import environment
from loadtest.server import gunicorn

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / ".lighthouse" / "node_modules" / ".bin" / "lighthouse"
PAGES = [
    "/", "/compare/", "/compare/monitoring/", "/practices/",
    "/practices/monitor-input-data-drift/", "/quizzes/", "/quizzes/warm-up/", "/sorting-rule/",
]  # fmt: skip
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage "
    "--disable-background-networking --disable-component-update --disable-sync --no-first-run"
)


def main():
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is missing: make lighthouse installs it with npm")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        env = environment(Path(tmp) / "lighthouse.sqlite3")
        with gunicorn(env, workers=2) as base:
            for path in PAGES:
                report = Path(tmp) / "report.json"
                # Lighthouse now and then fails to record a trace (NO_NAVSTART)
                # on a loaded machine; it is worth another try.
                for _try in range(3):
                    done = subprocess.run(
                        [str(LIGHTHOUSE), base + path, "--quiet", "--output=json",
                         f"--output-path={report}", f"--chrome-flags={CHROME_FLAGS}",
                         "--only-categories=" + ",".join(CATEGORIES)],
                        env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
                    )  # fmt: skip
                    if done.returncode == 0:
                        break
                else:
                    raise SystemExit(f"Lighthouse failed three times on {path}")
                categories = json.loads(report.read_text())["categories"]
                rows.append((path, [round(categories[c]["score"] * 100) for c in CATEGORIES]))
    print(f"{'page':40} {'perf':>5} {'a11y':>5} {'best':>5} {'seo':>5}")
    for path, scores in rows:
        print(f"{path:40} " + " ".join(f"{s:5d}" for s in scores))
    return 0


if __name__ == "__main__":
    sys.exit(main())
