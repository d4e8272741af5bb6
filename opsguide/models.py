from django.db import models


class RateCounter(models.Model):
    """Requests one client made in one window of one limit, when Redis is not there to count.

    A row per (limit, client, window); the count goes up with an UPDATE ... SET
    count = count + 1, which the database applies atomically, so every worker
    and every instance sees one count. Old windows are pruned by
    `manage.py prune_anonymous`.
    """

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.key}: {self.count}"
