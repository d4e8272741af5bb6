"""Editors' replies to a learner's disputes, for the pages the learner reads."""

from django import template

from ..models import Attempt, Dispute

register = template.Library()


def _disputes_of(request):
    """Return the disputes sent from the request's account, or from its anonymous session."""
    return Dispute.objects.filter(attempt__in=Attempt.objects.owned_by(request))


@register.inclusion_tag("editors/_dispute_replies.html", takes_context=True)
def dispute_replies(context, practice=None):
    """Show the learner's disputes (about `practice`, if given) with the editors' replies.

    A signed-in learner sees every one of theirs; an anonymous learner those sent
    from this browser's session.
    """
    request = context.get("request")
    if request is None or not hasattr(request, "session"):
        return {"disputes": []}
    disputes = _disputes_of(request).select_related("practice").order_by("-created_at")
    if practice is not None:
        disputes = disputes.filter(practice=practice)
    return {"disputes": list(disputes[:20]), "one_card": practice is not None}
