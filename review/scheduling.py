"""The one place that talks to FSRS: cards seeded from quiz answers, reviews, what is due, mastery.

FSRS (the `fsrs` package, the scheduler Anki uses) decides every due date;
nothing here rewrites one. What this module decides is how OpsGuide's events
become FSRS ratings:

- a wrong answer, in a quiz or a review, rates Again: the card comes back
  after the scheduler's first learning step, so missed cards return the same day;
- a right answer rates Good, or Hard when the learner said they guessed;
- the first right answer to a card, in a quiz, is reviewed by a scheduler
  without learning steps, so the card counts as already learned and comes back
  in days, not minutes (a 30-card quiz must not become "Review (30)" ten
  minutes later).
"""

from dataclasses import dataclass
from datetime import UTC, datetime, time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from fsrs import Card, Rating, Scheduler

from comparisons.models import Dimension, Practice

from .models import ReviewCard, ReviewLog

MASTERY_RECALL = 0.9  # predicted recall today
MASTERY_DAYS = 2  # different days answered right in review


class ReviewError(Exception):
    """A review that must be refused: nothing was written."""


class NotDue(ReviewError):
    pass


class NoSuchCard(ReviewError):
    pass


class DailyLimitReached(ReviewError):
    pass


def scheduler(*, learning_steps=None):
    """Return the FSRS scheduler; `learning_steps=()` graduates a card at once."""
    options = {"enable_fuzzing": settings.REVIEW_FUZZING}
    if learning_steps is not None:
        options["learning_steps"] = learning_steps
    return Scheduler(**options)


def rating_for(is_correct, guessed=False):
    if not is_correct:
        return Rating.Again
    return Rating.Hard if guessed else Rating.Good


def fresh_state(now):
    """Return a new card's state, due now: what a card becomes when its practice changes."""
    return Card(due=now).to_dict()


def seed(user, practice, *, choice, is_correct, guessed=False, now=None):
    """Make the learner's card for a practice from a quiz answer, unless they have one.

    Return the new ReviewCard, or None when the learner already had one (quiz
    answers after the first leave the schedule alone: reviews drive it).
    """
    now = (now or timezone.now()).astimezone(UTC)  # fsrs works in UTC
    user_id = getattr(user, "pk", user)  # a user or its id: signals have only the id at hand
    if ReviewCard.objects.filter(user_id=user_id, practice=practice).exists():
        return None
    rating = rating_for(is_correct, guessed)
    first = scheduler() if rating == Rating.Again else scheduler(learning_steps=())
    card, _ = first.review_card(Card(due=now), rating, review_datetime=now)
    try:
        with transaction.atomic():
            row = ReviewCard.objects.create(
                user_id=user_id,
                practice=practice,
                revision=practice.revision,
                due=card.due,
                state=card.to_dict(),
            )
            ReviewLog.objects.create(
                user_id=user_id,
                practice=practice,
                source=ReviewLog.Source.QUIZ,
                choice=choice,
                expected=practice.category,
                is_correct=is_correct,
                guessed=guessed,
                rating=rating,
                reviewed_at=now,
            )
    except IntegrityError:  # a second tab seeded it first
        return None
    return row


def start_of_day(now):
    """Return the start of `now`'s day in the site's time zone: the daily limit's window."""
    local = timezone.localtime(now)
    return timezone.make_aware(datetime.combine(local.date(), time.min), local.tzinfo)


def reviews_today(user, now):
    """Return how many reviews the learner has done today: what the daily limit counts."""
    return ReviewLog.objects.filter(
        user=user, source=ReviewLog.Source.REVIEW, reviewed_at__gte=start_of_day(now)
    ).count()


@dataclass(frozen=True)
class Queue:
    """What a learner may review now: today's share of the due cards, most overdue first."""

    cards: list  # the first offered ReviewCards (as many as asked), with practice and dimension
    offered: int  # the due cards today's limit still offers
    due: int  # every card due now, offered today or not
    done_today: int
    limit: int
    next_due: datetime | None  # the next card due after now

    @property
    def waiting(self):
        """Due cards over today's limit: they wait for tomorrow."""
        return self.due - self.offered


def queue(user, now=None, show=1):
    """Return the learner's review queue with the first `show` cards it offers.

    Four queries at most, whatever the number of cards: a page shows one card,
    so only that one is read.
    """
    now = (now or timezone.now()).astimezone(UTC)  # fsrs works in UTC
    limit = settings.REVIEW_DAILY_LIMIT
    done = reviews_today(user, now)
    due = ReviewCard.objects.filter(user=user, due__lte=now)
    due_count = due.count()
    offered = min(due_count, max(0, limit - done))
    cards = []
    if offered:
        cards = list(
            due.select_related("practice__dimension").order_by("due", "pk")[: min(show, offered)]
        )
    next_due = (
        ReviewCard.objects.filter(user=user, due__gt=now)
        .order_by("due")
        .values_list("due", flat=True)
        .first()
    )
    return Queue(
        cards=cards,
        offered=offered,
        due=due_count,
        done_today=done,
        limit=limit,
        next_due=next_due,
    )


def review(user, practice_id, *, choice, guessed=False, now=None):
    """Record one review of a due card and reschedule it; return (ReviewLog, ReviewCard).

    Raises a ReviewError, writing nothing, for a card the learner does not
    have, one not due yet (a double submit finds it rescheduled), or once
    today's limit is used up.
    """
    now = (now or timezone.now()).astimezone(UTC)  # fsrs works in UTC
    with transaction.atomic():
        row = (
            ReviewCard.objects.select_for_update()
            .select_related("practice")
            .filter(user=user, practice_id=practice_id)
            .first()
        )
        if row is None:
            raise NoSuchCard(practice_id)
        if row.due > now:
            raise NotDue(practice_id)
        done = reviews_today(user, now)
        if done >= settings.REVIEW_DAILY_LIMIT:
            raise DailyLimitReached(practice_id)
        practice = row.practice
        is_correct = practice.is_correct(choice)
        rating = rating_for(is_correct, guessed)
        card, _ = scheduler().review_card(Card.from_dict(row.state), rating, review_datetime=now)
        row.state, row.due = card.to_dict(), card.due
        row.save(update_fields=["state", "due"])
        log = ReviewLog.objects.create(
            user=user,
            practice=practice,
            source=ReviewLog.Source.REVIEW,
            choice=choice,
            expected=practice.category,
            is_correct=is_correct,
            guessed=guessed,
            rating=rating,
            reviewed_at=now,
        )
    return log, row


def restart_changed_cards(practice, now=None):
    """Put every learner's card of a changed practice back to new: a card learned with
    the wrong bucket is worse than none. Return how many were restarted."""
    now = (now or timezone.now()).astimezone(UTC)  # fsrs works in UTC
    return (
        ReviewCard.objects.filter(practice=practice)
        .exclude(revision=practice.revision)
        .update(revision=practice.revision, due=now, state=fresh_state(now))
    )


def recall(row, now):
    """Return the card's predicted probability of recall at `now`."""
    card = Card.from_dict(row.state)
    return scheduler().get_card_retrievability(card, current_datetime=now.astimezone(UTC))


def mastered_ids(cards, logs, now):
    """Return the practice ids of the cards that are mastered at `now`.

    Mastered: predicted recall at least 90 % today, answered right in review on
    at least two different days, and the latest review right. One right answer
    is never mastery: a guess among three buckets is right a third of the time.
    `logs` are (practice id, is_correct, reviewed_at) of reviews, oldest first.
    """
    right_days, latest = {}, {}
    for practice_id, is_correct, reviewed_at in logs:
        latest[practice_id] = is_correct
        if is_correct:
            right_days.setdefault(practice_id, set()).add(timezone.localtime(reviewed_at).date())
    return {
        row.practice_id
        for row in cards
        if latest.get(row.practice_id)
        and len(right_days.get(row.practice_id, ())) >= MASTERY_DAYS
        and recall(row, now) >= MASTERY_RECALL
    }


@dataclass(frozen=True)
class DimensionMastery:
    dimension: Dimension
    mastered: int
    cards: int  # the learner's cards in this dimension
    practices: int  # quizzable practices in the dimension
    due: int

    @property
    def percent(self):
        return round(100 * self.mastered / self.practices) if self.practices else 0


def mastery(user, now=None):
    """Return each dimension's mastery for one learner (three queries)."""
    return mastery_of([user.pk], now)[user.pk]


def mastery_of(user_ids, now=None):
    """Return {user id: [DimensionMastery per dimension]} for several learners at once.

    Three queries whatever the number of learners and cards: their cards,
    their reviews, and the quizzable practices per dimension.
    """
    now = (now or timezone.now()).astimezone(UTC)  # fsrs works in UTC
    cards = {user_id: [] for user_id in user_ids}
    for row in ReviewCard.objects.filter(user_id__in=user_ids):
        cards[row.user_id].append(row)
    logs = {user_id: [] for user_id in user_ids}
    for user_id, *log in (
        ReviewLog.objects.filter(user_id__in=user_ids, source=ReviewLog.Source.REVIEW)
        .order_by("reviewed_at", "pk")
        .values_list("user_id", "practice_id", "is_correct", "reviewed_at")
    ):
        logs[user_id].append(log)
    counts = {}
    quizzable = Practice.objects.quizzable().select_related("dimension")
    for practice in quizzable.only("pk", "dimension__slug", "dimension__title", "dimension__order"):
        counts.setdefault(practice.dimension, set()).add(practice.pk)
    dimensions = sorted(counts.items(), key=lambda item: (item[0].order, item[0].title))
    result = {}
    for user_id in user_ids:
        mastered = mastered_ids(cards[user_id], logs[user_id], now)
        rows = []
        for dimension, practice_ids in dimensions:
            mine = [row for row in cards[user_id] if row.practice_id in practice_ids]
            rows.append(
                DimensionMastery(
                    dimension=dimension,
                    mastered=sum(1 for row in mine if row.practice_id in mastered),
                    cards=len(mine),
                    practices=len(practice_ids),
                    due=sum(1 for row in mine if row.due <= now),
                )
            )
        result[user_id] = rows
    return result


def seed_from_history(user):
    """Make cards from the learner's earlier full quiz attempts (those made before signing in)."""
    from quizzes.models import Answer

    have = ReviewCard.objects.filter(user=user).values("practice_id")
    answers = (
        Answer.objects.filter(attempt__user=user, attempt__retry_of=None)
        .exclude(practice__in=have)
        .select_related("practice")
        .order_by("answered_at", "pk")
    )
    made = 0
    for answer in answers:
        made += (
            seed(
                user,
                answer.practice,
                choice=answer.choice,
                is_correct=answer.is_correct,
                now=answer.answered_at,
            )
            is not None
        )
    return made
