"""docs/cli.md is generated from --help, so it cannot drift.

Regenerate with: QUIETWORK_UPDATE_DOCS=1 uv run pytest tests/test_docs.py
"""

from __future__ import annotations

import os
from pathlib import Path

from quietwork.cli import app

from conftest import invoke

DOC = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def generate() -> str:
    parts = [
        "# quietwork command-line reference\n",
        "Generated from `quietwork --help` and each command's `--help`; "
        "regenerate with `QUIETWORK_UPDATE_DOCS=1 uv run pytest tests/test_docs.py`.\n",
        "## quietwork\n",
        "```text\n" + invoke("--help").stdout.rstrip() + "\n```\n",
    ]
    for command in app.registered_commands:
        name = command.name
        assert name is not None
        parts.append(f"## quietwork {name}\n")
        parts.append("```text\n" + invoke(name, "--help").stdout.rstrip() + "\n```\n")
    return "\n".join(parts)


def test_cli_reference_is_current() -> None:
    text = generate()
    if os.environ.get("QUIETWORK_UPDATE_DOCS"):
        DOC.write_text(text, encoding="utf-8")
    assert DOC.read_text(encoding="utf-8") == text, (
        "docs/cli.md is out of date: QUIETWORK_UPDATE_DOCS=1 uv run pytest tests/test_docs.py")
