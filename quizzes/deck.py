"""The quizzes and practices every learner request reads, kept once per content version.

Play, answer and results all need the quiz and the practices on its cards.
Those change only when an editor saves, and every content save bumps the
content version (`comparisons.caching`), so each process keeps one snapshot
and rebuilds it when the version moves. A learner's request then reads the
version, not the quiz and its practices.

The snapshot holds every practice, drafts included: an attempt keeps the cards
it was dealt even if an editor unpublishes one later. At ten times the shipped
content that is about a thousand practices per process.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.template.loader import render_to_string
from markupsafe import Markup

from comparisons.caching import content_version
from comparisons.models import Practice

from .models import Quiz


@dataclass(frozen=True)
class Deck:
    version: int
    quizzes: dict  # slug -> Quiz, with `size`: how many of its cards can be dealt
    practices: dict  # pk -> Practice, with its dimension
    verdicts: dict = field(default_factory=dict, compare=False)  # filled as answers are shown

    def quiz(self, slug, user):
        """Return the quiz with this slug if the user may see it (staff see drafts), or None."""
        quiz = self.quizzes.get(slug)
        return quiz if quiz is not None and _may_see(quiz, user) else None

    def visible_quizzes(self, user):
        """Return the quizzes the user may see, in the quizzes' own order."""
        return [quiz for quiz in self.quizzes.values() if _may_see(quiz, user)]

    def verdict(self, practice, answer, explain=False):
        """Return the feedback on an answer to this card, rendered once per kind of answer."""
        key = (practice.pk, answer.choice, answer.expected, explain)
        html = self.verdicts.get(key)
        if html is None:
            context = {"practice": practice, "answer": answer, "show_explanation": explain}
            html = render_to_string("quizzes/_verdict.html", context)
            # Jinja2 escaped everything it printed; the result is markup.
            html = self.verdicts[key] = Markup(html)
        return html


def _may_see(quiz, user):
    # The same rule as PublishedQuerySet.visible_to, for one quiz in memory.
    return quiz.is_published or (user.is_authenticated and user.is_staff)


_current = None


def current():
    """Return this process's deck, rebuilt first if an editor has changed content since."""
    global _current
    version = content_version()
    deck = _current
    if deck is None or deck.version != version:
        # Two threads may both rebuild after a change; either result is right.
        deck = _current = build(version)
    return deck


def build(version):
    dealable = Q(items__practice__in=Practice.objects.quizzable())
    quizzes = Quiz.objects.annotate(size=Count("items", filter=dealable))
    return Deck(
        version=version,
        quizzes={quiz.slug: quiz for quiz in quizzes},
        practices=Practice.objects.select_related("dimension").in_bulk(),
    )


def forget():
    """Drop the snapshot (tests whose rolled-back transactions reuse version numbers)."""
    global _current
    _current = None
