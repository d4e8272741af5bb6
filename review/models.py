from django.conf import settings
from django.db import models

from comparisons.models import Category, Practice


class ReviewCard(models.Model):
    """One learner's memory of one practice, as the FSRS scheduler models it.

    `state` is the fsrs Card (stability, difficulty, step, due, last review) as
    fsrs serialises it; `due` repeats its due date so the database can find the
    cards that are due. `revision` is the practice's revision the card was
    learned at: when an editor changes the bucket or the substance, the card
    starts again as new.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_cards"
    )
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="review_cards")
    revision = models.PositiveIntegerField()
    due = models.DateTimeField()
    state = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "practice"], name="one_review_card_per_practice"
            )
        ]
        indexes = [models.Index(fields=["user", "due"])]

    def __str__(self):
        return f"{self.user} · {self.practice}"


class ReviewLog(models.Model):
    """One rating the scheduler saw: the first from a quiz answer, then one per review.

    Kept apart from quiz answers: item statistics, weak spots and track
    completion count quiz attempts only. The log is what FSRS parameters can
    later be fitted to.
    """

    class Source(models.TextChoices):
        QUIZ = "quiz", "Quiz answer"
        REVIEW = "review", "Review"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_logs"
    )
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="review_logs")
    source = models.CharField(max_length=10, choices=Source)
    choice = models.CharField(max_length=10, choices=Category)
    expected = models.CharField(max_length=10, choices=Category)
    is_correct = models.BooleanField()
    guessed = models.BooleanField(default=False)
    rating = models.PositiveSmallIntegerField(help_text="FSRS rating: 1 Again, 2 Hard, 3 Good.")
    reviewed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "reviewed_at"])]

    def __str__(self):
        return f"{self.user} · {self.practice} · {self.get_source_display()}"

    @property
    def feedback(self):
        """What the learner reads after this review (Markdown), as after a quiz answer."""
        return self.practice.note_for(self.choice)


class ReminderChoice(models.Model):
    """Whether a learner wants an e-mail when cards are due, and when the last one went."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_reminders"
    )
    wanted = models.BooleanField(default=False)
    last_sent_on = models.DateField(null=True, blank=True)

    def __str__(self):
        return f"{self.user}: {'on' if self.wanted else 'off'}"
