from django.db import models


class ShippedUpdate(models.Model):
    """A shipped change to a row an editor had already edited, waiting for their decision.

    A release of OpsGuide updates shipped rows that are still exactly as shipped.
    Where an editor changed a row, their text stays and the release's text waits
    here, so the editor can compare the two and take the shipped one over.
    """

    class Kind(models.TextChoices):
        SOURCE = "source", "source"
        DIMENSION = "dimension", "dimension"
        TOOL = "tool", "tool"
        PRACTICE = "practice", "practice"
        QUIZ = "quiz", "quiz"

    class Resolution(models.TextChoices):
        PENDING = "", "waiting for an editor"
        TAKEN_OVER = "taken", "shipped text taken over"
        KEPT = "kept", "editor's text kept"

    kind = models.CharField(max_length=10, choices=Kind)
    key = models.CharField(max_length=120, help_text="The row's slug (or a source's key).")
    release = models.PositiveSmallIntegerField(help_text="The release that shipped this text.")
    values = models.JSONField(help_text="The row as the release ships it.")
    created_at = models.DateTimeField(auto_now_add=True)
    resolution = models.CharField(max_length=5, choices=Resolution, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["resolution", "kind", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key", "release"], name="shipped_update_once_per_release"
            )
        ]

    def __str__(self):
        return f"Release {self.release} update for {self.kind} “{self.key}”"

    @property
    def is_pending(self):
        return self.resolution == self.Resolution.PENDING
