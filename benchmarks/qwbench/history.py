"""`stats --json` and `log --limit 20` with 20,000 sessions in the log, over an empty log."""

from __future__ import annotations

import random
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from qwbench.common import BenchError, Context, Row, interleaved, judged, median

SESSIONS = 20_000
DAYS = 90
ROUNDS, QUICK_ROUNDS = 9, 5
BUDGET_MS = 100.0
PRACTICES = ("box", "exhale", "ground", "resonance", "settle", "sigh", "track")
COMMANDS: dict[str, tuple[str, ...]] = {
    "stats --json": ("stats", "--json"),
    "log --limit 20": ("log", "--limit", "20"),
}


def run(ctx: Context) -> list[Row]:
    """Each command's time with 20,000 sessions minus its time on an empty log."""
    empty, full = ctx.home("history-empty"), ctx.home("history-full")
    _fill(full / "quietwork.db", SESSIONS)
    argvs: dict[str, list[Path | str]] = {
        name: [ctx.quietwork, *args] for name, args in COMMANDS.items()
    }
    commands = {
        f"{name} {which}": (argv, ctx.env(home))
        for name, argv in argvs.items()
        for which, home in (("empty", empty), ("full", full))
    }
    # The first, untimed run of each also creates and migrates the empty log.
    times = interleaved(commands, QUICK_ROUNDS if ctx.quick else ROUNDS)
    return [_row(name, times) for name in COMMANDS]


def _row(name: str, times: Mapping[str, Sequence[float]]) -> Row:
    empty, full = median(times[f"{name} empty"]), median(times[f"{name} full"])
    extra = (full - empty) * 1000
    return judged(
        f"{name}: {SESSIONS:,} sessions",
        extra,
        BUDGET_MS,
        unit="ms over empty",
        figure=f"+{extra:.0f} ms" if extra >= 0 else f"{extra:.0f} ms",
        budget=f"≤ {BUDGET_MS:g} ms over empty",
        note=f"{full * 1000:.0f} vs {empty * 1000:.0f} ms on an empty log",
    )


def _fill(path: Path, count: int) -> None:
    """Write `count` sessions spread over the last 90 days through the store's own import."""
    try:
        from quietwork.store import Store
    except ImportError as error:  # the benchmark runs in the project's venv
        raise BenchError(f"cannot import quietwork.store: {error}") from error
    entries = _entries(count, datetime.now().astimezone())
    with Store.open(path) as store:
        added, _ = store.import_entries(entries)
    if added != count:
        raise BenchError(f"the store took {added} of {count} sessions")


def _entries(count: int, now: datetime) -> list[dict[str, Any]]:
    """Sessions shaped like `log --json` entries: fixed seed, so every run fills the same log."""
    rng = random.Random(7)
    span = DAYS * 86400
    return [_session(rng, now - timedelta(seconds=rng.uniform(0, span))) for _ in range(count)]


def _session(rng: random.Random, started: datetime) -> dict[str, Any]:
    ended = started + timedelta(seconds=rng.randint(60, 600))
    before = rng.randint(2, 9)
    status = rng.choices(("completed", "stopped", "interrupted"), (85, 10, 5))[0]
    checkins = [_checkin(rng, "before", started, before)]
    if status == "completed":
        checkins.append(_checkin(rng, "after", ended, max(before - rng.randint(0, 4), 0)))
    return {
        "kind": "session",
        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "practice": rng.choice(PRACTICES),
        "status": status,
        "stop_reason": "user" if status == "stopped" else None,
        "started_at": _stamp(started),
        "ended_at": None if status == "interrupted" else _stamp(ended),
        "checkins": checkins,
    }


def _checkin(rng: random.Random, phase: str, at: datetime, distress: int) -> dict[str, Any]:
    return {
        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "phase": phase,
        "distress": distress,
        "at": _stamp(at),
        "state": rng.choice(("activated", "settled", "shut_down", None)),
        "body": rng.choice(([], ["chest"], ["jaw", "shoulders"])),
        "noticed": [],
        "note": None,
        "area": None,
    }


def _stamp(moment: datetime) -> str:
    """Local ISO 8601 with its offset, to the second, as the store writes it."""
    return moment.isoformat(timespec="seconds")
