"""docs/cli.md is generated from the command tree, so it cannot drift.

It is built from the commands' own names, help texts and options, not from typer's
rendered `--help`, whose layout changes between typer versions.
Regenerate with: QUIETWORK_UPDATE_DOCS=1 uv run pytest tests/test_docs.py
"""

from __future__ import annotations

import inspect
import os
from pathlib import Path
from typing import Any

import typer

from quietwork.cli import app

DOC = Path(__file__).resolve().parents[1] / "docs" / "cli.md"
TYPER_OWN = {
    "install_completion": "Install tab completion for your shell (bash, zsh, fish).",
    "show_completion": "Print the completion script for your shell, to install it yourself.",
}


def _help(text: str | None) -> str:
    """A command's help as Markdown: click's no-rewrap marker dropped, examples as code."""
    lines = [line for line in inspect.cleandoc(text or "").splitlines() if line != "\b"]
    out: list[str] = []
    in_code = False
    for line in lines:
        indented = line.startswith("  ")
        if indented and not in_code:
            out.append("```sh")
            in_code = True
        elif not indented and in_code:
            out.append("```")
            in_code = False
        out.append(line.strip() if in_code else line)
    if in_code:
        out.append("```")
    return "\n".join(out).strip()


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _usage(name: str, params: list[Any], has_commands: bool) -> str:
    parts = ["quietwork" if not name else f"quietwork {name}", "[OPTIONS]"]
    for param in params:
        if param.param_type_name == "argument":
            word = (param.metavar or param.name.upper()).strip("[]")
            word += " ..." if param.nargs == -1 else ""
            parts.append(word if param.required else f"[{word}]")
    if has_commands:
        parts.append("COMMAND [ARGS]...")
    return " ".join(parts)


def _options(params: list[Any]) -> list[str]:
    rows = ["| option | meaning |", "|---|---|"]
    for param in params:
        if getattr(param, "hidden", False):
            continue
        if param.name in TYPER_OWN:  # typer's words, which change with its version
            rows.append(f"| `{param.opts[0]}` | {TYPER_OWN[param.name]} |")
            continue
        if param.param_type_name == "argument":
            word = (param.metavar or param.name.upper()).strip("[]")
            rows.append(f"| `{word}` | {_cell(getattr(param, 'help', None) or '')} |")
            continue
        flags = ", ".join(param.opts)
        if param.secondary_opts:
            flags += " / " + ", ".join(param.secondary_opts)
        if not param.is_flag:
            flags += f" {param.metavar or param.name.upper()}"
        help_text = param.help or ""
        if param.multiple and "repeat" not in help_text:  # said once, in the help's words
            help_text += " (may be given more than once)"
        rows.append(f"| `{flags}` | {_cell(help_text)} |")
    rows.append("| `-h`, `--help` | Show the help and exit. |")
    return rows


def generate() -> str:
    root = typer.main.get_command(app)
    assert isinstance(root, typer.core.TyperGroup)
    parts = [
        "# quietwork command-line reference\n",
        "Generated from the commands' own help texts and options; regenerate with "
        "`QUIETWORK_UPDATE_DOCS=1 uv run pytest tests/test_docs.py`. quietwork's own "
        "texts here are the ones `quietwork --help` and `quietwork COMMAND --help` show; "
        "the options that typer adds (`--help`, the completion ones) are described in our "
        "words, and `--help` shows the installed typer's wording for them. The contract behind "
        "it (exit codes, JSON fields, the stop flow) is in [contract.md](contract.md).\n",
        "## quietwork\n",
        f"`{_usage('', root.params, True)}`\n",
        _help(root.help) + "\n",
        "\n".join(_options(root.params)) + "\n",
        "| command | what it does |\n|---|---|\n" + "\n".join(
            f"| [`{name}`](#quietwork-{name}) | {_cell(command.get_short_help_str(200))} |"
            for name, command in root.commands.items() if not command.hidden) + "\n",
        _help(root.epilog) + "\n",
    ]
    for name, command in root.commands.items():
        if command.hidden:
            continue
        parts.append(f"## quietwork {name}\n")
        parts.append(f"`{_usage(name, command.params, False)}`\n")
        parts.append(_help(command.help) + "\n")
        parts.append("\n".join(_options(command.params)) + "\n")
    return "\n".join(parts)


def test_cli_reference_is_current() -> None:
    text = generate()
    if os.environ.get("QUIETWORK_UPDATE_DOCS"):
        DOC.write_text(text, encoding="utf-8")
    assert DOC.read_text(encoding="utf-8") == text, (
        "docs/cli.md is out of date: QUIETWORK_UPDATE_DOCS=1 uv run pytest tests/test_docs.py")


def test_every_command_and_option_is_in_the_reference() -> None:
    """What the help shows a person is what the reference lists (no command left out)."""
    root = typer.main.get_command(app)
    assert isinstance(root, typer.core.TyperGroup)
    doc = DOC.read_text(encoding="utf-8")
    for name, command in root.commands.items():
        assert f"## quietwork {name}\n" in doc
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("-"):
                    assert f"`{opt}" in doc or f", {opt}" in doc, (name, opt)


def test_a_repeatable_option_says_so_once() -> None:
    rows = [line for line in DOC.read_text().splitlines() if line.startswith("| `--body")]
    assert rows, "no --body row in docs/cli.md"
    for row in rows:
        assert "repeat" in row and "more than once" not in row, row
