"""Logs as an older quietwork left them: its migrations only, and its writers' columns."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest

from quietwork import migrations, rows


@contextlib.contextmanager
def writing_an_old_log(monkeypatch: pytest.MonkeyPatch, applied: int) -> Iterator[None]:
    """Stores opened inside write a log as the first `applied` migrations left it.

    Before m003 a check-in had no `session_utc`: the writers name only `rows.COLUMNS`.
    """
    old_upsert = {
        table: f"INSERT INTO {table} ({', '.join(columns)})"
        f" VALUES ({', '.join('?' * len(columns))}) ON CONFLICT(id) DO UPDATE SET"
        f" {', '.join(f'{c} = excluded.{c}' for c in columns[1:])}"
        for table, columns in rows.COLUMNS.items()
    }
    with monkeypatch.context() as old:
        old.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:applied])
        old.setattr(rows, "_UPSERT", old_upsert)
        yield
