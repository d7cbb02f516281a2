"""The report for a clinician: Markdown for standard output, or one self-contained HTML page.

Both come from the same `Store.report` data and say the same things in the same order.
Every text a person wrote (notes, practice ids, body areas) is cleaned of control
characters and then escaped for the format: Markdown punctuation is backslashed, so a note
cannot become a link or an image that a viewer fetches; HTML is entity-escaped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from quietwork import __version__, tally, verdicts
from quietwork.config import DEFAULT_STOP_AT
from quietwork.display.common import counted, leaning, rated_of
from quietwork.display.svg import Series, line_chart
from quietwork.localtime import shown, zone_over
from quietwork.text import clean, listed

NOT_THERAPY = ("quietwork is not therapy or medical care; this is a personal record, not a "
               "measurement or a diagnosis.")
HOW_COUNTED = (
    "Distress is the person's own rating, 0 = calm, 10 = overwhelmed. Every session counts. "
    "A session's change runs from its before rating to the last rating it got (the after "
    "rating, or the rating that stopped it): below zero, distress came down. Sessions "
    "without both ratings are counted but not rated. The settle offered after a stop has "
    "no before rating of its own: its change runs from the last rating before it (of the "
    "practice it followed) to the rating at its end. A verdict needs at least "
    f"{tally.MIN_RATED} rated sessions and rests on most of them. A rating at or above the "
    f"one the person set to stop a practice ({DEFAULT_STOP_AT} unless they changed it) stops "
    "the practice; given before it, the practice does not start."
)
PRACTICE_COLUMNS = (
    "practice", "sessions", "completed", "stopped by choice", "stopped by a rating",
    "interrupted", "rated", "came down", "stayed", "went up", "median change", "mean change",
)
MEANS_OVER = (" The means are over each day's rated sessions (a before and a later "
              "rating); where that is not all of them, the rated column says how many were.")
NOTICED_LEAD = (
    "Which way the person's state leaned and where in the body they felt it, as they marked "
    "them at a practice's check-ins (asked with each rating), and what the person noticed at "
    "the end. A full check-in asks these, a rating alone does not; a leaning given when "
    "choosing a practice is shown with the before rating. These are the person's own "
    "observations, not a measure of what a practice does."
)
NOTICED_HEADERS = ("when", "practice", "check-in", "leaning", "body", "noticed")
BEFORE_COLOR, AFTER_COLOR, CHECKIN_COLOR = "#b8860b", "#1f6f8b", "#777777"


def privacy_note(data: Mapping[str, Any], *, notes: bool) -> str:
    """What the report holds, and how to share it."""
    holds = ("practices, distress ratings, how each session ended, what the person marked "
             "in practices (leaning, body, noticed) and check-ins outside practices")
    holds += ", and the notes written with them" if notes else " (no notes: add --notes)"
    return (f"Private. This report holds one person's own quietwork log from "
            f"{data['first_day']} to {data['last_day']}: {holds}. Share it only through a "
            "channel the person trusts, such as in person or a clinician's secure portal.")


def zone(data: Mapping[str, Any]) -> str:
    """The local zone the times are shown in, right for every day of the report."""
    return zone_over(date.fromisoformat(data["first_day"]), date.fromisoformat(data["last_day"]))


def day_table(days: Sequence[Mapping[str, Any]]) -> tuple[list[str], list[list[str]]]:
    """The per-day numbers as headers and rows: the means, how many sessions were rated
    (when some day's were not all), the check-ins outside practices and their mean."""
    partly = any(rated_of(d) for d in days)
    headers = ["date", "mean before", "mean last rating", *(["rated"] if partly else []),
               "check-ins", "mean check-in"]
    rows = [[d["date"], _num(d["mean_before"]), _num(d["mean_after"]),
             *([rated_of(d, always=True)] if partly else []), str(d["checkins"] or ""),
             "" if not d["checkins"] else _num(d.get("mean_checkin"))] for d in days]
    return headers, rows


def _row_cells(row: Mapping[str, Any]) -> list[str]:
    return [
        row["practice"], str(row["sessions"]), str(row["completed"]),
        str(row["stopped_by_choice"]), str(row["stopped_by_rating"]), str(row["interrupted"]),
        str(row["rated"]), str(row["came_down"]), str(row["stayed"]), str(row["went_up"]),
        _signed(row.get("median_change")), _signed(row.get("mean_change")),
    ]


def _signed(value: float | None) -> str:
    return "–" if value is None else f"{value:+.1f}"


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _lines(data: Mapping[str, Any]) -> list[str]:
    return [verdicts.summary_line(row, verdicts.PERSON) for row in data["practices"]]


def _checkin_cells(checkin: Mapping[str, Any], *, notes: bool) -> list[str]:
    cells = [
        shown(checkin["at"]),
        "" if checkin.get("distress") is None else str(checkin["distress"]),
        leaning(checkin.get("state")),
        ", ".join(checkin.get("body") or []),
    ]
    return [*cells, checkin.get("note") or ""] if notes else cells


def _noticed_cells(found: Mapping[str, Any]) -> list[str]:
    return [shown(found["at"]), found["practice"], found["phase"], leaning(found["state"]),
            ", ".join(found["body"]), ", ".join(found["noticed"])]


def _note_cells(note: Mapping[str, Any]) -> list[str]:
    return [shown(note["at"]), note["practice"], note["phase"], note["note"]]


def _window(data: Mapping[str, Any]) -> list[str]:
    first, last = date.fromisoformat(data["first_day"]), date.fromisoformat(data["last_day"])
    return [(first + timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]


def day_notes(days: Sequence[Mapping[str, Any]]) -> list[str]:
    """A line for each day whose means leave sessions out: how many were rated, and the
    sessions that never started because the before rating was at or above the rating set
    to stop a practice."""
    lines = []
    for day in days:
        of, after = rated_of(day), day.get("after_stop")
        if not of and not after:
            continue
        sessions = day["sessions"]
        line = f"{day['date']}: {of or 'all'} {'session' if sessions == 1 else 'sessions'} rated"
        if after:
            line += (f" ({after} {'a settle' if after == 1 else 'settles'} after a stop, "
                     f"{tally.FROM_STOP})")
        if came := day.get("before_stop_ratings"):
            at = listed([str(rating) for rating in came])
            line += (f"; {counted(len(came), 'session')} did not start: the before rating was "
                     f"{at}, at or above {verdicts.PERSON.threshold}")
        lines.append(line + ".")
    return lines


# Markdown


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>!|~])")


def md(text: str) -> str:
    """Person-written text as inert Markdown on one line."""
    return _MD_SPECIAL.sub(r"\\\1", clean(text, single_line=True))


def _md_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(md(cell) for cell in row) + " |" for row in rows]
    return lines


def _bar(value: float | None) -> str:
    filled = 0 if value is None else round(min(max(value, 0), 10))
    return "█" * filled + "░" * (10 - filled)


def markdown(data: Mapping[str, Any], *, notes: bool) -> str:
    """The report as Markdown."""
    out = [f"# quietwork report, {data['first_day']} to {data['last_day']}", "",
           f"> **{privacy_note(data, notes=notes)}**", "",
           f"{HOW_COUNTED} Times are local, {zone(data)}.", "", "## Practices", ""]
    if data["practices"]:
        out += _md_table(PRACTICE_COLUMNS, [_row_cells(row) for row in data["practices"]])
        out += ["", *(f"- {md(line)}" for line in _lines(data))]
    else:
        out.append("No practice sessions in these days.")
    out += ["", "## Distress over time", ""]
    days = [d for d in data["days"] if d["sessions"] or d["checkins"]]
    if days:
        # As in `stats`: when some session of a day was not rated, each day says how many
        # were, so that a mean over one session is not read as the whole day.
        partly = any(rated_of(d) for d in days)
        rated = [rated_of(d, always=True) if partly else "" for d in days]
        width = max(len("rated"), *map(len, rated)) if partly else 0
        rated_head = f"{'rated':<{width}}  " if partly else ""
        out += ["Mean rating per day: before a practice, the last rating of it, and check-ins "
                "outside practices." + (MEANS_OVER if partly else ""), "", "```text",
                f"{'date':<10}  {'before':<15}  {'last':<15}  {rated_head}check-ins"]
        for d, of in zip(days, rated, strict=True):
            cell = f"{of:<{width}}  " if partly else ""
            out.append(f"{d['date']}  {_bar(d['mean_before'])} {_num(d['mean_before']):>4}  "
                       f"{_bar(d['mean_after'])} {_num(d['mean_after']):>4}  "
                       f"{cell}{d['checkins'] or ''}{_mean_note(d)}".rstrip())
        out.append("```")
        if notes_ := day_notes(days):
            out += ["", *(f"- {line}" for line in notes_)]
    else:
        out.append("No ratings in these days.")
    out += ["", "## Check-ins in practices", ""]
    if data.get("noticed"):
        out += [NOTICED_LEAD, "", *_md_table(NOTICED_HEADERS,
                                           [_noticed_cells(n) for n in data["noticed"]])]
    else:
        out.append("None marked in these days.")
    out += ["", "## Check-ins outside practices", ""]
    if data["standalone"]:
        headers = ["when", "distress", "leaning", "body", *(["note"] if notes else [])]
        out += _md_table(headers, [_checkin_cells(c, notes=notes) for c in data["standalone"]])
    else:
        out.append("None in these days.")
    if notes:
        out += ["", "## Notes written in practices", ""]
        if data["notes"]:
            out += _md_table(["when", "practice", "check-in", "note"],
                             [_note_cells(n) for n in data["notes"]])
        else:
            out.append("None in these days.")
    out += ["", "---", "", f"Made with quietwork {__version__}. {NOT_THERAPY}"]
    return "\n".join(out) + "\n"


def _mean_note(day: Mapping[str, Any]) -> str:
    mean = day.get("mean_checkin")
    return "" if not day["checkins"] or mean is None else f" (mean {mean:.1f})"


# HTML


_STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; color: #1a1a1a; max-width: 60rem;
       margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
.privacy { border: 2px solid #555; padding: .6rem .9rem; border-radius: 6px;
           background: #f3f3f3; }
table { border-collapse: collapse; margin: .5rem 0; font-size: .85rem; }
th, td { border: 1px solid #bbb; padding: .2rem .4rem; text-align: right; }
th:first-child, td:first-child, td.text { text-align: left; }
svg.chart { max-width: 100%; height: auto; border: 1px solid #ddd; }
footer { margin-top: 2rem; font-size: .85rem; color: #444; }
@media print { body { margin: 0; max-width: none; } .privacy { background: none; }
  table, svg { page-break-inside: avoid; } }
"""

# Nothing on the page may load anything: no script, no fetch, only inline styles and SVG.
_CSP = "default-src 'none'; style-src 'unsafe-inline'"


def h(text: str) -> str:
    """Person-written text as inert HTML."""
    return html.escape(clean(text), quote=True)


def _html_table(headers: Sequence[str], rows: Sequence[Sequence[str]],
                text_columns: Sequence[int] = ()) -> list[str]:
    out = ["<table>", "<tr>" + "".join(f"<th>{h(x)}</th>" for x in headers) + "</tr>"]
    for row in rows:
        cells = "".join(
            f'<td class="text">{h(cell)}</td>' if i in text_columns else f"<td>{h(cell)}</td>"
            for i, cell in enumerate(row)
        )
        out.append(f"<tr>{cells}</tr>")
    out.append("</table>")
    return out


def chart(data: Mapping[str, Any]) -> str:
    """Distress before and after (the last rating) by day, and check-ins, as inline SVG."""
    by_day = {d["date"]: d for d in data["days"]}
    labels = _window(data)

    def values(key: str) -> list[float | None]:
        return [by_day[day][key] if day in by_day else None for day in labels]

    return line_chart(
        [Series("before", values("mean_before"), BEFORE_COLOR),
         Series("last rating", values("mean_after"), AFTER_COLOR),
         Series("check-ins", values("mean_checkin"), CHECKIN_COLOR, dashed=True)],
        [label[5:] for label in labels],
        title=f"Mean distress by day, {data['first_day']} to {data['last_day']} (0 to 10)",
    )


def page(data: Mapping[str, Any], *, notes: bool) -> str:
    """The report as one self-contained HTML page."""
    title = f"quietwork report, {data['first_day']} to {data['last_day']}"
    out = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{h(title)}</title>", f"<style>{_STYLE}</style>", "</head>", "<body>",
        f"<h1>{h(title)}</h1>",
        f'<p class="privacy"><strong>{h(privacy_note(data, notes=notes))}</strong></p>',
        f"<p>{h(HOW_COUNTED)} Times are local, {h(zone(data))}.</p>", "<h2>Practices</h2>",
    ]
    if data["practices"]:
        out += _html_table(PRACTICE_COLUMNS, [_row_cells(r) for r in data["practices"]])
        out += ["<ul>", *(f"<li>{h(line)}</li>" for line in _lines(data)), "</ul>"]
    else:
        out.append("<p>No practice sessions in these days.</p>")
    out += ["<h2>Distress over time</h2>", chart(data)]
    if days := [d for d in data["days"] if d["sessions"] or d["checkins"]]:
        # The numbers the chart draws, for a printed page (the chart's own are on hover).
        out += _html_table(*day_table(days))
    if notes_ := day_notes(data["days"]):
        out += ["<p>The means are over each day's rated sessions (a before and a later "
                "rating). Days where not all were rated, or a settle after a stop counted "
                "from the last rating before it:</p>", "<ul>",
                *(f"<li>{h(line)}</li>" for line in notes_), "</ul>"]
    out.append("<h2>Check-ins in practices</h2>")
    if data.get("noticed"):
        out += [f"<p>{h(NOTICED_LEAD)}</p>",
                *_html_table(NOTICED_HEADERS, [_noticed_cells(n) for n in data["noticed"]],
                             text_columns=range(6))]
    else:
        out.append("<p>None marked in these days.</p>")
    out.append("<h2>Check-ins outside practices</h2>")
    if data["standalone"]:
        headers = ["when", "distress", "leaning", "body", *(["note"] if notes else [])]
        out += _html_table(headers, [_checkin_cells(c, notes=notes) for c in data["standalone"]],
                           text_columns=(0, 2, 3, 4))
    else:
        out.append("<p>None in these days.</p>")
    if notes:
        out.append("<h2>Notes written in practices</h2>")
        if data["notes"]:
            out += _html_table(["when", "practice", "check-in", "note"],
                               [_note_cells(n) for n in data["notes"]], text_columns=(0, 1, 2, 3))
        else:
            out.append("<p>None in these days.</p>")
    out += [f"<footer>Made with quietwork {h(__version__)}. {h(NOT_THERAPY)}</footer>",
            "</body>", "</html>"]
    return "\n".join(out) + "\n"
