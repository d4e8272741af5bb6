"""The sorting rule, the content lint and the word-clue guessers, on shipped and made-up cards."""

from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from comparisons.models import Category, Practice
from content import cues
from content.lint import MIN_SHARE, lint, practice_problems
from quizzes.models import Attempt, Quiz

from .factories import make_dimension, make_practice, make_quiz, make_source

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def card(practice):
    return {
        "name": practice.name,
        "description": practice.description,
        "category": practice.category,
    }


def complete(**fields):
    """Return a practice that passes the lint on its own."""
    values = {
        "category": Category.BOTH,
        "explanation": "Teams canary every release; ML teams also judge it by model quality.",
        "rule_reason": "ML adds model-quality metrics to the error and latency checks of a canary.",
        "note_if_devops": "A canary for a model is judged on prediction quality, not only errors.",
        "note_if_mlops": "Canary releases are older than ML; the technique is unchanged.",
    }
    values.update(fields)
    return make_practice(**values)


# The shipped content


def test_shipped_content_passes_the_lint():
    assert [str(problem) for problem in lint()] == []


def test_lint_command_succeeds_on_the_shipped_content(capsys):
    call_command("lint_content")
    assert "passes the lint" in capsys.readouterr().out


def test_every_published_quiz_has_a_fifth_of_each_bucket():
    for quiz in Quiz.objects.published():
        counts = Counter(quiz.practices.values_list("category", flat=True))
        total = sum(counts.values())
        for bucket in Category.values:
            assert counts[bucket] / total >= MIN_SHARE, (quiz.slug, counts)


def test_no_word_only_guesser_reaches_any_published_quizs_pass_mark():
    for quiz in Quiz.objects.published():
        score, name = cues.best_guesser(card(p) for p in quiz.practices.all())
        assert score * 100 < quiz.pass_mark, (quiz.slug, score, name)


def test_the_best_word_only_guesser_stays_at_or_below_sixty_percent_overall():
    score, name = cues.best_guesser(card(p) for p in Practice.objects.quizzable())
    assert score <= 0.60, name


@pytest.mark.parametrize("bucket", Category.values)
def test_the_always_the_same_bucket_guesser_fails_every_published_quiz(bucket):
    for quiz in Quiz.objects.published():
        categories = list(quiz.practices.values_list("category", flat=True))
        assert categories.count(bucket) * 100 / len(categories) < quiz.pass_mark, quiz.slug


def test_every_shipped_card_is_set_in_an_ml_teams_work():
    for practice in Practice.objects.published():
        assert cues.words(cues.card_text(card(practice))) & cues.ML_WORDS, practice.slug


def test_ml_words_appear_on_cards_of_every_bucket_so_they_decide_nothing():
    classes = Counter(
        (p.category, cues.word_class(card(p), first="ops")) for p in Practice.objects.quizzable()
    )
    for bucket in Category.values:
        assert classes[(bucket, "ops")] >= 3, classes
        assert classes[(bucket, "ml")] >= 3, classes


def test_every_shipped_both_and_devops_card_says_how_the_rule_applies():
    for practice in Practice.objects.quizzable().exclude(category=Category.MLOPS):
        assert len(practice.rule_reason.split()) >= 6, practice.slug


# The guessers themselves


def test_a_guesser_that_maps_ml_words_to_mlops_is_among_those_tried():
    cards = [
        {"name": "Retrain the model weekly", "description": "", "category": "mlops"},
        {"name": "Page the on-call engineer", "description": "", "category": "devops"},
        {"name": "Write things down", "description": "", "category": "both"},
    ]
    score, name = cues.best_guesser(cards)
    assert score == 1.0
    assert name.endswith("ml→mlops, ops→devops, neither→both")


def test_word_classes_read_hyphenated_words_and_prefer_the_named_list():
    sample = {"name": "Roll back the model", "description": "after an on-call page"}
    assert cues.word_class(sample, first="ml") == "ml"
    assert cues.word_class(sample, first="ops") == "ops"
    assert cues.word_class({"name": "Write it down", "description": ""}) == "neither"


# The lint on made-up content


def test_lint_names_a_missing_rule_reason_by_bucket():
    practice = complete(rule_reason="")
    problems = [p.message for p in practice_problems(practice)]
    assert problems == ["fill in “how the rule applies”: name the specific thing ML adds"]


def test_lint_refuses_a_wrong_bucket_note_that_repeats_the_explanation():
    practice = complete()
    practice.note_if_mlops = practice.explanation
    problems = [p.message for p in practice_problems(practice)]
    assert problems == [
        "the note for MLOps repeats the explanation; answer the mistake that choice reveals"
    ]


def test_lint_asks_for_each_missing_wrong_bucket_note():
    practice = complete(note_if_devops="")
    assert [p.message for p in practice_problems(practice)] == [
        "write the note for a learner who chose DevOps"
    ]


def test_lint_wants_one_to_three_sources():
    practice = complete(sources=[make_source() for _ in range(4)])
    assert [p.message for p in practice_problems(practice)] == ["cite one to 3 sources (it has 4)"]


def test_lint_passes_a_complete_practice():
    assert practice_problems(complete()) == []


def _problems_about(text):
    return [str(p) for p in lint() if text in str(p)]


def test_lint_finds_near_duplicates_in_different_buckets():
    dimension = make_dimension()
    complete(dimension=dimension, name="Review every pipeline configuration change like code")
    complete(
        dimension=dimension,
        name="Review every pipeline configuration change as code",
        category=Category.DEVOPS,
        rule_reason="Nothing changes for an ML team: reviews work the same for any file.",
        note_if_both="Reviewing configuration is the same review whatever the file holds.",
        note_if_devops="",
    )
    assert len(_problems_about("read as the same practice")) == 1


def test_lint_finds_a_quizzable_practice_in_no_published_quiz():
    practice = complete(name="Canary the ranking model")
    assert _problems_about(f"“{practice.name}”: is quizzable but in no published quiz")


def test_lint_finds_a_card_in_more_than_three_published_quizzes():
    practice = complete(name="Canary the ranking model")
    others = [complete(category=c) for c in (Category.DEVOPS, Category.MLOPS)]
    for _ in range(4):
        make_quiz(practices=[practice, *others])
    assert _problems_about("sits in 4 published quizzes; at most 3")


def test_lint_refuses_an_unbalanced_quiz():
    quiz = make_quiz(
        practices=[complete(category=Category.MLOPS) for _ in range(5)], title="Lopsided"
    )
    problems = _problems_about(f"quiz “{quiz.title}”")
    assert "only 0 of 5 cards are DevOps; every bucket needs at least 20%" in problems[0]


def test_lint_refuses_a_quiz_whose_words_give_the_buckets_away():
    cards = (
        [
            complete(category=Category.MLOPS, name=f"Retrain the model {n}", description="")
            for n in range(3)
        ]
        + [
            complete(category=Category.DEVOPS, name=f"Page the on-call person {n}", description="")
            for n in range(2)
        ]
        + [
            complete(category=Category.BOTH, name=f"Write it down {n}", description="")
            for n in range(2)
        ]
    )
    quiz = make_quiz(practices=cards, title="Clues", pass_mark=70)
    problems = _problems_about("a guesser that reads only the cards' words scores 100%")
    assert problems and problems[0].startswith(f"quiz “{quiz.title}”")


def test_lint_command_fails_and_names_each_problem(capsys):
    complete(rule_reason="", name="Canary the ranking model")
    with pytest.raises(CommandError, match="problem"):
        call_command("lint_content")
    assert "practice “Canary the ranking model”: fill in" in capsys.readouterr().out


# The rule, shown where learners sort


def test_sorting_rule_page_states_the_three_meanings_and_tie_breakers(client):
    html = client.get(reverse("comparisons:rule")).content.decode()
    for phrase in (
        "carries over unchanged",
        "carries over, and ML extends it",
        "new with ML",
        "Merely covering a model server as well is not an extension",
        "“Materially” means new checks, scope or tools",
        "even when the idea is borrowed",
    ):
        assert phrase in html
    for bucket in Category.values:
        assert f'<tr id="{bucket}">' in html


def test_every_quiz_intro_shows_the_rule():
    from django.test import Client

    for quiz in Quiz.objects.published():
        html = Client().get(quiz.get_absolute_url()).content.decode()
        assert "carries over unchanged" in html, quiz.slug
        assert "carries over, and ML extends it" in html
        assert "new with ML" in html
        assert f'href="{reverse("comparisons:rule")}"' in html


def test_sort_board_shows_the_rule(client):
    quiz = make_quiz(size=3)
    client.post(reverse("quizzes:start", args=[quiz.slug]), {"mode": "board"})
    html = client.get(reverse("quizzes:board", args=[quiz.slug])).content.decode()
    assert "The sorting rule: unchanged, extended, new" in html
    assert "carries over, and ML extends it" in html


@pytest.mark.parametrize("right", [True, False])
def test_feedback_says_how_the_rule_applies_and_links_to_it(client, right):
    practice = complete(category=Category.BOTH)
    quiz = make_quiz(practices=[practice, complete(category=Category.DEVOPS)], shuffle=False)
    client.post(reverse("quizzes:start", args=[quiz.slug]))
    attempt = Attempt.objects.get()
    choice = "both" if right else "devops"
    response = client.post(
        reverse("quizzes:answer", args=[quiz.slug, attempt.public_id]),
        {"practice": practice.pk, "choice": choice},
        headers=HTMX,
    )
    html = response.content.decode()
    assert practice.rule_reason in html
    assert f'href="{reverse("comparisons:rule")}#both">Why this bucket</a>' in html


def test_glossary_page_shows_how_the_rule_applies(client):
    practice = complete()
    html = client.get(practice.get_absolute_url()).content.decode()
    assert practice.rule_reason in html


def test_sources_page_says_what_was_read_in_full_and_what_only_in_excerpt(client):
    html = client.get(reverse("comparisons:sources")).content.decode()
    assert html.count('class="access access-full"') >= 5
    assert html.count('class="access access-excerpt"') >= 5
    assert ">Read only in excerpt</span>" in html


# Release 3: the topics 2026 learners ask about first

NEW_DIMENSIONS = [
    "llm-applications",
    "cost-and-capacity",
    "security-and-privacy",
    "incident-response",
    "data-contracts-and-drift",
]


@pytest.mark.parametrize("slug", NEW_DIMENSIONS)
def test_each_new_topic_is_a_dimension_with_cards_in_every_bucket_tools_and_sources(slug):
    from comparisons.models import Dimension

    dimension = Dimension.objects.published().get(slug=slug)
    counts = Counter(dimension.practices.quizzable().values_list("category", flat=True))
    assert all(counts[bucket] >= 2 for bucket in Category.values), counts
    assert dimension.sources.count() >= 3
    assert dimension.tools.exists()


def test_the_llm_dimension_names_the_three_myths_and_why():
    from comparisons.models import Dimension

    text = Dimension.objects.get(slug="llm-applications").mlops_text
    assert "Three beliefs about this work are myths" in text
    for myth in (
        "RAG removes hallucinations",
        "Prompt injection can be fully prevented",
        "An LLM judge is ground truth",
    ):
        # Each is named, then answered in the same paragraph.
        paragraph = text[text.index(myth) :].split("\n")[0]
        assert len(paragraph.split()) >= 40, myth


@pytest.mark.parametrize(
    "slug",
    [
        "add-kill-switch-to-model-backed-feature",  # feature flags
        "keep-model-rework-on-trunk-behind-toggle",  # trunk-based development
        "trace-prediction-requests-across-services",  # tracing and observability
        "deploy-only-images-with-verified-provenance",  # software supply chain
    ],
)
def test_devops_side_topics_have_quizzed_cards_that_say_how_the_rule_applies(slug):
    practice = Practice.objects.quizzable().get(slug=slug)
    assert practice.quizzes.filter(is_published=True).exists()
    assert practice.rule_reason.startswith("Nothing changes for an ML team")


def test_an_llm_quiz_is_published_with_llm_cards_only():
    quiz = Quiz.objects.published().get(slug="llm-applications")
    dimensions = set(quiz.practices.values_list("dimension__slug", flat=True))
    assert dimensions == {"llm-applications"}
    assert quiz.practices.count() >= 12


def test_the_tricky_quiz_has_as_many_cards_whose_words_mislead_as_cards_whose_words_do_not():
    quiz = Quiz.objects.published().get(slug="tricky-cases")
    practices = list(quiz.practices.all())
    misleading = [p for p in practices if cues.skim_bucket(card(p)) != p.category]
    assert abs(2 * len(misleading) - len(practices)) <= 1
    # Neither reading by vocabulary, nor its reverse, passes the quiz.
    score, _ = cues.best_guesser(card(p) for p in practices)
    assert score * 100 < quiz.pass_mark


def test_no_card_sits_in_more_than_three_published_quizzes():
    from django.db.models import Count, Q

    crowded = Practice.objects.annotate(
        published_quizzes=Count("quizzes", filter=Q(quizzes__is_published=True))
    ).filter(published_quizzes__gt=3)
    assert list(crowded.values_list("slug", flat=True)) == []


def test_every_bucket_has_enough_cards_to_fill_every_quiz_a_fifth_at_a_time():
    needed = Counter()
    for quiz in Quiz.objects.published():
        for bucket in Category.values:
            needed[bucket] += -(-quiz.practices.count() // 5)  # a fifth, rounded up
    have = Counter(Practice.objects.quizzable().values_list("category", flat=True))
    for bucket in Category.values:
        assert have[bucket] * 3 >= needed[bucket], (bucket, have, needed)


def test_sources_page_marks_the_new_primary_sources_by_how_much_was_read(client):
    from comparisons.models import Source

    html = client.get(reverse("comparisons:sources")).content.decode()
    for key in ("owasp-llm-top10-2025", "nist-ai-600-1", "nist-ai-rmf", "mlflow-genai"):
        source = Source.objects.get(key=key)
        assert source.access in ("full", "excerpt")
        item = html[html.index(f'<li id="{key}">') :]
        assert f'class="access access-{source.access}"' in item[: item.index("</li>")]
