"""An import's common case, validated fast: entries as `log --json` writes them.

pydantic validates a piece of the file straight from its JSON text against a schema with
no Python validators: every field present, texts that cleaning would leave as they are
(printable ASCII, no doubled or outer spaces), and stamps to the second with their offset.
Whatever this schema accepts, `importing`'s exact schema accepts too and gives back
unchanged; anything else (a hand-edited file, a note with an accent, a problem to name)
returns None, and `importing` reads that piece the exact way, with its messages.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, TypeAdapter, ValidationError, with_config
from typing_extensions import TypedDict  # pydantic needs it on Python < 3.12

from quietwork.vocabulary import RecordedPhase, State, Status, StopReason

# Between two entries as `log --json` writes them (indent 2). A newline is never inside a
# JSON string, so a cut here is between two entries whenever the piece before it parses.
ENTRY_END = "\n  },"

# One line of printable ASCII, without doubled or outer spaces: `_one_line` keeps it as is.
_ONE_LINE = r"^[!-~](?: ?[!-~])*$"
# Years 1000-8999 (no UTC overflow near the ends), months, days a month always has (the
# 29th of February is left to the exact reading), hours, minutes, seconds, an offset.
_DAY = r"(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)" \
       r"|(?:0[13578]|1[02])-31)"
_STAMP = (r"^[1-8][0-9]{3}-" + _DAY + r"T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
          r"[+-](?:[01][0-9]|2[0-3]):[0-5][0-9]$")
# ASCII with no control character but tab and newline: cleaning keeps it as is.
_PLAIN_NOTE = r"^[\t\n -~]*$"

Id = Annotated[str, Field(max_length=200, pattern=_ONE_LINE)]
Stamp = Annotated[str, Field(pattern=_STAMP)]
Note = Annotated[str, Field(pattern=_PLAIN_NOTE)]
Distress = Annotated[int, Field(ge=0, le=10)]
_STRICT = ConfigDict(strict=True, extra="forbid")


@with_config(_STRICT)
class _Checkin(TypedDict):
    id: Id
    phase: RecordedPhase
    distress: Distress | None
    at: Stamp
    state: State | None
    body: list[Id]
    noticed: list[Id]
    note: Note | None
    area: Id | None


@with_config(_STRICT)
class _Session(TypedDict):
    kind: Literal["session"]
    id: Id
    practice: Id
    status: Status
    stop_reason: StopReason | None
    started_at: Stamp
    ended_at: Stamp | None
    checkins: list[_Checkin]


@with_config(_STRICT)
class _Standalone(TypedDict):
    kind: Literal["checkin"]
    id: Id
    at: Stamp
    distress: Distress
    state: State | None
    body: list[Id]
    note: Note | None


_ENTRIES: TypeAdapter[list[Any]] = TypeAdapter(
    list[Annotated[_Session | _Standalone, Field(discriminator="kind")]]
)


def entries(text: str) -> list[dict[str, Any]] | None:
    """The entries of a JSON array's text, if all are in the common form; else None."""
    try:
        return _ENTRIES.validate_json(text)
    except ValidationError:
        return None
