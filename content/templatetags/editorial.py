"""The admin index's queue of content to check again against its sources."""

from django import template
from django.db.models import Exists, F, OuterRef

from comparisons.models import Practice, Source

register = template.Library()

QUEUE_LENGTH = 8


def oldest(queryset):
    """Return the rows verified longest ago, the never verified first."""
    return list(queryset.order_by(F("verified_at").asc(nulls_first=True), "pk")[:QUEUE_LENGTH])


def sources_changed_since_verified():
    """Return verified practices one of whose sources was edited after the practice was verified."""
    edited = Source.history.filter(
        history_type="~",
        id__in=Practice.sources.through.objects.filter(practice_id=OuterRef(OuterRef("pk"))).values(
            "source_id"
        ),
        history_date__gt=OuterRef("verified_at"),
    )
    return list(
        Practice.objects.filter(verified_at__isnull=False)
        .filter(Exists(edited.values("pk")))
        .order_by("verified_at")[:QUEUE_LENGTH]
    )


@register.inclusion_tag("admin/_verification_queue.html", takes_context=True)
def verification_queue(context):
    perms = context.get("perms")
    if not perms or not perms["comparisons"]["change_practice"]:
        return {"show": False}
    return {
        "show": True,
        "practices": oldest(Practice.objects.all()),
        "sources": oldest(Source.objects.all()),
        "changed": sources_changed_since_verified(),
    }
