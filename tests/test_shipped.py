"""Revisions of a card, and shipped content updates that never overwrite an editor's edit."""

import copy

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils.html import escape

from comparisons.models import Category, ContentVersion, Dimension, Practice
from content import shipped
from content.models import ShippedUpdate
from quizzes.models import Quiz

from .factories import make_practice, make_quiz

pytestmark = pytest.mark.django_db


# Revisions


def test_a_new_practice_starts_at_revision_one():
    assert make_practice().revision == 1


@pytest.mark.parametrize(
    ("field", "value"), [("category", Category.BOTH), ("name", "Canary the ranking model")]
)
def test_changing_the_bucket_or_name_raises_the_revision(field, value):
    practice = Practice.objects.get(pk=make_practice(category=Category.DEVOPS).pk)
    setattr(practice, field, value)
    practice.save()
    practice.refresh_from_db()
    assert practice.revision == 2


def test_a_wording_fix_keeps_the_revision():
    practice = Practice.objects.get(pk=make_practice().pk)
    practice.explanation = "Fixed a typo."
    practice.save()
    practice.refresh_from_db()
    assert practice.revision == 1


def test_a_substantive_change_raises_the_revision_once():
    practice = Practice.objects.get(pk=make_practice(category=Category.DEVOPS).pk)
    practice.category = Category.MLOPS
    practice.save(substantive=True)
    practice.save()  # saving again without a change is no new revision
    practice.refresh_from_db()
    assert practice.revision == 2


def test_update_fields_saves_the_raised_revision_too():
    practice = Practice.objects.get(pk=make_practice(category=Category.DEVOPS).pk)
    practice.category = Category.BOTH
    practice.save(update_fields=["category"])
    practice.refresh_from_db()
    assert practice.revision == 2


def admin_post(client, practice, **changes):
    """Post the practice's admin form with its current values and `changes`."""
    data = {
        "name": practice.name,
        "slug": practice.slug,
        "description": practice.description,
        "dimension": practice.dimension_id,
        "is_published": "on",
        "category": practice.category,
        "explanation": practice.explanation,
        "rule_reason": practice.rule_reason or "ML adds model-quality checks to the canary.",
        "sources": [s.pk for s in practice.sources.all()],
        "note_if_devops": practice.note_if_devops,
        "note_if_mlops": practice.note_if_mlops,
        "note_if_both": practice.note_if_both,
        "disputes-TOTAL_FORMS": "0",
        "disputes-INITIAL_FORMS": "0",
        **changes,
    }
    data = {key: value for key, value in data.items() if value is not False}
    return client.post(reverse("admin:comparisons_practice_change", args=[practice.pk]), data)


def test_admin_substantive_change_box_raises_the_revision(admin_client):
    practice = make_practice(rule_reason="It exists because models learn from data.")
    response = admin_post(
        admin_client, practice, explanation="New reasoning.", substantive_change="on"
    )
    assert response.status_code == 302
    practice.refresh_from_db()
    assert (practice.explanation, practice.revision) == ("New reasoning.", 2)


def test_admin_edit_without_the_box_keeps_the_revision(admin_client):
    practice = make_practice(rule_reason="It exists because models learn from data.")
    assert admin_post(admin_client, practice, explanation="Typo fixed.").status_code == 302
    practice.refresh_from_db()
    assert practice.revision == 1


def test_admin_requires_how_the_rule_applies(admin_client):
    practice = make_practice(category=Category.DEVOPS)
    response = admin_post(admin_client, practice, rule_reason="")
    assert response.status_code == 200
    assert "Say why nothing changes for an ML team." in response.content.decode()


# Shipped updates, on two small made-up releases


def release(**practice_changes):
    """Return a tiny release holding one dimension, one source and one practice."""
    practice = {
        "slug": "canary-model",
        "name": "Canary a new model version",
        "description": "Send 5% of traffic to the new model first.",
        "category": "both",
        "explanation": "Canary releases predate ML; ML teams also judge them by model quality.",
        "rule_reason": "ML adds model-quality metrics to the canary's checks.",
        "note_if_devops": "The canary is judged on prediction quality too.",
        "note_if_mlops": "Canary releases are older than ML.",
        "note_if_both": "",
        "is_contested": False,
        "dimension": "delivery",
        "sources": ["book"],
    }
    practice.update(practice_changes)
    return {
        "sources": [
            {
                "key": "book",
                "title": "A book",
                "authors": "Someone",
                "year": 2020,
                "url": "https://example.org/book",
                "note": "",
            }
        ],
        "dimensions": [
            {
                "slug": "delivery",
                "title": "Delivery (test)",
                "order": 99,
                "kind": "difference",
                "summary": "S",
                "devops_text": "D",
                "mlops_text": "M",
                "shared_text": "B",
                "sources": ["book"],
            }
        ],
        "tools": [],
        "practices": [practice],
        "quizzes": [],
    }


@pytest.fixture
def releases(monkeypatch):
    """Serve made-up releases to `apply_release` by number."""
    files = {}
    monkeypatch.setattr(shipped, "read_release", lambda number: copy.deepcopy(files[number]))
    return files


def ship(releases, number, data):
    releases[number] = data
    return shipped.apply_release(apps, number, previous=releases.get(number - 1, {}))


def test_a_release_creates_what_the_database_lacks(releases):
    report = ship(releases, 1, release())
    assert ("practice", "canary-model") in report["created"]
    practice = Practice.objects.get(slug="canary-model")
    assert (practice.dimension.slug, list(practice.sources.values_list("key", flat=True))) == (
        "delivery",
        ["book"],
    )


def test_an_unedited_row_takes_the_new_text_and_a_new_revision(releases):
    ship(releases, 1, release())
    version = ContentVersion.objects.get(pk=1).value
    report = ship(releases, 2, release(name="Canary each new model version", category="mlops"))
    practice = Practice.objects.get(slug="canary-model")
    assert (practice.name, practice.category, practice.revision) == (
        "Canary each new model version",
        "mlops",
        2,
    )
    assert report["updated"] == [("practice", "canary-model")]
    assert ContentVersion.objects.get(pk=1).value > version
    assert not ShippedUpdate.objects.exists()


def test_line_endings_and_edge_spaces_from_a_form_are_not_an_edit(releases):
    ship(releases, 1, release(explanation="First line.\nSecond line."))
    Practice.objects.filter(slug="canary-model").update(explanation="First line.\r\nSecond line.  ")
    report = ship(releases, 2, release(explanation="New text."))
    assert report["updated"] == [("practice", "canary-model")]


def test_an_edited_row_keeps_the_editors_text_and_waits_in_the_admin(releases):
    ship(releases, 1, release())
    Practice.objects.filter(slug="canary-model").update(explanation="The editor's own words.")
    report = ship(releases, 2, release(explanation="The release's new words."))
    practice = Practice.objects.get(slug="canary-model")
    assert (practice.explanation, practice.revision) == ("The editor's own words.", 1)
    assert report["kept"] == [("practice", "canary-model")]
    update = ShippedUpdate.objects.get()
    assert (update.kind, update.key, update.release, update.is_pending) == (
        "practice",
        "canary-model",
        2,
        True,
    )
    assert update.values["explanation"] == "The release's new words."


def test_a_changed_source_list_is_an_edit_too(releases):
    ship(releases, 1, release())
    Practice.objects.get(slug="canary-model").sources.clear()
    ship(releases, 2, release(explanation="New."))
    assert ShippedUpdate.objects.filter(key="canary-model").exists()


def test_a_row_an_editor_deleted_stays_deleted(releases):
    ship(releases, 1, release())
    Practice.objects.filter(slug="canary-model").delete()
    report = ship(releases, 2, release(explanation="New."))
    assert report["skipped"] == [("practice", "canary-model")]
    assert not Practice.objects.filter(slug="canary-model").exists()


def test_a_row_already_holding_the_new_text_is_left_alone(releases):
    ship(releases, 1, release())
    Practice.objects.filter(slug="canary-model").update(explanation="Same idea as the release.")
    report = ship(releases, 2, release(explanation="Same idea as the release."))
    assert report == {"created": [], "updated": [], "kept": [], "skipped": []}
    assert Practice.objects.get(slug="canary-model").revision == 1


def test_an_unedited_quiz_takes_the_new_card_list(releases):
    data = release()
    data["quizzes"] = [
        {
            "slug": "q",
            "title": "Q (test)",
            "description": "d",
            "pass_mark": 70,
            "shuffle": True,
            "order": 9,
            "practices": [],
        }
    ]
    ship(releases, 1, data)
    data = copy.deepcopy(data)
    data["quizzes"][0]["practices"] = ["canary-model"]
    ship(releases, 2, data)
    assert list(Quiz.objects.get(slug="q").practices.values_list("slug", flat=True)) == [
        "canary-model"
    ]


# Taking over in the admin


@pytest.fixture
def pending(releases):
    ship(releases, 1, release())
    Practice.objects.filter(slug="canary-model").update(explanation="The editor's own words.")
    ship(releases, 2, release(explanation="The release's new words.", category="mlops"))
    return ShippedUpdate.objects.get()


def test_admin_shows_the_editors_text_beside_the_shipped_text(admin_client, pending):
    url = reverse("admin:content_shippedupdate_change", args=[pending.pk])
    html = admin_client.get(url).content.decode()
    assert "The editor&#x27;s own words." in html
    assert "The release&#x27;s new words." in html
    assert 'name="_take_over"' in html


def test_taking_over_in_one_click_applies_the_shipped_text(admin_client, pending):
    url = reverse("admin:content_shippedupdate_change", args=[pending.pk])
    response = admin_client.post(url, {"_take_over": "Take over"})
    assert response.status_code == 302
    practice = Practice.objects.get(slug="canary-model")
    assert (practice.explanation, practice.category, practice.revision) == (
        "The release's new words.",
        "mlops",
        2,
    )
    pending.refresh_from_db()
    assert pending.resolution == ShippedUpdate.Resolution.TAKEN_OVER


def test_keeping_the_editors_text_resolves_the_update_and_changes_nothing(admin_client, pending):
    url = reverse("admin:content_shippedupdate_change", args=[pending.pk])
    admin_client.post(url, {"_keep": "Keep"})
    assert Practice.objects.get(slug="canary-model").explanation == "The editor's own words."
    pending.refresh_from_db()
    assert pending.resolution == ShippedUpdate.Resolution.KEPT


def test_a_decided_update_cannot_be_taken_over_again(admin_client, pending):
    url = reverse("admin:content_shippedupdate_change", args=[pending.pk])
    admin_client.post(url, {"_keep": "Keep"})
    admin_client.post(url, {"_take_over": "Take over"})
    assert Practice.objects.get(slug="canary-model").explanation == "The editor's own words."


@pytest.fixture
def unpublishing(releases):
    """A pending update that unpublishes the practice an editor has edited."""
    ship(releases, 1, release())
    Practice.objects.filter(slug="canary-model").update(explanation="The editor's own words.")
    ship(releases, 2, release(explanation="The release's new words.", is_published=False))
    return ShippedUpdate.objects.get()


def quiz_with_canary(size):
    others = [make_practice() for _ in range(size - 1)]
    canary = Practice.objects.get(slug="canary-model")
    return make_quiz([canary, *others], title=f"{size} cards", is_published=True)


def test_taking_over_an_update_that_drops_a_quiz_below_its_minimum_is_refused(
    admin_client, unpublishing
):
    quiz_with_canary(5)
    url = reverse("admin:content_shippedupdate_change", args=[unpublishing.pk])
    html = admin_client.post(url, {"_take_over": "Take over"}, follow=True).content.decode()
    assert escape("Nothing was taken over. Unpublishing the practice “canary-model”") in html
    assert escape("the published quiz “5 cards” with 4 cards, below its minimum of 5") in html
    assert Practice.objects.get(slug="canary-model").is_published
    unpublishing.refresh_from_db()
    assert unpublishing.is_pending


def test_taking_over_an_update_that_shrinks_a_quiz_names_the_quiz(admin_client, unpublishing):
    quiz_with_canary(7)
    url = reverse("admin:content_shippedupdate_change", args=[unpublishing.pk])
    html = admin_client.post(url, {"_take_over": "Take over"}, follow=True).content.decode()
    assert escape("no longer deal the practice “canary-model”: “7 cards” (7 → 6 cards)") in html
    assert not Practice.objects.get(slug="canary-model").is_published


def test_taking_over_an_update_that_unpublishes_a_dimension_is_guarded_too(admin_client, releases):
    ship(releases, 1, release())
    Dimension.objects.filter(slug="delivery").update(summary="The editor's summary.")
    unpublished = release()
    unpublished["dimensions"][0] |= {"summary": "New summary.", "is_published": False}
    ship(releases, 2, unpublished)
    quiz_with_canary(5)
    update = ShippedUpdate.objects.get()
    url = reverse("admin:content_shippedupdate_change", args=[update.pk])
    html = admin_client.post(url, {"_take_over": "Take over"}, follow=True).content.decode()
    assert escape("the published quiz “5 cards” with 4 cards, below its minimum") in html
    assert Dimension.objects.get(slug="delivery").is_published


def test_an_editor_without_change_permission_cannot_take_over(client, pending, staff_user):
    from django.contrib.auth.models import Permission

    staff_user.user_permissions.add(Permission.objects.get(codename="view_shippedupdate"))
    client.force_login(staff_user)
    url = reverse("admin:content_shippedupdate_change", args=[pending.pk])
    response = client.post(url, {"_take_over": "Take over"})
    assert response.status_code in (200, 403)
    assert Practice.objects.get(slug="canary-model").explanation == "The editor's own words."


def test_content_editors_group_may_decide_shipped_updates():
    from django.contrib.auth.models import Group

    codenames = set(
        Group.objects.get(name="Content editors").permissions.values_list("codename", flat=True)
    )
    assert {"view_shippedupdate", "change_shippedupdate"} <= codenames


def test_an_edited_row_the_release_does_not_change_gets_no_shipped_update(releases):
    ship(releases, 1, release())
    Practice.objects.filter(slug="canary-model").update(explanation="The editor's own words.")
    data = release()
    data["sources"].append(
        {"key": "paper", "title": "A paper", "authors": "Else", "year": 2021,
         "url": "https://example.org/paper", "note": ""}
    )  # fmt: skip
    report = ship(releases, 2, data)
    assert report["created"] == [("source", "paper")]
    assert report["kept"] == []
    assert not ShippedUpdate.objects.exists()
