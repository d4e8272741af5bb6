"""Drive OpsGuide like many learners at once, over real HTTP, and check nothing was lost.

Each learner opens a quiz, starts it, and answers every card through the htmx
endpoint. Some cards are sent twice in a row (a double click) and some twice
at the same moment (two tabs racing). Afterwards `verify` reads the database:
one answer per card per attempt, and every score equal to its right answers.
"""

import random
import re
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import httpx

CHOICES = ("devops", "mlops", "both")
PRACTICE = re.compile(r'name="practice" value="(\d+)"')
ANSWER_URL = re.compile(r'<form id="choices"[^>]*\saction="([^"]+)"')


@dataclass
class Run:
    """What the learners saw: every request's status and time."""

    statuses: Counter = field(default_factory=Counter)
    latencies: list = field(default_factory=list)
    failures: list = field(default_factory=list)
    cards: int = 0
    learners_done: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, status, seconds):
        with self.lock:
            self.statuses[status] += 1
            self.latencies.append(seconds)

    def fail(self, what):
        with self.lock:
            self.failures.append(what)

    @property
    def requests(self):
        return sum(self.statuses.values())

    @property
    def server_errors(self):
        return sum(n for status, n in self.statuses.items() if status >= 500)

    def percentile(self, p):
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def _send(run, client, method, url, **kwargs):
    started = time.perf_counter()
    try:
        response = client.request(method, url, **kwargs)
    except httpx.HTTPError as error:
        run.fail(f"{method} {url}: {error!r}")
        run.record(599, time.perf_counter() - started)
        return None
    run.record(response.status_code, time.perf_counter() - started)
    if response.status_code >= 400:
        run.fail(f"{method} {url}: {response.status_code}")
    return response


def learner(base_url, quiz, run, seed):
    """Take one whole quiz as one learner; return the number of cards answered."""
    rng = random.Random(seed)
    with httpx.Client(base_url=base_url, timeout=60) as client:
        if _send(run, client, "GET", f"/quizzes/{quiz}/") is None:
            return 0
        token = client.cookies.get("csrftoken", "")
        headers = {"X-CSRFToken": token, "HX-Request": "true"}
        _send(run, client, "POST", f"/quizzes/{quiz}/start/", headers={"X-CSRFToken": token})
        page = _send(run, client, "GET", f"/quizzes/{quiz}/")
        answered = 0
        while page is not None and (card := PRACTICE.search(page.text)):
            url = ANSWER_URL.search(page.text).group(1)
            data = {"practice": card.group(1), "choice": rng.choice(CHOICES)}
            style = rng.random()
            if style < 0.2:  # two tabs submit the same card at the same moment
                barrier = threading.Barrier(2)

                def racer(data=data, barrier=barrier, url=url):
                    barrier.wait(timeout=10)
                    _send(run, client, "POST", url, data=data, headers=headers)

                threads = [threading.Thread(target=racer) for _ in range(2)]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
            else:
                _send(run, client, "POST", url, data=data, headers=headers)
                if style < 0.4:  # a double click
                    _send(run, client, "POST", url, data=data, headers=headers)
            answered += 1
            page = _send(run, client, "GET", f"/quizzes/{quiz}/", headers={"HX-Request": "true"})
        with run.lock:
            run.cards += answered
            run.learners_done += 1
        return answered


def run_learners(base_url, learners, quiz="warm-up", seed=0):
    """Run `learners` learners at once against base_url; return the Run."""
    run = Run()
    with ThreadPoolExecutor(max_workers=learners) as pool:
        futures = [pool.submit(learner, base_url, quiz, run, seed + n) for n in range(learners)]
        for future in futures:
            future.result()
    return run


def verify(quiz="warm-up"):
    """Check the database after a run; return the figures (Django must be set up)."""
    from django.db.models import Count, Q

    from quizzes.models import Answer, Attempt

    attempts = Attempt.objects.filter(quiz__slug=quiz).annotate(
        stored=Count("answers"), right=Count("answers", filter=Q(answers__is_correct=True))
    )
    figures = Counter()
    for attempt in attempts:
        figures["attempts"] += 1
        figures["finished"] += attempt.is_finished
        figures["expected"] += attempt.total
        figures["stored"] += attempt.stored
        figures["lost"] += max(0, attempt.total - attempt.stored)
        figures["wrong_scores"] += attempt.score != attempt.right
        figures["wrong_counts"] += attempt.answered != attempt.stored
    doubled = (
        Answer.objects.filter(attempt__quiz__slug=quiz)
        .values("attempt", "practice")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    figures["doubled"] = doubled
    return figures


def summary(run, figures, seconds):
    """Return a short report of a run and its check."""
    return "\n".join(
        [
            f"learners finished     {run.learners_done}",
            f"requests              {run.requests} in {seconds:.1f} s "
            f"({run.requests / seconds:.0f}/s)",
            f"status codes          {dict(sorted(run.statuses.items()))}",
            f"5xx / failed          {run.server_errors} / {len(run.failures)}",
            f"latency p50 / p99     {run.percentile(50) * 1000:.0f} ms / "
            f"{run.percentile(99) * 1000:.0f} ms",
            f"attempts (finished)   {figures['attempts']} ({figures['finished']})",
            f"answers expected      {figures['expected']}",
            f"answers stored        {figures['stored']}",
            f"lost / doubled        {figures['lost']} / {figures['doubled']}",
            f"scores not matching   {figures['wrong_scores']}",
            f"counts not matching   {figures['wrong_counts']}",
        ]
    )
