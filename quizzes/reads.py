"""The reads behind every learner click, written as SQL.

Play, answer and results run once per card. Built by the ORM, each of their
reads cost 0.3 to 0.9 ms of Python on the bench machine (compiling the query,
not running it); the same reads as SQL cost a tenth of that. They say what
`Attempt.objects.owned_by(request).unfinished()` says, and the tests hold them
to it on SQLite and PostgreSQL. Everything that writes stays in grading.py.
"""

from django.db import DEFAULT_DB_ALIAS, connection, connections

from comparisons.models import BUCKET_LABELS

from .models import Answer, Attempt

_quote = connection.ops.quote_name
ATTEMPTS = _quote(Attempt._meta.db_table)
ANSWERS = _quote(Answer._meta.db_table)


def _owner(request):
    """Return the SQL condition and parameters for the request's own attempts, or None."""
    if request.user.is_authenticated:
        return "user_id = %s", [request.user.pk]
    key = request.session.session_key
    if not key:
        return None
    return "user_id IS NULL AND session_key = %s", [key]


_ATTEMPT_COLUMNS = [
    field.get_col(Attempt._meta.db_table) for field in Attempt._meta.concrete_fields
]
_ATTEMPT_NAMES = [column.target.attname for column in _ATTEMPT_COLUMNS]
_ATTEMPT_SELECT = ", ".join(_quote(column.target.column) for column in _ATTEMPT_COLUMNS)


def _converters():
    """Return, per column, the converters the ORM's compiler would apply (UUIDs, JSON, times).

    They belong to this thread's database wrapper, which lives as long as the
    thread, so they are worked out once per wrapper.
    """
    wrapper = connections[DEFAULT_DB_ALIAS]
    found = getattr(wrapper, "_opsguide_attempt_converters", None)
    if found is None:
        found = [
            [
                (convert, column)
                for convert in wrapper.ops.get_db_converters(column)
                + column.get_db_converters(wrapper)
            ]
            for column in _ATTEMPT_COLUMNS
        ]
        wrapper._opsguide_attempt_converters = found
    return found


def _first_attempt(where, params, lock=False):
    sql = f"SELECT {_ATTEMPT_SELECT} FROM {ATTEMPTS} WHERE {where} ORDER BY started_at DESC LIMIT 1"
    if lock and connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    values = []
    for converters, value in zip(_converters(), row, strict=True):
        for convert, column in converters:
            value = convert(value, column, connection)
        values.append(value)
    return Attempt.from_db(connection.alias, _ATTEMPT_NAMES, values)


def locked_attempt(pk):
    """Return the attempt with this pk, locked until the transaction ends (SQLite locks it all)."""
    return _first_attempt("id = %s", [pk], lock=True)


def current_attempt(request, quiz):
    """Return the request's unfinished attempt at this quiz, or None."""
    owner = _owner(request)
    if owner is None:
        return None
    where, params = owner
    unfinished = f"quiz_id = %s AND finished_at IS NULL AND {where}"
    attempt = _first_attempt(unfinished, [quiz.pk, *params])
    if attempt is not None:
        attempt.quiz = quiz
    return attempt


def attempt(quiz, public_id):
    """Return the attempt at this quiz with this public id, whoever owns it, or None."""
    value = Attempt._meta.get_field("public_id").get_db_prep_value(public_id, connection)
    found = _first_attempt("quiz_id = %s AND public_id = %s", [quiz.pk, value])
    if found is not None:
        found.quiz = quiz
    return found


class StoredAnswer:
    """An answer as the learner's pages show it: Answer's fields and displays, not a model.

    A results page reads up to thirty; building model instances for them took
    a tenth of the request.
    """

    __slots__ = ("pk", "practice", "choice", "expected", "is_correct")

    def __init__(self, pk, practice, choice, expected, is_correct):
        self.pk = pk
        self.practice = practice
        self.choice = choice
        self.expected = expected
        self.is_correct = bool(is_correct)

    @property
    def practice_id(self):
        return self.practice.pk

    def get_choice_display(self):
        return BUCKET_LABELS[self.choice]

    def get_expected_display(self):
        return BUCKET_LABELS[self.expected]


def answer_rows(attempt, where="", params=()):
    """Return the attempt's answers in the order given, as plain rows.

    Each row is (id, practice_id, choice, expected, is_correct).
    """
    sql = (
        f"SELECT id, practice_id, choice, expected, is_correct FROM {ANSWERS} "
        f"WHERE attempt_id = %s{where} ORDER BY answered_at, id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [attempt.pk, *params])
        return cursor.fetchall()


def _answers(attempt, practices, where="", params=()):
    return [
        StoredAnswer(pk, practices[practice_id], choice, expected, is_correct)
        for pk, practice_id, choice, expected, is_correct in answer_rows(attempt, where, params)
    ]


def answers(attempt, practices):
    """Return the attempt's answers in the order given, each with its practice from `practices`."""
    return _answers(attempt, practices)


def answer_to(attempt, practice):
    """Return the attempt's stored answer for this practice, or None."""
    found = _answers(attempt, {practice.pk: practice}, " AND practice_id = %s", [practice.pk])
    return found[0] if found else None
