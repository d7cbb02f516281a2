"""`quietwork --help`: examples like every command's, and each command's summary whole."""

from __future__ import annotations

import pytest
import typer

from histories import CLI, words
from quietwork.cli import app


def summaries() -> dict[str, str]:
    """Each command's first sentence of help, as its own --help opens."""
    root = typer.main.get_command(app)
    assert isinstance(root, typer.core.TyperGroup)
    return {name: " ".join((command.help or "").split("\n\n")[0].split())
            for name, command in root.commands.items() if not command.hidden}


@pytest.mark.parametrize("columns", ["100", "80", "60", "40"])
def test_the_top_level_help_has_examples_and_whole_summaries(
    cli: CLI, monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    result = cli("--help")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert any(line.strip() == "Examples:" for line in lines)
    assert any(line.strip() == "quietwork practice ground" for line in lines)
    listed = result.stdout.split("Commands:", 1)[1]
    assert "..." not in listed  # no summary cut short
    shown = words(result.stdout)
    for name, first in summaries().items():
        sentence = first.split(". ")[0].rstrip(".") + "."
        assert sentence in shown, (name, sentence)
    assert "s or Esc stops it." in shown


def test_at_80_columns_each_command_and_its_summary_is_one_line(
    cli: CLI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = cli("--help")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    root = typer.main.get_command(app)
    assert isinstance(root, typer.core.TyperGroup)
    for name, command in root.commands.items():
        if command.hidden:
            continue
        summary = command.get_short_help_str(limit=10_000)
        rows = [line for line in lines if name in line.split()[:2] and summary[:20] in line]
        assert len(rows) == 1, (name, result.stdout)
        assert summary in rows[0], (name, rows[0])  # the whole summary, on the command's row
        assert len(rows[0].rstrip()) <= 80


def test_the_examples_run(cli: CLI) -> None:
    """Each example in the top-level help is a command quietwork knows."""
    result = cli("--help")
    block = result.stdout.split("Examples:", 1)[1].split("\n\n", 1)[0]
    examples = [line.split() for line in block.splitlines() if line.strip()]
    assert examples
    known = set(summaries())
    for example in examples:
        assert example[0] == "quietwork" and example[1] in known, example
