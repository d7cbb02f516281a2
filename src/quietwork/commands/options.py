"""Options shared by several commands, defined once."""

from __future__ import annotations

from typing import Annotated

import typer

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
