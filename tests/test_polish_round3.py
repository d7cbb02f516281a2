"""Round three's polish: help that fits the terminal it is shown on, and `stats` sentences and
rows a reader cannot take for something else.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import typer

from quietwork import cli as quietwork_cli

from conftest import Result
from terminal import Terminal

CLI = Callable[..., Result]


# -- 1. --help wraps at words to the terminal's width -----------------------------------------


def help_text(command: str) -> str:
    """The command's own help text, as a person reads it (click's no-rewrap marker out)."""
    group = typer.main.get_command(quietwork_cli.app)
    assert isinstance(group, typer.core.TyperGroup)
    text = group.commands[command].help or ""
    return " ".join(word for word in text.split() if word != "\b")


@pytest.mark.parametrize("command", ["checkin", "anchors", "practice", "forget"])
@pytest.mark.parametrize(("rows", "cols"), [(50, 40), (24, 80)], ids=["40x50", "80x24"])
def test_help_fits_the_terminal_and_says_every_word_whole(
    tmp_path: Path, command: str, rows: int, cols: int
) -> None:
    term = Terminal(tmp_path, f"{command} --help", rows=rows, cols=cols, timeout=30)
    assert term.finish() == 0
    written = term.child.logfile_read.getvalue()
    lines = written[:written.index("EXIT=")].split("\r\n")
    assert all(len(line) <= cols for line in lines), [line for line in lines if len(line) > cols]
    # An example too long for the line goes on after a shell continuation (`\`).
    words = " ".join(word for word in " ".join(lines).split() if word != "\\")
    assert help_text(command) in words, lines
