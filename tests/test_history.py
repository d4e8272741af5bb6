"""Complete history: every path that changes content is recorded; compare and revert, guarded."""

import json

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from comparisons.models import Category, Dimension, Practice, Source, Tool
from content.transfer import export_content, import_content
from quizzes.models import Quiz, QuizItem

from .factories import make_dimension, make_practice, make_quiz

pytestmark = pytest.mark.django_db


def admin_url(model, view, *args):
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("ed", password="x" * 12, is_staff=True)
    user.groups.add(Group.objects.get(name="Content editors"))
    return user


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def viewer_client(django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("viewer", password="x" * 12, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_practice"))
    client = Client()
    client.force_login(user)
    return client


def test_the_shipped_content_starts_with_a_history():
    practice = Practice.objects.get(slug="monitor-input-data-drift")
    first = practice.history.earliest()
    assert first.history_type == "+"
    assert first.category == practice.category
    assert {row.source_id for row in first.sources.all()} == {s.pk for s in practice.sources.all()}
    assert Quiz.objects.get(slug="warm-up").history.exists()
    for model in (Source, Dimension, Tool, QuizItem):
        assert model.history.count() >= model.objects.count()


def test_an_admin_edit_records_who_and_the_before_and_after(editor_client, editor):
    practice = Practice.objects.get(slug="monitor-input-data-drift")
    before = practice.explanation
    data = {
        "name": practice.name,
        "slug": practice.slug,
        "description": practice.description,
        "dimension": practice.dimension_id,
        "is_published": "on",
        "category": practice.category,
        "explanation": "A new, clearer explanation of drift.",
        "rule_reason": practice.rule_reason,
        "sources": [s.pk for s in practice.sources.all()],
        "note_if_devops": practice.note_if_devops,
        "note_if_mlops": practice.note_if_mlops,
        "note_if_both": practice.note_if_both,
        "disputes-TOTAL_FORMS": "0",
        "disputes-INITIAL_FORMS": "0",
        "disputes-MIN_NUM_FORMS": "0",
        "disputes-MAX_NUM_FORMS": "1000",
    }
    data = {k: v for k, v in data.items() if v != ""}
    response = editor_client.post(admin_url(Practice, "change", practice.pk), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    latest = practice.history.first()
    assert latest.history_user == editor
    delta = latest.diff_against(latest.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("explanation", before, "A new, clearer explanation of drift.")
    ]
    html = editor_client.get(admin_url(Practice, "history", practice.pk)).content.decode()
    assert "Explanation:" in html and "ed" in html


@pytest.mark.parametrize("model", [Practice, Dimension, Tool])
def test_bulk_publish_and_unpublish_are_recorded(editor_client, editor, model):
    rows = list(model.objects.order_by("pk")[:2])
    ids = [row.pk for row in rows]
    counts = {pk: model.history.filter(id=pk).count() for pk in ids}
    # Draft rows are not in published quizzes' way: drop them from quizzes first.
    QuizItem.objects.filter(practice__in=Practice.objects.filter(pk__in=ids)).delete()
    if model is Dimension:
        QuizItem.objects.filter(practice__dimension__in=ids).delete()
    editor_client.post(
        admin_url(model, "changelist"), {"action": "unpublish", "_selected_action": ids}
    )
    editor_client.post(
        admin_url(model, "changelist"), {"action": "publish", "_selected_action": ids}
    )
    for pk in ids:
        records = list(model.history.filter(id=pk)[:2])
        assert model.history.filter(id=pk).count() == counts[pk] + 2
        assert [r.history_change_reason for r in records] == ["Published", "Unpublished"]
        assert [r.is_published for r in records] == [True, False]
        assert records[0].history_user == editor


def test_bulk_publish_of_quizzes_is_recorded(editor_client, editor):
    dimension = make_dimension()
    practices = [
        make_practice(dimension=dimension, category=Category.values[i % 3]) for i in range(6)
    ]
    quiz = make_quiz(practices, is_published=False)
    editor_client.post(
        admin_url(Quiz, "changelist"), {"action": "publish_quizzes", "_selected_action": [quiz.pk]}
    )
    quiz.refresh_from_db()
    assert quiz.is_published
    latest = quiz.history.first()
    assert (latest.is_published, latest.history_user) == (True, editor)


def test_an_import_records_each_change_with_its_reason(tmp_path):
    data = export_content()
    record = next(p for p in data["practices"] if p["slug"] == "monitor-input-data-drift")
    record["description"] = "Changed by an import."
    record["sources"] = record["sources"][:1]
    quiz = next(q for q in data["quizzes"] if q["slug"] == "warm-up")
    quiz["practices"] = list(reversed(quiz["practices"]))
    path = tmp_path / "content.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    call_command("import_content", str(path))
    practice = Practice.objects.get(slug="monitor-input-data-drift")
    reasons = list(
        practice.history.filter(history_change_reason="Imported from a content file").values_list(
            "description", flat=True
        )
    )
    assert "Changed by an import." in reasons
    # The sources changed too: the newest record holds the imported one only.
    assert practice.history.first().sources.count() == 1
    warm_up = Quiz.objects.get(slug="warm-up")
    created = QuizItem.history.filter(
        quiz_id=warm_up.pk, history_type="+", history_change_reason="Imported from a content file"
    )
    deleted = QuizItem.history.filter(
        quiz_id=warm_up.pk, history_type="-", history_change_reason="Imported from a content file"
    )
    assert created.count() == len(quiz["practices"]) and deleted.count() == len(quiz["practices"])


def test_an_import_that_changes_nothing_records_nothing():
    before = Practice.history.count()
    import_content(export_content())
    assert Practice.history.count() == before


def test_taking_a_shipped_update_over_is_recorded():
    from content import shipped
    from content.models import ShippedUpdate

    practice = Practice.objects.get(slug="monitor-input-data-drift")
    values = {
        **{f: getattr(practice, f) for f in shipped.KIND_BY_NAME["practice"].fields},
        "slug": practice.slug,
        "dimension": practice.dimension.slug,
        "sources": [s.key for s in practice.sources.all()],
        "description": "The shipped wording.",
    }
    update = ShippedUpdate.objects.create(
        kind="practice", key=practice.slug, release=9, values=values
    )
    shipped.take_over(update)
    assert practice.history.first().description == "The shipped wording."


# Compare and revert


def edited_twice(practice):
    for description in ("First edit.", "Second edit."):
        practice.refresh_from_db()
        practice.description = description
        practice.save()
    return list(practice.history.all()[:3])


def test_the_history_page_offers_to_compare_two_versions(editor_client):
    practice = make_practice()
    edited_twice(practice)
    html = editor_client.get(admin_url(Practice, "history", practice.pk)).content.decode()
    assert 'name="old"' in html and 'name="new"' in html
    assert admin_url(Practice, "history_compare", practice.pk) in html


def test_compare_shows_the_fields_that_differ(editor_client):
    practice = make_practice(description="Original.")
    newest, middle, _ = edited_twice(practice)
    oldest = practice.history.last()
    url = admin_url(Practice, "history_compare", practice.pk)
    html = editor_client.get(url, {"old": oldest.pk, "new": newest.pk}).content.decode()
    table = html[html.index('id="comparison"') :]
    assert "Original." in table and "Second edit." in table
    assert "Explanation" not in table  # unchanged fields are left out
    assert (
        reverse("admin:comparisons_practice_simple_history", args=[practice.pk, oldest.pk]) in html
    )


@pytest.mark.parametrize(
    "query",
    [{}, {"old": "x", "new": "1"}, {"old": "1", "new": "1"}, {"old": "99999999", "new": "2"}],
)
def test_compare_with_bad_versions_explains_and_never_fails(editor_client, query):
    practice = make_practice()
    response = editor_client.get(
        admin_url(Practice, "history_compare", practice.pk), query, follow=True
    )
    assert response.status_code == 200
    assert "Choose two different versions to compare." in response.content.decode()


def revert_data(record):
    practice = record.instance
    data = {
        "name": practice.name,
        "slug": practice.slug,
        "description": practice.description,
        "dimension": practice.dimension_id,
        "is_published": "on" if practice.is_published else "",
        "category": practice.category,
        "explanation": practice.explanation,
        "rule_reason": practice.rule_reason,
        "sources": [row.source_id for row in record.sources.all()],
        "note_if_devops": practice.note_if_devops,
        "note_if_mlops": practice.note_if_mlops,
        "note_if_both": practice.note_if_both,
    }
    return {k: v for k, v in data.items() if v != ""}


def test_reverting_restores_an_old_version_and_records_it(editor_client, editor):
    practice = make_practice(description="Original.", rule_reason="R.")
    edited_twice(practice)
    oldest = practice.history.filter(description="Original.").first()  # with its sources
    url = reverse("admin:comparisons_practice_simple_history", args=[practice.pk, oldest.pk])
    assert editor_client.get(url).status_code == 200
    response = editor_client.post(url, revert_data(oldest))
    assert response.status_code == 302, response.content.decode()[:3000]
    practice.refresh_from_db()
    assert practice.description == "Original."
    assert practice.history.first().history_user == editor


def test_a_revert_never_takes_the_revision_back(editor_client):
    practice = make_practice(category="devops", rule_reason="R.")
    oldest = practice.history.first()
    practice.category = "both"
    practice.save()
    assert practice.revision == 2
    url = reverse("admin:comparisons_practice_simple_history", args=[practice.pk, oldest.pk])
    response = editor_client.post(url, revert_data(oldest))
    assert response.status_code == 302, response.content.decode()[:3000]
    practice.refresh_from_db()
    assert (practice.category, practice.revision) == ("devops", 3)


def test_a_revert_passes_the_unpublish_guard(editor_client):
    dimension = make_dimension()
    practices = [
        make_practice(dimension=dimension, category=Category.values[i % 3], is_published=i != 0)
        for i in range(5)
    ]
    draft = practices[0]
    unpublished_version = draft.history.first()
    draft.is_published = True
    draft.save()
    make_quiz(practices, is_published=True, title="Needs all five")
    url = reverse(
        "admin:comparisons_practice_simple_history", args=[draft.pk, unpublished_version.pk]
    )
    response = editor_client.post(url, revert_data(unpublished_version))
    assert response.status_code == 200
    assert escape("“Needs all five” with 4 cards") in response.content.decode()
    draft.refresh_from_db()
    assert draft.is_published


def test_a_revert_passes_the_stale_notes_guard(editor_client):
    practice = make_practice(
        category="devops",
        rule_reason="R.",
        note_if_mlops="Not MLOps: nothing is learned.",
        note_if_both="Not Both: ML adds nothing.",
    )
    oldest = practice.history.first()
    # Later the card moved to Both and its notes were reviewed for Both.
    practice.category = "both"
    practice.note_if_both = ""
    practice.note_if_devops = "Not DevOps: ML adds checks."
    practice.notes_bucket = "both"
    practice.save()
    # Reverting to the DevOps version brings its own notes back, written for DevOps: fine.
    url = reverse("admin:comparisons_practice_simple_history", args=[practice.pk, oldest.pk])
    response = editor_client.post(url, revert_data(oldest))
    assert response.status_code == 302, response.content.decode()[:3000]
    practice.refresh_from_db()
    assert (practice.category, practice.notes_bucket) == ("devops", "devops")
    # Reverting to the DevOps version while keeping the Both notes is a bucket change: refused.
    latest_both = practice.history.filter(category="both").first()
    data = revert_data(oldest)
    data.update(note_if_devops=latest_both.note_if_devops, note_if_both="Not Both: kept.")
    url = reverse("admin:comparisons_practice_simple_history", args=[practice.pk, latest_both.pk])
    data["category"] = "devops"
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "DevOps is now the right bucket" in response.content.decode()


def test_a_revert_runs_the_content_lint(editor_client):
    practice = make_practice(category="devops", rule_reason="R.")
    oldest = practice.history.first()
    practice.description = "Changed."
    practice.save()
    url = reverse("admin:comparisons_practice_simple_history", args=[practice.pk, oldest.pk])
    response = editor_client.post(url, revert_data(oldest), follow=True)
    assert "write the note for a learner who chose MLOps" in response.content.decode()


def test_a_quiz_revert_is_refused_when_its_cards_break_the_lint(editor_client):
    dimension = make_dimension()
    practices = [make_practice(dimension=dimension, category="devops") for _ in range(5)]
    quiz = make_quiz(practices, is_published=False, title="Lopsided")
    quiz.is_published = True  # published behind the admin's back, then unpublished
    quiz.save()
    quiz.is_published = False
    quiz.save()
    published = quiz.history.filter(is_published=True).first()
    url = reverse("admin:quizzes_quiz_simple_history", args=[quiz.pk, published.pk])
    data = {
        "title": quiz.title,
        "slug": quiz.slug,
        "description": quiz.description,
        "pass_mark": quiz.pass_mark,
        "order": quiz.order,
        "is_published": "on",
    }
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "only 0 of 5 cards are MLOps" in response.content.decode()
    quiz.refresh_from_db()
    assert not quiz.is_published


def test_compare_a_quiz_shows_its_cards(editor_client):
    dimension = make_dimension()
    quiz = Quiz.objects.create(title="Cards quiz", slug="cards-quiz", description="x")
    for position in range(3):
        QuizItem.objects.create(
            quiz=quiz,
            practice=make_practice(dimension=dimension, name=f"Card {position}"),
            position=position,
        )
    quiz.save()
    first = quiz.history.first()
    quiz.items.get(practice__name="Card 0").delete()
    quiz.title = "Renamed quiz"
    quiz.save()
    url = admin_url(Quiz, "history_compare", quiz.pk)
    html = editor_client.get(
        url, {"old": first.pk, "new": quiz.history.first().pk}
    ).content.decode()
    assert "Renamed quiz" in html
    assert ">Cards<" in html
    assert "Card 0, Card 1, Card 2" in html and "Card 1, Card 2<" in html


def test_only_editors_who_may_change_can_revert(viewer_client):
    practice = make_practice(description="Original.")
    edited_twice(practice)
    oldest = practice.history.last()
    url = reverse("admin:comparisons_practice_simple_history", args=[practice.pk, oldest.pk])
    assert viewer_client.post(url, revert_data(oldest)).status_code == 403
    practice.refresh_from_db()
    assert practice.description == "Second edit."


def test_a_release_applied_by_a_migration_records_its_changes():
    import copy

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from content import shipped

    number = shipped.latest_release()
    previous = copy.deepcopy(shipped.read_release(number))
    record = next(p for p in previous["practices"] if p["slug"] == "monitor-input-data-drift")
    record["description"] = "The wording the previous release shipped."
    Practice.objects.filter(slug=record["slug"]).update(description=record["description"])
    # Migrations see historical models, to which simple-history sends no signals.
    apps = MigrationExecutor(connection).loader.project_state().apps
    report = shipped.apply_release(apps, number, previous=previous)

    assert ("practice", record["slug"]) in report["updated"]
    practice = Practice.objects.get(slug=record["slug"])
    latest = practice.history.first()
    assert latest.history_change_reason == f"Release {number} of the shipped content"
    assert (latest.history_type, latest.description, latest.revision) == (
        "~",
        practice.description,
        practice.revision,
    )
    assert {row.source_id for row in latest.sources.all()} == {s.pk for s in practice.sources.all()}
