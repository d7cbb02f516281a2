"""`quietwork report`: a summary of your log to share with a clinician."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from quietwork import output, paths
from quietwork.commands.options import Days
from quietwork.errors import QuietworkError


def report(
    *,
    days: Days = 30,
    notes: Annotated[
        bool, typer.Option("--notes", help="Include the notes you wrote (left out unless told).")
    ] = False,
    html: Annotated[
        Path | None,
        typer.Option("--html", metavar="FILE", help="Write one self-contained HTML page to FILE "
                     "instead of Markdown to standard output.", show_default=False),
    ] = None,
) -> None:
    """Summarise your log to share with a clinician.

    Per practice: sessions, how they ended, and how distress changed; distress over time
    as a chart; what you marked at a practice's check-ins (leaning, body, what you
    noticed) and your check-ins outside practices; your notes only with --notes. Markdown
    on standard output, or with --html one page (no script, nothing fetched) that prints
    well. It is private: share it only through a channel you trust.

    \b
    Examples:
      quietwork report > report.md
      quietwork report --days 90 --html report.html
      quietwork report --notes --html report.html
    """
    from quietwork.display import report as render
    from quietwork.store import Store

    with Store.open(paths.db_path()) as store:
        data = store.report(days=days)
    if html is None:
        output.exported()(render.markdown(data, notes=notes))
        return
    _write_private(html, render.page(data, notes=notes))
    output.say(f"Wrote the report to {html}. It holds your own log: share it only through a "
               "channel you trust.")


def _write_private(path: Path, text: str) -> None:
    """Write `path` readable by its owner only (a new file is created 0600)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
    except OSError as error:
        raise QuietworkError(f"cannot write {path}: {error.strerror or error}") from None


def register(app: typer.Typer) -> None:
    """Add this command to the app."""
    app.command("report")(report)
