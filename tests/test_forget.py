"""`quietwork forget`: what it will delete, a question on a terminal, and nothing left readable."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from histories import CLI, bring_in, checkin, hours_ago, session
from quietwork import paths
from quietwork.store import Store

SECRET = "purple-elephant-under-the-stairs"


def a_history(cli: CLI, tmp_path: Path) -> None:
    bring_in(cli, tmp_path, [
        session("ground", hours_ago(50), [("before", 6), ("after", 3)], note=SECRET),
        session("box", hours_ago(40), [("before", 4), ("mid", 9)], status="stopped",
                stop_reason="overwhelm"),
        checkin(hours_ago(30), 4, note=SECRET + " again"),
    ])


def logged(cli: CLI) -> list[dict[str, Any]]:
    result = cli("log", "--json")
    assert result.exit_code == 0, result.output
    entries: list[dict[str, Any]] = json.loads(result.stdout)
    return entries


def test_without_a_terminal_it_needs_yes(cli: CLI, tmp_path: Path) -> None:
    a_history(cli, tmp_path)
    result = cli("forget", "--all")
    assert result.exit_code == 2 and "--yes" in result.stderr
    assert len(logged(cli)) == 3


@pytest.mark.parametrize("args", [(), ("--all", "--before", "2026-01-01"), ("--before", "May")])
def test_it_needs_one_of_all_or_a_date(cli: CLI, args: tuple[str, ...]) -> None:
    result = cli("forget", "--yes", *args)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "--all" in result.stderr or "--before" in result.stderr


def test_all_says_what_it_deletes_and_keeps_the_anchors(cli: CLI, tmp_path: Path) -> None:
    a_history(cli, tmp_path)
    assert cli("anchors", "--set0", "soft belly").exit_code == 0
    result = cli("forget", "--all", "--yes")
    assert result.exit_code == 0, result.output
    assert "This deletes 2 sessions (with 4 check-ins) and 1 check-in outside practices" \
        in result.stdout
    assert "Deleted 2 sessions and 5 check-ins." in result.stdout
    assert logged(cli) == []
    with Store.open(paths.db_path()) as store:
        assert store.anchors() == {0: "soft belly"}
    again = cli("forget", "--all", "--yes")
    assert again.exit_code == 0 and "Nothing to forget" in again.stdout


def test_before_is_a_local_date(
    cli: CLI, tmp_path: Path, local_zone: Callable[[str], None]
) -> None:
    local_zone("Asia/Tokyo")  # midnight on 2 November is 15:00 UTC on 1 November
    bring_in(cli, tmp_path, [
        session("ground", datetime.fromisoformat("2026-11-01T14:59:00+00:00"), [("before", 5)]),
        session("exhale", datetime.fromisoformat("2026-11-01T15:00:00+00:00"), [("before", 5)]),
        checkin(datetime.fromisoformat("2026-11-01T14:00:00+00:00"), 3),
        checkin(datetime.fromisoformat("2026-11-01T16:00:00+00:00"), 4),
    ])
    result = cli("forget", "--before", "2026-11-02", "--yes")
    assert result.exit_code == 0, result.output
    assert "1 session (with 1 check-in) and 1 check-in outside practices" in result.stdout
    kept = logged(cli)
    assert [e.get("practice", e.get("distress")) for e in kept] == [4, "exhale"]


def test_nothing_deleted_stays_readable_in_the_file_or_its_wal(cli: CLI, tmp_path: Path) -> None:
    a_history(cli, tmp_path)
    db = paths.db_path()
    wal = db.with_name(db.name + "-wal")

    def raw() -> bytes:
        return db.read_bytes() + (wal.read_bytes() if wal.exists() else b"")

    # Another quietwork holds the log open, so the WAL stays beside the file.
    with Store.open(db) as other:
        other.entries()
        assert SECRET.encode() in raw()  # the check can see it while it is there
        result = cli("forget", "--before", "2099-01-01", "--yes")
        assert result.exit_code == 0, result.output
        assert SECRET.encode() not in raw()
        assert other.entries() == []


def test_on_a_terminal_it_asks_and_no_keeps_everything(cli: CLI, tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    a_history(cli, tmp_path)

    def spawn() -> Any:
        env = dict(os.environ, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm-256color")
        return pexpect.spawn(sys.executable, ["-m", "quietwork", "forget", "--all"], env=env,
                             encoding="utf-8", timeout=15, dimensions=(40, 120))

    child = spawn()
    child.expect_exact("This deletes 2 sessions")
    child.expect_exact("Delete them?")
    child.send("n")
    child.expect_exact("Nothing deleted.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0 and len(logged(cli)) == 3

    child = spawn()
    child.expect_exact("Delete them?")
    child.send("y")
    child.expect_exact("Deleted 2 sessions and 5 check-ins.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0 and logged(cli) == []


@pytest.mark.parametrize(("key", "code"), [("\x1b", 0), ("s", 0), ("\r", 0), ("\x03", 130),
                                           ("\x04", 1)])
def test_every_way_out_of_the_question_keeps_everything(
    cli: CLI, tmp_path: Path, key: str, code: int
) -> None:
    pexpect = pytest.importorskip("pexpect")
    a_history(cli, tmp_path)
    env = dict(os.environ, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm-256color")
    child = pexpect.spawn(sys.executable, ["-m", "quietwork", "forget", "--all"], env=env,
                          encoding="utf-8", timeout=15, dimensions=(40, 120))
    child.expect_exact("Delete them?")
    child.send(key)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == code, child.before
    assert "Nothing deleted." in (child.before or "")
    assert "bug" not in (child.before or "")
    assert len(logged(cli)) == 3
