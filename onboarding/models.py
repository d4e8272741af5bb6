import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from comparisons.models import Dimension, Practice
from quizzes.models import Quiz


class Team(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="teams"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        # For people who look after onboarding across teams; a team's own lead
        # needs neither. Staff status alone grants nothing here.
        permissions = [
            ("view_team_progress", "Can see every team's dashboard and CSV"),
            ("manage_team", "Can change every team's track and invites"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("onboarding:team", args=[self.slug])

    def is_led_by(self, user):
        """Return True if user is a lead of this team."""
        if not user.is_authenticated:
            return False
        return self.memberships.filter(user=user, role=Membership.Role.LEAD).exists()

    def can_view_progress(self, user):
        """Return True if user may read the dashboard and the CSV."""
        return user.has_perm("onboarding.view_team_progress") or self.is_led_by(user)

    def can_manage(self, user):
        """Return True if user may change the track and the invites."""
        return user.has_perm("onboarding.manage_team") or self.is_led_by(user)


class MembershipQuerySet(models.QuerySet):
    def learners(self):
        """Return the memberships counted as learners: members, and leads who opted in."""
        return self.filter(Q(role=Membership.Role.MEMBER) | Q(learns_too=True))


class Membership(models.Model):
    """Someone in a team, as a member (a learner) or as a lead."""

    class Role(models.TextChoices):
        LEAD = "lead", "Lead"
        MEMBER = "member", "Member"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)
    learns_too = models.BooleanField(
        "lead works through the track too",
        default=False,
        help_text="A lead is counted as a learner on the dashboard only when this is set.",
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["team", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "team"], name="one_membership_per_team")
        ]

    def __str__(self):
        return f"{self.user} in {self.team} ({self.get_role_display().lower()})"

    @property
    def is_learner(self):
        """Return True if this membership counts among the learners of the track."""
        return self.role == self.Role.MEMBER or self.learns_too


def default_token():
    return secrets.token_urlsafe(24)


def default_expiry():
    return timezone.now() + timedelta(days=14)


class InviteQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at=None, expires_at__gt=timezone.now(), uses__lt=F("max_uses"))


class Invite(models.Model):
    """A link that lets new people sign up and join a team."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invites")
    token = models.CharField(max_length=64, unique=True, default=default_token, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=default_expiry)
    max_uses = models.PositiveSmallIntegerField(default=10)
    uses = models.PositiveSmallIntegerField(default=0)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InviteQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(uses__lte=F("max_uses")), name="invite_uses_capped")
        ]

    def __str__(self):
        return f"Invite to {self.team} ({self.status})"

    def get_absolute_url(self):
        return reverse("onboarding:invite", args=[self.token])

    @property
    def status(self):
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        if self.uses >= self.max_uses:
            return "used up"
        return "active"

    @property
    def is_usable(self):
        return self.status == "active"

    @property
    def uses_left(self):
        return max(self.max_uses - self.uses, 0)

    def use(self):
        """Count one use if the invite is still usable; return False if it was not."""
        return bool(Invite.objects.usable().filter(pk=self.pk).update(uses=F("uses") + 1))


class Track(models.Model):
    """A team's onboarding track: the ordered steps a new member works through."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="track")
    title = models.CharField(max_length=120, default="Onboarding")

    def __str__(self):
        return f"{self.team}: {self.title}"


class Step(models.Model):
    """Read a dimension, or pass a quiz."""

    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(default=0)
    dimension = models.ForeignKey(
        Dimension, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    quiz = models.ForeignKey(
        Quiz, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    due_on = models.DateField(
        "due by", null=True, blank=True, help_text="Optional: the date members should be done by."
    )

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(dimension__isnull=False, quiz__isnull=True))
                | (Q(dimension__isnull=True, quiz__isnull=False)),
                name="step_is_a_reading_or_a_quiz",
            )
        ]

    def __str__(self):
        return f"Read “{self.dimension}”" if self.dimension_id else f"Pass “{self.quiz}”"

    @property
    def is_reading(self):
        return self.dimension_id is not None

    def is_overdue(self, done, today=None):
        """Return True if a learner who has not done this step is past its due date."""
        if done or self.due_on is None:
            return False
        return self.due_on < (today or timezone.localdate())


class ReadMark(models.Model):
    """A learner marked a dimension as read."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="read_marks"
    )
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="+")
    marked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "dimension"], name="read_once")]

    def __str__(self):
        return f"{self.user} read {self.dimension}"


class FormerAnswers(models.Model):
    """Anonymous counts of the answers of a team's learners who deleted their account.

    A deleted account's attempts stay (without their owner) for the quizzes'
    statistics, but nothing ties them to a team any more; the team's weak
    spots keep counting them through these totals, which name nobody.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="former_answers")
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    answers = models.PositiveIntegerField(default=0)
    misses = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "former members' answers"
        constraints = [
            models.UniqueConstraint(fields=["team", "practice"], name="former_answers_once"),
            models.CheckConstraint(
                condition=Q(misses__lte=F("answers")), name="former_misses_capped"
            ),
        ]

    def __str__(self):
        return f"{self.team}: {self.practice} missed {self.misses} of {self.answers}"
