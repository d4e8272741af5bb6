"""The sort board and switching modes, through Django's test client (issue 16)."""

import re

import pytest
from django.urls import reverse

from quizzes.models import Answer, Attempt

from .factories import make_quiz, practices_of, start, wrong_for

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def board_url(quiz):
    return reverse("quizzes:board", args=[quiz.slug])


def place(client, attempt, practice, choice, headers=None):
    url = reverse("quizzes:answer", args=[attempt.quiz.slug, attempt.public_id])
    data = {"practice": practice.pk, "choice": choice, "mode": "board"}
    return client.post(url, data, headers=headers or {})


def to_sort(html):
    return int(re.search(r'<span id="pile-count"[^>]*>(\d+)</span>', html).group(1))


def tally(html):
    pattern = r'class="tally-(\w+)"[^>]*>[^<]*<span class="tally-count">(\d+)</span>'
    found = re.findall(pattern, html)
    return {bucket: int(count) for bucket, count in found}


# The counter and the tallies


def test_the_counter_counts_down_on_the_page_after_each_placement(client):
    quiz = make_quiz(size=4)
    attempt = start(client, quiz, mode="board")
    assert to_sort(client.get(board_url(quiz)).content.decode()) == 4
    first, second = practices_of(quiz)[:2]
    place(client, attempt, first, first.category)
    html = client.get(board_url(quiz)).content.decode()
    assert to_sort(html) == 3
    place(client, attempt, second, wrong_for(second))
    html = client.get(board_url(quiz)).content.decode()
    assert to_sort(html) == 2
    assert tally(html) == {
        bucket: [first.category, wrong_for(second)].count(bucket)
        for bucket in ("devops", "mlops", "both")
    }


def test_a_placement_via_htmx_updates_the_counter_tallies_and_live_regions(client):
    quiz = make_quiz(size=3)
    attempt = start(client, quiz, mode="board")
    practice = practices_of(quiz)[1]
    html = place(client, attempt, practice, practice.category, HTMX).content.decode()
    assert re.search(r'<span id="pile-count"[^>]*hx-swap-oob="true"[^>]*>2</span>', html)
    assert re.search(r'<ul id="tally"[^>]*hx-swap-oob="true"', html)
    assert tally(html)[practice.category] == 1
    # Live regions keep their element and get new content, so they are announced.
    assert re.search(r'<p id="announce"[^>]*aria-live="polite"[^>]*hx-swap-oob="innerHTML"', html)
    assert re.search(r'<div id="status"[^>]*role="status"[^>]*hx-swap-oob="innerHTML"', html)


def test_a_placed_card_collapses_to_its_name_and_verdict_with_the_note_in_details(client):
    quiz = make_quiz(size=3)
    attempt = start(client, quiz, mode="board")
    practice = practices_of(quiz)[0]
    html = place(client, attempt, practice, wrong_for(practice), HTMX).content.decode()
    card = html[: html.index("</li>")]
    head, note = card.split("<details", 1)
    assert practice.name in head
    assert "Not quite:" in head
    assert practice.description not in head
    assert practice.description in note
    assert practice.explanation in note
    assert "I disagree with this answer" in note
    assert "<form" not in card


# Without JavaScript: back to the next card, never to the column


def test_a_placement_without_javascript_returns_to_the_next_card_with_the_verdict(client):
    quiz = make_quiz(size=4)
    attempt = start(client, quiz, mode="board")
    first, second, third, _ = practices_of(quiz)
    response = place(client, attempt, second, second.category)
    assert response["Location"] == f"{board_url(quiz)}?placed={second.pk}#card-{third.pk}"
    html = client.get(response["Location"]).content.decode()
    assert f"{second.name}: right" in html
    assert to_sort(html) == 3
    # The pile wraps round: after the last card dealt comes the first unsorted.
    place(client, attempt, third, third.category)
    response = place(client, attempt, practices_of(quiz)[3], "both")
    assert response["Location"].endswith(f"#card-{first.pk}")


def test_the_last_placement_without_javascript_shows_the_finished_board_and_results(client):
    quiz = make_quiz(size=2)
    attempt = start(client, quiz, mode="board")
    first, last = practices_of(quiz)
    place(client, attempt, first, first.category)
    response = place(client, attempt, last, wrong_for(last))
    assert response["Location"] == f"{board_url(quiz)}?placed={last.pk}#board-results"
    html = client.get(response["Location"]).content.decode()
    assert response.status_code == 302
    assert to_sort(html) == 0
    assert '<p id="board-results" class="board-results">' in html  # not hidden
    assert attempt.get_absolute_url() in html
    assert f"{last.name}: not quite" in html


@pytest.mark.parametrize("placed", ["", "abc", "-1", "²", "99999999", "1" * 30])
def test_a_bad_or_foreign_placed_card_is_ignored(client, placed):
    quiz = make_quiz(size=2)
    start(client, quiz, mode="board")
    response = client.get(board_url(quiz), {"placed": placed})
    assert response.status_code == 200
    assert "The verdict on each card you place shows here." in response.content.decode()


def test_a_placed_card_of_another_learner_does_not_show_their_board(client):
    quiz = make_quiz(size=1)
    other = start(client, quiz, mode="board")
    practice = practices_of(quiz)[0]
    place(client, other, practice, practice.category)
    client.cookies.clear()
    response = client.get(board_url(quiz), {"placed": practice.pk})
    assert response.status_code == 302
    assert response["Location"] == quiz.get_absolute_url()


# Switching between one card at a time and the sort board, and starting over


def test_switching_modes_keeps_the_answers_already_given(client):
    quiz = make_quiz(size=4)
    attempt = start(client, quiz)
    first, second, third, _ = practices_of(quiz)
    url = reverse("quizzes:answer", args=[quiz.slug, attempt.public_id])
    client.post(url, {"practice": first.pk, "choice": first.category})
    play = client.get(quiz.get_absolute_url()).content.decode()
    assert f'href="{board_url(quiz)}">Switch to the sort board</a>' in play

    board = client.get(board_url(quiz)).content.decode()
    assert f'href="{quiz.get_absolute_url()}">Switch to one card at a time</a>' in board
    assert to_sort(board) == 3
    assert board.index(f'id="card-{first.pk}"') > board.index('id="column-devops"')
    place(client, attempt, second, second.category)

    play = client.get(quiz.get_absolute_url()).content.decode()
    assert "2 of 4 answered" in play
    assert third.name in play
    assert Attempt.objects.count() == 1


def test_start_over_begins_a_new_attempt_and_keeps_the_old_one(client):
    quiz = make_quiz(size=3)
    old = start(client, quiz)
    practice = practices_of(quiz)[0]
    url = reverse("quizzes:answer", args=[quiz.slug, old.public_id])
    client.post(url, {"practice": practice.pk, "choice": practice.category})
    play = client.get(quiz.get_absolute_url()).content.decode()
    assert re.search(r'name="fresh" value="1">\s*<button[^>]*>Start over</button>', play)

    response = client.post(reverse("quizzes:start", args=[quiz.slug]), {"fresh": "1"})
    assert response["Location"] == quiz.get_absolute_url()
    new = Attempt.objects.latest("started_at")
    assert new.pk != old.pk
    assert "0 of 3 answered" in client.get(quiz.get_absolute_url()).content.decode()
    # The old attempt stays, with its answer, and its page still opens.
    assert Answer.objects.filter(attempt=old).count() == 1
    html = client.get(old.get_absolute_url()).content.decode()
    assert "1 of 3 answered. You started over after it" in html
    assert "Carry on" not in html


def test_an_attempt_left_by_start_over_is_not_resumed_after_the_new_one_ends(client):
    quiz = make_quiz(size=2)
    old = start(client, quiz)
    first, second = practices_of(quiz)
    url = reverse("quizzes:answer", args=[quiz.slug, old.public_id])
    client.post(url, {"practice": first.pk, "choice": "both"})
    new = start(client, quiz, fresh="1")
    url = reverse("quizzes:answer", args=[quiz.slug, new.public_id])
    for practice in (first, second):
        client.post(url, {"practice": practice.pk, "choice": practice.category})
    html = client.get(quiz.get_absolute_url()).content.decode()
    assert "Start the quiz" in html
    assert "1 of 2 answered" not in html
    assert client.get(board_url(quiz)).status_code == 302
    assert Attempt.objects.filter(pk=old.pk, finished_at=None).exists()


def test_start_over_from_the_board_stays_on_the_board(client):
    quiz = make_quiz(size=3)
    old = start(client, quiz, mode="board")
    board = client.get(board_url(quiz)).content.decode()
    assert re.search(r'name="mode" value="board">\s*<button[^>]*>Start over</button>', board)
    start_url = reverse("quizzes:start", args=[quiz.slug])
    response = client.post(start_url, {"fresh": "1", "mode": "board"})
    assert response["Location"] == board_url(quiz)
    assert Attempt.objects.exclude(pk=old.pk).count() == 1


def test_the_last_answer_in_card_mode_takes_switching_and_start_over_away(client):
    quiz = make_quiz(size=1)
    attempt = start(client, quiz)
    practice = practices_of(quiz)[0]
    url = reverse("quizzes:answer", args=[quiz.slug, attempt.public_id])
    html = client.post(url, {"practice": practice.pk, "choice": "both"}, headers=HTMX)
    html = html.content.decode()
    assert '<div id="modes" class="mode-switch" hx-swap-oob="true"></div>' in html


# Query counts: fixed, whatever the quiz length


@pytest.mark.parametrize("size", [5, 40])
def test_a_board_placement_costs_the_same_queries_whatever_the_quiz_length(
    client, size, django_assert_num_queries
):
    quiz = make_quiz(size=size)
    attempt = start(client, quiz, mode="board")
    practices = practices_of(quiz)
    for practice in practices[:-1]:
        place(client, attempt, practice, practice.category)
    client.get(quiz.get_absolute_url())  # reads the last card into the cache, as play does
    # As a card-mode answer (11, with the session), plus one read of the
    # attempt's choices for the columns' tallies.
    with django_assert_num_queries(1 + 2 * 2 + 6 + 1):
        place(client, attempt, practices[-1], "both", HTMX)
