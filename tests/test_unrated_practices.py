"""Every practice with sessions in the window gets its sentence in `stats` and `report`,
even when no session of it has both a before and a later rating (docs/using.md, "How
stats count sessions")."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from histories import CLI, bring_in, hours_ago, session, words
from practices import MID, add_practices


def stopped_at_the_mid_check_in(cli: CLI, home: Path, *befores: int) -> None:
    """`practice sigh` (a short one of the person's, with a mid check-in) rated before,
    then stopped with `s` at the mid check-in: a before rating and none after it."""
    add_practices(home, sigh=MID)
    for before in befores:
        result = cli("practice", "sigh", "--speed", "100", input=f"{before}\ns\nn\n")
        assert result.exit_code == 0, result.output
        assert "Stopping here." in result.stdout


def practice_row(cli: CLI, practice: str) -> dict[str, object]:
    result = cli("stats", "--json")
    assert result.exit_code == 0, result.output
    (row,) = [r for r in json.loads(result.stdout)["practices"] if r["practice"] == practice]
    found: dict[str, object] = row
    return found


@pytest.mark.parametrize("width", [40, 80, 100])
def test_a_practice_stopped_before_any_later_rating_still_gets_its_sentence(
    cli: CLI, quietwork_home: Path, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    stopped_at_the_mid_check_in(cli, quietwork_home, 6, 7)
    monkeypatch.setenv("COLUMNS", str(width))
    stats = cli("stats")
    assert stats.exit_code == 0, stats.output
    assert "sigh: 2 sessions, none with both ratings: came in at 6 and 7." in words(stats.stdout)
    assert all(len(line) <= width for line in stats.stdout.splitlines()), stats.stdout
    report = words(cli("report").stdout)
    assert "- sigh: 2 sessions, none with both ratings: came in at 6 and 7." in report


def test_the_html_report_says_it_too(cli: CLI, quietwork_home: Path, tmp_path: Path) -> None:
    stopped_at_the_mid_check_in(cli, quietwork_home, 6, 6, 7)
    page = tmp_path / "report.html"
    assert cli("report", "--html", str(page)).exit_code == 0
    assert ("<li>sigh: 3 sessions, none with both ratings: came in at 6 twice and 7 "
            "once.</li>") in page.read_text(encoding="utf-8")


def test_stats_json_adds_the_lone_ratings_and_keeps_its_fields(
    cli: CLI, quietwork_home: Path
) -> None:
    stopped_at_the_mid_check_in(cli, quietwork_home, 7, 6)
    row = practice_row(cli, "sigh")
    assert {key: row[key] for key in ("practice", "sessions", "completed", "stopped",
                                      "interrupted", "mean_before", "mean_after",
                                      "mean_change")} == {
        "practice": "sigh", "sessions": 2, "completed": 0, "stopped": 2, "interrupted": 0,
        "mean_before": None, "mean_after": None, "mean_change": None}
    assert (row["before_only_ratings"], row["last_only_ratings"], row["no_ratings"]) == (
        [6, 7], [], 0)


def test_a_lone_later_rating_and_no_rating_at_all_are_said(
    cli: CLI, tmp_path: Path, local_zone: Callable[[str], None]
) -> None:
    local_zone("America/Los_Angeles")
    skipped_before = session("box", hours_ago(9), [("before", 0), ("after", 3)])
    skipped_before["checkins"][0]["distress"] = None  # Enter alone at the before rating
    bring_in(cli, tmp_path, [
        skipped_before,
        session("ground", hours_ago(8)),  # --no-checkin
        session("ground", hours_ago(7), status="stopped", stop_reason="user"),
        session("track", hours_ago(6), [("before", 5)], status="interrupted"),
        session("track", hours_ago(5), [("mid", 2)], status="stopped", stop_reason="user"),
        session("track", hours_ago(4)),
    ])
    stats = words(cli("stats").stdout)
    report = words(cli("report").stdout)
    for said in ("box: 1 session, without both ratings: ended at 3.",
                 "ground: 2 sessions, none with a rating.",
                 "track: 3 sessions, none with both ratings: came in at 5, ended at 2 and 1 "
                 "had no rating."):
        assert said in stats
        assert f"- {said}" in report
    assert (practice_row(cli, "track")["before_only_ratings"],
            practice_row(cli, "track")["last_only_ratings"],
            practice_row(cli, "track")["no_ratings"]) == ([5], [2], 1)


def test_a_practice_that_never_started_says_how_many_sessions_not_zero_rated(
    cli: CLI, tmp_path: Path
) -> None:
    # The settle after the stop got no closing rating: counted, with nothing to count from.
    bring_in(cli, tmp_path, [
        session("exhale", hours_ago(3), [("before", 9)], status="stopped",
                stop_reason="overwhelm"),
        session("settle", hours_ago(3) + timedelta(minutes=3), status="interrupted"),
    ])
    stats = words(cli("stats").stdout)
    assert ("exhale: 1 session, without both ratings; came in at 9 once, at or above your "
            "stop-at, and did not start.") in stats
    assert "settle: 1 session, without a rating." in stats
    assert "0 rated sessions" not in stats
    report = words(cli("report").stdout)
    assert ("exhale: 1 session, without both ratings; came in at 9 once, at or above the "
            "rating set to stop a practice, and did not start.") in report
    # The stop is named with what the rating did, not again as a lone before rating.
    assert practice_row(cli, "exhale")["before_only_ratings"] == []

