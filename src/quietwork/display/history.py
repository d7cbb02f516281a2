"""The log table and the stats view."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

from rich.bar import Bar
from rich.console import Console
from rich.table import Table
from rich.text import Text

from quietwork import tally, verdicts
from quietwork.display.common import console, counted, leaning, paragraph, rated_of, safe
from quietwork.localtime import shown

ARROW = "→"


NONE = "–"


def session_distress(entry: Mapping[str, Any], from_stop: tally.Ratings | None = None) -> str:
    """`6 → 3`; `5 → 9 (mid)` when a mid rating was the last; `5 → –` with no later rating,
    `– → 3` with no before rating; `skipped` when every rating asked was skipped (Enter);
    `9 → – (did not start)` when the before rating stopped it (`tally.did_not_start`).

    `from_stop`: the ratings of the settle after a stop (`tally.after_stop`), from the last
    rating of the practice before it: `9 → 4 (from the stop)`, as `stats` counts it.
    """
    own = tally.entry_ratings(entry)
    shown_ratings = own if from_stop is None or from_stop.before is None else from_stop
    before, last, last_phase = shown_ratings
    if before is None and last is None:
        asked = any(c.get("phase") in ("before", "mid", "after") and c.get("distress") is None
                    for c in entry.get("checkins", []))
        return "skipped" if asked else ""  # asked, and the person let it go by (Enter)
    text = " ".join([NONE if before is None else str(before), ARROW,
                     NONE if last is None else str(last)])
    if last is not None and last_phase == "mid":
        text += " (mid)"
    if before != own.before:
        text += " (from the stop)"
    if tally.did_not_start(entry.get("status", ""), entry.get("stop_reason"), shown_ratings):
        text += " (did not start)"
    return text


def log_table(entries: Sequence[Mapping[str, Any]], *, filtered: bool = False,
              after: Mapping[str, Any] | None = None, total: int | None = None,
              more: str = "") -> None:
    """Sessions and check-ins, newest first, in local time; when `total` is more than are
    shown, a last line says so and how to see the rest (`more`, a command). `after`: the
    entry after the last one shown, which that one is read against. To a file or a pipe,
    UTF-8 whatever the locale, as `log --csv` (the person's notes as written)."""
    out = console(kept=True)
    if not entries:
        paragraph(out, "No entries match." if filtered else
                  "Nothing logged yet. Try `quietwork practice ground` or `quietwork checkin`.")
        return
    table = Table(box=None, pad_edge=False, show_edge=False)
    for header in ("when", "what", "status", "distress", "note"):
        table.add_column(header, no_wrap=header in ("when", "distress"))
    rows = log_rows(entries, after)
    for when, what, status, distress, note in rows:
        table.add_row(when, safe(what), status, distress, safe(note))
    if fits(out, table, fixed=4):
        out.print(table)
    else:
        _log_lines(out, rows)
    if total is not None and total > len(entries):
        paragraph(out, f"{len(entries)} of {total} entries shown, the newest; `{more}` "
                  "shows them all.")


def _log_lines(out: Console, rows: Sequence[tuple[str, str, str, str, str]]) -> None:
    # Narrower than the table: rich cut what and status to "…". Each entry as its line,
    # the note (wrapped at words) under it.
    from rich.padding import Padding

    for when, what, status, distress, note in rows:
        said = ", ".join([what, *([status] if status else []),
                          *([f"distress {distress}"] if distress else [])])
        out.print(Text(f"{when}  ") + safe(said))
        if note:
            out.print(Padding(safe(note), (0, 0, 0, 2)))


def log_rows(
    entries: Sequence[Mapping[str, Any]], after: Mapping[str, Any] | None = None
) -> list[tuple[str, str, str, str, str]]:
    """Each entry's when, what, status, distress and note, as the log shows them."""
    rows = []
    for entry, from_stop in zip(entries, _after_stops([*entries, *([after] if after else [])]),
                                strict=False):
        if entry["kind"] == "session":
            checkins = entry.get("checkins", [])
            status = entry["status"]
            if entry.get("stop_reason"):
                status += f" ({entry['stop_reason']})"
            rows.append((shown(entry["started_at"]), entry["practice"], status,
                         session_distress(entry, from_stop), _session_note(checkins)))
        else:
            detail = leaning(entry.get("state"))
            body = ", ".join(entry.get("body") or [])
            what = "check-in" + (f" ({detail})" if detail else "")
            # Labelled: "chest" beside a note read as part of what the person wrote.
            note = entry.get("note") or ""
            if body:
                note = f"body: {body}" + (f"; note: {note}" if note else "")
            distress = "" if entry.get("distress") is None else str(entry["distress"])
            rows.append((shown(entry["at"]), what, "", distress, note))
    return rows


def _session_note(checkins: Sequence[Mapping[str, Any]]) -> str:
    """A session's answers, each labelled apart from the notes the person wrote: which way
    each check-in leaned and where in the body, as a check-in outside a practice shows them,
    what was noticed (the words a full check-in asks after a practice), then the notes:
    `before (activated), body: chest; after (settled); noticed: sigh; note: lighter`."""
    # A track step's answers belong to a body area, not to the check-in's questions.
    asked = [c for c in checkins if c.get("phase") != "track"]
    said = [answer for c in asked if (answer := _leaned(c))]
    noticed = list(dict.fromkeys(word for c in asked for word in c.get("noticed") or ()))
    if noticed:
        said.append(f"noticed: {', '.join(noticed)}")
    notes = "; ".join(c["note"] for c in checkins if c.get("note"))
    if notes:
        said.append(f"note: {notes}" if said else notes)
    return "; ".join(said)


def _leaned(checkin: Mapping[str, Any]) -> str:
    """`before (activated), body: chest, jaw`; `mid, body: belly`; '' with neither."""
    state, body = leaning(checkin.get("state")), ", ".join(checkin.get("body") or ())
    if not state and not body:
        return ""
    said = checkin["phase"] + (f" ({state})" if state else "")
    return f"{said}, body: {body}" if body else said


def _after_stops(entries: Sequence[Mapping[str, Any]]) -> list[tally.Ratings | None]:
    """For each entry (newest first, as the log lists them), the ratings it counts with when
    it is the settle after a stop of the session listed under it; None otherwise."""
    sessions = [(i, tally.timed(e)) for i, e in enumerate(entries) if e["kind"] == "session"]
    found: list[tally.Ratings | None] = [None] * len(entries)
    for (i, session), (_, previous) in itertools.pairwise(sessions):
        found[i] = tally.after_stop(session, previous)
    return found


def num(value: float | None) -> str:
    """A mean to one decimal, or a dash."""
    return "–" if value is None else f"{value:.1f}"


def signed(value: float | None) -> str:
    """A change with its sign, or a dash."""
    return "–" if value is None else f"{value:+.1f}"


PRACTICE_HEADERS = ("practice", "sessions", "completed", "stopped", "interrupted",
                    "down/same/up", "median", "mean")


def practice_cells(row: Mapping[str, Any]) -> list[str]:
    """One practice's counts as table cells."""
    return [
        row["practice"], str(row["sessions"]), str(row["completed"]),
        f"{row['stopped_by_choice']}/{row['stopped_by_rating']}", str(row["interrupted"]),
        f"{row['came_down']}/{row['stayed']}/{row['went_up']}",
        signed(row.get("median_change")), signed(row.get("mean_change")),
    ]


def stats_view(data: Mapping[str, Any], *, days: int) -> None:
    """Per practice, what helped; then distress by day as bars."""
    out = console()
    practices = data.get("practices", [])
    day_rows = data.get("days", [])
    if not practices and not day_rows:
        paragraph(out, f"Nothing logged in the last {counted(days, 'day')} yet. When you are "
                  "ready, try `quietwork practice ground`, or note how you are with "
                  "`quietwork checkin`.")
        return
    if practices:
        table = Table(title=f"Practices, last {counted(days, 'day')}. Stopped: by you/by a "
                      "rating. Change: last rating − before.",
                      box=None, title_justify="left", pad_edge=False, show_edge=False)
        for header in PRACTICE_HEADERS:
            table.add_column(header, justify="left" if header == "practice" else "right")
        for row in practices:
            first, *rest = practice_cells(row)
            table.add_row(safe(first), *rest)
        if fits(out, table):
            out.print(table)
        else:  # cut to fit, every cell was "gro…" and "+0…": the same as sentences
            out.print(Text(f"Practices, last {counted(days, 'day')}. "
                           "Change: last rating − before."))
            for row in practices:
                out.print(safe(practice_sentence(row)))
        out.print()
        for line in insights(practices):
            paragraph(out, line)
    if day_rows:
        out.print()
        chart = Table(title="Distress by day (0 = calm, 10 = overwhelmed)", box=None,
                      title_justify="left", pad_edge=False, show_edge=False)
        chart.add_column("date", no_wrap=True)
        chart.add_column("before", width=12)
        chart.add_column("", justify="right")
        chart.add_column("last", width=12)
        chart.add_column("", justify="right")
        # The means are over the day's rated sessions (a before and a later rating): when
        # some session was not, each day says how many were, so "–" is not read as "none".
        partly = any(rated_of(row) for row in day_rows)
        if partly:
            chart.add_column("rated", justify="right")
        chart.add_column("check-ins", justify="right")
        for row in day_rows:
            before, after = row.get("mean_before"), row.get("mean_after")
            chart.add_row(
                row["date"],
                Bar(10, 0, before or 0, width=12, color="yellow"), num(before),
                Bar(10, 0, after or 0, width=12, color="cyan"), num(after),
                *([rated_of(row, always=True)] if partly else []),
                _checkins(row),
            )
        if fits(out, chart):
            out.print(chart)
        else:  # rich would drop the numbers' columns first: the numbers, without bars
            out.print(Text("Distress by day (0 = calm, 10 = overwhelmed)"))
            for row in day_rows:
                checkins = _checkins(row)
                rated = rated_of(row)
                out.print(Text(f"{row['date']}: before {num(row.get('mean_before'))}, last "
                               f"{num(row.get('mean_after'))}"
                               + (f", {rated} {_sessions(row)} rated" if rated else "")
                               + (f", check-ins {checkins}" if checkins else "")))
    overall = data.get("checkins") or {}
    if overall.get("count"):
        out.print()
        out.print(Text(f"Check-ins outside practices: {overall['count']}, mean distress "
                       f"{num(overall.get('mean_distress'))}."))


def fits(out: Console, table: Table, *, fixed: int | None = None) -> bool:
    """Whether `table` fits the console's width without a cell cut short.

    `fixed`: only the first `fixed` columns must fit whole; the rest may wrap at words.
    """
    from rich.measure import Measurement

    unbounded = out.options.update(max_width=10_000)  # Measurement clamps to the width
    if fixed is None:
        return Measurement.get(out, unbounded, table).maximum <= out.width
    widths = [max((Measurement.get(out, unbounded, cell).maximum for cell in column.cells),
                  default=0) for column in table.columns]
    widths = [max(width, len(str(column.header)))
              for width, column in zip(widths, table.columns, strict=True)]
    return sum(widths[:fixed]) + 2 * fixed + 10 <= out.width  # the note keeps 10 columns


def practice_sentence(row: Mapping[str, Any]) -> str:
    """One practice's row of the stats table as a sentence, for a narrow terminal."""
    return (f"{row['practice']}: {counted(row['sessions'], 'session')}, "
            f"{row['completed']} completed, "
            f"stopped {row['stopped_by_choice']} by you and {row['stopped_by_rating']} by a "
            f"rating, {row['interrupted']} interrupted; down/same/up {row['came_down']}/"
            f"{row['stayed']}/{row['went_up']}; change median "
            f"{signed(row.get('median_change'))}, mean {signed(row.get('mean_change'))}.")


def _sessions(row: Mapping[str, Any]) -> str:
    """`session` or `sessions`, after a day's "1 of 3"."""
    return "session" if row.get("sessions") == 1 else "sessions"


def _checkins(row: Mapping[str, Any]) -> str:
    count = row.get("checkins") or 0
    if not count:
        return ""
    return f"{count} (mean {num(row.get('mean_checkin'))})"


def insights(practices: Sequence[Mapping[str, Any]]) -> list[str]:
    """Plain words on what each practice did, with no scores or streaks."""
    return [verdicts.summary_line(row) for row in practices]
