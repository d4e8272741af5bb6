from difflib import SequenceMatcher

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .markdown import render_markdown


class Category(models.TextChoices):
    """The three buckets every practice and tool is sorted into."""

    DEVOPS = "devops", "DevOps"
    MLOPS = "mlops", "MLOps"
    BOTH = "both", "Both"


# The buckets as (value, label) pairs, their values, and labels by value.
BUCKETS = tuple(Category.choices)
BUCKET_VALUES = tuple(Category.values)
BUCKET_LABELS = dict(BUCKETS)


# What each bucket's "how the rule applies" must say (see templates/quizzes/_rule.html).
RULE_REASON_HELP = {
    Category.DEVOPS: "Say why nothing changes for an ML team.",
    Category.BOTH: "Name the specific thing ML adds: new checks, scope or tools.",
    Category.MLOPS: "Say what about learned behaviour makes the practice necessary.",
}


# What the public page says for "Why not <wrong bucket>" when a practice has no
# note of its own for that bucket (or its note is stale or only repeats the
# explanation): the sorting rule's reason, never the explanation a second time.
WHY_NOT_RULE = {
    (Category.DEVOPS, Category.MLOPS): "It does not exist because a system learns from data: "
    "a team that ships no model needs it just as much.",
    (Category.DEVOPS, Category.BOTH): "An ML team does it exactly as any other team does; "
    "ML adds no new checks, scope or tools to it.",
    (Category.MLOPS, Category.DEVOPS): "A team that ships no learned behaviour has no use "
    "for it, so it is not general DevOps.",
    (Category.MLOPS, Category.BOTH): "It is not a DevOps practice with something added for ML: "
    "it exists only because of learned behaviour.",
    (Category.BOTH, Category.DEVOPS): "ML adds something specific to it (new checks, scope or "
    "tools), so the plain DevOps version is not the whole practice.",
    (Category.BOTH, Category.MLOPS): "Teams without any model do it too, so it does not exist "
    "only because of learned behaviour.",
}


def _plain(text):
    return " ".join(text.split()).lower()


def repeats(note, explanation):
    """Return True if a wrong-bucket note just says the explanation again."""
    note, explanation = _plain(note), _plain(explanation)
    if not note:
        return False
    return (
        note == explanation
        or note in explanation
        or SequenceMatcher(None, note, explanation).ratio() > 0.8
    )


class PublishedQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def visible_to(self, user):
        """Return everything for staff (drafts included), published rows for others."""
        if user.is_authenticated and user.is_staff:
            return self
        return self.published()


class Source(models.Model):
    """A citation, so every claim on the site can be traced."""

    key = models.SlugField(
        max_length=60, unique=True, help_text="Short handle used in the content file."
    )
    title = models.CharField(max_length=300)
    authors = models.CharField(max_length=300, help_text="Authors or publishing organisation.")
    year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    url = models.URLField(max_length=500)
    note = models.TextField(
        blank=True, help_text="What the source is used for and how well it was checked."
    )

    class Access(models.TextChoices):
        FULL = "full", "Read in full"
        EXCERPT = "excerpt", "Read only in excerpt"

    access = models.CharField(
        max_length=10,
        choices=Access,
        blank=True,
        help_text="How much of the source the claims citing it were checked against.",
    )
    verified_at = models.DateTimeField("last verified", null=True, blank=True, editable=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="verified by",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return f"{self.title} ({self.year})" if self.year else self.title

    def get_absolute_url(self):
        return f"{reverse('comparisons:sources')}#{self.key}"


class Dimension(models.Model):
    """One row of the comparison: how DevOps and MLOps treat one concern."""

    class Kind(models.TextChoices):
        SIMILARITY = "similarity", "Mainly a similarity"
        DIFFERENCE = "difference", "Mainly a difference"

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=120, unique=True)
    summary = models.CharField(
        max_length=300, help_text="One sentence shown in the comparison table."
    )
    kind = models.CharField(max_length=12, choices=Kind, db_index=True)
    devops_text = models.TextField("DevOps", help_text="Markdown.")
    mlops_text = models.TextField("MLOps", help_text="Markdown.")
    shared_text = models.TextField("What they share", help_text="Markdown.")
    order = models.PositiveSmallIntegerField(default=0)
    is_published = models.BooleanField("published", default=True)
    sources = models.ManyToManyField(Source, blank=True, related_name="dimensions")
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublishedQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=["sources"], excluded_fields=["updated_at"])

    class Meta:
        ordering = ["order", "title"]
        indexes = [models.Index(fields=["is_published", "order"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("comparisons:dimension", args=[self.slug])

    @property
    def devops_html(self):
        return render_markdown(self.devops_text)

    @property
    def mlops_html(self):
        return render_markdown(self.mlops_text)

    @property
    def shared_html(self):
        return render_markdown(self.shared_text)


def clean_search_text(text, max_length=100):
    """Return search text without control characters, trimmed to a sane length."""
    # PostgreSQL rejects NUL in text parameters; nobody searches for control characters.
    return "".join(ch for ch in text if ch.isprintable())[:max_length].strip()


class PracticeQuerySet(PublishedQuerySet):
    def published(self):
        return self.filter(is_published=True, dimension__is_published=True)

    def quizzable(self):
        return self.published().filter(is_contested=False)

    def search(self, text):
        text = clean_search_text(text)
        if not text:
            return self
        return self.filter(
            models.Q(name__icontains=text)
            | models.Q(description__icontains=text)
            | models.Q(explanation__icontains=text)
        )


class Practice(models.Model):
    """Something a team does, sorted into DevOps, MLOps or Both."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.CharField(max_length=300, help_text="One line: what the practice is.")
    category = models.CharField(max_length=10, choices=Category, db_index=True)
    explanation = models.TextField(
        help_text="Markdown, 2–4 sentences: why it belongs in its bucket."
    )
    rule_reason = models.TextField(
        "how the rule applies",
        default="",
        help_text="One sentence. DevOps: why nothing changes for an ML team. "
        "Both: the specific thing ML adds. MLOps: what about learned behaviour makes it necessary.",
    )
    revision = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Raised when the bucket or name changes, or a change is marked substantive.",
    )
    is_contested = models.BooleanField(
        "it depends",
        default=False,
        help_text="Experts disagree on the bucket; shown in the glossary, never quizzed.",
    )
    note_if_devops = models.TextField(
        "feedback if answered DevOps",
        blank=True,
        help_text="Shown to a learner who wrongly picked DevOps. Empty: the explanation.",
    )
    note_if_mlops = models.TextField(
        "feedback if answered MLOps",
        blank=True,
        help_text="Shown to a learner who wrongly picked MLOps. Empty: the explanation.",
    )
    note_if_both = models.TextField(
        "feedback if answered Both",
        blank=True,
        help_text="Shown to a learner who wrongly picked Both. Empty: the explanation.",
    )
    notes_bucket = models.CharField(
        "notes written for",
        max_length=10,
        choices=Category,
        blank=True,
        editable=False,
        help_text="The bucket the wrong-bucket notes were written (or last reviewed) for. "
        "When it differs from the bucket, the notes are stale: learners never see them.",
    )
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="practices")
    sources = models.ManyToManyField(Source, related_name="practices")
    is_published = models.BooleanField("published", default=True)
    verified_at = models.DateTimeField("last verified", null=True, blank=True, editable=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="verified by",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = PracticeQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=["sources"], excluded_fields=["updated_at"])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="practice_name_unique_ci"),
            models.CheckConstraint(
                condition=models.Q(category__in=Category.values),
                name="practice_category_valid",
            ),
        ]
        indexes = [models.Index(fields=["is_published", "category"])]

    # Fields whose change makes an earlier answer to the card mean something else.
    REVISION_FIELDS = ("category", "name")

    def __str__(self):
        return self.name

    @classmethod
    def from_db(cls, db, field_names, values):
        """Remember the loaded bucket and name, so save() can tell whether they changed."""
        practice = super().from_db(db, field_names, values)
        practice._loaded = {
            name: value
            for name, value in zip(field_names, values, strict=True)
            if name in cls.REVISION_FIELDS
        }
        return practice

    def save(self, *args, substantive=False, **kwargs):
        """Save, raising the revision when the card now asks something different.

        A learner's earlier answer and review schedule belong to the card as it
        was; statistics and review split at the revision. A row rebuilt from
        its history (a revert) is compared with the database, and never takes
        its revision back.
        """
        loaded = getattr(self, "_loaded", None)
        if loaded is None and self.pk is not None and not self._state.adding:
            current = (
                type(self)
                .objects.filter(pk=self.pk)
                .values("revision", *self.REVISION_FIELDS)
                .first()
            )
            if current is not None:
                self.revision = max(self.revision, current.pop("revision"))
                loaded = current
        if not self.notes_bucket:
            self.notes_bucket = self.category
        if loaded is not None and (
            substantive
            or any(
                name in loaded and getattr(self, name) != loaded[name]
                for name in self.REVISION_FIELDS
            )
        ):
            self.revision += 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "revision"}
        super().save(*args, **kwargs)
        self._loaded = {name: getattr(self, name) for name in self.REVISION_FIELDS}

    def get_absolute_url(self):
        return reverse("comparisons:practice", args=[self.slug])

    @property
    def explanation_html(self):
        return render_markdown(self.explanation)

    def clean(self):
        errors = {}
        if not self.explanation.strip():
            errors["explanation"] = "Explain why the practice is in its bucket."
        if not self.rule_reason.strip():
            errors["rule_reason"] = RULE_REASON_HELP.get(self.category, "Say how the rule applies.")
        if errors:
            raise ValidationError(errors)

    def is_correct(self, answer):
        """Return True if answer is this practice's bucket."""
        return answer == self.category

    @property
    def notes_are_stale(self):
        """Return True if the wrong-bucket notes were written for another bucket."""
        return bool(self.notes_bucket) and self.notes_bucket != self.category

    def _own_note(self, answer):
        if answer == self.category or self.notes_are_stale:
            return ""
        return getattr(self, f"note_if_{answer}", "").strip()

    def has_note(self, answer):
        """Return True if the practice has its own (current) note for the wrong bucket `answer`."""
        return bool(self._own_note(answer))

    def note_for(self, answer):
        """Return the feedback for a learner who chose answer (Markdown).

        A stale note (written for the bucket the practice had before) is never
        shown: the explanation stands in until an editor reviews it.
        """
        return self._own_note(answer) or self.explanation

    def why_not(self):
        """Return [(label, Markdown)] saying why the practice is not in each other bucket.

        Each is the practice's own note when it has a current one that says
        something new; otherwise the sorting rule's reason for that pair of
        buckets, so the page never repeats the explanation.
        """
        others = []
        for value, label in Category.choices:
            if value == self.category:
                continue
            note = self._own_note(value)
            if not note or repeats(note, self.explanation):
                note = WHY_NOT_RULE[(self.category, value)]
            others.append((label, note))
        return others

    def notes_to_review(self, category=None, notes=None):
        """Return [(field name, message)] for each note that does not match the bucket.

        `category` and `notes` ({bucket: text}) default to the practice's own;
        the notes were written for `notes_bucket`.
        """
        category = category or self.category
        written_for = self.notes_bucket or category
        if written_for == category:
            return []
        if notes is None:
            notes = {value: getattr(self, f"note_if_{value}") for value in Category.values}
        old, new = BUCKET_LABELS[written_for], BUCKET_LABELS[category]
        found = []
        for value in Category.values:
            if not notes.get(value, "").strip():
                continue
            if value == category:
                message = (
                    f"{new} is now the right bucket, so this note for a learner who "
                    "chose it is never shown: clear it (the history keeps it)."
                )
            else:
                message = f"Written while the practice was {old}: check that it holds for {new}."
            found.append((f"note_if_{value}", message))
        return found


class Tool(models.Model):
    """An example tool, so learners can connect the ideas to what they use."""

    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80, unique=True)
    category = models.CharField(max_length=10, choices=Category, db_index=True)
    kind = models.CharField(max_length=80, help_text="What sort of tool it is, e.g. 'CI server'.")
    description = models.CharField(max_length=300)
    url = models.URLField(max_length=500)
    dimensions = models.ManyToManyField(Dimension, related_name="tools")
    is_published = models.BooleanField("published", default=True)

    objects = PublishedQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=["dimensions"])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="tool_name_unique_ci"),
            models.CheckConstraint(
                condition=models.Q(category__in=Category.values),
                name="tool_category_valid",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("comparisons:tools") + f"#{self.slug}"


class ContentVersion(models.Model):
    """A counter bumped on every content change; cached pages are keyed by it.

    One row, shared by every process and machine through the database. Readers
    keep it in Django's cache for a second (Redis is shared, and a bump deletes
    it there at once); with per-process memory a worker sees a bump within a
    second.
    """

    value = models.PositiveBigIntegerField(default=1)

    def __str__(self):
        return f"content version {self.value}"


CONTENT_VERSION_KEY = "content-version"
CONTENT_VERSION_TIMEOUT = 1  # second


def content_version():
    """Return the current content version (read from the database at most once a second)."""
    version = cache.get(CONTENT_VERSION_KEY)
    if version is None:
        version = ContentVersion.objects.filter(pk=1).values_list("value", flat=True).first() or 0
        cache.set(CONTENT_VERSION_KEY, version, CONTENT_VERSION_TIMEOUT)
    return version


def bump_content_version(**kwargs):
    """Make every cached content page stale (connected to the content models' signals)."""
    if not ContentVersion.objects.filter(pk=1).update(value=models.F("value") + 1):
        ContentVersion.objects.get_or_create(pk=1)
    cache.delete(CONTENT_VERSION_KEY)
