"""Log entries out as CSV (no pydantic here: `log --csv` starts as fast as `log`)."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

CSV_COLUMNS = [
    "kind",
    "entry_id",
    "practice",
    "status",
    "stop_reason",
    "started_at",
    "ended_at",
    "phase",
    "at",
    "distress",
    "state",
    "body",
    "noticed",
    "note",
    "area",
]
_SESSION_COLUMNS = CSV_COLUMNS[2:7]
_CHECKIN_COLUMNS = CSV_COLUMNS[7:]


def to_csv(entries: list[dict[str, Any]]) -> str:
    """One row per check-in (a session without check-ins gives one row); lists joined by ";"."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        if entry["kind"] == "session":
            session = [_cell(entry.get(column)) for column in _SESSION_COLUMNS]
            for checkin in entry["checkins"] or [{}]:
                writer.writerow(["session", entry["id"], *session, *_checkin_cells(checkin)])
        else:
            checkin = {**entry, "phase": "standalone"}
            no_session = [""] * len(_SESSION_COLUMNS)
            writer.writerow(["checkin", entry["id"], *no_session, *_checkin_cells(checkin)])
    return buffer.getvalue()


def _checkin_cells(checkin: Mapping[str, Any]) -> list[str]:
    return [_cell(checkin.get(column)) for column in _CHECKIN_COLUMNS]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(item) for item in value)
    return str(value)
