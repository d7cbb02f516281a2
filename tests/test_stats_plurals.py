"""`stats` on a narrow terminal words its counts with the right plural."""

from __future__ import annotations

from pathlib import Path

import pytest

from histories import CLI, bring_in, hours_ago, session, words


def test_one_session_is_one_session_not_1_sessions(
    cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bring_in(cli, tmp_path, [
        session("box", hours_ago(0.1), [("before", 9)], status="stopped",
                stop_reason="overwhelm"),
    ])
    monkeypatch.setenv("COLUMNS", "50")  # the one-line-per-practice layout
    shown = words(cli("stats").stdout)
    assert "box: 1 session, 0 completed" in shown
    assert "0 of 1 session rated" in shown
    assert "1 sessions" not in shown


def test_several_sessions_keep_their_plural(
    cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bring_in(cli, tmp_path, [
        session("box", hours_ago(0.1), [("before", 9)], status="stopped",
                stop_reason="overwhelm"),
        session("box", hours_ago(0.1), [("before", 4), ("after", 2)]),
    ])
    monkeypatch.setenv("COLUMNS", "50")
    shown = words(cli("stats").stdout)
    assert "box: 2 sessions, 1 completed" in shown and "1 of 2 sessions rated" in shown


def test_one_day_is_one_day_not_1_days(
    cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "last 1 day " in words(cli("stats", "--days", "1").stdout) + " "  # nothing yet
    bring_in(cli, tmp_path, [session("box", hours_ago(0.1), [("before", 4), ("after", 2)])])
    for columns in ("50", "100"):  # the sentences and the table
        monkeypatch.setenv("COLUMNS", columns)
        shown = words(cli("stats", "--days", "1").stdout)
        assert "Practices, last 1 day." in shown and "1 days" not in shown, shown
