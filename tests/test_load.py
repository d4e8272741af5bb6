"""A short version of `make load`: a few learners at once against the live server."""

import pytest

from loadtest.learners import run_learners, summary, verify


@pytest.mark.django_db(transaction=True)
def test_a_few_concurrent_learners_lose_and_double_nothing(live_server):
    from content.shipped import load_shipped_content

    load_shipped_content()

    run = run_learners(live_server.url, learners=6, quiz="warm-up", seed=7)
    figures = verify("warm-up")
    report = summary(run, figures, seconds=1)

    assert run.learners_done == 6, report
    assert run.server_errors == 0 and run.failures == [], report
    assert figures["attempts"] == figures["finished"] == 6, report
    assert figures["expected"] == figures["stored"] == 60, report
    assert figures["lost"] == figures["doubled"] == figures["wrong_scores"] == 0, report
    assert figures["wrong_counts"] == 0, report
    assert run.cards == 60
