"""Check a load run against the database: nothing acknowledged was lost, nothing counted twice.

    python -m loadtest.check RECORD.json     (with the cluster's environment)

Prints the figures as JSON. Run in its own process, with the settings the
cluster ran with, so the runner needs no Django of its own.
"""

import json
import sys
from collections import Counter


def check(record):
    """Return the figures of a run: acknowledged answers against what the database holds."""
    from django.db.models import Count, Q

    from quizzes.models import Answer, Attempt

    acknowledged = {(attempt, practice): choice for attempt, practice, choice, _ in record}
    stored = {
        (str(attempt), practice): choice
        for attempt, practice, choice in Answer.objects.values_list(
            "attempt__public_id", "practice_id", "choice"
        )
    }
    figures = Counter(acknowledged=len(acknowledged), stored=len(stored))
    for key, choice in acknowledged.items():
        if key not in stored:
            figures["lost"] += 1
        elif stored[key] != choice:
            figures["changed"] += 1
    figures["doubled"] = (
        Answer.objects.values("attempt", "practice").annotate(n=Count("pk")).filter(n__gt=1).count()
    )
    attempts = Attempt.objects.annotate(
        stored=Count("answers"), right=Count("answers", filter=Q(answers__is_correct=True))
    )
    for attempt in attempts:
        figures["attempts"] += 1
        figures["finished"] += attempt.is_finished
        figures["wrong_scores"] += attempt.score != attempt.right
        figures["wrong_counts"] += attempt.answered != attempt.stored or (
            len(attempt.answered_ids) != attempt.stored
        )
    for key in ("lost", "changed", "wrong_scores", "wrong_counts"):
        figures.setdefault(key, 0)
    return dict(figures)


def main(argv=None):
    import django

    django.setup()
    path = (argv or sys.argv[1:])[0]
    with open(path) as record:
        print(json.dumps(check(json.load(record)["acknowledged"])))


if __name__ == "__main__":
    main()
