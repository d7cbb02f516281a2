"""Your history: log, stats, import."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from quietwork import output, paths
from quietwork.commands.options import JsonFlag, utf8_text
from quietwork.errors import UsageError

TABLE_LIMIT = 50


def _parse_date(text: str | None, flag: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{flag}: '{text}' is not a date; write it as YYYY-MM-DD") from None


def log(
    *,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            min=1,
            help=f"At most this many entries (the table shows {TABLE_LIMIT} unless told).",
            show_default=False,
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="DATE", help="Only entries on or after YYYY-MM-DD.",
                     show_default=False),
    ] = None,
    practice: Annotated[
        str | None,
        typer.Option("--practice", metavar="ID", help="Only sessions of this practice.",
                     show_default=False, callback=utf8_text),
    ] = None,
    json_: JsonFlag = False,
    csv: Annotated[bool, typer.Option("--csv", help="One CSV row per check-in.")] = False,
) -> None:
    """Show your sessions and check-ins, newest first.

    \b
    Examples:
      quietwork log
      quietwork log --since 2026-11-01 --practice exhale
      quietwork log --json > backup.json
      quietwork log --csv > checkins.csv
    """
    from quietwork.store import Store

    if json_ and csv:
        raise UsageError("--json and --csv: choose one")
    day = _parse_date(since, "--since")
    if not (json_ or csv) and limit is None:
        limit = TABLE_LIMIT
    with Store.open(paths.db_path()) as store:
        entries = store.entries(limit=limit, since=day, practice=practice)
    if json_:
        output.print_json(entries)
    elif csv:
        from quietwork.exporting import to_csv

        output.write(to_csv(entries))
    else:
        from quietwork.display.history import log_table

        log_table(entries, filtered=day is not None or practice is not None)


def stats(
    *,
    days: Annotated[
        int,
        typer.Option("--days", min=1, max=3650, help="How many days back to look."),
    ] = 30,
    json_: JsonFlag = False,
) -> None:
    """Show which practices helped you.

    Per practice: sessions, completed, stopped early, interrupted, and mean distress
    before and after. Then distress by day.

    \b
    Examples:
      quietwork stats
      quietwork stats --days 90
      quietwork stats --json
    """
    from quietwork.store import Store

    with Store.open(paths.db_path()) as store:
        data = store.stats(days=days)
    if json_:
        output.print_json(data)
        return
    from quietwork.display.history import stats_view

    stats_view(data, days=days)


def import_log(
    file: Annotated[
        Path,
        typer.Argument(help="A file that `quietwork log --json` wrote.", show_default=False),
    ],
) -> None:
    """Merge a log that `log --json` wrote.

    For example one written on another machine.

    Entries are matched by id: importing the same file twice adds nothing. A file
    with any problem is refused whole.

    \b
    Example:
      quietwork log --json > laptop.json      (on the laptop)
      quietwork import laptop.json            (here)
    """
    from quietwork.importing import parse_import, read_import
    from quietwork.store import Store

    entries = parse_import(read_import(file), str(file))
    with Store.open(paths.db_path()) as store:
        added, present = store.import_entries(entries)
    entries_word = "entry" if added == 1 else "entries"
    were = "was" if present == 1 else "were"
    output.echo(f"Imported {added} {entries_word} from {file} ({present} {were} already here).")


def register(app: typer.Typer) -> None:
    """Add these commands to the app."""
    app.command("log")(log)
    app.command("stats")(stats)
    app.command("import")(import_log)
