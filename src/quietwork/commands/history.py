"""Your history: log, stats, import."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from quietwork import output, paths
from quietwork.commands.options import Days, JsonFlag, WholeNumber, utf8_text
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
            metavar="N",
            click_type=WholeNumber(1),
            help=f"At most this many entries (the table shows {TABLE_LIMIT} unless told).",
            show_default=False,
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="DATE", show_default=False,
                     help="Only entries on or after YYYY-MM-DD (a local date)."),
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
    with Store.open(paths.db_path(), read_only=True) as store:
        if json_ or csv:
            # Streamed from the log to stdout: a long log costs time, not memory.
            import contextlib

            from quietwork import exporting

            # Closed while the log is open, even when the reader goes away mid-way.
            with contextlib.closing(
                store.each_row(limit=limit, since=day, practice=practice, empty_text=csv)
            ) as stream:
                if json_:
                    exporting.write_json_rows(stream, output.write,
                                              ascii_only=not output.stdout_is_utf8())
                else:
                    exporting.write_csv_rows(stream, output.exported())
            return
        entries, after, total = store.page(limit=TABLE_LIMIT if limit is None else limit,
                                           since=day, practice=practice)
    import shlex

    from quietwork.display.history import log_table

    more = shlex.join(["quietwork", "log", *(["--since", since] if since else []),
                       *(["--practice", practice] if practice else []), "--limit", str(total)])
    log_table(entries, filtered=day is not None or practice is not None,
              after=after, total=total, more=more)


def stats(
    *,
    days: Days = 30,
    json_: JsonFlag = False,
) -> None:
    """Show which practices helped you.

    Every session counts. Per practice: sessions, how they ended (completed, stopped by
    choice or by a rating, interrupted), and the change from the before rating to the
    last rating (the after rating, or the one that stopped it): median and mean, and how
    many came down, stayed or went up. Then distress by local day.

    \b
    Examples:
      quietwork stats
      quietwork stats --days 90
      quietwork stats --json
    """
    from quietwork.store import Store

    with Store.open(paths.db_path(), read_only=True) as store:
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
    from quietwork.importing import open_import, read_import
    from quietwork.merging import ImportConflict
    from quietwork.store import Store

    try:
        # Read as it is merged: the store stages every entry before the log changes.
        with open_import(file) as handle, Store.open(paths.db_path()) as store:
            added, present = store.import_entries(read_import(handle, str(file)))
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{file}: cannot be read: {exc}") from None
    except ImportConflict as conflict:
        conflict.message = f"{file}: {conflict.message}"
        raise
    entries_word = "entry" if added == 1 else "entries"
    were = "was" if present == 1 else "were"
    output.say(f"Imported {added} {entries_word} from {file} ({present} {were} already here).")


def forget(
    *,
    all_: Annotated[
        bool, typer.Option("--all", help="Delete every session and check-in.")
    ] = False,
    before: Annotated[
        str | None,
        typer.Option("--before", metavar="DATE",
                     help="Delete what came before YYYY-MM-DD (a local date).",
                     show_default=False),
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", help="Do not ask (needed without a terminal).")
    ] = False,
) -> None:
    """Delete your log, or what came before a date, for good.

    Says what it will delete and asks first. Sessions and check-ins are deleted in one
    go, and the database file is rewritten so that nothing deleted can be read back from
    it. Your anchors, config and support plan stay.

    \b
    Examples:
      quietwork forget --before 2026-01-01
      quietwork forget --all
      quietwork forget --all --yes        (without a terminal)
    """
    from quietwork import localtime
    from quietwork.display.common import counted
    from quietwork.run.terminal import terminal_available
    from quietwork.store import Store

    if all_ == (before is not None):
        raise UsageError("forget: give --all or --before DATE (one of them)")
    day = _parse_date(before, "--before")
    key = None if day is None else localtime.midnight_key(day)
    asking = not yes
    if asking and not terminal_available():
        raise UsageError("forget: not at a terminal, so it cannot ask; add --yes to delete "
                         "without asking")
    with Store.open(paths.db_path()) as store:
        sessions, nested, standalone = store.forget_counts(key)
        which = "in your log" if day is None else f"from before {day.isoformat()}"
        if not (sessions or standalone):
            output.say(f"Nothing to forget: no sessions or check-ins {which}.")
            return
        output.say(f"This deletes {counted(sessions, 'session')} (with "
                   f"{counted(nested, 'check-in')}) and {counted(standalone, 'check-in')} "
                   f"outside practices, {which}. It cannot be undone.")
        if asking and not _confirmed():
            output.echo("Nothing deleted.")
            return
        complete = store.forget(key)
    output.echo(f"Deleted {counted(sessions, 'session')} and "
                f"{counted(nested + standalone, 'check-in')}.")
    if not complete:
        output.warn("another quietwork has the log open: what was deleted leaves the file "
                    "once it closes")


def _confirmed() -> bool:
    """Ask on the terminal; s, Esc and Enter keep everything, Ctrl-C and Ctrl-D too."""
    from quietwork.run.ports import StopRequested
    from quietwork.run.prompts import TerminalPrompter

    try:
        return TerminalPrompter().confirm("Delete them?", default=False)
    except StopRequested:
        return False
    except KeyboardInterrupt:
        output.note("Nothing deleted.")
        raise
    except EOFError:
        output.note("Nothing deleted.")
        raise typer.Abort() from None


def register(app: typer.Typer) -> None:
    """Add these commands to the app."""
    app.command("log")(log)
    app.command("stats")(stats)
    app.command("import")(import_log)
    app.command("forget")(forget)
