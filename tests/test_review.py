"""Spaced review with FSRS: cards seeded from quiz answers, reviews, the daily limit, mastery.

Due dates are compared with the `fsrs` package called directly (fuzzing off),
never with numbers copied from a run.
"""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from fsrs import Card, Rating, Scheduler

from comparisons.models import Category
from review import scheduling
from review.models import ReminderChoice, ReviewCard, ReviewLog
from tests.factories import make_dimension, make_practice, make_quiz, practices_of, start, wrong_for

pytestmark = pytest.mark.django_db
NOON = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def no_fuzz(settings):
    settings.REVIEW_FUZZING = False


@pytest.fixture
def learner(client):
    user = get_user_model().objects.create_user("lea", "lea@example.org", "a long passphrase")
    client.force_login(user)
    return user


def answer(client, attempt, practice, choice, **extra):
    url = reverse("quizzes:answer", args=[attempt.quiz.slug, attempt.public_id])
    return client.post(url, {"practice": practice.pk, "choice": choice, **extra})


def take_quiz(client, quiz, wrong=()):
    attempt = start(client, quiz)
    for practice in practices_of(quiz):
        answer(
            client,
            attempt,
            practice,
            wrong_for(practice) if practice in wrong else practice.category,
        )
    return attempt


def fsrs_due(card, rating, when, **options):
    return Scheduler(enable_fuzzing=False, **options).review_card(card, rating, when)[0]


def card_of(user, practice):
    return ReviewCard.objects.get(user=user, practice=practice)


# Seeding from quiz answers


def test_a_wrong_quiz_answer_comes_back_after_the_first_learning_step(client, learner):
    quiz = make_quiz(size=3)
    missed = practices_of(quiz)[0]
    with time_machine.travel(NOON, tick=False):
        take_quiz(client, quiz, wrong=[missed])
    expected = fsrs_due(Card(due=NOON), Rating.Again, NOON)
    assert card_of(learner, missed).due == expected.due
    assert expected.due - NOON == Scheduler().learning_steps[0]


def test_a_right_quiz_answer_counts_as_learned_and_comes_back_in_days(client, learner):
    quiz = make_quiz(size=3)
    known = practices_of(quiz)[1]
    with time_machine.travel(NOON, tick=False):
        take_quiz(client, quiz)
    expected = fsrs_due(Card(due=NOON), Rating.Good, NOON, learning_steps=())
    assert card_of(learner, known).due == expected.due
    assert card_of(learner, known).due - NOON >= timedelta(days=1)


def test_a_right_guess_in_a_quiz_is_rated_hard(client, learner):
    quiz = make_quiz(size=3)
    guessed = practices_of(quiz)[0]
    attempt = start(client, quiz)
    with time_machine.travel(NOON, tick=False):
        answer(client, attempt, guessed, guessed.category, guessed="on")
    expected = fsrs_due(Card(due=NOON), Rating.Hard, NOON, learning_steps=())
    assert card_of(learner, guessed).due == expected.due
    log = ReviewLog.objects.get(user=learner, practice=guessed)
    assert (log.source, log.guessed, log.rating) == ("quiz", True, Rating.Hard)


def test_a_whole_quiz_right_leaves_nothing_to_review_ten_minutes_later(client, learner):
    quiz = make_quiz(size=10)
    with time_machine.travel(NOON, tick=False):
        take_quiz(client, quiz)
    queue = scheduling.queue(learner, now=NOON + timedelta(minutes=10))
    assert (queue.due, ReviewCard.objects.filter(user=learner).count()) == (0, 10)


def test_retries_and_anonymous_answers_seed_nothing_until_the_learner_signs_in(client):
    quiz = make_quiz(size=3)
    missed = practices_of(quiz)[0]
    take_quiz(client, quiz, wrong=[missed])  # anonymous
    assert not ReviewCard.objects.exists()
    user = get_user_model().objects.create_user("sam", password="a long passphrase")
    client.post(reverse("login"), {"username": "sam", "password": "a long passphrase"})
    assert ReviewCard.objects.filter(user=user).count() == 3
    attempt = user.attempts.get()
    retry_url = reverse("quizzes:retry", args=[quiz.slug, attempt.public_id])
    client.post(retry_url)
    retry = user.attempts.exclude(pk=attempt.pk).get()
    answer(client, retry, missed, missed.category)
    # The retry's right answer is practice within the attempt, not a review.
    assert ReviewLog.objects.filter(user=user).count() == 3


# Reviewing


def review(client, practice, choice, guessed=False):
    data = {"practice": practice.pk, "choice": choice}
    if guessed:
        data["guessed"] = "on"
    return client.post(reverse("review:answer"), data, headers={"HX-Request": "true"})


def test_wrong_then_right_follows_fsrs(client, learner):
    quiz = make_quiz(size=3)
    missed = practices_of(quiz)[0]
    with time_machine.travel(NOON, tick=False):
        take_quiz(client, quiz, wrong=[missed])
    later = NOON + timedelta(minutes=2)
    with time_machine.travel(later, tick=False):
        response = review(client, missed, missed.category)
    assert response.status_code == 200
    assert "Right:" in response.content.decode()
    seeded = fsrs_due(Card(due=NOON), Rating.Again, NOON)
    expected = fsrs_due(seeded, Rating.Good, later)
    assert card_of(learner, missed).due == expected.due
    log = ReviewLog.objects.get(user=learner, source=ReviewLog.Source.REVIEW)
    assert (log.is_correct, log.rating) == (True, Rating.Good)


def test_i_guessed_rates_a_right_answer_hard(client, learner):
    quiz = make_quiz(size=3)
    missed = practices_of(quiz)[0]
    with time_machine.travel(NOON, tick=False):
        take_quiz(client, quiz, wrong=[missed])
    later = NOON + timedelta(minutes=2)
    with time_machine.travel(later, tick=False):
        review(client, missed, missed.category, guessed=True)
    seeded = fsrs_due(Card(due=NOON), Rating.Again, NOON)
    assert card_of(learner, missed).due == fsrs_due(seeded, Rating.Hard, later).due
    assert ReviewLog.objects.get(source="review").rating == Rating.Hard


def test_a_card_not_due_or_not_yours_is_refused_and_nothing_is_written(client, learner):
    quiz = make_quiz(size=3)
    missed, known, _ = practices_of(quiz)
    with time_machine.travel(NOON, tick=False):
        take_quiz(client, quiz, wrong=[missed])
        before = list(ReviewCard.objects.values_list("due", "state"))
        assert review(client, known, known.category).status_code == 409  # due in days
        assert review(client, missed, missed.category).status_code == 409  # due in a minute
    other = get_user_model().objects.create_user("other", password="a long passphrase")
    client.force_login(other)
    with time_machine.travel(NOON + timedelta(minutes=5), tick=False):
        assert review(client, missed, missed.category).status_code == 404
        assert client.post(reverse("review:answer"), {"practice": "x"}).status_code == 400
    assert list(ReviewCard.objects.values_list("due", "state")) == before
    assert not ReviewLog.objects.filter(source=ReviewLog.Source.REVIEW).exists()


def test_a_double_submit_reviews_once(client, learner):
    quiz = make_quiz(size=3)
    missed = practices_of(quiz)[0]
    with time_machine.travel(NOON, tick=False):
        take_quiz(client, quiz, wrong=[missed])
    with time_machine.travel(NOON + timedelta(minutes=2), tick=False):
        assert review(client, missed, missed.category).status_code == 200
        assert review(client, missed, missed.category).status_code == 409
    assert ReviewLog.objects.filter(source=ReviewLog.Source.REVIEW).count() == 1


def test_a_changed_practice_sends_its_cards_back_to_new(client, learner):
    quiz = make_quiz(size=3)
    known = practices_of(quiz)[1]
    with time_machine.travel(NOON, tick=False):
        take_quiz(client, quiz)
    assert card_of(learner, known).due > NOON + timedelta(days=1)
    edit = NOON + timedelta(hours=1)
    with time_machine.travel(edit, tick=False):
        known.category = wrong_for(known)
        known.save()
    card = card_of(learner, known)
    assert (card.due, card.revision) == (edit, known.revision)
    assert Card.from_dict(card.state).stability is None  # learned from nothing again


# The daily limit


def test_a_backlog_is_offered_a_day_at_a_time_without_moving_due_dates(learner, settings):
    settings.REVIEW_DAILY_LIMIT = 5
    dimension = make_dimension()
    with time_machine.travel(NOON, tick=False):
        for n in range(8):
            practice = make_practice(dimension=dimension, category=Category.DEVOPS)
            scheduling.seed(
                learner,
                practice,
                choice="mlops",
                is_correct=False,
                now=NOON - timedelta(days=n, hours=1),
            )
    dues = dict(ReviewCard.objects.values_list("practice_id", "due"))
    assert len(scheduling.queue(learner, now=NOON).cards) == 1  # a page shows one card
    queue = scheduling.queue(learner, now=NOON, show=8)
    assert (queue.due, queue.offered, len(queue.cards), queue.waiting) == (8, 5, 5, 3)
    # Most overdue first.
    assert [c.due for c in queue.cards] == sorted(dues.values())[:5]
    for card in queue.cards:
        scheduling.review(learner, card.practice_id, choice="devops", now=NOON)
    assert scheduling.queue(learner, now=NOON).cards == []
    waiting = ReviewCard.objects.filter(due__lte=NOON)
    with pytest.raises(scheduling.DailyLimitReached):
        scheduling.review(learner, waiting.first().practice_id, choice="devops", now=NOON)
    assert {c.practice_id: c.due for c in waiting} == {
        pk: due for pk, due in dues.items() if pk in {c.practice_id for c in waiting}
    }
    # Tomorrow the three that waited come first, then the five reviewed today.
    tomorrow = scheduling.queue(learner, now=NOON + timedelta(days=1), show=8)
    assert (tomorrow.due, tomorrow.offered, len(tomorrow.cards)) == (8, 5, 5)
    assert {c.practice_id for c in tomorrow.cards[:3]} == {c.practice_id for c in waiting}


def test_the_review_page_says_what_is_due_and_what_waits(client, learner, settings):
    settings.REVIEW_DAILY_LIMIT = 2
    dimension = make_dimension()
    for _ in range(3):
        practice = make_practice(dimension=dimension)
        scheduling.seed(learner, practice, choice=wrong_for(practice), is_correct=False, now=NOON)
    with time_machine.travel(NOON + timedelta(minutes=5), tick=False):
        html = client.get(reverse("review:page")).content.decode()
    assert "<strong>3</strong> cards due now" in html
    assert "the 1 least overdue wait for tomorrow" in html


# Mastery


def review_on(user, practice, day, right=True):
    when = NOON + timedelta(days=day)
    card = card_of(user, practice)
    if card.due > when:  # move the card to due without changing its memory state
        ReviewCard.objects.filter(pk=card.pk).update(due=when)
    choice = practice.category if right else wrong_for(practice)
    scheduling.review(user, practice.pk, choice=choice, now=when)


def mastered(user, practice, day):
    now = NOON + timedelta(days=day)
    cards = list(ReviewCard.objects.filter(user=user, practice=practice))
    logs = ReviewLog.objects.filter(user=user, source="review").order_by("reviewed_at")
    return practice.pk in scheduling.mastered_ids(
        cards, logs.values_list("practice_id", "is_correct", "reviewed_at"), now
    )


def test_one_right_answer_is_never_mastery(learner):
    practice = make_practice()
    scheduling.seed(learner, practice, choice=practice.category, is_correct=True, now=NOON)
    review_on(learner, practice, 0)
    assert not mastered(learner, practice, 0)


def test_right_on_two_days_with_high_recall_and_a_right_latest_answer_is_mastery(learner):
    practice = make_practice()
    scheduling.seed(learner, practice, choice=practice.category, is_correct=True, now=NOON)
    review_on(learner, practice, 0)
    review_on(learner, practice, 0)  # the same day twice counts once
    assert not mastered(learner, practice, 0)
    review_on(learner, practice, 3)
    card = card_of(learner, practice)
    assert scheduling.recall(card, NOON + timedelta(days=3)) >= 0.9
    assert mastered(learner, practice, 3)
    review_on(learner, practice, 4, right=False)
    assert not mastered(learner, practice, 4)


def test_mastery_per_dimension_counts_the_dimensions_quizzable_practices(learner):
    dimension = make_dimension()
    practices = [make_practice(dimension=dimension) for _ in range(4)]
    first = practices[0]
    scheduling.seed(learner, first, choice=first.category, is_correct=True, now=NOON)
    review_on(learner, first, 0)
    review_on(learner, first, 3)
    rows = {row.dimension.pk: row for row in scheduling.mastery(learner, NOON + timedelta(days=3))}
    assert (rows[dimension.pk].mastered, rows[dimension.pk].practices) == (1, 4)
    assert rows[dimension.pk].percent == 25


# Queries and reminders


@pytest.mark.parametrize("cards", [3, 30])
def test_review_queries_do_not_grow_with_the_cards(
    client, learner, cards, django_assert_num_queries
):
    dimension = make_dimension()
    practices = [make_practice(dimension=dimension) for _ in range(cards)]
    for practice in practices:
        scheduling.seed(learner, practice, choice=wrong_for(practice), is_correct=False, now=NOON)
    with time_machine.travel(NOON + timedelta(minutes=5), tick=False):
        # The session (from the database without Redis), the user and the queue
        # (done today, offered, next due, how many due).
        with django_assert_num_queries(1 + 5):
            client.get(reverse("review:page"))
        # The session and the user; the rate limit's first count of the window (an UPDATE that finds
        # no row, then the INSERT in a savepoint); the transaction: the locked card,
        # today's count, the card update and the log (SAVEPOINT/RELEASE or
        # BEGIN/COMMIT); then the queue for the fragment.
        with django_assert_num_queries(2 + 4 + 6 + 4):
            review(client, practices[0], practices[0].category)


def test_reminders_go_once_a_day_to_learners_who_asked_and_have_cards_due(client, learner):
    practice = make_practice()
    scheduling.seed(learner, practice, choice=wrong_for(practice), is_correct=False, now=NOON)
    quiet = get_user_model().objects.create_user("quiet", "quiet@example.org", "x")
    scheduling.seed(quiet, practice, choice=wrong_for(practice), is_correct=False, now=NOON)
    client.post(reverse("review:reminders"), {"wanted": "on"})
    assert ReminderChoice.objects.get(user=learner).wanted
    with time_machine.travel(NOON + timedelta(hours=1), tick=False):
        call_command("send_review_reminders", stdout=StringIO())
        call_command("send_review_reminders", stdout=StringIO())
    assert [m.to for m in mail.outbox] == [["lea@example.org"]]
    assert "1 card to review" in mail.outbox[0].subject
    # Where to turn them off: the setting is on /me/.
    assert "http://localhost:8000/me/#reminders" in mail.outbox[0].body
    with time_machine.travel(NOON + timedelta(days=1, hours=1), tick=False):
        call_command("send_review_reminders", stdout=StringIO())
    assert len(mail.outbox) == 2


def reminders_form(html):
    start = html.index('<section class="panel" id="reminders"')
    return html[start : html.index("</section>", start)]


def test_my_progress_page_has_the_reminder_setting_and_says_where_it_goes(client, learner):
    form = reminders_form(client.get(reverse("onboarding:me")).content.decode())
    assert f'action="{reverse("review:reminders")}"' in form
    assert '<label><input type="checkbox" name="wanted"' in form
    assert " checked" not in form
    assert "to <strong>lea@example.org</strong>" in form


def test_turning_reminders_on_goes_back_to_my_progress_with_a_confirmation(client, learner):
    response = client.post(reverse("review:reminders"), {"wanted": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse("onboarding:me") + "#reminders"
    html = client.get(response["Location"]).content.decode()
    assert "Reminders on: on days when cards are due, one e-mail goes to lea@example.org." in html
    assert 'value="on" aria-describedby="reminders-address" checked>' in reminders_form(html)


def test_turning_reminders_off_keeps_the_choice_and_confirms_it(client, learner):
    client.post(reverse("review:reminders"), {"wanted": "on"})
    response = client.post(reverse("review:reminders"), {}, follow=True)
    html = response.content.decode()
    assert "Reminders off: no review e-mails will be sent." in html
    assert " checked" not in reminders_form(html)
    assert not ReminderChoice.objects.get(user=learner).wanted


def test_a_learner_without_an_e_mail_address_is_told_reminders_need_one(client, learner):
    learner.email = ""
    learner.save()
    form = reminders_form(client.get(reverse("onboarding:me")).content.decode())
    assert "Reminders need an e-mail address, and your account has none" in form
    html = client.post(reverse("review:reminders"), {"wanted": "on"}, follow=True)
    assert "your account has no e-mail address" in html.content.decode()


def test_the_review_page_links_to_the_reminder_setting_instead_of_a_second_form(client, learner):
    html = client.get(reverse("review:page")).content.decode()
    assert reverse("review:reminders") not in html
    assert f'href="{reverse("onboarding:me")}#reminders"' in html


def test_reminders_can_only_be_set_by_a_signed_in_learner_with_a_post(client, learner):
    assert client.get(reverse("review:reminders")).status_code == 405
    client.logout()
    response = client.post(reverse("review:reminders"), {"wanted": "on"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not ReminderChoice.objects.exists()


def test_anonymous_learners_are_invited_to_sign_in(client):
    response = client.get(reverse("review:page"))
    assert response.status_code == 200
    assert "Log in to review" in response.content.decode()
    assert (
        client.post(reverse("review:answer"), {"practice": 1, "choice": "devops"}).status_code
        == 302
    )


# Mastery on /me/ and on the lead's dashboard


def master(user, practice):
    scheduling.seed(user, practice, choice=practice.category, is_correct=True, now=NOON)
    review_on(user, practice, 0)
    review_on(user, practice, 3)


def test_my_progress_shows_mastery_per_dimension(client, learner):
    dimension = make_dimension(title="Model monitoring")
    practices = [make_practice(dimension=dimension) for _ in range(4)]
    master(learner, practices[0])
    scheduling.seed(learner, practices[1], choice="x", is_correct=False, now=NOON)
    with time_machine.travel(NOON + timedelta(days=3, hours=1), tick=False):
        html = client.get(reverse("onboarding:me")).content.decode()
    assert "What sticks" in html
    assert "Model monitoring</a>: 1 of 4 mastered · 1 due" in html
    assert 'aria-label="25% of Model monitoring mastered"' in html


@pytest.mark.parametrize("cards", [3, 30])
def test_my_progress_queries_do_not_grow_with_the_cards(
    client, learner, cards, django_assert_num_queries
):
    dimension = make_dimension()
    practices = [make_practice(dimension=dimension) for _ in range(cards)]
    for practice in practices:
        scheduling.seed(learner, practice, choice=practice.category, is_correct=True, now=NOON)
    for day in (0, 3):  # day by day: the daily limit counts from the start of the day on
        for practice in practices:
            review_on(learner, practice, day)
    client.get(reverse("onboarding:me"))  # the content version and the chrome, cached
    with time_machine.travel(NOON + timedelta(days=3, hours=1), tick=False):
        # The session, the user and memberships (no team, so no steps); mastery (cards, reviews,
        # practices); the reminder choice; the header's "Review (N)" (done today,
        # due); the dispute replies and the attempts.
        with django_assert_num_queries(1 + 10):
            client.get(reverse("onboarding:me"))


def test_the_lead_sees_mastery_as_learners_by_dimensions(client, django_user_model):
    from onboarding.models import Membership, Team

    lead = django_user_model.objects.create_user("lead", password="a long passphrase")
    team = Team.objects.create(name="Platform", slug="platform")
    Membership.objects.create(team=team, user=lead, role=Membership.Role.LEAD)
    learner = django_user_model.objects.create_user("ana", password="a long passphrase")
    Membership.objects.create(team=team, user=learner)
    dimension = make_dimension(title="Model monitoring")
    practices = [make_practice(dimension=dimension) for _ in range(2)]
    master(learner, practices[0])
    client.force_login(lead)
    with time_machine.travel(NOON + timedelta(days=3, hours=1), tick=False):
        html = client.get(team.get_absolute_url()).content.decode()
    table = html[html.index("Mastery from review") :]
    assert '<th scope="col">Model monitoring</th>' in table
    assert '<th scope="row">ana</th><td>50%</td>' in table
