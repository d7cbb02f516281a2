"""A `log --json` file in: read as a stream, every entry validated before any is stored.

The file is read a chunk at a time and its entries validated a batch at a time, so a log
of any length is imported in bounded memory (the store stages them before merging).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Annotated, Any, Literal, NotRequired, cast

from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    with_config,
)
from typing_extensions import TypedDict  # pydantic needs it on Python < 3.12

from quietwork import quickimport
from quietwork.errors import UsageError
from quietwork.text import clean
from quietwork.vocabulary import RecordedPhase, State, Status, StopReason


def _timestamp(text: str) -> str:
    """An ISO 8601 timestamp with its offset, in the form quietwork writes."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError("not an ISO 8601 timestamp") from None
    if moment.tzinfo is None:
        raise ValueError("the timestamp has no UTC offset (like +01:00)")
    if not _MIN_YEAR < moment.year < _MAX_YEAR:
        try:
            moment.astimezone(UTC)  # the log sorts by UTC: 9999-12-31T23:59-12:00 has none
        except OverflowError:
            raise ValueError("the timestamp is out of range (years 1 to 9999 in UTC)") from None
    if len(text) == 25 and text[10] == "T" and text[19] in "+-":
        return text  # already as isoformat() writes it, to the second (as quietwork does)
    return moment.isoformat()


_MIN_YEAR, _MAX_YEAR = 1, 9999  # a UTC offset moves a time by under a day


def _unicode(text: str) -> str:
    """Refuse a lone surrogate (JSON's "\\ud800"): no file can hold it as UTF-8."""
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("not valid Unicode text (a lone surrogate)") from None
    return text


def _one_line(text: str) -> str:
    if not (text.isascii() and text.isprintable() and "  " not in text
            and text == text.strip()):  # the common case, a plain word or id, is kept
        text = clean(_unicode(text), single_line=True)
    if not text:
        # "   " or "\u0007" would be stored as "", which no export could give back.
        raise ValueError("empty (or only spaces and control characters)")
    return text


def _note(text: str) -> str:
    return clean(_unicode(text))


Timestamp = Annotated[str, AfterValidator(_timestamp)]
# Texts are cleaned as typed ones are (a file written by hand or elsewhere may carry
# escape sequences), so every view of the log, CSV included, shows them inert.
Id = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_one_line)]
Word = Annotated[str, Field(max_length=200), AfterValidator(_one_line)]
Note = Annotated[str, AfterValidator(_note)]
Distress = Annotated[int, Field(ge=0, le=10)]


# Strict: "5" is not a distress of 5. Forbid extra keys: a misspelt field in a hand-edited
# file must not vanish silently. TypedDicts, not models: validating 50,000 entries is about
# three times faster, and they come out as the dicts Store.import_entries takes. Keys that
# a file leaves out stay out (Store.import_entries reads them as null / []).
_STRICT = ConfigDict(strict=True, extra="forbid")


@with_config(_STRICT)
class SessionCheckin(TypedDict):
    """A check-in inside a session entry."""

    id: NotRequired[Id | None]  # docs/contract.md's example leaves it out; see parse_import
    phase: RecordedPhase
    distress: NotRequired[Distress | None]
    at: Timestamp
    state: NotRequired[State | None]
    body: NotRequired[list[Word]]
    noticed: NotRequired[list[Word]]
    note: NotRequired[Note | None]
    area: NotRequired[Word | None]


@with_config(_STRICT)
class SessionEntry(TypedDict):
    """A practice session, as `log --json` writes it."""

    kind: Literal["session"]
    id: Id
    practice: Id
    status: Status
    stop_reason: NotRequired[StopReason | None]
    started_at: Timestamp
    ended_at: NotRequired[Timestamp | None]
    checkins: NotRequired[list[SessionCheckin]]


@with_config(_STRICT)
class CheckinEntry(TypedDict):
    """A check-in outside a practice, as `log --json` writes it."""

    kind: Literal["checkin"]
    id: Id
    at: Timestamp
    distress: Distress  # a check-in outside a practice is its rating
    state: NotRequired[State | None]
    body: NotRequired[list[Word]]
    note: NotRequired[Note | None]


Entry = Annotated[SessionEntry | CheckinEntry, Field(discriminator="kind")]
_ENTRIES: TypeAdapter[list[SessionEntry | CheckinEntry]] = TypeAdapter(list[Entry])

# Check-ins without an id get one derived from their session and position, so that
# importing the same file twice still adds nothing.
_CHECKIN_IDS = uuid.UUID("6f1c8e52-3f4a-4c55-9d0e-2b7a4c1d9e60")


BATCH = 2000  # entries validated at a time
_CHUNK = 1 << 20  # characters read at a time
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
_MAX_DIGITS = 4300  # Python's limit on converting digits to an int


class _NotAStream(Exception):
    """The file is not a plain JSON array of values: read it whole, for the exact message."""


class _TooManyDigits:
    """A JSON number too long to be any field's value: refused by validation, by field."""


_COUNTING_DECODER = json.JSONDecoder(
    parse_int=lambda digits: int(digits) if len(digits) <= _MAX_DIGITS else _TooManyDigits()
)


def read_import(file: IO[str], source: str) -> Iterator[dict[str, Any]]:
    """The validated entries of an open `log --json` file, read a chunk at a time.

    UsageError names the first problem (`source: entry N (field): message`); nothing is
    yielded past it. A file whose structure is broken is read again whole, so that its
    message is the JSON parser's own.
    """
    def whole() -> str:
        file.seek(0)
        return file.read()

    yield from _pieces(file.read, source, whole)


# A log of years is hundreds of MB as JSON (200,000 sessions: about 200 MB); it is read a
# chunk at a time, so the limit only stops a file that is no log at all.
MAX_IMPORT_BYTES = 4 * 1024 * 1024 * 1024


def open_import(path: Path) -> IO[str]:
    """A file to import, open as UTF-8 text: a regular file, at most 4 GiB (or UsageError).

    A FIFO, a device (/dev/zero read until memory ran out) or a folder is refused before
    anything is read; to import from a pipe, save it to a file first.
    """
    import io

    from quietwork.files import Unreadable, open_regular

    try:
        raw = open_regular(path, MAX_IMPORT_BYTES)
    except Unreadable as exc:
        if exc.missing:
            raise UsageError(f"{path}: no such file") from None
        if exc.size is not None:
            raise UsageError(f"{path}: {exc.reason}; imports are limited to 4 GiB") from None
        hint = "Save what `quietwork log --json` wrote to a file, and import that."
        raise UsageError(f"{path}: cannot be read: {exc.reason}", hint) from None
    return io.TextIOWrapper(io.BufferedReader(raw), encoding="utf-8")


def parse_import(text: str, source: str) -> list[dict[str, Any]]:
    """The entries of a `log --json` text, all validated; UsageError names the first problem."""
    import io

    return list(read_import(io.StringIO(text), source))


_MAX_PIECE = 8 * _CHUNK  # no cut between entries in this much text: read it the exact way


def _pieces(
    read: Callable[[int], str], source: str, whole: Callable[[], str]
) -> Iterator[dict[str, Any]]:
    """The entries of the file, read a piece of about a chunk at a time.

    A piece ends where an entry of `log --json` ends; it is validated from its text
    (quickimport) and, when that refuses it, decoded and validated the exact way. Text
    that does not split into such pieces, or does not parse, is read the exact way from
    there on, a value at a time, so that every message is the one it always was.
    """
    buffer, done, comma = read(_CHUNK), 0, False
    ended = not buffer
    at = _WHITESPACE.match(buffer).end()  # type: ignore[union-attr]
    if buffer.startswith("[", at):
        at += 1
        while True:
            cut = buffer.rfind(quickimport.ENTRY_END, at)
            if cut < 0 and not ended and len(buffer) - at < _MAX_PIECE:
                chunk = read(_CHUNK)
                buffer, at, ended = buffer[at:] + chunk, 0, not chunk
                continue
            if cut < 0 and not ended:
                break  # one entry longer than a piece: read the exact way
            last = cut < 0
            text = "[" + buffer[at:] if last else "[" + buffer[at:cut + 4] + "]"
            entries = quickimport.entries(text)
            if entries is None or (last and comma and not entries):
                values = _decoded(text)
                if values is None or (last and comma and not values):
                    break  # broken here, or a trailing comma: the exact reading names it
                entries = _valid(values, done, source)
            yield from entries
            done += len(entries)
            if last:
                return
            at, comma = cut + len(quickimport.ENTRY_END), True
    rest = buffer[at:]

    def resumed(size: int) -> str:
        nonlocal rest
        if rest:
            text, rest = rest, ""
            return text
        return read(size)

    yield from _validated(_items(resumed, source, inside=comma), source, whole, done)


def _decoded(text: str) -> list[Any] | None:
    """A piece's values as the exact reading decodes them; None if it is not a JSON array."""
    try:
        values = _COUNTING_DECODER.decode(text)
    except (json.JSONDecodeError, RecursionError):
        return None
    return values if isinstance(values, list) else None


def _validated(
    items: Iterator[Any], source: str, whole: Callable[[], str], done: int = 0
) -> Iterator[dict[str, Any]]:
    batch: list[Any] = []
    try:
        for item in items:
            batch.append(item)
            if len(batch) >= BATCH:
                yield from _valid(batch, done, source)
                done += len(batch)
                batch = []
    except _NotAStream:
        batch, done = _loaded(whole(), source), 0
    yield from _valid(batch, done, source)


def _loaded(text: str, source: str) -> list[Any]:
    """The whole text as JSON, or the parser's message (only on a broken file's path)."""
    try:
        data = _COUNTING_DECODER.decode(text)
    except json.JSONDecodeError as error:
        raise UsageError(
            f"{source}: not JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None
    except RecursionError:
        raise UsageError(f"{source}: not JSON: nested too deeply") from None
    if not isinstance(data, list):
        raise UsageError(
            f"{source}: not a list of entries",
            hint="Import reads the JSON array that `quietwork log --json` writes.",
        )
    return data


def _items(read: Callable[[int], str], source: str, *, inside: bool = False) -> Iterator[Any]:
    """The values of a top-level JSON array, decoded one at a time from chunks of text.

    `inside`: the text starts after a comma between two values of the array.
    """
    buffer, at, ended = "", 0, False

    def more() -> None:
        nonlocal buffer, at, ended
        # Doubling: one value longer than a chunk is parsed again only a few times.
        chunk = read(max(_CHUNK, len(buffer) - at))
        ended = not chunk
        buffer, at = buffer[at:] + chunk, 0

    def skip() -> str:
        """The next character that is not white space ("" at the end)."""
        nonlocal at
        while True:
            at = _WHITESPACE.match(buffer, at).end()  # type: ignore[union-attr]
            if at < len(buffer) or ended:
                return buffer[at:at + 1]
            more()

    more()
    if not inside:
        if skip() != "[":
            raise _NotAStream
        at += 1
    if skip() == "]":
        if inside:
            raise _NotAStream  # a trailing comma
        at += 1
    else:
        while True:
            try:
                value, end = _DECODER.raw_decode(buffer, at)
            except json.JSONDecodeError:
                if ended:
                    raise _NotAStream from None
                more()
                continue
            except RecursionError:
                raise _NotAStream from None
            except ValueError:  # digits beyond Python's limit: let validation name the field
                value, end = _COUNTING_DECODER.raw_decode(buffer, at)
            if end == len(buffer) and not ended:
                more()  # a number may go on in the next chunk
                continue
            at = end
            yield value
            following = skip()
            at += 1
            if following == "]":
                break
            if following != ",":
                raise _NotAStream
            if skip() == "]":  # a trailing comma
                raise _NotAStream
    if skip() != "":
        raise _NotAStream


def _valid(batch: list[Any], done: int, source: str) -> list[dict[str, Any]]:
    """One batch of entries validated; `done` entries came before it in the file."""
    if not batch:
        return []
    try:
        entries = _ENTRIES.validate_python(batch)
    except ValidationError as error:
        raise UsageError(f"{source}: {_first_problem(error, done)}") from None
    for entry in entries:
        if entry["kind"] != "session":
            continue
        for position, checkin in enumerate(entry.get("checkins", [])):
            if checkin.get("id") is None:
                checkin["id"] = str(uuid.uuid5(_CHECKIN_IDS, f"{entry['id']}/{position}"))
    return cast(list[dict[str, Any]], entries)


def _first_problem(error: ValidationError, done: int = 0) -> str:
    """`entry N (field.path): message`, entries counted from 1 as a person reads the file."""
    problem = error.errors(include_url=False)[0]
    index, *path = problem["loc"]
    if path and path[0] in ("session", "checkin"):  # the union's tag, not a field
        path = path[1:]
    where = f" ({'.'.join(str(part) for part in path)})" if path else ""
    number = index + 1 + done if isinstance(index, int) else index
    if problem["type"] == "value_error":  # our own validators: no "Value error, " prefix
        message = str(problem["ctx"]["error"])
    elif problem["type"] == "union_tag_not_found":
        message = "no \"kind\": expected 'session' or 'checkin'"
    else:
        message = problem["msg"]
    return f"entry {number}{where}: {message}"
