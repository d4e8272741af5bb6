"""Grading: dealing cards, recording answers once, scoring, and the breakdown."""

import random
import threading

import pytest
from django.db import connection

from quizzes import grading
from quizzes.models import Answer, Attempt

from .factories import make_practice, make_quiz, wrong_for

OWNER = {"user": None, "session_key": "s" * 32}


@pytest.mark.django_db
def test_start_deals_the_quizs_practices_in_order_when_not_shuffled():
    quiz = make_quiz(size=4)
    attempt = grading.start_attempt(quiz=quiz, owner=OWNER)
    expected = list(quiz.items.values_list("practice_id", flat=True))
    assert attempt.practice_ids == expected
    assert attempt.total == 4
    assert attempt.score == 0
    assert not attempt.is_finished


@pytest.mark.django_db
def test_start_shuffles_when_the_quiz_says_so():
    quiz = make_quiz(size=8, shuffle=True)
    attempt = grading.start_attempt(quiz=quiz, owner=OWNER, rng=random.Random(3))
    ordered = list(quiz.items.values_list("practice_id", flat=True))
    assert sorted(attempt.practice_ids) == sorted(ordered)
    assert attempt.practice_ids != ordered


@pytest.mark.django_db
def test_start_leaves_out_contested_and_unpublished_practices():
    contested = make_practice(is_contested=True)
    hidden = make_practice(is_published=False)
    plain = make_practice()
    quiz = make_quiz(practices=[contested, hidden, plain])
    attempt = grading.start_attempt(quiz=quiz, owner=OWNER)
    assert attempt.practice_ids == [plain.pk]


@pytest.mark.django_db
def test_right_answer_scores_and_wrong_answer_does_not():
    quiz = make_quiz(size=3)
    attempt = grading.start_attempt(quiz=quiz, owner=OWNER)
    first, second, _ = [item.practice for item in quiz.items.select_related("practice")]
    right = grading.record_answer(attempt=attempt, practice=first, choice=first.category)
    wrong = grading.record_answer(attempt=attempt, practice=second, choice=wrong_for(second))
    assert right.created and right.answer.is_correct
    assert wrong.created and not wrong.answer.is_correct
    assert wrong.answer.expected == second.category
    attempt.refresh_from_db()
    assert attempt.score == 1
    assert not attempt.is_finished


@pytest.mark.django_db
def test_last_answer_finishes_the_attempt():
    quiz = make_quiz(size=2)
    attempt = grading.start_attempt(quiz=quiz, owner=OWNER)
    first, second = (item.practice for item in quiz.items.select_related("practice"))
    grading.record_answer(attempt=attempt, practice=first, choice=first.category)
    grading.record_answer(attempt=attempt, practice=second, choice=wrong_for(second))
    attempt.refresh_from_db()
    assert attempt.is_finished
    assert (attempt.answered, attempt.score, attempt.percent) == (2, 1, 50)


@pytest.mark.django_db
def test_repeated_submit_returns_the_stored_answer_and_counts_once():
    quiz = make_quiz(size=2)
    attempt = grading.start_attempt(quiz=quiz, owner=OWNER)
    practice = quiz.items.first().practice
    first = grading.record_answer(attempt=attempt, practice=practice, choice=practice.category)
    again = grading.record_answer(attempt=attempt, practice=practice, choice=wrong_for(practice))
    assert not again.created
    assert again.answer.pk == first.answer.pk
    assert again.answer.choice == practice.category
    attempt.refresh_from_db()
    assert attempt.score == 1
    assert Answer.objects.filter(attempt=attempt).count() == 1


@pytest.mark.django_db
def test_a_choice_outside_the_buckets_is_refused():
    quiz = make_quiz(size=1)
    attempt = grading.start_attempt(quiz=quiz, owner=OWNER)
    with pytest.raises(grading.InvalidChoice):
        grading.record_answer(attempt=attempt, practice=quiz.items.first().practice, choice="ops")
    assert not Answer.objects.exists()


@pytest.mark.django_db
def test_a_practice_not_dealt_in_the_attempt_is_refused():
    quiz = make_quiz(size=1)
    attempt = grading.start_attempt(quiz=quiz, owner=OWNER)
    with pytest.raises(grading.NotInAttempt):
        grading.record_answer(attempt=attempt, practice=make_practice(), choice="both")
    assert not Answer.objects.exists()


@pytest.mark.django_db
def test_a_finished_attempt_takes_no_new_choice_but_repeats_the_same_one():
    quiz = make_quiz(size=1)
    attempt = grading.start_attempt(quiz=quiz, owner=OWNER)
    practice = quiz.items.first().practice
    grading.record_answer(attempt=attempt, practice=practice, choice=practice.category)
    attempt.refresh_from_db()
    repeat = grading.record_answer(attempt=attempt, practice=practice, choice=practice.category)
    assert not repeat.created
    with pytest.raises(grading.AttemptFinished):
        grading.record_answer(attempt=attempt, practice=practice, choice=wrong_for(practice))
    attempt.refresh_from_db()
    assert attempt.score == 1
    assert Answer.objects.count() == 1


@pytest.mark.django_db
def test_breakdown_counts_chosen_against_right():
    quiz = make_quiz(size=6)
    attempt = grading.start_attempt(quiz=quiz, owner=OWNER)
    practices = [item.practice for item in quiz.items.select_related("practice")]
    for practice in practices[:3]:
        grading.record_answer(attempt=attempt, practice=practice, choice=practice.category)
    for practice in practices[3:]:
        grading.record_answer(attempt=attempt, practice=practice, choice="both")
    summary = grading.breakdown(list(attempt.answers.select_related("practice")))
    # make_quiz cycles devops, mlops, both: the last three were answered "both".
    assert summary.matrix["devops"] == {"devops": 1, "mlops": 0, "both": 1}
    assert summary.matrix["mlops"] == {"devops": 0, "mlops": 1, "both": 1}
    assert summary.matrix["both"] == {"devops": 0, "mlops": 0, "both": 2}
    assert summary.per_category == [
        ("devops", "DevOps", 1, 2, 50),
        ("mlops", "MLOps", 1, 2, 50),
        ("both", "Both", 2, 2, 100),
    ]
    assert summary.table == [
        ("DevOps", [(1, "diagonal"), (0, ""), (1, "off")]),
        ("MLOps", [(0, ""), (1, "diagonal"), (1, "off")]),
        ("Both", [(0, ""), (0, ""), (2, "diagonal")]),
    ]
    assert [a.practice for a in summary.mistakes] == [practices[3], practices[4]]


def race(attempt, practice, choices):
    """Submit `choices` for one card from as many threads at the same moment; return results."""
    barrier = threading.Barrier(len(choices))
    results, errors = [], []

    def submit(choice):
        try:
            fresh = Attempt.objects.get(pk=attempt.pk)
            barrier.wait(timeout=5)
            results.append(grading.record_answer(attempt=fresh, practice=practice, choice=choice))
        except Exception as error:  # noqa: BLE001 - reported by the caller's assertion
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(choice,)) for choice in choices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    return results


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_racing_submits_of_the_same_card_store_one_answer(round_):
    quiz = make_quiz(size=2)
    attempt = grading.start_attempt(quiz=quiz, owner=OWNER)
    practice = quiz.items.first().practice

    results = race(attempt, practice, [practice.category, wrong_for(practice)])

    assert sorted(r.created for r in results) == [False, True]
    assert Answer.objects.filter(attempt=attempt).count() == 1
    stored = Answer.objects.get(attempt=attempt)
    attempt.refresh_from_db()
    assert attempt.score == (1 if stored.is_correct else 0)
    assert attempt.answered == 1
    assert {r.answer.pk for r in results} == {stored.pk}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_racing_submits_of_the_last_card_both_get_the_stored_answer(round_):
    """Found by the load run: the loser of a race on the last card saw a finished attempt."""
    quiz = make_quiz(size=1)
    attempt = grading.start_attempt(quiz=quiz, owner=OWNER)
    practice = quiz.items.first().practice

    results = race(attempt, practice, ["both", "both"])

    assert sorted(r.created for r in results) == [False, True]
    attempt.refresh_from_db()
    assert attempt.is_finished
    assert Answer.objects.filter(attempt=attempt).count() == 1
