"""The log table and the stats view."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.bar import Bar
from rich.table import Table
from rich.text import Text

from quietwork.display.common import console, safe

ARROW = "→"


def _when(stamp: str | None) -> str:
    return stamp[:16].replace("T", " ") if stamp else ""


def _rating(checkins: Sequence[Mapping[str, Any]], phase: str) -> int | None:
    for checkin in checkins:
        if checkin.get("phase") == phase and checkin.get("distress") is not None:
            return int(checkin["distress"])
    return None


def _last_mid(checkins: Sequence[Mapping[str, Any]]) -> int | None:
    mids = [c["distress"] for c in checkins if c.get("phase") == "mid" and c.get("distress")
            is not None]
    return int(mids[-1]) if mids else None


def log_table(entries: Sequence[Mapping[str, Any]], *, filtered: bool = False) -> None:
    """Sessions and check-ins, newest first."""
    out = console()
    if not entries:
        out.print("No entries match." if filtered else
                  "Nothing logged yet. Try `quietwork practice ground` or `quietwork checkin`.")
        return
    table = Table(box=None, pad_edge=False, show_edge=False)
    for header in ("when", "what", "status", "distress", "note"):
        table.add_column(header, no_wrap=header in ("when", "distress"))
    for entry in entries:
        if entry["kind"] == "session":
            checkins = entry.get("checkins", [])
            before, after = _rating(checkins, "before"), _rating(checkins, "after")
            mid = _last_mid(checkins)
            if after is None and mid is not None:
                after = mid  # the mid rating a practice stopped at says more than none
            distress = " ".join(
                part for part in (
                    "" if before is None else str(before),
                    ARROW if before is not None and after is not None else "",
                    "" if after is None else str(after),
                ) if part
            )
            if after is not None and after == mid and _rating(checkins, "after") is None:
                distress += " (mid)"
            if not distress and any(
                c.get("phase") in ("before", "mid", "after") and c.get("distress") is None
                for c in checkins
            ):
                distress = "skipped"  # asked, and the person let it go by (Enter)
            status = entry["status"]
            if entry.get("stop_reason"):
                status += f" ({entry['stop_reason']})"
            notes = [c.get("note") for c in checkins if c.get("note")]
            table.add_row(_when(entry["started_at"]), safe(entry["practice"]), status, distress,
                          safe("; ".join(notes)))
        else:
            detail = ", ".join(
                [entry["state"].replace("_", " ")] if entry.get("state") else []
            )
            body = ", ".join(entry.get("body") or [])
            what = "check-in" + (f" ({detail})" if detail else "")
            note = "; ".join(part for part in (body, entry.get("note") or "") if part)
            distress = "" if entry.get("distress") is None else str(entry["distress"])
            table.add_row(_when(entry["at"]), what, "", distress, safe(note))
    out.print(table)


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def stats_view(data: Mapping[str, Any], *, days: int) -> None:
    """Per practice, what helped; then distress by day as bars."""
    out = console()
    practices = data.get("practices", [])
    day_rows = data.get("days", [])
    if not practices and not day_rows:
        out.print(f"Nothing logged in the last {days} days yet. When you are ready, try "
                  "`quietwork practice ground`, or note how you are with `quietwork checkin`.")
        return
    if practices:
        table = Table(title=f"Practices, last {days} days", box=None, title_justify="left",
                      pad_edge=False, show_edge=False)
        for header in ("practice", "sessions", "completed", "stopped", "interrupted",
                       "before", "after", "change"):
            table.add_column(header, justify="left" if header == "practice" else "right")
        for row in practices:
            change = row.get("mean_change")
            table.add_row(
                safe(row["practice"]), str(row["sessions"]), str(row["completed"]),
                str(row["stopped"]), str(row["interrupted"]), _num(row.get("mean_before")),
                _num(row.get("mean_after")),
                "–" if change is None else f"{change:+.1f}",
            )
        out.print(table)
        out.print()
        for line in insights(practices):
            out.print(Text(line))
    if day_rows:
        out.print()
        chart = Table(title="Distress by day (0 = calm, 10 = overwhelmed)", box=None,
                      title_justify="left", pad_edge=False, show_edge=False)
        chart.add_column("date", no_wrap=True)
        chart.add_column("before", width=12)
        chart.add_column("", justify="right")
        chart.add_column("after", width=12)
        chart.add_column("", justify="right")
        chart.add_column("check-ins", justify="right")
        for row in day_rows:
            before, after = row.get("mean_before"), row.get("mean_after")
            chart.add_row(
                row["date"],
                Bar(10, 0, before or 0, width=12, color="yellow"), _num(before),
                Bar(10, 0, after or 0, width=12, color="cyan"), _num(after),
                _checkins(row),
            )
        out.print(chart)
    overall = data.get("checkins") or {}
    if overall.get("count"):
        out.print()
        out.print(f"Check-ins outside practices: {overall['count']}, mean distress "
                  f"{_num(overall.get('mean_distress'))}.")


def _checkins(row: Mapping[str, Any]) -> str:
    count = row.get("checkins") or 0
    if not count:
        return ""
    return f"{count} (mean {_num(row.get('mean_checkin'))})"


def insights(practices: Sequence[Mapping[str, Any]]) -> list[str]:
    """Plain words on what helped and what did not, with no scores or streaks."""
    lines = []
    helped = [p for p in practices if (p.get("mean_change") or 0) < 0]
    if helped:
        best = min(helped, key=lambda p: p["mean_change"])
        lines.append(
            f"{best['practice']}: distress came down by {-best['mean_change']:.1f} on average"
            f" ({best['rated']} rated session{'s' if best['rated'] != 1 else ''})."
        )
    for row in practices:
        if (row.get("mean_change") or 0) > 0:
            lines.append(
                f"{row['practice']}: distress rose on average, {row['rose']} of {row['rated']}"
                " times — other practices may suit you better."
            )
    return lines
