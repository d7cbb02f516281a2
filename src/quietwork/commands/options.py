"""Options shared by several commands, defined once."""

from __future__ import annotations

from typing import Annotated, Any

import typer

# typer vendors click: its types are only reachable through the vendored copy.
from typer._click.types import ParamType


def utf8_text(param: typer.CallbackParam, value: Any) -> Any:
    """A text option as UTF-8 text, or refused when its bytes are not UTF-8 (exit 2).

    Python decodes the arguments with the locale's encoding, and hands each byte it
    cannot decode over as a lone surrogate ("\\udcff"), which no log, screen or JSON can
    hold. Under a locale that is not UTF-8 (LC_ALL=POSIX, say) a UTF-8 "café" arrives
    so too: its bytes (`os.fsencode` gives them back) are read as the UTF-8 they are.
    Only bytes that are not UTF-8 at all are refused. The callback of every option whose
    text is kept or shown (a note, body areas, words for the anchors, a practice id).
    """
    if isinstance(value, list | tuple):
        return type(value)(_utf8(param, text) for text in value)
    return _utf8(param, value)


def _utf8(param: typer.CallbackParam, text: Any) -> Any:
    if not isinstance(text, str):
        return text
    bad = next((ch for ch in text if "\ud800" <= ch <= "\udfff"), None)
    if bad is None:
        return text
    import os

    try:
        return os.fsencode(text).decode("utf-8")
    except UnicodeError:  # not UTF-8 bytes (or not from the arguments' decoding at all)
        pass
    byte = f" (a byte 0x{ord(bad) - 0xDC00:02x})" if bad >= "\udc80" else ""
    raise typer.BadParameter(
        f"not UTF-8 text{byte}; set your terminal to UTF-8, or type it again", param=param,
    )


class WholeNumber(ParamType):
    """A whole number from `low` (to `high`), refused in words that say what to give.

    click's own integer range says "'x' is not a valid int range." and "0 is not in the
    range 1<=x<=3650."; its message still names the option ("Invalid value for '--days'").
    `check_range=False`: only what is not a whole number is refused here, and the command
    words a number outside the range itself (`checkin --distress`).
    """

    name = "number"

    def __init__(self, low: int, high: int | None = None, *, check_range: bool = True) -> None:
        self.low, self.high, self.check_range = low, high, check_range

    def convert(self, value: Any, param: Any, ctx: Any) -> int:
        span = (f"from {self.low} to {self.high}" if self.high is not None
                else f"of {self.low} or more")
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        else:
            try:
                number = int(str(value).strip())
            except ValueError:
                self.fail(f"{str(value)!r} is not a whole number; give one {span}", param, ctx)
        if not self.check_range:
            return number
        if number < self.low or (self.high is not None and number > self.high):
            self.fail(f"{number} is out of range; give a whole number {span}", param, ctx)
        return number


MAX_DAYS = 3650

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
Days = Annotated[
    int,
    typer.Option("--days", metavar="DAYS", click_type=WholeNumber(1, MAX_DAYS),
                 help=f"How many days back to look (1 to {MAX_DAYS}; default 30).",
                 show_default=False),
]


def complete_practice_id(incomplete: str) -> list[str]:
    """Shell completion for practice ids."""
    from quietwork.catalog import discover
    from quietwork.config import load_settings

    try:
        settings = load_settings()
    except Exception:  # completion must never fail loudly
        return []
    return [pid for pid in discover(settings.practice_dirs).ids() if pid.startswith(incomplete)]


PracticeId = Annotated[
    str,
    typer.Argument(
        help="A practice id, as `quietwork list` shows.",
        metavar="ID",
        autocompletion=complete_practice_id,
        show_default=False,
    ),
]
