"""Histories written as `log --json` files, to bring into a log through `quietwork import`."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from conftest import Result

CLI = Callable[..., Result]
_ids = itertools.count(1)


def stamp(moment: datetime) -> str:
    """ISO 8601 with its offset, to the second, as the store writes it."""
    return moment.isoformat(timespec="seconds")


def hours_ago(hours: float) -> datetime:
    """A recent moment (in UTC), inside any stats window."""
    return datetime.now(UTC).replace(microsecond=0) - timedelta(hours=hours)


def session(
    practice: str,
    started: datetime,
    ratings: Sequence[tuple[str, int]] = (),
    *,
    status: str = "completed",
    stop_reason: str | None = None,
    state: str | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """A session entry; `ratings` are (phase, distress), one minute apart.

    `state` goes on the before check-in, `note` on the last check-in.
    """
    checkins = []
    for minute, (phase, distress) in enumerate(ratings):
        checkins.append({
            "id": f"c{next(_ids)}", "phase": phase, "distress": distress,
            "at": stamp(started + timedelta(minutes=minute)),
            "state": state if phase == "before" else None, "body": [], "noticed": [],
            "note": None, "area": None,
        })
    if note is not None and checkins:
        checkins[-1]["note"] = note
    return {
        "kind": "session", "id": f"s{next(_ids)}", "practice": practice, "status": status,
        "stop_reason": stop_reason, "started_at": stamp(started),
        "ended_at": stamp(started + timedelta(minutes=len(ratings) + 1)), "checkins": checkins,
    }


def checkin(at: datetime, distress: int | None, *, state: str | None = None,
            note: str | None = None, body: Sequence[str] = ()) -> dict[str, Any]:
    """A standalone check-in entry."""
    return {"kind": "checkin", "id": f"c{next(_ids)}", "at": stamp(at), "distress": distress,
            "state": state, "body": list(body), "note": note}


def bring_in(cli: CLI, folder: Path, entries: Sequence[dict[str, Any]]) -> None:
    """Import `entries` through the CLI, as a person would."""
    path = folder / f"history-{next(_ids)}.json"
    path.write_text(json.dumps(list(entries)), encoding="utf-8")
    result = cli("import", str(path))
    assert result.exit_code == 0, result.output


def words(text: str) -> str:
    """Output with every run of whitespace as one space (tables wrap at the width)."""
    return " ".join(text.split())


def log_at(cli: CLI, monkeypatch: pytest.MonkeyPatch, width: int) -> str:
    """`quietwork log` at a terminal `width` wide, as words; every line fits the width."""
    monkeypatch.setenv("COLUMNS", str(width))
    result = cli("log")
    assert result.exit_code == 0, result.output
    assert all(len(line) <= width for line in result.stdout.splitlines()), result.stdout
    return words(result.stdout)
