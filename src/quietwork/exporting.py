"""Log entries out as JSON and CSV, streamed (no pydantic here: export starts as fast as `log`).

Both write as the entries arrive, so a log of any length is exported in constant memory.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from quietwork.output import json_ascii, json_unsafe

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
# Entries written per call of `write`: few calls, and a small, bounded buffer.
_BATCH = 500

# A spreadsheet reads a cell that begins with one of these as a formula (`=HYPERLINK(…)`,
# `@SUM(…)`, `+cmd|…`); tab and carriage return can hide such a start. As OWASP's
# "CSV Injection" advice says, such a cell is written with a leading apostrophe: shown as
# text, never run.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Write = Callable[[str], None]


def write_json(
    entries: Iterable[Mapping[str, Any]], write: Write, *, ascii_only: bool = False
) -> None:
    """The entries as one JSON array, exactly as `json.dumps(list, indent=2)` writes it.

    Strings go through the C string encoder; control, C1 and format characters (bidi
    overrides) come out as \\uXXXX escapes (`output.json_unsafe`), the same data to any
    JSON reader and inert on a screen. With `ascii_only` (an output that is not UTF-8),
    every non-ASCII character is escaped too. The text ends with a newline.
    """
    if ascii_only:
        write_json(entries, lambda text: write(text if text.isascii() else json_ascii(text)))
        return
    chunk: list[str] = []
    first = True
    for entry in entries:
        chunk.append(("[\n  " if first else ",\n  ") + _object(entry, "  "))
        first = False
        if len(chunk) >= _BATCH:
            write("".join(chunk))
            chunk.clear()
    chunk.append("[]\n" if first else "\n]\n")
    write("".join(chunk))


_encode_string = json.encoder.encode_basestring  # the C encoder, as ensure_ascii=False


def _string(text: str) -> str:
    encoded = _encode_string(text)
    return encoded if text.isascii() else json_unsafe(encoded)


# The layout of an object with these keys at this indent, as "%s" slots for its values:
# a log repeats a handful of shapes (a session, a check-in) hundreds of thousands of times.
_LAYOUTS: dict[tuple[str, tuple[str, ...]], str] = {}


def _layout(indent: str, keys: tuple[str, ...]) -> str:
    inner = indent + "  "
    lines = ",\n".join(f"{inner}{_string(key)}: %s" for key in keys)
    layout = "{\n" + lines.replace("%", "%%").replace(": %%s", ": %s") + "\n" + indent + "}"
    _LAYOUTS[indent, keys] = layout
    return layout


def _object(mapping: Mapping[str, Any], indent: str) -> str:
    if not mapping:
        return "{}"
    keys = tuple(mapping)
    layout = _LAYOUTS.get((indent, keys)) or _layout(indent, keys)
    inner = indent + "  "
    # The common cases inline (an ASCII string, null, an int, an empty list): this runs
    # for every value of a long log.
    return layout % tuple(
        [
            _encode_string(value) if type(value) is str and value.isascii()
            else "null" if value is None
            else int.__repr__(value) if type(value) is int
            else "[]" if value == []
            else _value(value, inner)
            for value in mapping.values()
        ]
    )


def _value(value: Any, indent: str) -> str:
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, dict):
        return _object(value, indent)
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        inner = indent + "  "
        items = [
            _encode_string(item) if type(item) is str and item.isascii()
            else _object(item, inner) if type(item) is dict
            else _value(item, inner)
            for item in value
        ]
        return "[\n" + inner + (",\n" + inner).join(items) + "\n" + indent + "]"
    return json.dumps(value)  # None, booleans, numbers


def write_csv(entries: Iterable[Mapping[str, Any]], write: Write) -> None:
    """One row per check-in (a session without check-ins gives one row); lists joined by ";"."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for count, entry in enumerate(entries, 1):
        entry_id = _cell(entry["id"])
        if entry["kind"] == "session":
            session = _cells(entry, _SESSION_COLUMNS)
            for checkin in entry["checkins"] or [{}]:
                writer.writerow(["session", entry_id, *session, *_checkin_cells(checkin)])
        else:
            checkin = {**entry, "phase": "standalone"}
            no_session = [""] * len(_SESSION_COLUMNS)
            writer.writerow(["checkin", entry_id, *no_session, *_checkin_cells(checkin)])
        if count % _BATCH == 0:
            write(buffer.getvalue())
            buffer.seek(0)
            buffer.truncate()
    write(buffer.getvalue())


def to_csv(entries: Iterable[Mapping[str, Any]]) -> str:
    """The CSV of `write_csv`, as one string."""
    parts: list[str] = []
    write_csv(entries, parts.append)
    return "".join(parts)


def _checkin_cells(checkin: Mapping[str, Any]) -> list[str]:
    return _cells(checkin, _CHECKIN_COLUMNS)


def _cells(mapping: Mapping[str, Any], columns: list[str]) -> list[str]:
    # The common cases inline (no value, a plain string, a number, no words): this runs
    # for every cell of a long log.
    return [
        "" if value is None or value == []
        else value if type(value) is str and not value.startswith(_FORMULA_START)
        else int.__repr__(value) if type(value) is int
        else _cell(value)
        for value in map(mapping.get, columns)
    ]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(_inert(str(item)) for item in value)
    return _inert(str(value))


def _inert(text: str) -> str:
    """The text, with a leading apostrophe if a spreadsheet would read it as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text
