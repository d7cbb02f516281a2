"""The one seam for what quietwork writes: data to stdout, errors and warnings to stderr."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from typing import Any


def echo(text: str = "") -> None:
    """A line of data or display on stdout."""
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def write(text: str) -> None:
    """Text as it is (already line-terminated) on stdout."""
    sys.stdout.write(text)
    sys.stdout.flush()


def columns(rows: Sequence[Sequence[str]], headers: Sequence[str] | None = None) -> str:
    """Rows as left-aligned columns, two spaces apart (no rich: this is on fast paths)."""
    table = [list(headers)] if headers else []
    table += [list(row) for row in rows]
    if not table:
        return ""
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
             for row in table]
    return "\n".join(lines)


def print_json(data: Any) -> None:
    """Data as JSON on stdout."""
    echo(json.dumps(data, indent=2, ensure_ascii=False))


def error(message: str, hint: str | None = None) -> None:
    """An error, one line (and an optional hint), on stderr."""
    sys.stderr.write(f"Error: {message}\n")
    if hint:
        sys.stderr.write(f"  {hint}\n")
    sys.stderr.flush()


def warn(message: str) -> None:
    """A warning on stderr."""
    sys.stderr.write(f"Warning: {message}\n")
    sys.stderr.flush()


def note(message: str) -> None:
    """A side remark (not data) on stderr, so that stdout stays clean for pipes."""
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def silence_stdout() -> None:
    """The reader of our output went away (`| head -1`): send the rest nowhere, quietly."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def color_allowed() -> bool:
    """Whether colour and motion may be used on stdout."""
    term = os.environ.get("TERM", "")
    return sys.stdout.isatty() and term != "dumb" and "NO_COLOR" not in os.environ
