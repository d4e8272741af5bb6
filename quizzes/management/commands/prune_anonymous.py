"""Delete anonymous attempts and sessions idle for longer than the retention age."""

from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from opsguide.models import RateCounter
from quizzes.models import Answer, Attempt

# Rows read and deleted per query: thousands of rows never sit in memory at once.
BATCH = 500


def idle_anonymous_attempts(cutoff):
    """Return the anonymous attempts of sessions with no activity since cutoff.

    A session's attempts go together: a retry points at the attempt it
    retries, and keeping a retry whose original is gone would make it look
    like a whole attempt. Attempts with a user are never returned; they may
    count toward a team's progress.
    """
    recent = (
        Q(started_at__gte=cutoff) | Q(finished_at__gte=cutoff) | Q(answers__answered_at__gte=cutoff)
    )
    active = Attempt.objects.filter(recent, user=None, session_key=OuterRef("session_key"))
    return Attempt.objects.filter(user=None).exclude(Exists(active))


def prune_attempts(cutoff, *, dry_run=False):
    """Delete the idle anonymous attempts with their answers; return (attempts, answers)."""
    idle = idle_anonymous_attempts(cutoff)
    if dry_run:
        return idle.count(), Answer.objects.filter(attempt__in=idle).count()
    attempts = answers = 0
    while True:
        ids = list(idle.order_by("pk").values_list("pk", flat=True)[:BATCH])
        if not ids:
            return attempts, answers
        with transaction.atomic():
            # Filtered again: a learner may have come back since the ids were read.
            # Disputes lose their attempt (SET_NULL) and stay queued for editors.
            _, deleted = idle.filter(pk__in=ids).delete()
        attempts += deleted.get(Attempt._meta.label, 0)
        answers += deleted.get(Answer._meta.label, 0)


def session_store():
    """Return the SessionStore class of SESSION_ENGINE, which must keep sessions in the database."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class"):
        raise CommandError(f"{settings.SESSION_ENGINE} does not keep sessions in the database.")
    return store


def prune_sessions(cutoff, *, dry_run=False):
    """Delete the unexpired anonymous sessions last written before cutoff; return how many."""
    store = session_store()
    # Every save moves the expiry date to SESSION_COOKIE_AGE from then.
    written_before = cutoff + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    old = store.get_model_class().objects.filter(
        expire_date__gte=timezone.now(), expire_date__lt=written_before
    )
    cache = caches[settings.SESSION_CACHE_ALIAS] if hasattr(store, "cache_key") else None
    count = 0
    after = ""
    while True:
        # Paged by key rather than with .iterator(): the loop deletes from the
        # table it reads, which SQLite does not isolate from an open cursor.
        rows = list(old.filter(session_key__gt=after).order_by("session_key")[:BATCH])
        if not rows:
            return count
        after = rows[-1].session_key
        keys = [row.session_key for row in rows if SESSION_KEY not in row.get_decoded()]
        if not keys:
            continue
        if dry_run:
            count += len(keys)
            continue
        # Filtered again: a session saved since it was read has a later expiry date.
        count += old.filter(session_key__in=keys).delete()[0]
        if cache is not None:
            # After the rows: a request in between would refill the cache from the row.
            cache.delete_many([store(key).cache_key for key in keys])


def clear_expired_sessions(*, dry_run=False):
    """Delete every expired session, as Django's clearsessions does; return how many."""
    expired = session_store().get_model_class().objects.filter(expire_date__lt=timezone.now())
    count = expired.count()
    if not dry_run:
        call_command("clearsessions")
    return count


def prune_rate_counters(*, dry_run=False):
    """Delete the rate-limit counts of windows that are over; return how many."""
    over = RateCounter.objects.filter(expires_at__lt=timezone.now())
    return over.count() if dry_run else over.delete()[0]


class Command(BaseCommand):
    help = (
        "Delete anonymous quiz attempts and anonymous sessions idle for longer than "
        "ANONYMOUS_RETENTION_DAYS (or --days), expired sessions, and the rate-limit "
        "counts of past windows (kept in the database when there is no Redis). Attempts of "
        "logged-in learners are kept. Meant for a daily cron job."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.ANONYMOUS_RETENTION_DAYS,
            help="Keep what was active in the last N days (default: %(default)s).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be deleted; delete nothing."
        )

    def handle(self, *args, days, dry_run, **options):
        if days < 1:
            raise CommandError("--days must be at least 1.")
        cutoff = timezone.now() - timedelta(days=days)
        attempts, answers = prune_attempts(cutoff, dry_run=dry_run)
        sessions = prune_sessions(cutoff, dry_run=dry_run)
        expired = clear_expired_sessions(dry_run=dry_run)
        counters = prune_rate_counters(dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(
            f"{verb} {attempts} anonymous attempts ({answers} answers) and {sessions} "
            f"anonymous sessions older than {days} days."
        )
        self.stdout.write(f"{verb} {expired} expired sessions.")
        self.stdout.write(f"{verb} {counters} rate-limit counts of past windows.")
