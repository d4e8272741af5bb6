"""Item statistics that know what changed: split at revisions, with discrimination and N."""

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comparisons.models import Category, Practice
from quizzes import grading, stats
from quizzes.models import Answer, Attempt

from .factories import make_dimension, make_practice, make_quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(django_user_model):
    user = django_user_model.objects.create_user("ed", password="x" * 12, is_staff=True)
    user.groups.add(Group.objects.get(name="Content editors"))
    client = Client()
    client.force_login(user)
    return client


def five_card_quiz():
    dimension = make_dimension()
    practices = [
        make_practice(dimension=dimension, category=Category.values[i % 3], name=f"Card {i}")
        for i in range(5)
    ]
    return make_quiz(practices, pass_mark=60), practices


def finished_attempt(quiz, practices, right, key, retry_of=None):
    """Record a complete attempt whose card i is right when right[i] is 1."""
    attempt = Attempt.objects.create(
        quiz=quiz,
        session_key=key,
        practice_ids=[p.pk for p in practices],
        total=len(practices),
        answered=len(practices),
        score=sum(right),
        finished_at=timezone.now(),
        retry_of=retry_of,
    )
    for practice, ok in zip(practices, right, strict=True):
        wrong = next(c for c in Category.values if c != practice.category)
        Answer.objects.create(
            attempt=attempt,
            practice=practice,
            choice=practice.category if ok else wrong,
            expected=practice.category,
            is_correct=bool(ok),
        )
    return attempt


def test_an_answer_records_the_revision_it_was_given_for():
    quiz, practices = five_card_quiz()
    practice = practices[0]
    practice.category = "both" if practice.category != "both" else "devops"
    practice.save()
    attempt = grading.start_attempt(quiz=quiz, owner={"user": None, "session_key": "k" * 32})
    grading.record_answer(attempt=attempt, practice=practice, choice="both")
    assert Answer.objects.get(attempt=attempt, practice=practice).revision == 2


def test_statistics_split_at_the_revision_after_a_move(editor_client):
    quiz, practices = five_card_quiz()
    card = practices[0]  # DevOps
    assert card.category == "devops"
    for n in range(4):  # four learners pick Both: wrong while the card is DevOps
        attempt = grading.start_attempt(quiz=quiz, owner={"user": None, "session_key": f"{n:032}"})
        grading.record_answer(attempt=attempt, practice=card, choice="both")
    card.category = "both"
    card.save()
    for n in range(4, 7):  # three learners pick Both again: now right
        attempt = grading.start_attempt(quiz=quiz, owner={"user": None, "session_key": f"{n:032}"})
        grading.record_answer(attempt=attempt, practice=card, choice="both")

    rows = {row.revision: row for row in stats.revision_rows(card)}
    assert (rows[1].bucket, rows[1].answered, rows[1].facility) == ("devops", 4, 0)
    assert rows[1].wrong == ("Both", 4)
    assert (rows[2].bucket, rows[2].answered, rows[2].facility, rows[2].wrong) == (
        "both",
        3,
        100,
        None,
    )

    # The changelist counts the current revision only: never "bucket Both, wrong Both".
    url = reverse("admin:comparisons_practice_changelist")
    html = editor_client.get(url, {"q": card.name}).content.decode()
    row = html[html.index(f">{card.name}</a>") :]
    row = row[: row.index("</tr>")]
    assert re.search(r'field-answered_count">3<', row)
    assert re.search(r'field-wrong_bucket">–<', row)

    page = editor_client.get(reverse("admin:comparisons_practice_change", args=[card.pk]))
    html = page.content.decode()
    table = html[html.index('id="revision-statistics"') :]
    assert '0% <span class="n">(N = 4)</span>' in table
    assert '100% <span class="n">(N = 3)</span>' in table
    assert 'Both <span class="n">(4 of 4)</span>' in table


def test_answers_from_before_revisions_were_recorded_form_their_own_group():
    quiz, practices = five_card_quiz()
    card = practices[1]
    attempt = finished_attempt(quiz, practices, [1, 0, 1, 1, 1], "old" * 10)
    Answer.objects.filter(attempt=attempt).update(revision=None)
    finished_attempt(quiz, practices, [1, 1, 1, 1, 1], "new" * 10)
    rows = {row.revision: row for row in stats.revision_rows(card)}
    assert rows[None].answered == 1 and rows[None].facility == 0
    assert rows[1].answered == 1 and rows[1].facility == 100


def test_discrimination_is_the_item_rest_correlation_over_complete_first_attempts():
    quiz, practices = five_card_quiz()
    # Card 0 is right exactly for the learners who do well on the rest.
    patterns = [
        [1, 1, 1, 1, 1],
        [1, 1, 1, 1, 0],
        [0, 1, 0, 0, 0],
        [0, 0, 0, 1, 0],
        [1, 1, 0, 1, 1],
        [0, 0, 0, 0, 0],
    ]
    attempts = [
        finished_attempt(quiz, practices, pattern, f"s{n:031}")
        for n, pattern in enumerate(patterns)
    ]
    # A retry and a second attempt by the same learner never count.
    finished_attempt(quiz, practices, [0, 1, 1, 1, 1], "r" * 32, retry_of=attempts[0])
    finished_attempt(quiz, practices, [0, 1, 1, 1, 1], "s" + "0" * 31)
    index, n = stats.discrimination(quiz)[(quiz.pk, practices[0].pk, 1)]
    x = [p[0] for p in patterns]
    rest = [sum(p) - p[0] for p in patterns]
    assert n == 6
    assert index == pytest.approx(stats.correlation(list(zip(x, rest, strict=True))))
    assert index > 0.8


def test_discrimination_is_hidden_below_thirty_complete_first_attempts(editor_client):
    quiz, practices = five_card_quiz()
    for n in range(29):
        finished_attempt(quiz, practices, [n % 2, 1, n % 3 == 0, 1, n % 2], f"{n:032}")
    html = editor_client.get(reverse("admin-statistics")).content.decode()
    section = html[html.index(f'id="items-{quiz.slug}"') :]
    assert "hidden (N = 29 of 30)" in section
    finished_attempt(quiz, practices, [1, 1, 1, 1, 1], "x" * 32)
    html = editor_client.get(reverse("admin-statistics")).content.decode()
    section = html[html.index(f'id="items-{quiz.slug}"') :]
    section = section[: section.index("</table>")]
    assert "hidden" not in section
    assert re.search(r"-?\d\.\d\d <span class=\"n\">\(N = 30\)</span>", section)


def test_every_figure_on_the_statistics_page_has_its_n(editor_client):
    quiz, practices = five_card_quiz()
    finished_attempt(quiz, practices, [1, 0, 1, 0, 1], "a" * 32)
    finished_attempt(quiz, practices, [1, 1, 0, 0, 1], "b" * 32)
    finished_attempt(quiz, practices, [0, 1, 1, 0, 1], "c" * 32)
    html = editor_client.get(reverse("admin-statistics")).content.decode()
    for cell in re.findall(r"<td>(\d+%[^<]*(?:<span[^>]*>[^<]*</span>)?)</td>", html):
        assert "N = " in cell, cell


def test_the_practice_changelist_query_count_does_not_grow_with_content(
    editor_client, django_assert_max_num_queries
):
    url = reverse("admin:comparisons_practice_changelist")
    with django_assert_max_num_queries(30) as before:
        editor_client.get(url)
    quiz, practices = five_card_quiz()
    for n in range(5):
        finished_attempt(quiz, practices, [1, 0, 1, 0, 1], f"{n:032}")
    for practice in practices:
        practice.verified_at = timezone.now()
        practice.save()
    with django_assert_max_num_queries(len(before.captured_queries)):
        editor_client.get(url)
    assert Practice.objects.count() > 5
