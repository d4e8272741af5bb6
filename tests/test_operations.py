"""Operations: the SQLite backup command and the health check."""

import sqlite3

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from comparisons.models import Practice
from quizzes.models import Quiz


@pytest.mark.django_db(transaction=True)
def test_backup_sqlite_writes_a_consistent_copy(tmp_path):
    from content.shipped import load_shipped_content

    load_shipped_content()
    target = tmp_path / "backup.sqlite3"
    if connection.vendor != "sqlite":
        with pytest.raises(CommandError, match="SQLite only"):
            call_command("backup_sqlite", str(target))
        assert not target.exists()
        return
    call_command("backup_sqlite", str(target))
    copy = sqlite3.connect(target)
    practices = copy.execute("SELECT COUNT(*) FROM comparisons_practice").fetchone()[0]
    quizzes = copy.execute("SELECT COUNT(*) FROM quizzes_quiz").fetchone()[0]
    copy.close()
    assert practices == Practice.objects.count() > 90
    assert quizzes == Quiz.objects.count()
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup_sqlite", str(target))
