"""The quiz pages' template helpers (registered in opsguide.jinja2)."""

from jinja2 import pass_context
from markupsafe import Markup, escape


@pass_context
def verdict(context, practice, answer):
    """Render the feedback on one answer, and the learner's "I disagree" link.

    The feedback depends only on the card and the answer, so the deck renders
    it once per content version; a results page with 30 mistakes reuses it.
    The link is put together here: Markup.format and format_html cost more
    than the rest of this function together.
    """
    html = context["deck"].verdict(practice, answer, explain=context.get("show_explanation", False))
    if not context.get("can_dispute"):
        return html
    pk = int(practice.pk)
    url = escape(f"{context['dispute_url']}?practice={pk}")
    # Both parts are markup already: joined as plain strings, not by Markup's
    # __add__, which escapes its operand again.
    return Markup(
        f'{html}<div id="dispute-{pk}" class="dispute-slot"><a class="dispute-link" href="{url}" '
        f'hx-get="{url}" hx-target="#dispute-{pk}" hx-swap="innerHTML">'
        "I disagree with this answer</a></div>"
    )
