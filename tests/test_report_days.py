"""The report's numbers per day are on the page, not only in the chart, and its times name
a zone that is right on every day of the report."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from histories import CLI, bring_in, checkin, hours_ago, session


def test_the_html_page_has_the_per_day_numbers_outside_the_chart(
    cli: CLI, tmp_path: Path
) -> None:
    first, second = hours_ago(50), hours_ago(2)
    bring_in(cli, tmp_path, [
        session("ground", first, [("before", 5), ("after", 3)]),
        session("box", second, [("before", 7), ("after", 2)]),
        session("box", second + timedelta(minutes=10), [("before", 9)], status="stopped",
                stop_reason="overwhelm"),
        checkin(second + timedelta(minutes=30), 6),
    ])
    page = tmp_path / "report.html"
    assert cli("report", "--notes", "--html", str(page)).exit_code == 0
    text = re.sub(r"<svg.*?</svg>", "", page.read_text(encoding="utf-8"), flags=re.S)
    cells = [re.findall(r"<td[^>]*>([^<]*)</td>", row)
             for row in re.findall(r"<tr>(.*?)</tr>", text)]
    by_day = {row[0]: row[1:] for row in cells if row and re.fullmatch(r"\d{4}-\d\d-\d\d", row[0])}
    day_one = first.astimezone().date().isoformat()
    day_two = second.astimezone().date().isoformat()
    assert by_day[day_two][:4] == ["7.0", "2.0", "1 of 2", "1"] and by_day[day_two][4] == "6.0"
    if day_one != day_two:
        assert by_day[day_one][:3] == ["5.0", "3.0", "1 of 1"]
    markdown = cli("report").stdout
    assert "7.0" in markdown and "2.0" in markdown  # the same numbers as the Markdown's


def test_the_zone_is_named_so_that_it_is_right_on_every_day(
    cli: CLI, tmp_path: Path, local_zone: Callable[[str], None]
) -> None:
    local_zone("America/Los_Angeles")
    early, late = hours_ago(24 * 80), hours_ago(2)
    bring_in(cli, tmp_path, [session("ground", early, [("before", 5), ("after", 3)]),
                             session("ground", late, [("before", 4), ("after", 2)])])
    (said,) = re.findall(r"Times are local, ([^\n]*)\.", cli("report", "--days", "90").stdout)
    assert said.startswith("America/Los_Angeles")
    for moment in (early, late):  # each entry's own offset, PDT or PST, is named
        local = moment.astimezone()
        offset = local.strftime("%z")
        assert f"{local.strftime('%Z')} (UTC{offset[:3]}:{offset[3:]})" in said


def test_the_report_speaks_of_the_person_and_says_what_stops_a_practice(
    cli: CLI, tmp_path: Path
) -> None:
    bring_in(cli, tmp_path, [
        session("box", hours_ago(9), [("before", 9)], status="stopped", stop_reason="overwhelm"),
        session("box", hours_ago(8), [("before", 4), ("mid", 9)], status="stopped",
                stop_reason="overwhelm"),
        *[session("exhale", hours_ago(7 - i), [("before", 3), ("after", 6)]) for i in range(3)],
        checkin(hours_ago(1), 5, state="activated", body=["chest"]),
    ])
    page = tmp_path / "report.html"
    assert cli("report", "--html", str(page)).exit_code == 0
    for text in (cli("report").stdout, page.read_text(encoding="utf-8")):
        shown = " ".join(text.split())
        assert not re.findall(r"\b(you|your|yours)\b", shown, flags=re.I)
        assert "stop-at" not in shown
        assert "the one the person set to stop a practice (8 unless they changed it)" in shown
        assert "came in at 9 once, at or above the rating set to stop a practice" in shown
        assert "other practices may suit the person better" in shown
