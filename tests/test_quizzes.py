"""The quiz pages and the answer endpoint, through Django's test client."""

import re
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from comparisons.models import Category, Practice
from quizzes.forms import AnswerForm
from quizzes.models import Answer, Attempt, Quiz

from .factories import make_practice, make_quiz, practices_of, start, wrong_for

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def answer_url(attempt):
    return reverse("quizzes:answer", args=[attempt.quiz.slug, attempt.public_id])


def post_answer(client, attempt, practice, choice, headers=None, **extra):
    data = {"practice": practice.pk, "choice": choice, **extra}
    return client.post(answer_url(attempt), data, headers=headers or {})


def finish(client, quiz, wrong=()):
    """Start and answer every card, getting those in `wrong` wrong; return the attempt."""
    attempt = start(client, quiz)
    for practice in practices_of(quiz):
        choice = wrong_for(practice) if practice in wrong else practice.category
        post_answer(client, attempt, practice, choice)
    attempt.refresh_from_db()
    return attempt


# The list


def test_quiz_list_shows_every_published_quiz_with_its_size(client):
    html = client.get("/quizzes/").content.decode()
    for quiz in Quiz.objects.published():
        assert quiz.get_absolute_url() in html
    assert "10 cards" in html
    assert "30 cards" in html


def test_shipped_quizzes_cover_the_themes():
    slugs = set(Quiz.objects.published().values_list("slug", flat=True))
    assert {
        "warm-up",
        "data-and-models",
        "delivery-and-automation",
        "tooling",
        "monitoring-and-operations",
        "full-mix",
    } <= slugs
    assert Quiz.objects.get(slug="warm-up").items.count() == 10
    assert Quiz.objects.get(slug="full-mix").items.count() == 30
    for quiz in Quiz.objects.all():
        assert quiz.items.count() >= 5
        for practice in practices_of(quiz):
            assert practice.is_published and not practice.is_contested, (quiz, practice)


def test_unpublished_quiz_is_hidden_and_404(client):
    quiz = make_quiz(is_published=False, title="Secret quiz")
    assert "Secret quiz" not in client.get("/quizzes/").content.decode()
    assert client.get(quiz.get_absolute_url()).status_code == 404
    assert client.post(reverse("quizzes:start", args=[quiz.slug])).status_code == 404


def test_quiz_list_shows_best_score_and_resume(client):
    quiz = make_quiz(size=5)
    finish(client, quiz, wrong=practices_of(quiz)[:1])
    start(client, quiz)
    html = client.get("/quizzes/").content.decode()
    assert "your best: <strong>80%</strong>" in html
    assert "Resume (0 right so far)" in html


def test_home_links_to_the_quizzes(client):
    assert reverse("quizzes:list") in client.get("/").content.decode()


# Playing


def test_opening_a_quiz_writes_nothing(client):
    quiz = make_quiz()
    response = client.get(quiz.get_absolute_url())
    assert response.status_code == 200
    assert "Start the quiz" in response.content.decode()
    assert not Attempt.objects.exists()
    assert "sessionid" not in response.cookies


def test_start_creates_an_attempt_and_shows_the_first_card(client):
    quiz = make_quiz(size=3)
    attempt = start(client, quiz)
    html = client.get(quiz.get_absolute_url()).content.decode()
    first = practices_of(quiz)[0]
    assert first.name in html
    assert "0 of 3 answered" in html
    assert 'aria-live="polite"' in html
    for label in ("DevOps", "MLOps", "Both"):
        assert re.search(rf'value="{label.lower()}"[^>]*>\s*{label}', html)
    assert attempt.session_key


def test_start_again_resumes_the_unfinished_attempt(client):
    quiz = make_quiz(size=3)
    attempt = start(client, quiz)
    post_answer(client, attempt, practices_of(quiz)[0], "both")
    again = start(client, quiz)
    assert again.pk == attempt.pk
    assert Attempt.objects.count() == 1
    html = client.get(quiz.get_absolute_url()).content.decode()
    assert practices_of(quiz)[1].name in html
    assert "1 of 3 answered" in html


def test_answer_via_htmx_returns_feedback_and_out_of_band_updates(client):
    quiz = make_quiz(size=3)
    attempt = start(client, quiz)
    practice = practices_of(quiz)[0]
    response = post_answer(client, attempt, practice, practice.category, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Right:" in html
    assert practice.dimension.get_absolute_url() in html
    assert "Next card" in html
    # The status is a polite live region: its content is swapped, not the element.
    assert re.search(r'id="status"[^>]*role="status"[^>]*hx-swap-oob="innerHTML"', html)
    assert re.search(r'id="choice-buttons"[^>]*hx-swap-oob="true"', html)
    assert "1 of 3 answered" in html
    assert "Score <strong>1</strong>" in html
    assert Answer.objects.filter(attempt=attempt, practice=practice).count() == 1


def test_wrong_answer_speaks_to_the_bucket_chosen(client):
    practice = make_practice(
        category="mlops", note_if_devops="Drift only exists where a model learned from data."
    )
    quiz = make_quiz(practices=[practice, make_practice()])
    attempt = start(client, quiz)
    html = post_answer(client, attempt, practice, "devops", headers=HTMX).content.decode()
    assert "Not quite:" in html
    assert "you chose DevOps; it is MLOps." in html
    assert "Drift only exists where a model learned from data." in html
    assert f'<a href="{practice.get_absolute_url()}">Why MLOps?</a>' in html
    attempt.refresh_from_db()


def test_answer_without_htmx_redirects_to_the_same_state(client):
    quiz = make_quiz(size=3)
    attempt = start(client, quiz)
    practice = practices_of(quiz)[0]
    response = post_answer(client, attempt, practice, wrong_for(practice))
    assert response.status_code == 302
    assert response["Location"] == f"{quiz.get_absolute_url()}?feedback={practice.pk}"
    html = client.get(response["Location"]).content.decode()
    assert "Not quite:" in html
    assert f'href="{quiz.get_absolute_url()}"' in html
    assert "disabled" in html
    html = client.get(quiz.get_absolute_url()).content.decode()
    assert practices_of(quiz)[1].name in html


def test_next_card_via_htmx_returns_only_the_play_region(client):
    quiz = make_quiz(size=3)
    attempt = start(client, quiz)
    post_answer(client, attempt, practices_of(quiz)[0], "both")
    html = client.get(quiz.get_absolute_url(), headers=HTMX).content.decode()
    assert html.lstrip().startswith('<div id="play"')
    assert practices_of(quiz)[1].name in html


def test_last_answer_links_to_the_results(client):
    quiz = make_quiz(size=2)
    attempt = start(client, quiz)
    first, last = practices_of(quiz)
    post_answer(client, attempt, first, first.category)
    html = post_answer(client, attempt, last, last.category, headers=HTMX).content.decode()
    attempt.refresh_from_db()
    assert attempt.is_finished
    assert "See your results" in html
    assert attempt.get_absolute_url() in html


def test_finished_attempt_without_javascript_shows_the_last_feedback_then_results(client):
    quiz = make_quiz(size=1)
    attempt = start(client, quiz)
    practice = practices_of(quiz)[0]
    location = post_answer(client, attempt, practice, practice.category)["Location"]
    html = client.get(location).content.decode()
    assert "Right:" in html
    assert attempt.get_absolute_url() in html
    response = client.get(quiz.get_absolute_url())
    assert "Start the quiz" in response.content.decode()


def test_double_submit_returns_the_recorded_feedback_and_counts_once(client):
    quiz = make_quiz(size=3)
    attempt = start(client, quiz)
    practice = practices_of(quiz)[0]
    post_answer(client, attempt, practice, practice.category, headers=HTMX)
    second = post_answer(client, attempt, practice, wrong_for(practice), headers=HTMX)
    assert second.status_code == 200
    assert "Right:" in second.content.decode()
    attempt.refresh_from_db()
    assert attempt.score == 1
    assert Answer.objects.filter(attempt=attempt).count() == 1


# Bad input: a clear 4xx, and nothing written


def assert_nothing_written(attempt, answers=0, score=0):
    attempt.refresh_from_db()
    assert Answer.objects.filter(attempt=attempt).count() == answers
    assert attempt.score == score


@pytest.mark.parametrize("choice", ["ops", "", "DEVOPS", "both'; DROP TABLE", "x" * 500])
def test_a_choice_outside_the_buckets_is_400(client, choice):
    quiz = make_quiz(size=2)
    attempt = start(client, quiz)
    response = post_answer(client, attempt, practices_of(quiz)[0], choice)
    assert response.status_code == 400
    assert "Choose DevOps, MLOps or Both" in response.content.decode()
    assert_nothing_written(attempt)


@pytest.mark.parametrize("practice_id", ["", "abc", "-1", "0", "99999999", "1e9", "2147483648"])
def test_a_malformed_or_unknown_practice_is_400(client, practice_id):
    quiz = make_quiz(size=2)
    attempt = start(client, quiz)
    response = client.post(answer_url(attempt), {"practice": practice_id, "choice": "both"})
    assert response.status_code == 400
    assert_nothing_written(attempt)


@pytest.mark.parametrize("mode", ["grid", "BOARD", "board ", "x" * 300])
def test_an_unknown_mode_is_400(client, mode):
    quiz = make_quiz(size=2)
    attempt = start(client, quiz)
    response = post_answer(client, attempt, practices_of(quiz)[0], "both", mode=mode)
    assert response.status_code == 400
    assert_nothing_written(attempt)


@pytest.mark.parametrize(
    "data, expected",
    [
        ({"practice": "12", "choice": "mlops"}, (12, "mlops", "play")),
        ({"practice": "12", "choice": "both", "mode": ""}, (12, "both", "play")),
        ({"practice": "7", "choice": "devops", "mode": "board"}, (7, "devops", "board")),
        ({"choice": "both"}, None),
        ({"practice": "12"}, None),
        ({"practice": "12", "choice": "MLOps"}, None),
        ({"practice": "12", "choice": "both", "mode": "grid"}, None),
        ({"practice": "0", "choice": "both"}, None),
        ({"practice": "-3", "choice": "both"}, None),
        ({"practice": "12x", "choice": "both"}, None),
        ({"practice": "9" * 12, "choice": "both"}, None),
    ],
)
def test_the_answer_form_accepts_only_a_card_id_a_bucket_and_a_mode(data, expected):
    form = AnswerForm(QueryDict(urlencode(data)))
    if expected is None:
        assert not form.is_valid()
    else:
        assert form.is_valid(), form.errors
        cleaned = form.cleaned_data
        assert (cleaned["practice"], cleaned["choice"], cleaned["mode"]) == expected


def test_a_practice_not_in_this_attempt_is_400(client):
    quiz = make_quiz(size=2)
    attempt = start(client, quiz)
    response = post_answer(client, attempt, make_practice(), "both")
    assert response.status_code == 400
    assert "not part of this attempt" in response.content.decode()
    assert_nothing_written(attempt)


def test_a_refusal_via_htmx_is_a_fragment_retargeted_to_the_card(client):
    quiz = make_quiz(size=2)
    attempt = start(client, quiz)
    response = post_answer(client, attempt, practices_of(quiz)[0], "ops", headers=HTMX)
    assert response.status_code == 400
    assert response["HX-Retarget"] == "#refusal"
    assert "<html" not in response.content.decode()


def test_an_unknown_attempt_is_404(client):
    quiz = make_quiz(size=2)
    start(client, quiz)
    url = reverse("quizzes:answer", args=[quiz.slug, "00000000-0000-0000-0000-000000000000"])
    assert client.post(url, {"practice": 1, "choice": "both"}).status_code == 404
    assert not Answer.objects.exists()


def test_an_attempt_of_another_quiz_is_404(client):
    quiz, other = make_quiz(size=2), make_quiz(size=2)
    attempt = start(client, quiz)
    url = reverse("quizzes:answer", args=[other.slug, attempt.public_id])
    practice = practices_of(quiz)[0]
    assert client.post(url, {"practice": practice.pk, "choice": "both"}).status_code == 404
    assert not Answer.objects.exists()


def test_somebody_elses_attempt_is_404(client):
    quiz = make_quiz(size=2)
    attempt = start(client, quiz)
    stranger = Client()
    stranger.post(reverse("quizzes:start", args=[quiz.slug]))
    response = post_answer(stranger, attempt, practices_of(quiz)[0], "both")
    assert response.status_code == 404
    assert_nothing_written(attempt)


def test_a_new_choice_in_a_finished_attempt_is_409(client):
    quiz = make_quiz(size=2)
    attempt = finish(client, quiz)
    practice = practices_of(quiz)[0]
    response = post_answer(client, attempt, practice, wrong_for(practice))
    assert response.status_code == 409
    assert "This attempt is finished" in response.content.decode()
    assert_nothing_written(attempt, answers=2, score=2)


def test_a_missing_csrf_token_is_403(client):
    quiz = make_quiz(size=2)
    attempt = start(client, quiz)
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies
    response = post_answer(strict, attempt, practices_of(quiz)[0], "both")
    assert response.status_code == 403
    assert_nothing_written(attempt)
    start_response = strict.post(reverse("quizzes:start", args=[quiz.slug]))
    assert start_response.status_code == 403
    assert Attempt.objects.count() == 1


def test_get_on_the_answer_url_is_405(client):
    quiz = make_quiz(size=2)
    attempt = start(client, quiz)
    assert client.get(answer_url(attempt)).status_code == 405


# Results


def test_results_show_score_pass_breakdown_and_mistakes(client):
    quiz = make_quiz(size=5)
    missed = practices_of(quiz)[0]
    attempt = finish(client, quiz, wrong=[missed])
    html = client.get(attempt.get_absolute_url()).content.decode()
    assert "4 of 5 right · 80%" in html
    assert "Passed." in html
    assert "What you chose (columns) against what was right (rows)" in html
    assert "<svg" in html
    assert missed.name in html
    assert missed.explanation in html
    assert missed.dimension.get_absolute_url() in html
    assert "Retry the 1 I missed" in html
    assert "Take it again" in html


def test_results_below_the_pass_mark_say_not_passed(client):
    quiz = make_quiz(size=5)
    attempt = finish(client, quiz, wrong=practices_of(quiz)[:3])
    html = client.get(attempt.get_absolute_url()).content.decode()
    assert "2 of 5 right · 40%" in html
    assert "Not passed yet." in html


def test_results_are_private_to_the_owner_and_staff(client, staff_user):
    quiz = make_quiz(size=2)
    attempt = finish(client, quiz)
    assert client.get(attempt.get_absolute_url()).status_code == 200
    assert Client().get(attempt.get_absolute_url()).status_code == 404
    staff = Client()
    staff.force_login(staff_user)
    response = staff.get(attempt.get_absolute_url())
    assert response.status_code == 200
    assert "Take it again" not in response.content.decode()


def test_results_of_a_signed_in_learner_are_not_visible_to_another(django_user_model):
    quiz = make_quiz(size=2)
    alice = Client()
    alice.force_login(django_user_model.objects.create_user("alice", password="x" * 12))
    attempt = finish(alice, quiz)
    assert attempt.user.username == "alice"
    bob = Client()
    bob.force_login(django_user_model.objects.create_user("bob", password="x" * 12))
    assert bob.get(attempt.get_absolute_url()).status_code == 404
    assert alice.get(attempt.get_absolute_url()).status_code == 200


def test_retry_missed_deals_only_the_mistakes(client):
    quiz = make_quiz(size=5)
    missed = practices_of(quiz)[1:3]
    attempt = finish(client, quiz, wrong=missed)
    response = client.post(reverse("quizzes:retry", args=[quiz.slug, attempt.public_id]))
    assert response.status_code == 302
    retry = Attempt.objects.latest("started_at")
    assert retry.pk != attempt.pk
    assert retry.retry_of == attempt
    assert sorted(retry.practice_ids) == sorted(p.pk for p in missed)
    assert retry.total == 2
    assert missed[0].name in client.get(quiz.get_absolute_url()).content.decode()


def test_retry_missed_refuses_without_mistakes_unfinished_or_foreign(client):
    quiz = make_quiz(size=2)
    perfect = finish(client, quiz)
    retry_url = reverse("quizzes:retry", args=[quiz.slug, perfect.public_id])
    assert client.post(retry_url).status_code == 400
    unfinished = start(client, quiz, fresh="1")
    url = reverse("quizzes:retry", args=[quiz.slug, unfinished.public_id])
    assert client.post(url).status_code == 409
    assert Client().post(retry_url).status_code == 404
    assert Attempt.objects.count() == 2


def test_take_it_again_starts_a_fresh_attempt(client):
    quiz = make_quiz(size=2)
    first = finish(client, quiz)
    again = start(client, quiz, fresh="1")
    assert again.pk != first.pk
    assert not again.is_finished


# The sort board


def test_board_shows_every_card_of_the_attempt(client):
    quiz = make_quiz(size=4)
    start(client, quiz, mode="board")
    html = client.get(reverse("quizzes:board", args=[quiz.slug])).content.decode()
    for practice in practices_of(quiz):
        assert f'id="card-{practice.pk}"' in html
    for value in Category.values:
        assert f'data-drop="{value}"' in html
    assert 'draggable="true"' in html


def test_board_without_an_attempt_redirects_to_the_quiz(client):
    quiz = make_quiz(size=2)
    response = client.get(reverse("quizzes:board", args=[quiz.slug]))
    assert response.status_code == 302
    assert not Attempt.objects.exists()


def test_board_answer_via_htmx_returns_the_placed_card(client):
    quiz = make_quiz(size=3)
    attempt = start(client, quiz, mode="board")
    practice = practices_of(quiz)[2]
    response = post_answer(client, attempt, practice, practice.category, HTMX, mode="board")
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li id="card-{practice.pk}"')
    assert f'data-placed="{practice.category}"' in html
    assert re.search(r'id="announce"[^>]*hx-swap-oob="innerHTML"', html)
    assert f"{practice.name}: right" in html


def test_board_answer_without_htmx_returns_to_the_board_with_the_card_placed(client):
    quiz = make_quiz(size=3)
    attempt = start(client, quiz, mode="board")
    practice = practices_of(quiz)[0]
    response = post_answer(client, attempt, practice, "both", mode="board")
    board_url = reverse("quizzes:board", args=[quiz.slug])
    # Back at the next card to sort (not at the column), with the verdict shown.
    following = practices_of(quiz)[1]
    assert response["Location"] == f"{board_url}?placed={practice.pk}#card-{following.pk}"
    html = client.get(board_url).content.decode()
    column = html.index('id="column-both"')
    assert html.index(f'id="card-{practice.pk}"') > column


# Query counts: fixed, whatever the quiz length


@pytest.mark.parametrize("size", [5, 40])
def test_query_counts_do_not_grow_with_quiz_length(client, size, django_assert_num_queries):
    quiz = make_quiz(size=size)
    attempt = start(client, quiz)
    practices = practices_of(quiz)
    for practice in practices[:-1]:
        post_answer(client, attempt, practice, practice.category)
    # Each request reads its session (from the database: without Redis no worker
    # keeps a copy). The quiz, its cards and the content version come from the
    # cache (per content version), so the rest are the learner's own rows.
    # Play: the attempt (which lists the cards it has answered) and the card,
    # read once per content version.
    with django_assert_num_queries(1 + 2):
        client.get(quiz.get_absolute_url())
    # The board: the attempt, its answers, and the attempt's practices at once.
    with django_assert_num_queries(1 + 3):
        client.get(reverse("quizzes:board", args=[quiz.slug]))
    # Two rate limits (per session and per address), each counted in the database
    # when there is no Redis: an UPDATE and a read. Then the attempt, and the
    # transaction: the locked attempt, the insert and the counters, inside its
    # SAVEPOINT/RELEASE or BEGIN/COMMIT.
    with django_assert_num_queries(1 + 2 * 2 + 6):
        post_answer(client, attempt, practices[-1], "both", headers=HTMX)
    # Results: the attempt and its answers; the report is then cached.
    with django_assert_num_queries(1 + 2):
        client.get(attempt.get_absolute_url())
    with django_assert_num_queries(1 + 2):
        client.get("/quizzes/")


# A finished attempt's report (breakdown and mistakes) is cached per content version


def report_of(html):
    return html[html.index('aria-labelledby="breakdown-heading"') :]


def test_a_finished_attempts_report_is_read_from_the_cache_the_second_time(
    client, django_assert_num_queries
):
    quiz = make_quiz(size=5)
    attempt = finish(client, quiz, wrong=practices_of(quiz)[:2])
    first = client.get(attempt.get_absolute_url()).content.decode()
    with django_assert_num_queries(1 + 1):  # the session and the attempt; no answers
        again = client.get(attempt.get_absolute_url()).content.decode()
    assert report_of(again) == report_of(first)
    assert "Retry the 2 I missed" in again


def test_an_editors_change_reaches_a_finished_attempts_report_at_once(client):
    quiz = make_quiz(size=5)
    missed = practices_of(quiz)[0]
    attempt = finish(client, quiz, wrong=[missed])
    assert missed.explanation in client.get(attempt.get_absolute_url()).content.decode()
    missed.explanation = "A sharper explanation from an editor."
    missed.save()
    html = client.get(attempt.get_absolute_url()).content.decode()
    assert "A sharper explanation from an editor." in html


def test_staff_and_the_owner_each_get_their_own_report(client, staff_user):
    quiz = make_quiz(size=5)
    attempt = finish(client, quiz, wrong=practices_of(quiz)[:1])
    staff = Client()
    staff.force_login(staff_user)
    assert "I disagree" not in staff.get(attempt.get_absolute_url()).content.decode()
    assert "I disagree" in client.get(attempt.get_absolute_url()).content.decode()
    assert "I disagree" not in staff.get(attempt.get_absolute_url()).content.decode()


def test_an_unfinished_attempts_report_follows_each_answer(client):
    quiz = make_quiz(size=5)
    attempt = start(client, quiz)
    first, second = practices_of(quiz)[:2]
    post_answer(client, attempt, first, wrong_for(first))
    assert "1 of 5 answered" in client.get(attempt.get_absolute_url()).content.decode()
    post_answer(client, attempt, second, wrong_for(second))
    html = client.get(attempt.get_absolute_url()).content.decode()
    assert "2 of 5 answered" in html
    assert second.name in html


# Retry results are practice, never a pass (issue 16)


def retry(client, attempt, wrong=()):
    """Retry the attempt's mistakes, getting the practices in `wrong` wrong; return the retry."""
    client.post(reverse("quizzes:retry", args=[attempt.quiz.slug, attempt.public_id]))
    again = Attempt.objects.latest("started_at")
    for practice in Practice.objects.filter(pk__in=again.practice_ids):
        choice = wrong_for(practice) if practice in wrong else practice.category
        post_answer(client, again, practice, choice)
    again.refresh_from_db()
    return again


def test_a_perfect_retry_does_not_say_passed(client):
    quiz = make_quiz(size=5)  # pass mark 60%
    missed = practices_of(quiz)[:3]
    first = finish(client, quiz, wrong=missed)
    again = retry(client, first)
    assert again.percent == 100
    html = client.get(again.get_absolute_url()).content.decode()
    assert "Passed" not in html
    assert "Not passed" not in html
    assert "You now have 3 of the 3 you missed" in html
    assert "<title>Retry results: " in html
    assert re.search(r"<h1[^>]*>Retry of your missed cards: ", html)


def test_retry_results_show_the_combined_picture_beside_the_quiz_score(client):
    quiz = make_quiz(size=5)
    missed = practices_of(quiz)[:3]
    first = finish(client, quiz, wrong=missed)
    again = retry(client, first, wrong=missed[:1])
    html = client.get(again.get_absolute_url()).content.decode()
    assert "You now have 2 of the 3 you missed" in html
    assert re.search(r"<strong>2 of 5</strong> right · 40%", html)  # the quiz score stays
    assert re.search(r"<strong>4 of 5</strong> cards now sorted right", html)
    assert f'href="{first.get_absolute_url()}">your attempt of' in html


def test_a_retry_of_a_retry_counts_against_the_first_attempt(client):
    quiz = make_quiz(size=5)
    missed = practices_of(quiz)[:3]
    first = finish(client, quiz, wrong=missed)
    second = retry(client, first, wrong=missed[:2])
    third = retry(client, second, wrong=missed[:1])
    html = client.get(third.get_absolute_url()).content.decode()
    assert "You now have 1 of the 2 you missed" in html
    assert re.search(r"<strong>4 of 5</strong> cards now sorted right", html)
    assert f'href="{second.get_absolute_url()}">your earlier retry of' in html


def test_a_retry_says_so_in_its_title_and_heading_from_the_first_card(client):
    quiz = make_quiz(size=3)
    first = finish(client, quiz, wrong=practices_of(quiz)[:2])
    client.post(reverse("quizzes:retry", args=[quiz.slug, first.public_id]))
    for url in (quiz.get_absolute_url(), reverse("quizzes:board", args=[quiz.slug])):
        html = client.get(url).content.decode()
        assert "0 of 2 answered" in html
        assert "<title>Retry of your missed cards: " in html
        assert re.search(r"<h1>Retry of your missed cards: ", html)
    ordinary = client.get(first.get_absolute_url()).content.decode()
    assert "Retry of your missed cards" not in ordinary


def test_retry_results_cost_no_more_queries_than_ordinary_ones(client, django_assert_num_queries):
    quiz = make_quiz(size=5)
    first = finish(client, quiz, wrong=practices_of(quiz)[:2])
    again = retry(client, first)
    client.get(again.get_absolute_url())
    # The session, then the retry and its original in one query (the report is cached).
    with django_assert_num_queries(1 + 1):
        client.get(again.get_absolute_url())


# Focus and what a screen reader hears (issue 16)


def test_the_results_page_starts_with_focus_on_its_heading(client):
    quiz = make_quiz(size=2)
    attempt = finish(client, quiz)
    html = client.get(attempt.get_absolute_url()).content.decode()
    assert re.search(r'<h1 id="results-heading" tabindex="-1" autofocus>', html)


def test_next_card_carries_the_verdict_as_its_description(client):
    quiz = make_quiz(size=2)
    attempt = start(client, quiz)
    practice = practices_of(quiz)[0]
    html = post_answer(client, attempt, practice, practice.category, HTMX).content.decode()
    assert f'<p class="verdict" id="verdict-{practice.pk}">' in html
    assert re.search(rf'data-focus aria-describedby="verdict-{practice.pk}">Next card</a>', html)


def test_the_dispute_form_takes_focus_and_so_does_its_confirmation(client):
    quiz = make_quiz(size=2)
    attempt = start(client, quiz)
    practice = practices_of(quiz)[0]
    post_answer(client, attempt, practice, wrong_for(practice))
    url = reverse("quizzes:dispute", args=[quiz.slug, attempt.public_id])
    form = client.get(url, {"practice": practice.pk}, headers=HTMX).content.decode()
    assert re.search(r"<textarea[^>]*autofocus", form)
    data = {"practice": practice.pk, "reason": "It is about data, so MLOps."}
    sent = client.post(url, data, headers=HTMX).content.decode()
    assert re.search(r'<p role="status" class="sent" tabindex="-1" autofocus>', sent)
