"""`import` reads a file as `log --json` writes it in pieces, validated straight from the text.

Whatever the fast reading takes, the exact reading (a value at a time, every field through
quietwork's own validators) would take with the same result; whatever it refuses is read
the exact way, so every message, and the entry it names, is the one it always was.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import pytest

from quietwork import importing
from quietwork.errors import UsageError


def a_session(n: int) -> dict[str, Any]:
    return {
        "kind": "session",
        "id": f"s-{n}",
        "practice": "ground",
        "status": "completed",
        "stop_reason": None,
        "started_at": "2026-11-02T09:04:49+01:00",
        "ended_at": "2026-11-02T09:08:23+01:00",
        "checkins": [
            {"id": f"c-{n}", "phase": "before", "distress": 6,
             "at": "2026-11-02T09:04:49+01:00", "state": "activated", "body": ["jaw"],
             "noticed": [], "note": None, "area": None},
        ],
    }


def a_checkin(n: int) -> dict[str, Any]:
    return {"kind": "checkin", "id": f"k-{n}", "at": "2026-11-03T21:00:00-05:00",
            "distress": 3, "state": None, "body": [], "note": "tired\n\tbut ok"}


def checkin_field(name: str, value: Any) -> Any:
    def change(entry: dict[str, Any]) -> None:
        entry["checkins"][0][name] = value
    return change


def session_field(name: str, value: Any) -> Any:
    def change(entry: dict[str, Any]) -> None:
        entry[name] = value
    return change


def without(name: str) -> Any:
    def change(entry: dict[str, Any]) -> None:
        del entry["checkins"][0][name]
    return change


CHANGES = {
    "as written": lambda entry: None,
    "a note with an accent": checkin_field("note", "café"),
    "a note with a bidi override": checkin_field("note", "a\u202eb"),
    "a note with an escape": checkin_field("note", "\x1b[31mred"),
    "a note with a lone surrogate": checkin_field("note", "\ud800"),
    "a word with two spaces": checkin_field("body", ["left  hand"]),
    "a word with a space before": checkin_field("body", [" jaw"]),
    "an empty word": checkin_field("body", [""]),
    "a word of 201 characters": checkin_field("body", ["x" * 201]),
    "a word of 200 characters": checkin_field("body", ["x" * 200]),
    "an id with a control": session_field("id", "s\x07"),
    "an id beyond ASCII": session_field("id", "séance"),
    "an empty practice": session_field("practice", ""),
    "a stamp in Z": session_field("started_at", "2026-11-02T09:04:49Z"),
    "a stamp with microseconds": session_field("started_at", "2026-11-02T09:04:49.5+00:00"),
    "a stamp without offset": session_field("started_at", "2026-11-02T09:04:49"),
    "month 13": session_field("started_at", "2026-13-02T09:04:49+00:00"),
    "29 February, leap": session_field("started_at", "2024-02-29T09:04:49+00:00"),
    "29 February, not leap": session_field("started_at", "2025-02-29T09:04:49+00:00"),
    "31 April": session_field("started_at", "2026-04-31T09:04:49+00:00"),
    "31 May": session_field("started_at", "2026-05-31T09:04:49+00:00"),
    "hour 24": session_field("started_at", "2026-05-01T24:00:00+00:00"),
    "offset 24 h": session_field("started_at", "2026-05-01T10:00:00+24:00"),
    "offset -00:00": session_field("started_at", "2026-05-01T10:00:00-00:00"),
    "the last moment": session_field("started_at", "9999-12-31T23:59:59-12:00"),
    "year 1": session_field("started_at", "0001-01-01T00:00:00+01:00"),
    "year 999": session_field("started_at", "0999-06-01T00:00:00+00:00"),
    "distress 5.0": checkin_field("distress", 5.0),
    "distress 11": checkin_field("distress", 11),
    "distress true": checkin_field("distress", True),
    "distress with 5,000 digits": checkin_field("distress", "<digits>"),
    "no check-in id": without("id"),
    "a null check-in id": checkin_field("id", None),
    "no area": without("area"),
    "an extra key": checkin_field("mood", "ok"),
    "no kind": lambda entry: entry.pop("kind"),
    "another kind": session_field("kind", "note"),
    "a state not known": checkin_field("state", "calm"),
}


def written(entries: list[Any]) -> str:
    text = json.dumps(entries, indent=2, ensure_ascii=False) + "\n"
    return text.replace('"<digits>"', "9" * 5000)  # beyond what json.dumps writes


def outcome(read: Iterator[dict[str, Any]]) -> Any:
    try:
        return list(read)
    except UsageError as error:
        return error.message


def exact(text: str) -> Any:
    """The exact reading alone: a value at a time, every field through our validators."""
    def whole() -> str:
        return text

    return outcome(importing._validated(importing._items(io.StringIO(text).read, "x.json"),
                                        "x.json", whole))


def fast(text: str) -> Any:
    return outcome(importing.read_import(io.StringIO(text), "x.json"))


@pytest.fixture(autouse=True)
def small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    # Chunks of 2,000 characters: a file of 300 entries is read in many pieces.
    monkeypatch.setattr(importing, "_CHUNK", 2000)


@pytest.mark.parametrize("change", list(CHANGES.values()), ids=list(CHANGES))
@pytest.mark.parametrize("where", [0, 150, 299])
def test_every_entry_reads_as_the_exact_reading_reads_it(change: Any, where: int) -> None:
    entries = [a_session(n) if n % 3 else a_checkin(n) for n in range(300)]
    entries[where] = a_session(where)
    change(entries[where])
    text = written(entries)
    assert fast(text) == exact(text)


TEXTS = {
    "empty": "[]",
    "white space around": " \n[\n]\n ",
    "a trailing comma": written([a_session(1), a_session(2)]).replace("}\n]", "},\n]"),
    "a trailing comma in the middle": written([a_session(n) for n in range(40)])
    .replace("}\n]", "},\n]"),
    "not closed": written([a_session(n) for n in range(40)]).rstrip()[:-1],
    "something after it": written([a_session(n) for n in range(40)]) + "[]",
    "two commas": written([a_session(n) for n in range(40)]).replace("},\n  {", "},,\n  {", 1),
    "an object": json.dumps({"entries": []}),
    "one line": json.dumps([a_session(n) for n in range(40)]),
    "indented by 4": json.dumps([a_session(n) for n in range(40)], indent=4),
    "a list in a list": written([[a_session(1)]]),
    "deep": "[" * 5000 + "]" * 5000,
    "a number": written([a_session(n) for n in range(40)] + [7]),
    "one long note": written([a_session(1), {**a_checkin(2), "note": "x" * 50_000}]),
}


@pytest.mark.parametrize("text", list(TEXTS.values()), ids=list(TEXTS))
def test_every_file_reads_as_the_exact_reading_reads_it(text: str) -> None:
    assert fast(text) == exact(text)


def test_a_log_as_written_is_read_in_pieces_without_the_exact_reading(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def never(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("read the exact way")

    text = written([a_session(n) if n % 3 else a_checkin(n) for n in range(300)])
    expected = exact(text)
    monkeypatch.setattr(importing, "_items", never)
    monkeypatch.setattr(importing, "_valid", never)
    assert fast(text) == expected
    assert len(expected) == 300
