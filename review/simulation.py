"""A learner simulated over 60 days of review, on a frozen clock: `make review-sim`.

    python -m review.simulation [--days 60] [--out docs/review-60-days.svg]

Runs on a throwaway SQLite database with the shipped content. On day 0 the
learner takes three quizzes (about two answers in three right); every later
day they review everything the daily limit offers, and remember each card
with the probability FSRS predicts for it at that moment (a fixed seed makes
the run repeatable). Writes an SVG of the reviews per day and of the cards
mastered, and prints the same figures.
"""

import argparse
import os
import random
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUIZZES = ("warm-up", "delivery-and-automation", "data-and-models")


def simulate(days, seed=7):
    """Return [(day, reviews, right, mastered, cards)] for a simulated learner."""
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from comparisons.models import Category, Practice
    from quizzes import grading
    from quizzes.models import Quiz

    from . import scheduling
    from .models import ReviewCard

    rng = random.Random(seed)
    start = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    user = get_user_model().objects.create_user("simulated-learner")
    for slug in QUIZZES:
        quiz = Quiz.objects.get(slug=slug)
        attempt = grading.start_attempt(quiz=quiz, owner={"user": user, "session_key": ""})
        for practice in Practice.objects.in_bulk(attempt.practice_ids).values():
            right = rng.random() < 0.65
            choice = (
                practice.category
                if right
                else rng.choice([c for c in Category.values if c != practice.category])
            )
            scheduling.seed(user, practice, choice=choice, is_correct=right, now=start)
            grading.record_answer(attempt=attempt, practice=practice, choice=choice)
    rows = []
    for day in range(days + 1):
        now = start + timedelta(days=day, hours=9)
        reviews = right = 0
        # Learning steps bring missed cards back within the day: review until none is offered.
        while queue := scheduling.queue(user, now=now, show=settings.REVIEW_DAILY_LIMIT).cards:
            for card in queue:
                remembered = rng.random() < scheduling.recall(card, now)
                practice = card.practice
                choice = (
                    practice.category
                    if remembered
                    else rng.choice([c for c in Category.values if c != practice.category])
                )
                scheduling.review(user, practice.pk, choice=choice, now=now)
                reviews += 1
                right += remembered
            now += timedelta(minutes=15)
        end_of_day = start + timedelta(days=day, hours=20)
        cards = list(ReviewCard.objects.filter(user=user))
        mastered = len(
            scheduling.mastered_ids(
                cards,
                user.review_logs.filter(source="review")
                .order_by("reviewed_at", "pk")
                .values_list("practice_id", "is_correct", "reviewed_at"),
                end_of_day,
            )
        )
        rows.append((day, reviews, right, mastered, len(cards)))
    return rows


def svg(rows):
    """Return an SVG chart: reviews per day as bars, cards mastered as a line."""
    width, height, left, bottom, top = 640, 280, 48, 40, 30
    days = len(rows)
    most = max(max(r[1] for r in rows), max(r[4] for r in rows), 1)
    step = (width - left - 10) / days
    y = lambda value: top + (height - top - bottom) * (1 - value / most)  # noqa: E731
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        'font-family="sans-serif" font-size="12" role="img" '
        'aria-label="Reviews per day and cards mastered over 60 days of simulated review">',
        '<text x="10" y="18" font-weight="bold">One simulated learner, 60 days of review</text>',
        f'<line x1="{left}" y1="{y(0)}" x2="{width - 10}" y2="{y(0)}" stroke="#555"/>',
    ]
    for tick in range(0, most + 1, max(1, most // 4)):
        parts.append(f'<text x="{left - 6}" y="{y(tick) + 4}" text-anchor="end">{tick}</text>')
    for day, reviews, _, _, _ in rows:
        x = left + day * step
        parts.append(
            f'<rect x="{x:.1f}" y="{y(reviews):.1f}" width="{max(step - 1, 1):.1f}" '
            f'height="{y(0) - y(reviews):.1f}" fill="#9ab8d8"/>'
        )
        if day % 10 == 0:
            parts.append(f'<text x="{x:.1f}" y="{y(0) + 16}">day {day}</text>')
    line = " ".join(f"{left + d * step + step / 2:.1f},{y(m):.1f}" for d, _, _, m, _ in rows)
    parts += [
        f'<polyline points="{line}" fill="none" stroke="#17663a" stroke-width="2"/>',
        f'<rect x="{left + 10}" y="{top}" width="12" height="12" fill="#9ab8d8"/>',
        f'<text x="{left + 28}" y="{top + 10}">reviews that day</text>',
        f'<line x1="{left + 160}" y1="{top + 6}" x2="{left + 176}" y2="{top + 6}" '
        'stroke="#17663a" stroke-width="2"/>',
        f'<text x="{left + 182}" y="{top + 10}">cards mastered (of {rows[-1][4]})</text>',
        "</svg>",
    ]
    return "\n".join(parts)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--out", default=str(ROOT / "docs" / "review-60-days.svg"))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update(
            DJANGO_SETTINGS_MODULE="opsguide.settings",
            DJANGO_DEBUG="true",
            DATABASE_URL=f"sqlite:///{Path(tmp) / 'simulation.sqlite3'}",
        )
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        settings.REVIEW_FUZZING = False
        call_command("migrate", verbosity=0)
        rows = simulate(args.days)
    print(f"{'day':>4} {'reviews':>8} {'right':>6} {'mastered':>9} {'cards':>6}")
    for day, reviews, right, mastered, cards in rows:
        print(f"{day:4d} {reviews:8d} {right:6d} {mastered:9d} {cards:6d}")
    Path(args.out).write_text(svg(rows) + "\n")
    print(f"Wrote {args.out}")


if __name__ == "__main__":
    main()
