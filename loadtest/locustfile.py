"""Locust learners for `make load`: each takes the quiz through htmx, answer after answer.

Run by `python -m loadtest` (headless, one process), configured through the
environment:

    LOAD_QUIZ      the quiz's slug (warm-up)
    LOAD_PACING    seconds a learner takes per card, on average (5)
    LOAD_RECORD    a file to write what the server acknowledged, for the check

A learner opens the quiz, starts it, and for each card posts an answer and
fetches the next card, as the htmx page does. A request that fails (no
connection, a 5xx) is sent once more after a second, as a learner clicking
again would. Every answer the server acknowledged (200) is recorded with its
attempt, so the run can check afterwards that none was lost or counted twice.
"""

import json
import os
import random
import re
import time

from locust import FastHttpUser, between, events, task

QUIZ = os.getenv("LOAD_QUIZ", "warm-up")
PRACTICE = re.compile(r'name="practice" value="(\d+)"')
ANSWER_URL = re.compile(r'<form id="choices"[^>]*\saction="([^"]+)"')
ATTEMPT = re.compile(r"/attempts/([0-9a-f-]+)/answer/")
CHOICES = ("devops", "mlops", "both")

acknowledged = []  # (attempt public id, practice id, choice, time) per 200 answer
troubles = []  # (time, request kind, status) per failed try, retried or not


PACING = float(os.getenv("LOAD_PACING", "5"))


class Learner(FastHttpUser):
    # A learner thinks for PACING seconds on average. Random, not Locust's
    # constant_pacing: with that, learners fell into step here and answered in
    # bursts, and the run measured its own queues (55 ms for /healthz).
    wait_time = between(0.5 * PACING, 1.5 * PACING)

    def on_start(self):
        time.sleep(random.uniform(0, PACING))  # learners arrive at random moments
        self.card = None
        self.begin()

    def send(self, method, path, name, **kwargs):
        """Send a request, once more after a second if it fails; return the response or None."""
        for attempt in (1, 2):
            with self.client.request(
                method, path, name=name, catch_response=True, **kwargs
            ) as response:
                if response.status_code and response.status_code < 500:
                    if response.status_code >= 400:
                        response.failure(f"{response.status_code}")
                    return response
                troubles.append((time.time(), name, response.status_code))
                response.failure(f"{response.status_code or 'no connection'} (try {attempt})")
            time.sleep(1)
        return None

    def token(self):
        return next((c.value for c in self.client.cookiejar if c.name == "csrftoken"), "")

    def begin(self, fresh=False):
        """Open the quiz and start an attempt; keep its first card."""
        self.card = None
        if self.send("GET", f"/quizzes/{QUIZ}/", "quiz intro") is None:
            return
        data = {"fresh": "1"} if fresh else {}
        headers = {"X-CSRFToken": self.token()}
        page = self.send("POST", f"/quizzes/{QUIZ}/start/", "start", data=data, headers=headers)
        self.card = self.read_card(page)

    def read_card(self, page):
        if page is None or page.text is None:
            return None
        practice, url = PRACTICE.search(page.text), ANSWER_URL.search(page.text)
        if not (practice and url):
            return None  # the results: this attempt is finished
        return url.group(1), practice.group(1)

    @task
    def answer(self):
        if self.card is None:
            self.begin(fresh=True)
            return
        url, practice = self.card
        choice = random.choice(CHOICES)
        headers = {"X-CSRFToken": self.token(), "HX-Request": "true"}
        data = {"practice": practice, "choice": choice}
        response = self.send("POST", url, "answer", data=data, headers=headers)
        if response is not None and response.status_code == 200:
            attempt = ATTEMPT.search(url).group(1)
            acknowledged.append((attempt, int(practice), choice, time.time()))
        # The next card, as the "Next card" button fetches it.
        page = self.send("GET", f"/quizzes/{QUIZ}/", "next card", headers={"HX-Request": "true"})
        self.card = self.read_card(page)


@events.test_stop.add_listener
def record(environment, **kwargs):
    path = os.getenv("LOAD_RECORD")
    if path:
        with open(path, "w") as out:
            json.dump({"acknowledged": acknowledged, "troubles": troubles}, out)
