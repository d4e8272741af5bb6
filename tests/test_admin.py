"""The editors' admin: every page, permissions, validation, bulk actions and statistics."""

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from comparisons.models import Dimension, Practice, Source, Tool
from quizzes.models import Answer, Attempt, Dispute, Quiz

from .factories import make_practice, make_quiz

pytestmark = pytest.mark.django_db

CONTENT_MODELS = [Dimension, Practice, Tool, Source, Quiz, Dispute]
VIEW_ONLY_MODELS = [Attempt, Answer]


def admin_url(model, view, *args):
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


@pytest.fixture
def superuser_client(django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.org", "x"))
    return client


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
def outsider_client(django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_user("out", password="x", is_staff=True))
    return client


@pytest.fixture
def some_attempt():
    from quizzes import grading

    quiz = Quiz.objects.get(slug="warm-up")
    attempt = grading.start_attempt(quiz=quiz, owner={"user": None, "session_key": "k" * 32})
    practice = Practice.objects.get(pk=attempt.practice_ids[0])
    grading.record_answer(attempt=attempt, practice=practice, choice="both")
    Dispute.objects.create(practice=practice, attempt=attempt, chosen="both", reason="I think so.")
    return attempt


def test_every_model_has_an_admin():
    for model in CONTENT_MODELS + VIEW_ONLY_MODELS:
        assert model in admin.site._registry, model


@pytest.mark.parametrize("who", ["superuser_client", "editor_client"])
@pytest.mark.parametrize("model", CONTENT_MODELS + VIEW_ONLY_MODELS, ids=lambda m: m.__name__)
def test_changelist_and_change_pages_render(request, who, model, some_attempt):
    client = request.getfixturevalue(who)
    response = client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    obj = model.objects.first()
    response = client.get(admin_url(model, "change", obj.pk))
    assert response.status_code == 200
    # Attempts and answers are shown by what identifies them to an editor.
    if model is Attempt:
        shown = str(obj.public_id)
    elif model is Answer:
        shown = obj.practice.name
    else:
        shown = str(obj)
    assert escape(shown) in response.content.decode()


@pytest.mark.parametrize("who", ["superuser_client", "editor_client"])
@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda m: m.__name__)
def test_add_pages_render(request, who, model):
    client = request.getfixturevalue(who)
    # Disputes come from learners only: editors answer them, never write them.
    expected = 403 if model is Dispute else 200
    assert client.get(admin_url(model, "add")).status_code == expected


@pytest.mark.parametrize("model", VIEW_ONLY_MODELS, ids=lambda m: m.__name__)
def test_attempts_and_answers_are_view_only(editor_client, model, some_attempt):
    assert editor_client.get(admin_url(model, "add")).status_code == 403
    obj = model.objects.first()
    html = editor_client.get(admin_url(model, "change", obj.pk)).content.decode()
    assert 'name="_save"' not in html


@pytest.mark.parametrize("model", CONTENT_MODELS + VIEW_ONLY_MODELS, ids=lambda m: m.__name__)
def test_staff_outside_the_group_cannot_see_content(outsider_client, model):
    assert outsider_client.get(admin_url(model, "changelist")).status_code == 403
    assert outsider_client.get(reverse("admin-statistics")).status_code == 403


def test_anonymous_is_sent_to_the_admin_login(client):
    response = client.get(admin_url(Practice, "changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert client.get(reverse("admin-statistics")).status_code == 302


def test_every_change_page_offers_view_on_site(superuser_client, some_attempt):
    for model in [Dimension, Practice, Tool, Source, Quiz, Attempt, Dispute]:
        obj = model.objects.first()
        html = superuser_client.get(admin_url(model, "change", obj.pk)).content.decode()
        assert "View on site" in html, model
        content_type = ContentType.objects.get_for_model(model)
        shortcut = superuser_client.get(f"/admin/r/{content_type.pk}/{obj.pk}/")
        assert shortcut["Location"].endswith(obj.get_absolute_url()), model
        page = obj.get_absolute_url().split("#")[0]
        assert superuser_client.get(page).status_code == 200, model


def test_admin_index_links_to_statistics_and_disputes(editor_client):
    html = editor_client.get(reverse("admin:index")).content.decode()
    assert html.count(f'href="{reverse("admin-statistics")}"') == 1
    assert "Open disputes" in html


# Editing practices


def practice_form_data(practice, **changes):
    data = {
        "name": practice.name,
        "slug": practice.slug,
        "description": practice.description,
        "dimension": practice.dimension_id,
        "is_published": "on" if practice.is_published else "",
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


def test_editor_changes_an_explanation_and_history_records_who(editor_client, editor):
    practice = Practice.objects.get(slug="monitor-input-data-drift")
    url = admin_url(Practice, "change", practice.pk)
    data = practice_form_data(practice, explanation="A new, clearer explanation of drift.")
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    practice.refresh_from_db()
    assert practice.explanation == "A new, clearer explanation of drift."
    history = editor_client.get(admin_url(Practice, "history", practice.pk)).content.decode()
    assert "ed" in history
    assert "Explanation:" in history


def test_a_source_url_typed_without_a_scheme_becomes_https(editor_client):
    response = editor_client.post(
        reverse("admin:comparisons_source_add"),
        {"key": "new-source", "title": "A new source", "authors": "A. Author", "year": 2024,
         "url": "example.org/paper", "note": ""},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Source.objects.get(key="new-source").url == "https://example.org/paper"


def test_an_empty_explanation_is_refused(editor_client):
    practice = Practice.objects.get(slug="monitor-input-data-drift")
    data = practice_form_data(practice, explanation="   ")
    response = editor_client.post(admin_url(Practice, "change", practice.pk), data)
    assert response.status_code == 200
    practice.refresh_from_db()
    assert practice.explanation.strip()


def test_a_duplicate_slug_is_refused(editor_client):
    practice = Practice.objects.get(slug="monitor-input-data-drift")
    other = Practice.objects.exclude(pk=practice.pk).first()
    data = practice_form_data(practice, slug=other.slug)
    response = editor_client.post(admin_url(Practice, "change", practice.pk), data)
    assert response.status_code == 200
    assert "already exists" in response.content.decode()


def test_bulk_unpublish_and_publish_practices(editor_client):
    ids = list(Practice.objects.values_list("pk", flat=True)[:3])
    url = admin_url(Practice, "changelist")
    editor_client.post(url, {"action": "unpublish", "_selected_action": ids})
    assert Practice.objects.filter(pk__in=ids, is_published=False).count() == 3
    editor_client.post(url, {"action": "publish", "_selected_action": ids})
    assert Practice.objects.filter(pk__in=ids, is_published=True).count() == 3


def test_practice_changelist_edits_category_in_place(editor_client):
    assert "category" in admin.site._registry[Practice].list_editable
    assert "dimension" in admin.site._registry[Practice].list_editable


# Quizzes


def quiz_form_data(quiz, practices, **changes):
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
    }
    if quiz.is_published:
        data["is_published"] = "on"
    if quiz.shuffle:
        data["shuffle"] = "on"
    for i, practice in enumerate(practices):
        data[f"items-{i}-practice"] = practice.pk
        data[f"items-{i}-position"] = i + 1
    data.update(changes)
    return data


def test_a_quiz_with_fewer_than_five_items_cannot_be_published(editor_client):
    quiz = Quiz(title="Tiny", slug="tiny", description="Too small.", is_published=True)
    practices = list(Practice.objects.quizzable()[:4])
    response = editor_client.post(admin_url(Quiz, "add"), quiz_form_data(quiz, practices))
    assert response.status_code == 200
    assert "at least 5 practices" in response.content.decode()
    assert not Quiz.objects.filter(slug="tiny").exists()


def test_a_quiz_with_an_unpublished_practice_cannot_be_published(editor_client):
    draft = make_practice(name="Draft practice", is_published=False)
    quiz = Quiz(title="Has draft", slug="has-draft", description="x", is_published=True)
    practices = [*Practice.objects.quizzable()[:5], draft]
    response = editor_client.post(admin_url(Quiz, "add"), quiz_form_data(quiz, practices))
    assert response.status_code == 200
    assert "Unpublished practices cannot be quizzed: Draft practice." in response.content.decode()


def test_an_unpublished_quiz_may_be_small_and_a_valid_one_publishes(editor_client):
    small = Quiz(title="Work in progress", slug="wip", description="x", is_published=False)
    practices = list(Practice.objects.quizzable()[:2])
    response = editor_client.post(admin_url(Quiz, "add"), quiz_form_data(small, practices))
    assert response.status_code == 302
    ready = Quiz(title="Ready", slug="ready", description="x", is_published=True)
    # Balanced across the buckets and free of word clues, as the content lint asks.
    practices = [make_practice(category=c) for c in ("devops", "mlops", "both", "devops", "mlops")]
    response = editor_client.post(admin_url(Quiz, "add"), quiz_form_data(ready, practices))
    assert response.status_code == 302
    assert Quiz.objects.get(slug="ready").items.count() == 5


def test_bulk_publish_refuses_a_quiz_that_is_not_ready(editor_client):
    small = make_quiz(size=3, is_published=False, title="Small one")
    fine = make_quiz(size=6, is_published=False)
    response = editor_client.post(
        admin_url(Quiz, "changelist"),
        {"action": "publish_quizzes", "_selected_action": [small.pk, fine.pk]},
        follow=True,
    )
    small.refresh_from_db()
    fine.refresh_from_db()
    assert not small.is_published
    assert fine.is_published
    assert "Small one: A published quiz needs at least 5 practices" in response.content.decode()


# Statistics


@pytest.fixture
def known_attempts():
    """Three learners take a 5-card quiz: 5/5, 3/5 and an unfinished 1/2."""
    from quizzes import grading

    quiz = make_quiz(size=5, pass_mark=60, title="Known quiz")
    practices = [item.practice for item in quiz.items.select_related("practice")]
    first = practices[0]
    wrong = "both" if first.category != "both" else "devops"

    def take(key, answers):
        attempt = grading.start_attempt(quiz=quiz, owner={"user": None, "session_key": key})
        for practice, choice in answers:
            grading.record_answer(attempt=attempt, practice=practice, choice=choice)

    take("a" * 32, [(p, p.category) for p in practices])
    second = practices[1]
    second_wrong = "both" if second.category != "both" else "devops"
    take(
        "b" * 32,
        [(first, wrong), (second, second_wrong)] + [(p, p.category) for p in practices[2:]],
    )
    take("c" * 32, [(first, wrong), (practices[1], practices[1].category)])
    return quiz, practices, wrong


def changelist_row(html, name):
    """Return {column: cell text} for the changelist row whose link says `name`."""
    body = html[html.index("<tbody>") :]
    row = re.search(rf"<tr>(?:(?!</tr>).)*>{re.escape(name)}</a>.*?</tr>", body, re.S).group(0)
    return dict(re.findall(r'<td class="field-(\w+)[^"]*">(.*?)</td>', row))


def test_quiz_statistics_in_the_changelist(editor_client, known_attempts):
    quiz, _, _ = known_attempts
    html = editor_client.get(admin_url(Quiz, "changelist"), {"q": "Known quiz"}).content.decode()
    values = changelist_row(html, "Known quiz")
    assert values["item_count"] == "5"
    assert values["attempts"] == "3"
    assert values["completion"] == "67%"  # 2 of 3 finished
    assert values["mean"] == "80%"  # (100 + 60) / 2
    assert values["pass_rate"] == "100%"  # both finished attempts reach 60 %


def test_practice_statistics_in_the_changelist(editor_client, known_attempts):
    _, practices, wrong = known_attempts
    first = practices[0]
    html = editor_client.get(admin_url(Practice, "changelist"), {"q": first.name}).content.decode()
    values = changelist_row(html, first.name)
    assert values["answered_count"] == "3"
    assert values["facility_rate"] == "33%"
    labels = {"devops": "DevOps", "mlops": "MLOps", "both": "Both"}
    assert values["wrong_bucket"] == labels[wrong]


def test_statistics_page_lists_quizzes_and_the_most_missed(editor_client, known_attempts):
    _, practices, _ = known_attempts
    html = editor_client.get(reverse("admin-statistics")).content.decode()
    assert "Known quiz" in html
    missed = html[html.index('id="most-missed"') :]
    assert practices[0].name in missed
    assert missed.index(practices[0].name) < missed.index(practices[1].name)  # 33% before 67%
    assert practices[2].name not in missed  # only two answers: below the minimum


def test_statistics_page_query_count_does_not_grow_with_attempts(
    editor_client, known_attempts, django_assert_max_num_queries
):
    from quizzes import grading

    quiz, practices, _ = known_attempts
    with django_assert_max_num_queries(12) as before:
        editor_client.get(reverse("admin-statistics"))
    for n in range(30):
        attempt = grading.start_attempt(quiz=quiz, owner={"user": None, "session_key": f"{n:032}"})
        for practice in practices:
            grading.record_answer(attempt=attempt, practice=practice, choice="both")
    with django_assert_max_num_queries(len(before.captured_queries)):
        editor_client.get(reverse("admin-statistics"))
    with django_assert_max_num_queries(20) as changelist:
        editor_client.get(admin_url(Practice, "changelist"))
    assert len(changelist.captured_queries) <= 20


def test_practice_change_page_shows_its_open_disputes_and_answer_table(editor_client, some_attempt):
    dispute = Dispute.objects.get()
    html = editor_client.get(admin_url(Practice, "change", dispute.practice_id)).content.decode()
    assert "How learners sorted this practice" in html
    assert "Open disputes" in html
    assert "I think so." in html


def test_resolving_a_dispute_records_who_and_when(editor_client, editor, some_attempt):
    dispute = Dispute.objects.get()
    Dispute.objects.filter(pk=dispute.pk).update(reply="It stays: see the explanation.")
    editor_client.post(
        admin_url(Dispute, "changelist"), {"action": "reject", "_selected_action": [dispute.pk]}
    )
    dispute.refresh_from_db()
    assert dispute.status == "rejected"
    assert dispute.resolved_by == editor
    assert dispute.resolved_at is not None


def test_drafts_are_previewed_by_staff_only(client, editor_client):
    make_practice(name="Draft practice preview", is_published=False)
    quiz = make_quiz(size=5, is_published=False, title="Draft quiz preview")
    for url in ["/practices/", "/quizzes/"]:
        assert "Draft practice preview" not in client.get(url).content.decode()
        assert "Draft quiz preview" not in client.get(url).content.decode()
    html = editor_client.get("/practices/").content.decode()
    assert "Draft practice preview" in html
    assert "Draft</span>" in html
    assert "Draft quiz preview" in editor_client.get("/quizzes/").content.decode()
    page = editor_client.get(quiz.get_absolute_url()).content.decode()
    assert "Draft: only staff can see this quiz." in page
    assert client.get(quiz.get_absolute_url()).status_code == 404


def test_the_admins_password_change_page_uses_the_admins_own_template(editor_client):
    html = editor_client.get(reverse("admin:password_change")).content.decode()
    assert 'id="site-name"' in html  # the admin's header
    assert 'class="site-header"' not in html  # not the learner site's layout
    assert 'name="new_password1"' in html


def test_the_sites_password_change_page_uses_the_sites_layout(editor_client):
    html = editor_client.get(reverse("password_change")).content.decode()
    assert 'class="site-header"' in html
    assert "<h1>Change your password</h1>" in html
