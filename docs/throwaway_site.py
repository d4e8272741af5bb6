"""A throw-away OpsGuide for the screenshot scripts (screenshots_editors.py, screenshots_teams.py).

`throwaway_site(set_up)` migrates a new SQLite file in a temporary folder,
runs `set_up` (Python for `manage.py shell -c`) to add demo data, serves it
with `manage.py runserver` on a free port and yields its base URL; everything
goes away afterwards. `shoot` writes a full-page screenshot into docs/.
"""

import os
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT))

from loadtest.server import free_port, wait_healthy  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
# Every account a screenshot script makes has this password.
PASSWORD = "a-long-and-unusual-passphrase"


@contextmanager
def throwaway_site(set_up):
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "DJANGO_DEBUG": "true",
            "DATABASE_URL": f"sqlite:///{folder}/screenshots.sqlite3",
            "DJANGO_RATE_LIMITS_OFF": "true",
        }
        run = {"cwd": ROOT, "env": env, "check": True}
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], **run)
        subprocess.run([sys.executable, "manage.py", "shell", "-c", set_up], **run)
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(base, server)
            yield base
        finally:
            server.terminate()
            server.wait()


def log_in(page, base, username, login="/accounts/login/"):
    page.goto(base + login)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def shoot(page, name, **options):
    """Write a full-page screenshot (or, with `clip`, part of the page) to docs/`name`."""
    path = DOCS / name
    page.screenshot(path=path, full_page=True, **options)
    print(f"wrote {path.relative_to(ROOT)}")
