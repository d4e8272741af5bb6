"""export_content and import_content: a round trip, idempotence, and all-or-nothing."""

import json

import pytest
from django.core.management import CommandError, call_command

from comparisons.models import Dimension, Practice, Source, Tool
from content.transfer import export_content
from quizzes.models import Quiz, QuizItem

pytestmark = pytest.mark.django_db


def wipe_content():
    QuizItem.objects.all().delete()
    Quiz.objects.all().delete()
    Practice.objects.all().delete()
    Tool.objects.all().delete()
    Dimension.objects.all().delete()
    Source.objects.all().delete()


def write(tmp_path, data, name="content.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_export_then_import_into_an_empty_database_gives_identical_content(tmp_path, capsys):
    original = export_content()
    path = tmp_path / "export.json"
    call_command("export_content", output=str(path))
    wipe_content()
    assert Practice.objects.count() == 0

    call_command("import_content", str(path))

    assert export_content() == original
    assert "0 updated" in capsys.readouterr().out


def test_export_writes_to_standard_output_with_natural_keys(capsys):
    call_command("export_content")
    data = json.loads(capsys.readouterr().out)
    assert data["format"] == "opsguide-content"
    practice = data["practices"][0]
    assert isinstance(practice["dimension"], str)
    assert all(isinstance(key, str) for key in practice["sources"])
    assert "id" not in practice
    assert len(data["quizzes"]) == Quiz.objects.count()


def test_importing_twice_changes_nothing(tmp_path, capsys):
    path = write(tmp_path, export_content())
    before = {p.pk: p.updated_at for p in Practice.objects.all()}
    call_command("import_content", path)
    call_command("import_content", path)
    out = capsys.readouterr().out
    assert "0 created, 0 updated" in out
    assert {p.pk: p.updated_at for p in Practice.objects.all()} == before


def test_import_updates_changed_records(tmp_path):
    data = export_content()
    data["practices"][0]["explanation"] = "Rewritten in another environment."
    data["quizzes"][0]["practices"].reverse()
    call_command("import_content", write(tmp_path, data))
    practice = Practice.objects.get(slug=data["practices"][0]["slug"])
    assert practice.explanation == "Rewritten in another environment."
    quiz = Quiz.objects.get(slug=data["quizzes"][0]["slug"])
    assert [i.practice.slug for i in quiz.items.all()] == data["quizzes"][0]["practices"]


@pytest.mark.parametrize(
    "breakage, message",
    [
        (lambda d: d["practices"][-1].update(category="ops"), "practices["),
        (lambda d: d["practices"][-1].update(dimension="nowhere"), "unknown dimension: nowhere"),
        (lambda d: d["practices"][-1].update(sources=["nobody"]), "unknown sources: nobody"),
        (lambda d: d["practices"][-1].pop("explanation"), "missing field(s): explanation"),
        (lambda d: d["tools"][-1].update(url="not a url"), "tools["),
        (lambda d: d["dimensions"][-1].update(colour="red"), "unknown field(s): colour"),
        (
            lambda d: d["quizzes"][-1].update(practices=d["quizzes"][-1]["practices"][:2]),
            "at least 5 practices",
        ),
        (lambda d: d.update(format="something-else"), "Not an OpsGuide content file"),
    ],
)
def test_a_broken_file_is_refused_whole_naming_the_bad_record(tmp_path, breakage, message):
    before = export_content()
    data = export_content()
    data["practices"][0]["explanation"] = "This change must not survive a refused import."
    breakage(data)
    with pytest.raises(CommandError) as error:
        call_command("import_content", write(tmp_path, data))
    assert "Nothing was imported." in str(error.value)
    assert message in str(error.value)
    assert export_content() == before


def test_an_unreadable_file_is_refused(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("import_content", str(path))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_content", str(tmp_path / "missing.json"))


def test_a_published_quiz_listing_a_practice_unpublished_since_round_trips(tmp_path, capsys):
    quiz = Quiz.objects.filter(is_published=True).order_by("-pk").first()
    held = quiz.items.order_by("position").first().practice
    assert quiz.items.count() > Quiz.MIN_ITEMS  # the guard lets one go, with a warning
    Practice.objects.filter(pk=held.pk).update(is_published=False)
    original = export_content()
    path = write(tmp_path, original)

    call_command("import_content", path)  # into the same database
    wipe_content()
    call_command("import_content", path)  # and into an empty one

    assert export_content() == original
    warned = capsys.readouterr().err
    assert f"lists practices it does not deal (unpublished or “it depends”): {held.name}." in warned


def test_a_published_quiz_still_needs_enough_practices_it_deals(tmp_path):
    data = export_content()
    published = next(q for q in data["quizzes"] if q["is_published"])
    drafts = set(published["practices"][: len(published["practices"]) - Quiz.MIN_ITEMS + 1])
    for practice in data["practices"]:
        if practice["slug"] in drafts:
            practice["is_published"] = False
    with pytest.raises(CommandError, match="needs at least 5 practices"):
        call_command("import_content", write(tmp_path, data))
