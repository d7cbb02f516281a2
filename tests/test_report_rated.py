"""The report's day chart says how many sessions its means rest on, and names the
practices that never started because the before rating was at or above the stop-at."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from histories import CLI, bring_in, hours_ago, session, words

SHORT_GROUND = """\
title: Grounding, one short step
summary: One step, so that a test runs it whole.
steps:
  - say: Look around the room.
    seconds: 1
"""


def came_in_high_twice_then_a_session(cli: CLI, home: Path) -> None:
    """`practice ground` rated 9 twice (it never starts), then one ground 3 → 2 (a user
    file in place of the built-in, one second long)."""
    for _ in range(2):
        result = cli("practice", "ground", "--plain", input="9\nn\n")
        assert result.exit_code == 0, result.output
        assert "Stopping here." in result.stdout
    (home / "practices").mkdir(parents=True, exist_ok=True)
    (home / "practices" / "ground.yaml").write_text(SHORT_GROUND, encoding="utf-8")
    result = cli("practice", "ground", "--plain", "--speed", "100", input="3\n2\n")
    assert result.exit_code == 0, result.output


def day_line(markdown: str) -> str:
    (line,) = [line for line in markdown.splitlines()
               if line.startswith(date.today().isoformat())]
    return line


def test_the_day_chart_says_how_many_sessions_were_rated(cli: CLI, quietwork_home: Path) -> None:
    came_in_high_twice_then_a_session(cli, quietwork_home)
    report = cli("report")
    assert report.exit_code == 0, report.output
    header = next(line for line in report.stdout.splitlines() if line.startswith("date "))
    assert "rated" in header
    line = day_line(report.stdout)
    assert "3.0" in line and "2.0" in line and "1 of 3" in line
    assert header.index("rated") == line.index("1 of 3")  # in its column
    stats = cli("stats").stdout
    assert "1 of 3" in stats  # the same figure as stats


def test_before_ratings_at_the_threshold_are_named_apart_from_stops_in_a_practice(
    cli: CLI, quietwork_home: Path
) -> None:
    came_in_high_twice_then_a_session(cli, quietwork_home)
    text = words(cli("report").stdout)
    assert "reached 9" not in text
    assert ("ground: 1 rated session (3 in all) so far — too few to say what it does for the "
            "person yet; came in at 9 twice, at or above the rating set to stop a practice, "
            "and did not start.") in text
    assert (f"{date.today().isoformat()}: 1 of 3 sessions rated; 2 sessions did not start: "
            "the before rating was 9 and 9, at or above the rating set to stop a practice.") \
        in text
    assert "came in at 9 twice" in words(cli("stats").stdout)
    (row,) = json.loads(cli("stats", "--json").stdout)["practices"]
    assert row["stop_ratings"] == [9, 9] and row["before_stop_ratings"] == [9, 9]
    (day,) = json.loads(cli("stats", "--json").stdout)["days"]
    assert (day["sessions"], day["rated"], day["before_stop_ratings"]) == (3, 1, [9, 9])


def test_the_html_page_says_it_too(cli: CLI, tmp_path: Path, quietwork_home: Path) -> None:
    came_in_high_twice_then_a_session(cli, quietwork_home)
    page = tmp_path / "report.html"
    assert cli("report", "--html", str(page)).exit_code == 0
    text = words(page.read_text(encoding="utf-8"))
    assert f"<li>{date.today().isoformat()}: 1 of 3 sessions rated; 2 sessions did not " \
        "start: the before rating was 9 and 9, at or above the rating set to stop a " \
        "practice.</li>" in text
    assert ("came in at 9 twice, at or above the rating set to stop a practice, and did not "
            "start") in text
    assert "reached 9" not in text


def test_a_stop_during_the_practice_is_still_a_stop_when_it_reached_the_rating(
    cli: CLI, tmp_path: Path
) -> None:
    bring_in(cli, tmp_path, [
        session("box", hours_ago(3), [("before", 9)], status="stopped",
                stop_reason="overwhelm"),
        session("box", hours_ago(2), [("before", 4), ("mid", 8)], status="stopped",
                stop_reason="overwhelm"),
    ])
    text = words(cli("report").stdout)
    assert ("box: 1 rated session (2 in all) so far — too few to say what it does for the "
            "person yet; came in at 9 once, at or above the rating set to stop a practice, "
            "and did not start; stopped once when it reached 8, at or above the rating set "
            "to stop a practice.") in text


def test_a_report_whose_sessions_are_all_rated_has_no_rated_column(
    cli: CLI, tmp_path: Path
) -> None:
    bring_in(cli, tmp_path, [session("box", hours_ago(2), [("before", 4), ("after", 2)])])
    report = cli("report").stdout
    header = next(line for line in report.splitlines() if line.startswith("date "))
    assert "rated" not in header and "sessions rated" not in report


def test_the_html_lead_in_fits_a_day_with_all_sessions_rated_and_a_settle_after_a_stop(
    cli: CLI, tmp_path: Path
) -> None:
    started = hours_ago(2)
    bring_in(cli, tmp_path, [
        session("box", started, [("before", 4), ("mid", 9)], status="stopped",
                stop_reason="overwhelm"),
        session("settle", started + timedelta(minutes=4), [("after", 5)]),
    ])
    page = tmp_path / "report.html"
    assert cli("report", "--html", str(page)).exit_code == 0
    text = words(page.read_text(encoding="utf-8"))
    assert "all sessions rated (1 a settle after a stop" in text
    assert "not all of them" not in text
    assert "Days where not all were rated, or a settle after a stop counted" in text
