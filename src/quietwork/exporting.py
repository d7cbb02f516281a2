"""Log entries out as JSON and CSV, streamed (no pydantic here: export starts as fast as `log`).

Both write as the entries arrive, so a log of any length is exported in constant memory.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from quietwork import queries
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
    return _values(map(mapping.get, columns))


def _values(values: Iterable[Any]) -> list[str]:
    # The common cases inline (no value, a plain string, a number, no words): this runs
    # for every cell of a long log.
    return [
        "" if value is None or value == []
        else value if type(value) is str and not value.startswith(_FORMULA_START)
        else int.__repr__(value) if type(value) is int
        else _cell(value)
        for value in values
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


# The rows of `queries.export_rows` written out as they come, the same text as `write_json`
# and `write_csv` of their entries: no entry is built on the way (a long log's time went
# into building and reading those dicts).
_SESSION_KEYS = ("kind", "id", "practice", "status", "stop_reason", "started_at", "ended_at",
                 "checkins")
_CHECKIN_KEYS = ("id", "phase", "distress", "at", "state", "body", "noticed", "note", "area")
_STANDALONE_KEYS = ("kind", "id", "at", "distress", "state", "body", "note")
_ROWS_KEPT = 4096  # distinct values remembered per cache (a long log repeats a few)


class _Lists(dict[str | None, str]):
    """A stored JSON list of words as `log --json` writes it at one indent."""

    def __init__(self, indent: str) -> None:
        super().__init__()
        self.indent = indent

    def __missing__(self, text: str | None) -> str:
        words = [] if text is None else queries.words(text)
        value = "[]" if words == [] else _value(words, self.indent)
        if len(self) < _ROWS_KEPT:
            self[text] = value
        return value


class _Cells(dict[str | None, str]):
    """A stored JSON list of words as one `log --csv` cell."""

    def __missing__(self, text: str | None) -> str:
        value = "" if text is None else _values([queries.words(text)])[0]
        if len(self) < _ROWS_KEPT:
            self[text] = value
        return value


def _scalars(values: Iterable[Any]) -> list[str]:
    """Column values as JSON, as `_object` writes them."""
    return [
        _encode_string(value) if type(value) is str and value.isascii()
        else "null" if value is None
        else int.__repr__(value) if type(value) is int
        else _value(value, "")
        for value in values
    ]


def write_json_rows(rows: Iterable[Sequence[Any]], write: Write, *, ascii_only: bool = False
                    ) -> None:
    """`write_json` of the entries these rows hold (`queries.EXPORT_COLUMNS`)."""
    if ascii_only:
        write_json_rows(rows, lambda text: write(text if text.isascii() else json_ascii(text)))
        return
    session, _, end = _layout("  ", _SESSION_KEYS).rpartition("%s")
    checkin = _layout("      ", _CHECKIN_KEYS)
    standalone = _layout("  ", _STANDALONE_KEYS)
    nested_lists, standalone_lists = _Lists("        "), _Lists("    ")
    no_checkins, checkins_end = "[]" + end, "\n    ]" + end
    chunk: list[str] = []
    closing = ""  # what ends the entry being written
    last: tuple[Any, Any] = (None, None)
    between = "[\n  "
    for row in rows:
        if row[3] != last[1] or row[2] != last[0]:
            chunk.append(closing)
            last = (row[2], row[3])
            if row[2] == "session":
                chunk.append(between + session % tuple(_scalars(row[2:9])))
                closing = no_checkins
            else:
                kind, entry_id, at, distress, state, note = _scalars(
                    (row[2], row[3], row[10], row[11], row[12], row[15]))
                chunk.append(between + standalone % (
                    kind, entry_id, at, distress, state, standalone_lists[row[13]], note))
                closing = ""
            between = ",\n  "
            if len(chunk) >= _BATCH:
                write("".join(chunk))
                chunk.clear()
        if row[17] is not None and row[2] == "session":
            checkin_id, phase, distress, at, state, note, area = _scalars(
                (row[17], row[9], row[11], row[10], row[12], row[15], row[16]))
            chunk.append(("[\n      " if closing is no_checkins else ",\n      ") + checkin % (
                checkin_id, phase, distress, at, state, nested_lists[row[13]],
                nested_lists[row[14]], note, area))
            closing = checkins_end
    chunk.append(closing)
    chunk.append("[]\n" if between == "[\n  " else "\n]\n")
    write("".join(chunk))


# Whether a cell begins like a formula somewhere in a stretch of CSV text: a cell starts
# after a comma, a newline or an opening quote (each made "\x02" here) and a formula with
# one of `_FORMULA_START` ("\x01"). A pair can also be found inside a quoted cell, or in
# control characters of the text itself: then the stretch is written again, cell by cell.
# (A regular expression over the text took a second for 200,000 sessions; this, a tenth.)
_CELL_STARTS = str.maketrans(',\n"' + "".join(_FORMULA_START), "\x02" * 3 + "\x01" * 6)


class _Numbers(dict[object, str]):
    """A distress as a `log --csv` cell: a number or none (anything else, TypeError)."""

    def __missing__(self, value: object) -> str:
        if value is not None and type(value) is not int:
            raise TypeError(f"not a number: {value!r}")
        cell = "" if value is None else int.__repr__(value)
        if len(self) < _ROWS_KEPT:
            self[value] = cell
        return cell


def write_csv_rows(rows: Iterable[Sequence[Any]], write: Write) -> None:
    """`write_csv` of the entries these rows hold (`queries.EXPORT_COLUMNS`).

    Plain text, the common case, is joined as it is; a stretch of rows with anything a
    cell must quote or make inert, a null or a value that is not text, goes through the
    csv module cell by cell, as `write_csv`.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(CSV_COLUMNS)
    write(flush())
    cells, numbers = _Cells(), _Numbers()
    stream = iter(rows)
    while batch := list(itertools.islice(stream, _BATCH)):
        try:
            text = "\n".join([",".join((
                *row[2:11], numbers[row[11]], row[12], cells[row[13]], cells[row[14]],
                row[15], row[16])) for row in batch]) + "\n"
        except TypeError:  # a null, or a value that is not text
            text = ""
        # A comma or newline inside a cell shows in the counts; csv quotes a '"' (and some
        # Pythons' csv a carriage return).
        if (text.count(",") != 14 * len(batch) or text.count("\n") != len(batch)
                or '"' in text or "\r" in text or "\x02\x01" in text.translate(_CELL_STARTS)):
            writer.writerows([[row[2], _cell(row[3]), *_values(row[4:13]), cells[row[13]],
                               cells[row[14]], *_values(row[15:17])] for row in batch])
            text = flush()
        write(text)
