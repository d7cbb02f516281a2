"""A `log --json` file in: every entry validated before any is stored."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal, NotRequired, cast

from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    with_config,
)
from typing_extensions import TypedDict  # pydantic needs it on Python < 3.12

from quietwork.errors import UsageError
from quietwork.seams import RecordedPhase, State, Status, StopReason
from quietwork.text import clean


def _timestamp(text: str) -> str:
    """An ISO 8601 timestamp with its offset, in the form quietwork writes."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError("not an ISO 8601 timestamp") from None
    if moment.tzinfo is None:
        raise ValueError("the timestamp has no UTC offset (like +01:00)")
    return moment.isoformat()


def _one_line(text: str) -> str:
    return clean(text, single_line=True)


Timestamp = Annotated[str, AfterValidator(_timestamp)]
# Texts are cleaned as typed ones are (a file written by hand or elsewhere may carry
# escape sequences), so every view of the log, CSV included, shows them inert.
Id = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_one_line)]
Word = Annotated[str, Field(max_length=200), AfterValidator(_one_line)]
Note = Annotated[str, AfterValidator(clean)]
Distress = Annotated[int, Field(ge=0, le=10)]


# Strict: "5" is not a distress of 5. Forbid extra keys: a misspelt field in a hand-edited
# file must not vanish silently. TypedDicts, not models: validating 50,000 entries is about
# three times faster, and they come out as the dicts Store.import_entries takes. Keys that
# a file leaves out stay out (Store.import_entries reads them as null / []).
_STRICT = ConfigDict(strict=True, extra="forbid")


@with_config(_STRICT)
class SessionCheckin(TypedDict):
    """A check-in inside a session entry."""

    id: NotRequired[Id | None]  # product.md's example leaves it out; see parse_import
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


# A log of years is tens of MB as JSON (200,000 sessions: about 200 MB); a gigabyte is
# far past any, and still fits in memory to be checked whole before anything is stored.
MAX_IMPORT_BYTES = 1024 * 1024 * 1024


def read_import(path: Path) -> str:
    """The text of a file to import: a regular file, at most 1 GiB, UTF-8 (or UsageError).

    A FIFO, a device (/dev/zero read until memory ran out) or a folder is refused before
    anything is read; to import from a pipe, save it to a file first.
    """
    from quietwork.files import Unreadable, read_regular

    try:
        data = read_regular(path, MAX_IMPORT_BYTES)
    except Unreadable as exc:
        if exc.missing:
            raise UsageError(f"{path}: no such file") from None
        if exc.size is not None:
            raise UsageError(f"{path}: {exc.reason}; imports are limited to 1 GiB") from None
        hint = "Save what `quietwork log --json` wrote to a file, and import that."
        raise UsageError(f"{path}: cannot be read: {exc.reason}", hint) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path}: cannot be read: not UTF-8 text (byte {exc.start + 1})") from None


def parse_import(text: str, source: str) -> list[dict[str, Any]]:
    """The entries of a `log --json` file, all validated; UsageError names the first problem."""
    try:
        data = json.loads(text)
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
    try:
        entries = _ENTRIES.validate_python(data)
    except ValidationError as error:
        raise UsageError(f"{source}: {_first_problem(error)}") from None
    for entry in entries:
        if entry["kind"] != "session":
            continue
        for position, checkin in enumerate(entry.get("checkins", [])):
            if checkin.get("id") is None:
                checkin["id"] = str(uuid.uuid5(_CHECKIN_IDS, f"{entry['id']}/{position}"))
    return cast(list[dict[str, Any]], entries)


def _first_problem(error: ValidationError) -> str:
    """`entry N (field.path): message`, entries counted from 1 as a person reads the file."""
    problem = error.errors(include_url=False)[0]
    index, *path = problem["loc"]
    if path and path[0] in ("session", "checkin"):  # the union's tag, not a field
        path = path[1:]
    where = f" ({'.'.join(str(part) for part in path)})" if path else ""
    number = index + 1 if isinstance(index, int) else index
    if problem["type"] == "value_error":  # our own validators: no "Value error, " prefix
        message = str(problem["ctx"]["error"])
    elif problem["type"] == "union_tag_not_found":
        message = "no \"kind\": expected 'session' or 'checkin'"
    else:
        message = problem["msg"]
    return f"entry {number}{where}: {message}"
