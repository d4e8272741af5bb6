from django import template

from comparisons.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    """Render Markdown to sanitised HTML."""
    return render_markdown(text)


@register.filter
def note_for(practice, choice):
    """Return the Markdown feedback for a learner who chose `choice`."""
    return practice.note_for(choice)


@register.filter
def has_note(practice, choice):
    """Return True if the practice has its own note for the wrong bucket `choice`."""
    return bool(getattr(practice, f"note_if_{choice}", ""))
