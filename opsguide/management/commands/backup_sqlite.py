import sqlite3
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = (
        "Copy the SQLite database to a file, safely while the site runs "
        "(SQLite's online backup API: a consistent snapshot, WAL included)."
    )

    def add_arguments(self, parser):
        parser.add_argument("destination", help="The backup file to write (must not exist).")

    def handle(self, *args, destination, **options):
        if connection.vendor != "sqlite":
            raise CommandError(
                "backup_sqlite is for SQLite only; back PostgreSQL up with pg_dump (see DEPLOY.md)."
            )
        target = Path(destination)
        if target.exists():
            raise CommandError(f"{target} exists already; choose a new file name.")
        source = sqlite3.connect(connection.settings_dict["NAME"])
        try:
            backup = sqlite3.connect(target)
            with backup:
                source.backup(backup)
            check = backup.execute("PRAGMA integrity_check").fetchone()[0]
            backup.close()
        finally:
            source.close()
        if check != "ok":
            raise CommandError(f"The backup failed its integrity check: {check}")
        self.stdout.write(f"Backed up to {target} ({target.stat().st_size} bytes, integrity ok).")
