import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.crypto import salted_hmac
from simple_history.models import HistoricalRecords

from comparisons.models import Category, Practice, PublishedQuerySet


class Quiz(models.Model):
    """An ordered set of practices for learners to sort into buckets."""

    title = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(help_text="Markdown: what the quiz covers.")
    practices = models.ManyToManyField(Practice, through="QuizItem", related_name="quizzes")
    pass_mark = models.PositiveSmallIntegerField(
        default=70,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Percentage of correct answers needed to pass.",
    )
    shuffle = models.BooleanField(default=True, help_text="Deal the cards in a random order.")
    order = models.PositiveSmallIntegerField(default=0)
    is_published = models.BooleanField("published", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublishedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["order", "title"]
        verbose_name_plural = "quizzes"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("quizzes:play", args=[self.slug])

    MIN_ITEMS = 5

    def publish_problems(self, practices):
        """Return why the quiz cannot be published with these practices (empty if it can)."""
        problems = []
        if len(practices) < self.MIN_ITEMS:
            problems.append(
                f"A published quiz needs at least {self.MIN_ITEMS} practices; "
                f"this one has {len(practices)}."
            )
        drafts = [p.name for p in practices if not (p.is_published and p.dimension.is_published)]
        if drafts:
            problems.append("Unpublished practices cannot be quizzed: " + ", ".join(drafts) + ".")
        contested = [p.name for p in practices if p.is_contested]
        if contested:
            problems.append(
                "Practices marked “it depends” are never quizzed: " + ", ".join(contested) + "."
            )
        return problems


class QuizItem(models.Model):
    """One practice in a quiz, at a position."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="items")
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="quiz_items")
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "practice"], name="quiz_item_unique")
        ]

    def __str__(self):
        return f"{self.quiz}: {self.practice}"


class AttemptQuerySet(models.QuerySet):
    def owned_by(self, request):
        """Return the attempts of the request's user, or of its anonymous session."""
        if request.user.is_authenticated:
            return self.filter(user=request.user)
        key = request.session.session_key
        if not key:
            return self.none()
        return self.filter(user=None, session_key=key)

    def visible_to(self, request):
        """Return the attempts the request may look at: its own, or every one for staff."""
        if request.user.is_authenticated and request.user.is_staff:
            return self
        return self.owned_by(request)

    def unfinished(self):
        return self.filter(finished_at=None)


class Attempt(models.Model):
    """One learner's run through a quiz, with the order of its cards fixed at the start."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attempts",
    )
    session_key = models.CharField(max_length=40, blank=True, db_index=True)
    practice_ids = models.JSONField(
        default=list, help_text="The practices of this attempt, in the order dealt."
    )
    retry_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="retries",
        help_text="The attempt whose mistakes this one retries.",
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(default=0)
    answered = models.PositiveSmallIntegerField(
        default=0, help_text="How many cards are answered (kept with the score)."
    )
    answered_ids = models.JSONField(
        default=list,
        editable=False,
        help_text="The practices answered so far, in the order answered (kept with the score).",
    )
    total = models.PositiveSmallIntegerField(default=0)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["quiz", "user", "finished_at"]),
            models.Index(fields=["quiz", "session_key", "finished_at"]),
        ]

    def __str__(self):
        return f"{self.quiz} attempt {self.public_id}"

    def get_absolute_url(self):
        return reverse("quizzes:results", args=[self.quiz.slug, self.public_id])

    @property
    def is_finished(self):
        return self.finished_at is not None

    @property
    def percent(self):
        return round(100 * self.score / self.total) if self.total else 0

    @property
    def passed(self):
        # Exact, not rounded: the statistics query uses the same rule.
        return self.is_finished and 100 * self.score >= self.quiz.pass_mark * self.total


class Answer(models.Model):
    """One learner's choice for one practice in one attempt; never recorded twice."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="answers")
    choice = models.CharField(max_length=10, choices=Category)
    expected = models.CharField(
        max_length=10, choices=Category, help_text="The right bucket when this was answered."
    )
    is_correct = models.BooleanField()
    revision = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="The practice's revision when this was answered; empty for answers "
        "given before revisions were recorded (their bucket then is `expected`).",
    )
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["answered_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "practice"], name="answer_once_per_practice"
            ),
            models.CheckConstraint(
                condition=models.Q(choice__in=Category.values), name="answer_choice_valid"
            ),
        ]

    def __str__(self):
        return f"{self.practice}: {self.get_choice_display()}"

    def save(self, *args, **kwargs):
        """Save, noting the revision of the card the learner answered."""
        if self._state.adding and self.revision is None:
            self.revision = self.practice.revision
        super().save(*args, **kwargs)

    @property
    def feedback(self):
        """Return what the learner reads after this answer (Markdown).

        A wrong bucket gets its own note when the practice has one, which
        answers the mistake that choice reveals; otherwise the explanation.
        """
        return self.practice.note_for(self.choice)

    @property
    def has_own_note(self):
        """Return True if the feedback is a wrong-bucket note rather than the explanation."""
        return not self.is_correct and self.practice.has_note(self.choice)


class Dispute(models.Model):
    """A learner's "I disagree with this answer", queued for an editor."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="disputes")
    attempt = models.ForeignKey(
        Attempt, null=True, blank=True, on_delete=models.SET_NULL, related_name="disputes"
    )
    chosen = models.CharField(
        "learner chose", max_length=10, choices=Category, help_text="The bucket the learner chose."
    )
    proposed = models.CharField(
        "learner proposes",
        max_length=10,
        choices=Category,
        blank=True,
        help_text="The bucket the learner says the practice belongs in.",
    )
    reason = models.TextField(max_length=1000)
    address = models.CharField(
        max_length=64,
        blank=True,
        db_index=True,
        editable=False,
        help_text="A keyed hash of the sender's address, to cap open notes per address.",
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN, db_index=True)
    reply = models.TextField("editor's reply", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    @staticmethod
    def address_key(address):
        """Return a keyed hash of an address: comparable, but not the address itself."""
        return salted_hmac("dispute-address", address, algorithm="sha256").hexdigest()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "practice"], name="one_dispute_per_answer")
        ]

    def __str__(self):
        return f"{self.practice}: {self.get_status_display().lower()} dispute"

    def get_absolute_url(self):
        return self.practice.get_absolute_url()

    @property
    def is_resolved(self):
        return self.status != self.Status.OPEN
