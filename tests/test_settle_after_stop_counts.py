"""The settle after a stop counts in `stats` and `report` as the chooser counts it: from the
last rating of the practice before it to the rating at the end of settle (docs/using.md)."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest

from histories import CLI, bring_in, hours_ago, session, words


def stopped_then_settled(cli: CLI, monkeypatch: pytest.MonkeyPatch, times: int) -> None:
    """As a person would: a before rating of 9 stops exhale, settle runs, it ends at 4."""
    monkeypatch.setenv("QUIETWORK_SPEED", "100")
    for _ in range(times):
        result = cli("practice", "exhale", input="9\ny\n4\n")
        assert result.exit_code == 0, result.output


def test_stats_counts_the_settle_from_the_stopping_rating_to_its_end(
    cli: CLI, monkeypatch: pytest.MonkeyPatch
) -> None:
    stopped_then_settled(cli, monkeypatch, 3)
    data = json.loads(cli("stats", "--json").stdout)
    settle = next(row for row in data["practices"] if row["practice"] == "settle")
    assert (settle["rated"], settle["came_down"], settle["mean_before"],
            settle["mean_after"], settle["median_change"], settle["after_stop"]) == (
        3, 3, 9.0, 4.0, -5.0, 3)
    (day,) = data["days"]
    assert (day["sessions"], day["rated"], day["mean_before"], day["mean_after"]) == (
        6, 3, 9.0, 4.0)
    shown = words(cli("stats").stdout)
    assert "settle: came down in 3 of 3 rated sessions" in shown
    assert "3 were after a stop, from the last rating before it to the rating at the end" in shown


def test_report_shows_the_settle_after_a_stop_from_9_to_4(
    cli: CLI, monkeypatch: pytest.MonkeyPatch
) -> None:
    stopped_then_settled(cli, monkeypatch, 3)
    report = cli("report").stdout
    assert "| settle | 3 | 3 | 0 | 0 | 0 | 3 | 3 | 0 | 0 | -5.0 | -5.0 |" in report
    assert "3 of 6 sessions rated (3 settles after a stop" in words(report)
    assert "9.0" in report and "4.0" in report


def test_a_settle_after_a_stop_by_choice_is_not_said_to_count_from_a_stopping_rating(
    cli: CLI, tmp_path: Path
) -> None:
    # Stopped with the stop key: no rating stopped it, its last rating was the before 4.
    started = hours_ago(2)
    bring_in(cli, tmp_path, [
        session("box", started, [("before", 4)], status="stopped", stop_reason="user"),
        session("settle", started + timedelta(minutes=2, seconds=30), [("after", 2)]),
    ])
    assert "4 → 2 (from the stop)" in cli("log").stdout
    for shown in (words(cli("stats").stdout), words(cli("report").stdout)):
        assert "rating that stopped the practice" not in shown
        assert "from the last rating before it to the rating at the end" in shown


def test_a_settle_the_person_chose_or_long_after_is_its_own(cli: CLI, tmp_path: Path) -> None:
    bring_in(cli, tmp_path, [
        session("exhale", hours_ago(5), [("before", 9)], status="stopped",
                stop_reason="overwhelm"),
        session("settle", hours_ago(4), [("after", 3)]),  # an hour later: not the offered one
        session("settle", hours_ago(2), [("before", 6), ("after", 5)]),  # chosen, rated
    ])
    (row,) = [r for r in json.loads(cli("stats", "--json").stdout)["practices"]
              if r["practice"] == "settle"]
    assert (row["rated"], row["after_stop"], row["mean_before"]) == (1, 0, 6.0)


def test_a_settle_without_a_before_rating_after_a_completed_practice_follows_it(
    cli: CLI, tmp_path: Path
) -> None:
    # The settle offered after a practice whose after rating was at or above stop-at: it has
    # no before rating of its own (a settle run by itself asks for one), so it counts from
    # that after rating.
    bring_in(cli, tmp_path, [
        session("exhale", hours_ago(2), [("before", 5), ("after", 9)]),
        session("settle", hours_ago(2) + timedelta(minutes=8), [("after", 2)]),
    ])
    (row,) = [r for r in json.loads(cli("stats", "--json").stdout)["practices"]
              if r["practice"] == "settle"]
    assert (row["rated"], row["after_stop"], row["mean_before"]) == (1, 1, 9.0)
    assert "9 → 2 (from the stop)" in cli("log").stdout


def test_a_9_at_the_end_of_track_links_the_settle_offered_to_it(
    cli: CLI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIETWORK_SPEED", "50")
    result = cli("practice", "track", input="3\n9\ny\n2\n")
    assert result.exit_code == 0, result.output
    shown = cli("log").stdout
    assert "3 → 9" in shown and "9 → 2 (from the stop)" in shown
    assert "settle: 1 rated session so far" in words(cli("stats").stdout)


def test_a_settle_just_inside_the_window_follows_a_stop_just_outside(
    cli: CLI, tmp_path: Path
) -> None:
    midnight = datetime.combine(datetime.now().date(), time()).astimezone()
    if datetime.now().astimezone() < midnight + timedelta(minutes=5):
        pytest.skip("the settle would start in the future")
    bring_in(cli, tmp_path, [
        session("exhale", midnight - timedelta(minutes=4), [("before", 8)], status="stopped",
                stop_reason="overwhelm"),
        session("settle", midnight + timedelta(minutes=1), [("after", 5)]),
    ])
    data = json.loads(cli("stats", "--days", "1", "--json").stdout)
    assert [(r["practice"], r["rated"], r["mean_before"], r["mean_after"])
            for r in data["practices"]] == [("settle", 1, 8.0, 5.0)]
