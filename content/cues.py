"""Guessers that sort a card from its words alone, to catch cards that give their bucket away.

A card whose vocabulary decides its bucket tests reading, not understanding
(Haladyna, Downing & Rodriguez 2002, rule 28: avoid clues to the right answer).
Every card is set in an ML team's work, so the action, not the nouns, must
decide the bucket. These guessers read a card's name and description, put it
in one of three word classes, and map each class to a bucket in every possible
way; the best of them must stay well below a quiz's pass mark.
"""

import itertools
import re

BUCKETS = ("devops", "mlops", "both")

ML_WORDS = frozenset(
    """
    ml machine learning model models modelling modeling data dataset datasets training train
    trained trains retrain retrained retraining drift drifts drifting feature features
    prediction predictions predict predicts predicted experiment experiments experimental
    label labels labelled labeled inference accuracy fairness bias biased scientist
    scientists notebook notebooks hyperparameter hyperparameters embedding embeddings
    llm llms prompt prompts gpu gpus classifier recommender ranking
    """.split()
)

OPS_WORDS = frozenset(
    """
    deploy deploys deployed deploying deployment deployments release releases released
    releasing pipeline pipelines ci cd build builds commit commits merge merges monitor
    monitors monitored monitoring alert alerts alerting page pages paged paging on-call
    incident incidents postmortem postmortems rollback roll container containers kubernetes
    infrastructure server servers service services uptime latency error errors test tests
    tested testing environment environments staging production secret secrets access audit
    slo slos sla error-budget config configuration git repository board wip sprint
    dashboard dashboards logs logging metrics canary endpoint endpoints
    """.split()
)

WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def words(text):
    """Return the set of lower-case words and their hyphen-separated parts in text."""
    found = set()
    for token in WORD.findall(text.lower()):
        found.add(token)
        found.update(token.split("-"))
    return found


def card_text(card):
    """Return the words a learner sees on a card: its name and its description."""
    return f"{card['name']} {card['description']}"


def word_class(card, first="ml"):
    """Return 'ml', 'ops' or 'neither' for a card; `first` says which list wins a tie."""
    found = words(card_text(card))
    has = {"ml": bool(found & ML_WORDS), "ops": bool(found & OPS_WORDS)}
    second = "ops" if first == "ml" else "ml"
    for name in (first, second):
        if has[name]:
            return name
    return "neither"


def guessers():
    """Yield (name, guess) for every mapping of word classes to buckets, both tie orders."""
    for first in ("ml", "ops"):
        for mapping in itertools.product(BUCKETS, repeat=3):
            rule = dict(zip(("ml", "ops", "neither"), mapping, strict=True))
            name = f"{first}-first " + ", ".join(f"{k}→{v}" for k, v in rule.items())

            def guess(card, rule=rule, first=first):
                return rule[word_class(card, first)]

            yield name, guess


def best_guesser(cards):
    """Return (score 0–1, name) of the guesser that sorts the most cards right."""
    cards = list(cards)
    if not cards:
        return 0.0, ""
    best = (-1.0, "")
    for name, guess in guessers():
        right = sum(guess(card) == card["category"] for card in cards)
        best = max(best, (right / len(cards), name))
    return best


# The nouns that make a card "look like" MLOps to a reader who skims. "ML"
# itself is left out: every card is set in an ML team's work.
SKIM_ML_WORDS = ML_WORDS - {"ml", "machine", "learning", "scientist", "scientists"}


def skim_bucket(card):
    """Return the bucket a reader who goes by vocabulary alone would pick.

    Model and data nouns read as MLOps, operations words as DevOps, and a card
    with neither as Both. The "tricky cases" quiz holds as many cards where
    this reading is right as cards where it is wrong, so it teaches no cue of
    its own, not even the reverse one.
    """
    found = words(card_text(card))
    if found & SKIM_ML_WORDS:
        return "mlops"
    if found & OPS_WORDS:
        return "devops"
    return "both"
