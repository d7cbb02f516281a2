"""What `log` says in each row: which rating a lone one was, and a check-in's body areas
apart from its note (docs/using.md, "The log")."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from histories import CLI, bring_in, checkin, hours_ago, session


def rows(cli: CLI, width: int, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv("COLUMNS", str(width))
    result = cli("log")
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def line_with(lines: list[str], *parts: str) -> str:
    found = [line for line in lines if all(part in line for part in parts)]
    assert found, (parts, lines)
    return found[0]


@pytest.mark.parametrize("width", [80, 120])
def test_a_lone_rating_says_whether_it_was_before_or_after(
    cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    skipped_before = session("exhale", hours_ago(9), [("before", 0), ("after", 3)])
    skipped_before["checkins"][0]["distress"] = None
    bring_in(cli, tmp_path, [
        skipped_before,
        session("exhale", hours_ago(7), [("before", 5)], status="interrupted"),
        session("settle", hours_ago(5), [("after", 6)]),  # chosen long after anything
        session("box", hours_ago(3), [("before", 4), ("mid", 9)], status="stopped",
                stop_reason="overwhelm"),
        session("sigh", hours_ago(1), [("before", 9)], status="stopped",
                stop_reason="overwhelm"),
    ])
    lines = rows(cli, width, monkeypatch)
    assert "– → 3" in line_with(lines, "exhale", "completed")
    assert "5 → –" in line_with(lines, "exhale", "interrupted")
    assert "– → 6" in line_with(lines, "settle", "completed")
    assert "4 → 9 (mid)" in line_with(lines, "box", "stopped")
    # The before rating at or above the stop-at: the practice never began, as `stats` says.
    assert "9 → – (did not start)" in line_with(lines, "sigh", "stopped")
    for started in ("interrupted", "box"):
        assert "did not start" not in line_with(lines, started)


def test_the_settle_after_a_stop_reads_from_the_stopping_rating(
    cli: CLI, tmp_path: Path
) -> None:
    bring_in(cli, tmp_path, [
        session("exhale", hours_ago(2), [("before", 9)], status="stopped",
                stop_reason="overwhelm"),
        session("settle", hours_ago(2) + timedelta(minutes=3),
                [("after", 4)]),
    ])
    lines = cli("log").stdout.splitlines()
    assert "9 → 4 (from the stop)" in line_with(lines, "settle")
    assert "9 → – (did not start)" in line_with(lines, "exhale")
    # The stop just past the last row shown is still what that row is read against.
    (row,) = [line for line in cli("log", "--limit", "1").stdout.splitlines()
              if "settle" in line]
    assert "9 → 4 (from the stop)" in row


@pytest.mark.parametrize("width", [80, 120])
def test_a_check_ins_body_areas_are_labelled_apart_from_its_note(
    cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    bring_in(cli, tmp_path, [
        checkin(hours_ago(2), 4, state="activated", body=["chest"], note='=HYPERLINK("x")'),
        checkin(hours_ago(1), 3, body=["throat"]),
    ])
    shown = " ".join("\n".join(rows(cli, width, monkeypatch)).split())
    assert 'body: chest; note: =HYPERLINK("x")' in shown
    assert "body: throat" in shown
    assert "chest; =HYPERLINK" not in shown


def test_the_table_says_when_it_shows_only_the_newest_entries(cli: CLI, tmp_path: Path) -> None:
    bring_in(cli, tmp_path, [checkin(hours_ago(60 - i), i % 10) for i in range(60)])
    lines = cli("log").stdout.splitlines()
    assert len(lines) == 1 + 50 + 1  # the header, the newest 50, and what was left out
    assert " ".join(lines[-1].split()) == (
        "50 of 60 entries shown, the newest; `quietwork log --limit 60` shows them all.")
    assert "of 60 entries shown" not in cli("log", "--limit", "60").stdout
    assert len(json.loads(cli("log", "--json").stdout)) == 60
    assert "entries shown" not in cli("log", "--limit", "5", "--json").stdout
    assert "entries shown" not in cli("log", "--limit", "5", "--csv").stdout
    assert "5 of 60 entries shown" in cli("log", "--limit", "5").stdout
