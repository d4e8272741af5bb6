"""The quiz pages' template helpers (registered in opsguide.jinja2)."""

from django.utils.html import format_html
from jinja2 import pass_context

DISPUTE_SLOT = (
    '<div id="dispute-{pk}" class="dispute-slot"><a class="dispute-link" href="{url}" '
    'hx-get="{url}" hx-target="#dispute-{pk}" hx-swap="innerHTML">'
    "I disagree with this answer</a></div>"
)


@pass_context
def verdict(context, practice, answer):
    """Render the feedback on one answer, and the learner's "I disagree" link.

    The feedback depends only on the card and the answer, so the deck renders
    it once per content version; a results page with 30 mistakes reuses it.
    """
    html = context["deck"].verdict(practice, answer, explain=context.get("show_explanation", False))
    if not context.get("can_dispute"):
        return html
    url = f"{context['dispute_url']}?practice={practice.pk}"
    return html + format_html(DISPUTE_SLOT, pk=practice.pk, url=url)
