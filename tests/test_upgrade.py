"""Upgrading a database of the previous release: editors' edits and learners' answers survive.

The database is taken back to the previous release's migrations, filled as a
live site would be (an edited card, an editor's draft, a learner's finished
attempt, a dispute), then migrated forward. Keep this test, with its
PREVIOUS_RELEASE moved on, for every later content migration.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from comparisons.models import Category, Practice
from content.models import ShippedUpdate
from content.shipped import latest_release, read_release
from quizzes.grading import next_practice_id
from quizzes.models import Answer, Attempt, Dispute, Quiz

from .releases import PREVIOUS_RELEASE, RELEASE_2, RELEASE_3, RELEASE_4

# A card an editor changed, and one nobody touched.
EDITED = "limit-work-in-progress"
UNEDITED = "version-training-datasets"
EDITORS_WORDS = "Our own team's wording, written in the admin."


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor


def fill_like_a_live_site(apps):
    """Edit a card, add a draft, and record a learner's finished attempt and a dispute."""
    Practice = apps.get_model("comparisons", "Practice")
    Quiz = apps.get_model("quizzes", "Quiz")
    User = apps.get_model("auth", "User")
    edited = Practice.objects.get(slug=EDITED)
    edited.explanation = EDITORS_WORDS
    edited.save()
    draft = Practice.objects.create(
        name="An editor's draft card",
        slug="editors-draft",
        description="Not ready yet.",
        category="both",
        explanation="Still being written.",
        dimension=edited.dimension,
        is_published=False,
    )
    quiz = Quiz.objects.get(slug="warm-up")
    practices = list(quiz.practices.order_by("quiz_items__position"))
    learner = User.objects.create(username="learner")
    attempt = apps.get_model("quizzes", "Attempt").objects.create(
        quiz=quiz,
        user=learner,
        practice_ids=[p.pk for p in practices],
        score=len(practices) - 1,
        answered=len(practices),
    )
    Answer = apps.get_model("quizzes", "Answer")
    for n, practice in enumerate(practices):
        choice = practice.category if n else "mlops" if practice.category != "mlops" else "devops"
        Answer.objects.create(
            attempt=attempt,
            practice=practice,
            choice=choice,
            expected=practice.category,
            is_correct=choice == practice.category,
        )
    attempt.finished_at = attempt.started_at
    attempt.save()
    apps.get_model("quizzes", "Dispute").objects.create(
        practice=practices[0], attempt=attempt, chosen="mlops", reason="I think it is MLOps."
    )
    return (
        draft.pk,
        attempt.pk,
        {(a.practice_id, a.choice, a.expected, a.is_correct) for a in Answer.objects.all()},
    )


@pytest.mark.django_db(transaction=True)
def test_upgrade_keeps_edits_drafts_answers_and_scores_and_updates_unedited_cards():
    executor = migrate([("comparisons", None)])
    executor = migrate(PREVIOUS_RELEASE)
    old_apps = executor.loader.project_state(PREVIOUS_RELEASE).apps
    draft_pk, attempt_pk, answers = fill_like_a_live_site(old_apps)

    migrate(executor.loader.graph.leaf_nodes())

    edited = Practice.objects.get(slug=EDITED)
    assert (edited.explanation, edited.revision) == (EDITORS_WORDS, 1)
    update = ShippedUpdate.objects.get(kind="practice", key=EDITED)
    assert update.is_pending and update.release == 2

    shipped = {p["slug"]: p for p in read_release(2)["practices"]}
    unedited = Practice.objects.get(slug=UNEDITED)
    assert (unedited.name, unedited.rule_reason, unedited.revision) == (
        shipped[UNEDITED]["name"],
        shipped[UNEDITED]["rule_reason"],
        2,
    )

    draft = Practice.objects.get(pk=draft_pk)
    assert (draft.name, draft.is_published, draft.revision) == ("An editor's draft card", False, 1)

    attempt = Attempt.objects.get(pk=attempt_pk)
    assert (attempt.score, attempt.answered, attempt.is_finished) == (9, 10, True)
    assert {
        (a.practice_id, a.choice, a.expected, a.is_correct) for a in Answer.objects.all()
    } == answers
    assert Dispute.objects.get().reason == "I think it is MLOps."

    # The quiz takes its new cards; the learner's attempt keeps the cards it was dealt.
    warm_up = Quiz.objects.get(slug="warm-up")
    assert (
        list(warm_up.items.order_by("position").values_list("practice__slug", flat=True))
        == (next(q for q in read_release(2)["quizzes"] if q["slug"] == "warm-up")["practices"])
    )
    assert sorted(attempt.practice_ids) == sorted(practice_id for practice_id, *_ in answers)


@pytest.mark.django_db(transaction=True)
def test_a_fresh_database_holds_the_latest_release_exactly():
    migrate([("comparisons", None)])
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    release = read_release(latest_release())
    for record in release["practices"]:
        practice = Practice.objects.get(slug=record["slug"])
        assert (practice.name, practice.category, practice.explanation) == (
            record["name"],
            record["category"],
            record["explanation"],
        ), record["slug"]
    assert not ShippedUpdate.objects.exists()


# Release 2 → release 3: new topics arrive; editors' work on release 2 stays.


@pytest.mark.django_db(transaction=True)
def test_upgrade_from_release_2_adds_the_new_topics_and_keeps_editors_work():
    migrate([("comparisons", None)])
    executor = migrate(RELEASE_2)
    old_apps = executor.loader.project_state(RELEASE_2).apps
    draft_pk, attempt_pk, answers = fill_like_a_live_site(old_apps)
    # An editor's own change to a release-2 quiz that release 3 extends.
    Quiz_ = old_apps.get_model("quizzes", "Quiz")
    Quiz_.objects.filter(slug="monitoring-and-operations").update(title="Monitoring (our edit)")

    migrate(executor.loader.graph.leaf_nodes())

    release = read_release(3)
    for record in release["practices"]:
        assert Practice.objects.filter(slug=record["slug"]).exists(), record["slug"]
    assert Practice.objects.get(slug=EDITED).explanation == EDITORS_WORDS
    # Release 3 leaves that card as release 2 had it, so nothing waits for the editor.
    assert not ShippedUpdate.objects.filter(key=EDITED, release=3).exists()
    assert Practice.objects.get(pk=draft_pk).name == "An editor's draft card"

    edited_quiz = Quiz.objects.get(slug="monitoring-and-operations")
    assert edited_quiz.title == "Monitoring (our edit)"
    assert ShippedUpdate.objects.get(kind="quiz", key="monitoring-and-operations").release == 3
    unedited = next(q for q in release["quizzes"] if q["slug"] == "delivery-and-automation")
    delivery = Quiz.objects.get(slug="delivery-and-automation")
    assert (
        list(delivery.items.order_by("position").values_list("practice__slug", flat=True))
        == (unedited["practices"])
    )
    assert Quiz.objects.filter(slug__in=["llm-applications", "tricky-cases"]).count() == 2

    attempt = Attempt.objects.get(pk=attempt_pk)
    assert (attempt.score, attempt.answered, attempt.is_finished) == (9, 10, True)
    assert {
        (a.practice_id, a.choice, a.expected, a.is_correct) for a in Answer.objects.all()
    } == answers


# Release 3 → this one: attempts learn which cards they have answered, in order.


@pytest.mark.django_db(transaction=True)
def test_upgrade_from_release_3_lists_each_attempts_answers_in_the_order_given():
    migrate([("comparisons", None)])
    executor = migrate(RELEASE_3)
    old_apps = executor.loader.project_state(RELEASE_3).apps
    draft_pk, finished_pk, answers = fill_like_a_live_site(old_apps)
    # A learner half-way through on the sort board: the third card first, then the first.
    OldAttempt = old_apps.get_model("quizzes", "Attempt")
    OldAnswer = old_apps.get_model("quizzes", "Answer")
    finished = OldAttempt.objects.get(pk=finished_pk)
    dealt = finished.practice_ids[:4]
    unfinished = OldAttempt.objects.create(
        quiz_id=finished.quiz_id, session_key="a-learners-session", practice_ids=dealt, total=4
    )
    Practice_ = old_apps.get_model("comparisons", "Practice")
    for practice_id in (dealt[2], dealt[0]):
        practice = Practice_.objects.get(pk=practice_id)
        OldAnswer.objects.create(
            attempt=unfinished,
            practice=practice,
            choice=practice.category,
            expected=practice.category,
            is_correct=True,
        )
    OldAttempt.objects.filter(pk=unfinished.pk).update(answered=2, score=2)

    migrate(executor.loader.graph.leaf_nodes())

    finished = Attempt.objects.get(pk=finished_pk)
    answer_order = list(
        Answer.objects.filter(attempt=finished).order_by("pk").values_list("practice_id", flat=True)
    )
    assert finished.answered_ids == answer_order and len(answer_order) == 10
    assert {
        (a.practice_id, a.choice, a.expected, a.is_correct)
        for a in Answer.objects.filter(attempt=finished)
    } == answers
    carried_on = Attempt.objects.get(pk=unfinished.pk)
    assert carried_on.answered_ids == [dealt[2], dealt[0]]
    assert (carried_on.answered, carried_on.score) == (2, 2)
    # The next card dealt is the first one not answered yet: the second.
    assert next_practice_id(carried_on) == dealt[1]
    assert Practice.objects.get(pk=draft_pk).name == "An editor's draft card"


# Release 4 → this one: editors' history, verification, stale notes, answers by revision.


@pytest.mark.django_db(transaction=True)
def test_upgrade_from_release_4_keeps_edits_and_answers_and_starts_the_history():
    migrate([("comparisons", None)])
    executor = migrate(RELEASE_4)
    old_apps = executor.loader.project_state(RELEASE_4).apps
    draft_pk, finished_pk, answers = fill_like_a_live_site(old_apps)

    migrate(executor.loader.graph.leaf_nodes())

    # Editors' edits and drafts, learners' answers and disputes: all still there.
    edited = Practice.objects.get(slug=EDITED)
    assert edited.explanation == EDITORS_WORDS
    draft = Practice.objects.get(pk=draft_pk)
    assert (draft.name, draft.is_published) == ("An editor's draft card", False)
    assert {
        (a.practice_id, a.choice, a.expected, a.is_correct)
        for a in Answer.objects.filter(attempt_id=finished_pk)
    } == answers
    # Answers given before revisions were recorded say so, rather than guess one.
    assert set(Answer.objects.values_list("revision", flat=True)) == {None}
    dispute = Dispute.objects.get()
    assert (dispute.reason, dispute.chosen, dispute.proposed) == (
        "I think it is MLOps.",
        "mlops",
        "",
    )

    # Every practice's notes count as written for its bucket; none is stale.
    assert not [p.slug for p in Practice.objects.all() if p.notes_are_stale]
    assert set(Practice.objects.values_list("notes_bucket", flat=True)) <= set(Category.values)

    # The history starts with each row as it was, and the next edit has a "before".
    for practice in Practice.objects.all():
        (first,) = practice.history.all()
        assert (first.history_type, first.explanation) == ("+", practice.explanation)
        assert {row.source_id for row in first.sources.all()} == {
            s.pk for s in practice.sources.all()
        }
    assert Quiz.objects.get(slug="warm-up").history.count() == 1
    edited.description = "Edited after the upgrade."
    edited.save()
    latest = edited.history.first()
    changes = latest.diff_against(latest.prev_record).changed_fields
    assert changes == ["description"]

    # New answers record the revision they were given for.
    attempt = Attempt.objects.get(pk=finished_pk)
    new = Attempt.objects.create(
        quiz=attempt.quiz, session_key="after", practice_ids=[edited.pk], total=1
    )
    answer = Answer.objects.create(
        attempt=new, practice=edited, choice="both", expected=edited.category, is_correct=False
    )
    assert answer.revision == edited.revision
