"""The app graph points one way, and the code uses Django's own machinery, not copies of it."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ["opsguide", "comparisons", "quizzes", "review", "onboarding", "content"]
# Which of our packages each package may import (opsguide/urls.py wires them all).
ALLOWED = {
    "opsguide": set(),
    "comparisons": {"opsguide"},
    "quizzes": {"opsguide", "comparisons"},
    "review": {"opsguide", "comparisons", "quizzes"},
    "onboarding": {"opsguide", "comparisons", "quizzes", "review"},
    "content": {"opsguide", "comparisons", "quizzes"},
    "bench": {"opsguide", "comparisons", "quizzes", "review", "onboarding", "content", "loadtest"},
    "loadtest": {"opsguide", "comparisons", "quizzes", "review", "onboarding", "content"},
}
OURS = set(ALLOWED) | {"tests"}


def imported_packages(path):
    """Return the top-level packages of ours that a Python file imports, in code or in strings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            # `manage.py shell -c "from x import y"` and the like.
            for word in node.value.replace(";", " ").split():
                if "." in word and word.split(".")[0] in OURS and " import " in node.value:
                    found.add(word.split(".")[0])
    return found & OURS


def python_files(package):
    return sorted(
        p for p in (ROOT / package).rglob("*.py") if p.name != "urls.py" or package != "opsguide"
    )


@pytest.mark.parametrize("package", ALLOWED)
def test_a_package_imports_only_what_lies_below_it(package):
    for path in python_files(package):
        own = {package}
        wrong = imported_packages(path) - ALLOWED[package] - own
        assert not wrong, f"{path.relative_to(ROOT)} imports {sorted(wrong)}"


@pytest.mark.parametrize("package", APPS + ["bench", "loadtest"])
def test_no_module_reads_djangos_private_internals(package):
    for path in python_files(package):
        text = path.read_text(encoding="utf-8")
        for private in (
            "_unmask_cipher_token",
            "_get_new_csrf",
            "CSRF_COOKIE_NEEDS_UPDATE",
            "._registry",
        ):
            assert private not in text, f"{path.relative_to(ROOT)} uses {private}"


@pytest.mark.parametrize("package", APPS)
def test_no_raw_sql_outside_migrations(package):
    for path in python_files(package):
        if "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for raw in ("cursor(", ".raw(", "RawSQL", ".extra("):
            assert raw not in text, f"{path.relative_to(ROOT)} uses {raw}"


def test_no_app_unregisters_another_apps_admin():
    for package in APPS:
        for path in python_files(package):
            assert "admin.site.unregister" not in path.read_text(encoding="utf-8"), path


def test_jinja2_is_gone():
    requirements = (ROOT / "requirements.txt").read_text().lower()
    assert "jinja2" not in requirements
    assert not list(ROOT.glob("*/jinja2.py"))
