"""Editors cannot silently break content: stale notes, unpublishing, the lint, forms, branding."""

import itertools
import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from comparisons.models import WHY_NOT_RULE, Category, Dimension, Practice, Source
from quizzes.models import Quiz

from .factories import make_dimension, make_practice, make_quiz, make_source

pytestmark = pytest.mark.django_db

BUCKET_CHANGES = list(itertools.permutations(Category.values, 2))
EXPLANATION = "It belongs here because of one particular, easily recognised reason."


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


def form_data(practice, **changes):
    data = {
        "name": practice.name,
        "slug": practice.slug,
        "description": practice.description,
        "dimension": practice.dimension_id,
        "is_published": "on" if practice.is_published else "",
        "is_contested": "on" if practice.is_contested else "",
        "category": practice.category,
        "explanation": practice.explanation,
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
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def noted_practice(category, **fields):
    """A practice with a note for each wrong bucket, written for `category`."""
    notes = {
        f"note_if_{value}": f"Choosing {value} misses the point of this {category} card."
        for value in Category.values
        if value != category
    }
    return make_practice(
        category=category,
        explanation=EXPLANATION,
        rule_reason="A reason for the rule, in its own words.",
        **{**notes, **fields},
    )


# Changing a practice's bucket


@pytest.mark.parametrize(("old", "new"), BUCKET_CHANGES)
def test_the_form_names_each_note_to_review_after_a_bucket_change(editor_client, old, new):
    practice = noted_practice(old)
    url = admin_url(Practice, "change", practice.pk)
    response = editor_client.post(url, form_data(practice, category=new))
    assert response.status_code == 200
    html = response.content.decode()
    third = next(v for v in Category.values if v not in (old, new))
    new_label, old_label = dict(Category.choices)[new], dict(Category.choices)[old]
    # The note for the new bucket is now a note for the right answer: clear it.
    assert escape(f"{new_label} is now the right bucket") in html
    # The note for the third bucket was written for the old bucket: review it.
    assert (
        escape(f"Written while the practice was {old_label}: check that it holds for {new_label}")
        in html
    )
    practice.refresh_from_db()
    assert practice.category == old
    assert getattr(practice, f"note_if_{third}")


@pytest.mark.parametrize(("old", "new"), BUCKET_CHANGES)
def test_a_bucket_change_saves_once_the_notes_are_reviewed(editor_client, old, new):
    practice = noted_practice(old)
    third = next(v for v in Category.values if v not in (old, new))
    data = form_data(
        practice,
        category=new,
        notes_reviewed="on",
        **{f"note_if_{new}": "", f"note_if_{old}": f"It is not {old}: the new reason."},
    )
    response = editor_client.post(admin_url(Practice, "change", practice.pk), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    practice.refresh_from_db()
    assert (practice.category, practice.notes_bucket) == (new, new)
    assert not practice.notes_are_stale
    assert practice.note_for(third) == getattr(practice, f"note_if_{third}")


@pytest.mark.parametrize(("old", "new"), BUCKET_CHANGES)
def test_the_public_page_never_repeats_the_explanation_after_any_bucket_change(client, old, new):
    practice = noted_practice(old)
    practice.category = new  # as the changelist's in-place edit does: the notes go stale
    practice.save()
    assert practice.notes_are_stale
    html = client.get(practice.get_absolute_url()).content.decode()
    assert html.count(EXPLANATION) == 1
    for value in Category.values:
        if value != new:
            # Stale notes are never shown; the sorting rule's reason stands in.
            assert escape(WHY_NOT_RULE[(new, value)]) in html
            note = getattr(practice, f"note_if_{value}")
            assert not note or escape(note) not in html


@pytest.mark.parametrize("category", Category.values)
def test_a_new_practice_with_empty_notes_shows_its_explanation_once(client, category):
    practice = make_practice(category=category, explanation=EXPLANATION, rule_reason="Rule.")
    html = client.get(practice.get_absolute_url()).content.decode()
    assert html.count(EXPLANATION) == 1
    assert "Why not the other buckets" in html


def test_a_note_that_repeats_the_explanation_is_not_shown_twice(client):
    practice = make_practice(
        category="devops", explanation=EXPLANATION, note_if_mlops=EXPLANATION, rule_reason="R."
    )
    html = client.get(practice.get_absolute_url()).content.decode()
    assert html.count(EXPLANATION) == 1


def test_current_notes_are_shown_on_the_public_page(client):
    practice = noted_practice("mlops")
    html = client.get(practice.get_absolute_url()).content.decode()
    assert escape(practice.note_if_devops) in html and escape(practice.note_if_both) in html


def test_stale_notes_are_flagged_on_the_change_page_and_after_an_in_place_change(editor_client):
    practice = noted_practice("devops")
    url = admin_url(Practice, "changelist")
    response = editor_client.post(
        url,
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": practice.pk,
            "form-0-category": "both",
            "form-0-dimension": practice.dimension_id,
            "_save": "Save",
        },
        follow=True,
    )
    assert "its notes were written for DevOps, not Both" in response.content.decode()
    html = editor_client.get(admin_url(Practice, "change", practice.pk)).content.decode()
    assert 'id="notes-to-review"' in html
    assert "Both is now the right bucket" in html


def test_the_lint_names_stale_notes():
    from content.lint import practice_problems

    practice = noted_practice("devops")
    practice.category = "mlops"
    practice.save()
    assert any("written while it was DevOps" in str(p) for p in practice_problems(practice))


# Unpublishing a practice that published quizzes use


def published_quiz(size, **fields):
    dimension = make_dimension()
    practices = [
        make_practice(dimension=dimension, category=Category.values[i % 3], rule_reason="R.")
        for i in range(size)
    ]
    return make_quiz(practices, is_published=True, **fields), practices


def test_unpublishing_a_practice_warns_with_the_quizzes_that_shrink(editor_client):
    quiz, practices = published_quiz(7, title="Seven cards")
    practice = practices[0]
    response = editor_client.post(
        admin_url(Practice, "change", practice.pk),
        form_data(practice, is_published=""),
        follow=True,
    )
    html = response.content.decode()
    assert escape("“Seven cards” (7 → 6 cards)") in html
    practice.refresh_from_db()
    assert not practice.is_published


def test_unpublishing_refuses_to_drop_a_quiz_below_its_minimum(editor_client):
    quiz, practices = published_quiz(5, title="Five cards")
    practice = practices[0]
    response = editor_client.post(
        admin_url(Practice, "change", practice.pk), form_data(practice, is_published="")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert escape("“Five cards” with 4 cards, below its minimum of 5") in html
    practice.refresh_from_db()
    assert practice.is_published


def test_marking_a_practice_it_depends_is_guarded_like_unpublishing(editor_client):
    quiz, practices = published_quiz(5, title="Five cards")
    practice = practices[0]
    response = editor_client.post(
        admin_url(Practice, "change", practice.pk), form_data(practice, is_contested="on")
    )
    assert response.status_code == 200
    practice.refresh_from_db()
    assert not practice.is_contested


def test_bulk_unpublish_refuses_below_the_minimum_and_names_the_quiz(editor_client):
    quiz, practices = published_quiz(6, title="Six cards")
    ids = [p.pk for p in practices[:2]]
    response = editor_client.post(
        admin_url(Practice, "changelist"),
        {"action": "unpublish", "_selected_action": ids},
        follow=True,
    )
    assert escape("“Six cards” with 4 cards") in response.content.decode()
    assert Practice.objects.filter(pk__in=ids, is_published=True).count() == 2
    response = editor_client.post(
        admin_url(Practice, "changelist"),
        {"action": "unpublish", "_selected_action": ids[:1]},
        follow=True,
    )
    assert escape("“Six cards” (6 → 5 cards)") in response.content.decode()
    assert not Practice.objects.get(pk=ids[0]).is_published


def test_unpublishing_a_dimension_is_guarded_too(editor_client):

    quiz, practices = published_quiz(5, title="Five cards")
    dimension = practices[0].dimension
    response = editor_client.post(
        admin_url(Dimension, "changelist"),
        {"action": "unpublish", "_selected_action": [dimension.pk]},
        follow=True,
    )
    assert "below its minimum" in response.content.decode()
    dimension.refresh_from_db()
    assert dimension.is_published


def changelist_moves(*moves):
    """Return the practice list's POST data that moves each (practice, dimension)."""
    data = {
        "form-TOTAL_FORMS": str(len(moves)),
        "form-INITIAL_FORMS": str(len(moves)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    for i, (practice, dimension) in enumerate(moves):
        data[f"form-{i}-id"] = practice.pk
        data[f"form-{i}-category"] = practice.category
        data[f"form-{i}-dimension"] = dimension.pk
    return data


def test_moving_a_practice_to_an_unpublished_dimension_in_the_list_warns(editor_client):
    quiz, practices = published_quiz(7, title="Seven cards")
    drafts = make_dimension(title="Drafts", is_published=False)
    response = editor_client.post(
        admin_url(Practice, "changelist"), changelist_moves((practices[0], drafts)), follow=True
    )
    html = response.content.decode()
    assert escape("“Seven cards” (7 → 6 cards)") in html
    assert escape(f"“{practices[0].name}” (moved to the unpublished dimension “Drafts”)") in html
    practices[0].refresh_from_db()
    assert practices[0].dimension == drafts


def test_moving_a_practice_to_an_unpublished_dimension_in_the_list_is_refused_below_the_minimum(
    editor_client,
):
    quiz, practices = published_quiz(5, title="Five cards")
    drafts = make_dimension(title="Drafts", is_published=False)
    home = practices[0].dimension
    response = editor_client.post(
        admin_url(Practice, "changelist"), changelist_moves((practices[0], drafts))
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert escape("the published quiz “Five cards” with 4 cards, below its minimum of 5") in html
    assert escape(f"Unpublishing “{practices[0].name}” (moved to the unpublished") in html
    practices[0].refresh_from_db()
    assert practices[0].dimension == home


def test_rows_moved_together_in_the_list_are_counted_together(editor_client):
    quiz, practices = published_quiz(6, title="Six cards")
    drafts = make_dimension(title="Drafts", is_published=False)
    moves = changelist_moves((practices[0], drafts), (practices[1], drafts))
    response = editor_client.post(admin_url(Practice, "changelist"), moves)
    assert escape("“Six cards” with 4 cards") in response.content.decode()
    assert Practice.objects.filter(pk__in=[p.pk for p in practices], dimension=drafts).count() == 0


def test_moving_a_practice_between_published_dimensions_in_the_list_says_nothing_of_quizzes(
    editor_client,
):
    quiz, practices = published_quiz(5, title="Five cards")
    elsewhere = make_dimension(title="Elsewhere")
    response = editor_client.post(
        admin_url(Practice, "changelist"), changelist_moves((practices[0], elsewhere)), follow=True
    )
    html = response.content.decode()
    assert "was changed successfully" in html
    assert "no longer deal" not in html
    practices[0].refresh_from_db()
    assert practices[0].dimension == elsewhere


def test_the_dimension_list_cannot_unpublish_a_dimension(editor_client):
    quiz, practices = published_quiz(5, title="Five cards")
    dimension = practices[0].dimension
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": dimension.pk,
        "form-0-order": dimension.order + 1,
        "form-0-is_published": "",  # only the order is editable in the list
        "_save": "Save",
    }
    editor_client.post(admin_url(Dimension, "changelist"), data)
    dimension.refresh_from_db()
    assert (dimension.order, dimension.is_published) == (data["form-0-order"], True)


def test_an_import_that_takes_practices_out_of_play_warns_with_the_quizzes(editor_client):
    from content.transfer import export_content, import_content

    quiz, practices = published_quiz(7, title="Seven cards")
    data = export_content()
    record = next(r for r in data["practices"] if r["slug"] == practices[0].slug)
    record["is_published"] = False
    data["quizzes"] = []  # a file without the quiz, which stays as the database has it
    counts, warnings = import_content(data)
    assert counts["updated"] == 1
    assert any("“Seven cards” (7 → 6 cards)" in line for line in warnings)
    assert any(practices[0].name in line for line in warnings)


def test_an_import_that_drops_a_quiz_below_its_minimum_is_refused(tmp_path):
    import json

    from django.core.management import CommandError, call_command

    from content.transfer import export_content

    quiz, practices = published_quiz(5, title="Five cards")
    data = export_content()
    record = next(r for r in data["practices"] if r["slug"] == practices[0].slug)
    record["is_contested"] = True
    data["quizzes"] = []
    path = tmp_path / "content.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError, match="“Five cards” with 4 cards, below its minimum"):
        call_command("import_content", str(path))
    practices[0].refresh_from_db()
    assert not practices[0].is_contested


# The content lint in the admin


def test_saving_a_practice_warns_with_what_the_lint_finds(editor_client):
    practice = make_practice(category="devops", rule_reason="Nothing changes for ML teams.")
    response = editor_client.post(
        admin_url(Practice, "change", practice.pk), form_data(practice), follow=True
    )
    html = response.content.decode()
    assert "write the note for a learner who chose MLOps" in html
    assert "Check before learners see it" in html


def test_bulk_publishing_practices_warns_with_what_the_lint_finds(editor_client):
    practice = make_practice(name="Unfinished card", category="both", is_published=False)
    response = editor_client.post(
        admin_url(Practice, "changelist"),
        {"action": "publish", "_selected_action": [practice.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "Published 1." in html
    assert escape("practice “Unfinished card”: fill in “how the rule applies”") in html


def quiz_data(quiz, practices, **changes):
    data = {
        "title": quiz.title,
        "slug": quiz.slug,
        "description": quiz.description,
        "pass_mark": quiz.pass_mark,
        "order": quiz.order,
        "items-TOTAL_FORMS": str(len(practices)),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "is_published": "on",
    }
    for i, practice in enumerate(practices):
        data[f"items-{i}-practice"] = practice.pk
        data[f"items-{i}-position"] = i + 1
    data.update(changes)
    return data


def test_publishing_an_unbalanced_quiz_is_refused_with_what_to_fix(editor_client):
    dimension = make_dimension()
    practices = [make_practice(dimension=dimension, category="devops") for _ in range(5)]
    quiz = Quiz(title="All DevOps", slug="all-devops", description="x")
    response = editor_client.post(admin_url(Quiz, "add"), quiz_data(quiz, practices))
    assert response.status_code == 200
    assert "only 0 of 5 cards are MLOps" in response.content.decode()
    assert not Quiz.objects.filter(slug="all-devops").exists()


def test_publishing_a_quiz_with_word_clues_is_refused(editor_client):
    dimension = make_dimension()
    practices = [
        make_practice(
            dimension=dimension, category=c, name=f"{'Model ' if c == 'mlops' else ''}thing {i}"
        )
        for i, c in enumerate(["devops", "devops", "mlops", "mlops", "both", "both"])
    ]
    for practice in practices:
        if practice.category == "mlops":
            practice.description = "Retrain the model on drifted training data."
            practice.save()
    quiz = Quiz(title="Clues", slug="clues", description="x", pass_mark=50)
    response = editor_client.post(admin_url(Quiz, "add"), quiz_data(quiz, practices))
    assert response.status_code == 200
    assert "a guesser that reads only the cards" in response.content.decode()


def test_bulk_publish_runs_the_lint(editor_client):
    dimension = make_dimension()
    practices = [make_practice(dimension=dimension, category="mlops") for _ in range(5)]
    quiz = make_quiz(practices, is_published=False, title="One bucket")
    response = editor_client.post(
        admin_url(Quiz, "changelist"),
        {"action": "publish_quizzes", "_selected_action": [quiz.pk]},
        follow=True,
    )
    assert "One bucket: only 0 of 5 cards are DevOps" in response.content.decode()
    quiz.refresh_from_db()
    assert not quiz.is_published


# Keeping content current


def test_verifying_is_one_click_and_recorded_in_history(editor_client, editor):
    practice = noted_practice("mlops")
    data = form_data(practice, _verify="Save and mark verified today")
    response = editor_client.post(admin_url(Practice, "change", practice.pk), data)
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.verified_by == editor
    assert practice.verified_at.date() == timezone.now().date()
    latest = practice.history.first()
    assert latest.history_change_reason == "Verified against its sources"
    assert latest.history_user == editor


def test_the_verify_action_marks_sources_and_records_history(editor_client, editor):
    source = make_source()
    editor_client.post(
        admin_url(Source, "changelist"),
        {"action": "mark_verified", "_selected_action": [source.pk]},
    )
    source.refresh_from_db()
    assert source.verified_by == editor
    assert source.history.first().history_change_reason == "Verified against its sources"


def test_the_admin_index_queues_the_oldest_and_those_whose_sources_changed(editor_client):
    source = make_source(title="A source that changes")
    practice = make_practice(name="Checked last year", sources=[source])
    Practice.objects.exclude(pk=practice.pk).update(verified_at=timezone.now())
    Practice.objects.filter(pk=practice.pk).update(
        verified_at=timezone.now() - timezone.timedelta(days=365)
    )
    html = editor_client.get(reverse("admin:index")).content.decode()
    queue = html[html.index('id="verification-queue"') :]
    assert "Checked last year" in queue
    assert "whose sources changed" not in queue
    source.title = "A source that changed"
    source.save()
    html = editor_client.get(reverse("admin:index")).content.decode()
    queue = html[html.index('id="verification-queue"') :]
    assert "whose sources changed since they were verified" in queue


# Forms and branding


def test_name_and_description_inputs_fit_their_text(editor_client):
    practice = noted_practice("mlops")
    html = editor_client.get(admin_url(Practice, "change", practice.pk)).content.decode()
    for name in ("name", "description"):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
        assert 'class="vLargeTextField"' in tag and 'size="80"' in tag


def test_missing_sources_are_named_next_to_the_field(editor_client):
    practice = noted_practice("mlops")
    data = form_data(practice)
    del data["sources"]
    response = editor_client.post(admin_url(Practice, "change", practice.pk), data)
    html = response.content.decode()
    assert "Sources is required: cite at least one source." in html
    # The summary at the top names the field, not just "the errors below".
    top = html[: html.index("<fieldset")]
    assert "Sources" in top


@pytest.mark.parametrize("model", [Practice, Quiz, Dimension])
def test_no_date_hierarchy_where_every_row_has_the_same_date(editor_client, model):
    html = editor_client.get(admin_url(model, "changelist")).content.decode()
    assert 'class="toplinks"' not in html


def test_the_admin_is_branded_opsguide_with_one_link_to_statistics(editor_client):
    html = editor_client.get(reverse("admin:index")).content.decode()
    assert "Django administration" not in html
    assert "OpsGuide" in html
    assert html.count(f'href="{reverse("admin-statistics")}') == 1


@pytest.mark.parametrize("model", [Source, Dimension], ids=lambda m: m.__name__)
def test_changelist_queries_do_not_grow_with_rows(
    editor_client, django_assert_max_num_queries, model
):
    url = admin_url(model, "changelist")
    with django_assert_max_num_queries(40) as before:
        editor_client.get(url)
    for _ in range(3):
        make_practice(sources=[make_source(verified_at=timezone.now())])
    with django_assert_max_num_queries(len(before.captured_queries)):
        editor_client.get(url)


def test_dispute_changelist_queries_do_not_grow_with_disputes(
    editor_client, django_assert_max_num_queries
):
    from quizzes.models import Dispute

    url = admin_url(Dispute, "changelist")
    practice = make_practice()
    Dispute.objects.create(practice=practice, chosen="devops", proposed="both", reason="Because.")
    with django_assert_max_num_queries(40) as before:
        editor_client.get(url)
    for _ in range(3):
        Dispute.objects.create(
            practice=make_practice(), chosen="both", proposed="mlops", reason="Because."
        )
    with django_assert_max_num_queries(len(before.captured_queries)):
        html = editor_client.get(url).content.decode()
    assert html.count("field-proposed") == 4
