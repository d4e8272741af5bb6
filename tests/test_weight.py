"""Page weight: small pages, a small answer fragment, little CSS and JavaScript, nothing remote."""

import gzip
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from comparisons.models import Category, Dimension, Practice
from content.scale import multiply_content
from quizzes.models import Attempt, Quiz

pytestmark = pytest.mark.django_db
STATIC = Path(settings.BASE_DIR, "static")
PAGE_LIMIT = 30 * 1024
FRAGMENT_LIMIT = 3 * 1024


def content_pages():
    yield from ["/", "/compare/", "/practices/", "/tools/", "/sources/", "/quizzes/"]
    yield from [d.get_absolute_url() for d in Dimension.objects.published()]
    yield from [p.get_absolute_url() for p in Practice.objects.published()]
    yield from [q.get_absolute_url() for q in Quiz.objects.published()]


# The catalogues of tools and sources (each source with a note on how fully it
# was read) grow with the evidence behind the content, not with learners' use.
CATALOGUE_LIMIT = 64 * 1024


def test_every_public_page_is_under_30_kb(client):
    sizes = {url: len(client.get(url).content) for url in content_pages()}
    assert sizes.pop("/sources/") < CATALOGUE_LIMIT
    assert sizes.pop("/tools/") < CATALOGUE_LIMIT
    heaviest = max(sizes, key=sizes.get)
    assert sizes[heaviest] < PAGE_LIMIT, (heaviest, sizes[heaviest])


def test_the_benchmarked_pages_stay_under_30_kb_at_ten_times_the_content(client):
    multiply_content(10)
    pages = ["/", "/compare/", "/compare/?kind=difference", "/compare/monitoring/", "/practices/"]
    for url in pages:
        size = len(client.get(url).content)
        assert size < PAGE_LIMIT, (url, size)


def test_quiz_pages_are_under_30_kb(client):
    quiz = Quiz.objects.get(slug="full-mix")
    client.post(reverse("quizzes:start", args=[quiz.slug]))
    attempt = Attempt.objects.get()
    assert len(client.get(quiz.get_absolute_url()).content) < PAGE_LIMIT
    assert len(client.get(reverse("quizzes:board", args=[quiz.slug])).content) < 60 * 1024
    url = reverse("quizzes:answer", args=[quiz.slug, attempt.public_id])
    for practice in Practice.objects.filter(pk__in=attempt.practice_ids):
        wrong = next(c for c in Category.values if c != practice.category)
        client.post(url, {"practice": practice.pk, "choice": wrong})
    results = client.get(attempt.get_absolute_url())
    assert len(results.content) < 60 * 1024  # thirty mistakes, each with its explanation


def test_the_answer_fragment_is_under_3_kb_for_every_practice(client, settings):
    """Every bucket of every quizzable practice: the longest explanations and notes included."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "answer": (10_000, 60)}
    quiz = Quiz.objects.create(title="All", slug="all", description="x", shuffle=False)
    practices = list(Practice.objects.quizzable())
    for position, practice in enumerate(practices):
        quiz.items.create(practice=practice, position=position)
    heaviest = 0
    for index in range(3):  # the right bucket (the full explanation), then each wrong one
        client.post(reverse("quizzes:start", args=["all"]), {"fresh": "1"})
        attempt = Attempt.objects.latest("started_at")
        url = reverse("quizzes:answer", args=["all", attempt.public_id])
        for practice in practices:
            wrong = [practice.category] + [c for c in Category.values if c != practice.category]
            wrong = wrong[index]
            response = client.post(
                url, {"practice": practice.pk, "choice": wrong}, headers={"HX-Request": "true"}
            )
            assert response.status_code == 200
            heaviest = max(heaviest, len(response.content))
    assert heaviest < FRAGMENT_LIMIT, heaviest


def compressed_size(path):
    """Return the bytes a browser downloads: whitenoise serves static files compressed."""
    return len(gzip.compress(path.read_bytes(), compresslevel=9))


def test_css_is_under_8_kb_and_our_javascript_under_4_kb_as_downloaded():
    assert compressed_size(STATIC / "css" / "site.css") < 8 * 1024
    scripts = list((STATIC / "js").glob("*.js"))
    assert sum(compressed_size(p) for p in scripts) < 4 * 1024


def test_whitenoise_serves_the_compressed_files_in_production():
    from django.conf import settings as site

    code = (
        "import opsguide.settings as s; "
        "print(s.STORAGES['staticfiles']['BACKEND'], 'whitenoise' in ' '.join(s.MIDDLEWARE))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            "DJANGO_SECRET_KEY": "x",
            "DJANGO_DEBUG": "false",
        },
        cwd=site.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    storage, middleware = result.stdout.split()
    assert storage == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert middleware == "True"


def test_only_htmx_and_our_script_are_loaded(client):
    html = client.get("/quizzes/warm-up/").content.decode()
    sources = re.findall(r'<script[^>]*\ssrc="([^"]+)"', html)
    assert len(sources) == 2
    assert any("htmx" in src for src in sources)
    assert any("opsguide.js" in src for src in sources)


def test_no_request_leaves_the_site(client):
    remote = re.compile(r'<(?:script|link|img|iframe|source)\b[^>]*\s(?:src|href)="(?:https?:)?//')
    for url in ["/", "/compare/", "/compare/monitoring/", "/practices/", "/quizzes/warm-up/"]:
        assert not remote.search(client.get(url).content.decode()), url
    css = (STATIC / "css" / "site.css").read_text()
    assert "@import" not in css and "url(http" not in css and "url(//" not in css
