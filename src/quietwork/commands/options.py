"""Options shared by several commands, defined once."""

from __future__ import annotations

from typing import Annotated, Any

import typer


def utf8_text(param: typer.CallbackParam, value: Any) -> Any:
    """Refuse a text option that is not UTF-8 (a usage error naming it, exit 2).

    Python hands bytes that are not UTF-8 over as lone surrogates ("\\udcff"), which no
    log, screen or JSON can hold. The callback of every option whose text is kept or
    shown (a note, body areas, words for the anchors, a practice id to filter by).
    """
    for text in value if isinstance(value, list | tuple) else [value]:
        if not isinstance(text, str):
            continue
        bad = next((ch for ch in text if "\ud800" <= ch <= "\udfff"), None)
        if bad is not None:
            byte = f" (a byte 0x{ord(bad) - 0xDC00:02x})" if bad >= "\udc80" else ""
            raise typer.BadParameter(
                f"not UTF-8 text{byte}; set your terminal to UTF-8, or type it again",
                param=param,
            )
    return value


JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


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
