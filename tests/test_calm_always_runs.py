"""The way back to calm always runs: an unusable log or a broken config never blocks it.

A log that cannot be used (not a quietwork database, or written by a newer version) is
never written to: `practice` (settle too) and `checkin` go on, say so in one warning, and
keep the run in an `unsaved-*.json` beside the log that `quietwork import` takes once the
log is fixed; they end with exit 1, as a log locked to the end does. The reading commands
keep refusing.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import Result

CLI = Callable[..., Result]

SHORT = """\
title: Short
summary: For the log tests.
steps:
  - say: Look around the room.
    seconds: 0.05
  - checkin: How is it now?
"""


def _not_a_database(db: Path) -> None:
    db.write_text("garbage\n")


def _newer(db: Path) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA user_version = 99")
    conn.close()


UNUSABLE = {
    "not a database": (_not_a_database, "is not a quietwork database"),
    "newer": (_newer, "was written by a newer version of quietwork"),
}


@pytest.fixture(params=list(UNUSABLE))
def unusable(request: pytest.FixtureRequest, cli: CLI, quietwork_home: Path) -> str:
    """A log that cannot be used (after one check-in, for the newer one); what is wrong."""
    spoil, wrong = UNUSABLE[request.param]
    folder = quietwork_home / "practices"
    folder.mkdir(parents=True)
    (folder / "short.yaml").write_text(SHORT)
    if request.param == "newer":
        assert cli("checkin", "--distress", "1").exit_code == 0
    spoil(quietwork_home / "quietwork.db")
    return wrong


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def the_one_warning(result: Result, db: Path, wrong: str) -> Path:
    """One warning naming the log and what is wrong, that the run is not saved, and where
    it is kept; the error at the end names the same file. That file."""
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning: ")]
    assert len(warnings) == 1, result.stderr
    (warning,) = warnings
    assert f"{db} {wrong}" in warning and "not saved to the log" in warning, warning
    (kept,) = db.parent.glob("unsaved-*.json")
    assert str(kept) in warning
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1 and wrong in errors[0], result.stderr
    assert f"quietwork import {kept}" in result.stderr
    assert "Traceback" not in result.output
    return kept


def fix_the_log_and_import(cli: CLI, db: Path, kept: Path) -> list[dict[str, Any]]:
    db.rename(db.with_name("broken.db"))
    imported = cli("import", str(kept))
    assert imported.exit_code == 0, imported.output
    shown = cli("log", "--json")
    assert shown.exit_code == 0, shown.output
    entries: list[dict[str, Any]] = json.loads(shown.stdout)
    return entries


def test_a_practice_runs_on_an_unusable_log_and_keeps_every_answer_beside_it(
    cli: CLI, quietwork_home: Path, unusable: str
) -> None:
    db = quietwork_home / "quietwork.db"
    before = digest(db)
    result = cli("practice", "short", input="5\n4\n3\n")
    assert result.exit_code == 1, result.output  # not in the log: as for a locked log
    assert "Look around the room." in result.stdout and "5 → 3" in result.stdout
    assert "quietwork log" not in result.stdout  # no "Saved. To look back: …"
    kept = the_one_warning(result, db, unusable)
    # The warning comes before the practice: the person knows before giving anything.
    assert digest(db) == before
    assert sorted(p.name for p in quietwork_home.glob("quietwork.db*")) == ["quietwork.db"]
    [session] = [e for e in fix_the_log_and_import(cli, db, kept) if e["kind"] == "session"]
    assert session["status"] == "completed"
    assert [c["distress"] for c in session["checkins"]] == [5, 4, 3]


def test_settle_runs_on_an_unusable_log(
    cli: CLI, quietwork_home: Path, unusable: str
) -> None:
    db = quietwork_home / "quietwork.db"
    before = digest(db)
    result = cli("practice", "settle", "--speed", "100", input="7\n6\n")
    assert result.exit_code == 1, result.output
    kept = the_one_warning(result, db, unusable)
    assert digest(db) == before
    [session] = [e for e in fix_the_log_and_import(cli, db, kept) if e["kind"] == "session"]
    assert session["practice"] == "settle"
    assert [c["distress"] for c in session["checkins"]] == [7, 6]


def test_a_stop_and_the_settle_after_it_go_into_one_kept_file(
    cli: CLI, quietwork_home: Path, unusable: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = quietwork_home / "quietwork.db"
    monkeypatch.setenv("QUIETWORK_SPEED", "50")  # the settle after a stop keeps this pace
    result = cli("practice", "short", "--speed", "100", input="9\n\n2\n")
    assert result.exit_code == 1, result.output
    assert "Stopping here." in result.stdout
    kept = the_one_warning(result, db, unusable)
    sessions = [e for e in fix_the_log_and_import(cli, db, kept) if e["kind"] == "session"]
    assert sorted((s["practice"], s["status"]) for s in sessions) == [
        ("settle", "completed"), ("short", "stopped")]


def test_a_checkin_on_an_unusable_log_is_kept_and_gets_the_gentle_words(
    cli: CLI, quietwork_home: Path, unusable: str
) -> None:
    db = quietwork_home / "quietwork.db"
    before = digest(db)
    result = cli("checkin", "--distress", "9", "--note", "after the call")
    assert result.exit_code == 1, result.output
    assert "Kept aside: distress 9, with a note." in result.stdout
    assert "quietwork practice settle" in result.stdout  # the gentle words still come
    kept = the_one_warning(result, db, unusable)
    assert digest(db) == before
    checkins = [e for e in fix_the_log_and_import(cli, db, kept) if e["kind"] == "checkin"]
    assert (checkins[0]["distress"], checkins[0]["note"]) == (9, "after the call")


def test_a_checkin_as_json_on_an_unusable_log_prints_the_entry_it_kept(
    cli: CLI, quietwork_home: Path, unusable: str
) -> None:
    db = quietwork_home / "quietwork.db"
    result = cli("checkin", "--distress", "3", "--json")
    assert result.exit_code == 1, result.output
    shown = json.loads(result.stdout)
    kept = the_one_warning(result, db, unusable)
    assert [e["id"] for e in json.loads(kept.read_text())] == [shown["id"]]


@pytest.mark.parametrize("command", [("log",), ("log", "--json"), ("stats",), ("report",)])
def test_reading_commands_keep_refusing_an_unusable_log(
    cli: CLI, quietwork_home: Path, unusable: str, command: tuple[str, ...]
) -> None:
    db = quietwork_home / "quietwork.db"
    before = digest(db)
    result = cli(*command)
    assert result.exit_code == 1 and result.stdout == "", result.output
    assert result.stderr.startswith(f"Error: {db} {unusable}"), result.stderr
    assert digest(db) == before
    assert not list(quietwork_home.glob("unsaved-*.json"))


# A syntax error anywhere in config.toml keeps every line that can be read on its own


def write_config(home: Path, text: str) -> Path:
    home.mkdir(exist_ok=True)
    config = home / "config.toml"
    config.write_text(text)
    return config


BROKEN_BELOW = {
    "a broken table header": "stop_at = 7\nspeed = 2\nbogus_key = 1\n[oops\n",
    "a duplicate key": "stop_at=7\nspeed = 2\nspeed = 3\n",
    "a broken line between": "stop_at = 7\nbell = = true\nspeed = 2\n",
    "a line that names no key": "stop_at = 7\nspeed = 2\n!!! what\n",
}


@pytest.mark.parametrize("text", list(BROKEN_BELOW.values()), ids=list(BROKEN_BELOW))
def test_a_syntax_error_elsewhere_keeps_the_lowered_stop_at(
    cli: CLI, quietwork_home: Path, text: str
) -> None:
    config = write_config(quietwork_home, text)
    result = cli("practice", "ground", input="7\nn\n")
    assert result.exit_code == 0, result.output
    # The threshold the person lowered is in force: 7 stops before the practice starts.
    assert "Stopping here." in result.stdout
    assert "Step 1 of" not in result.stdout  # the title comes first, the steps never
    assert "could not be read" not in result.stdout
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"Warning: {config}:") and "invalid TOML" in first, first
    assert "stop_at = 7 (line 1)" in first and "speed = 2 (line" in first, first
    [session] = [e for e in cli_log(cli) if e["kind"] == "session"]
    assert (session["status"], session["stop_reason"]) == ("stopped", "overwhelm")
    # config stays strict.
    strict = cli("config")
    assert strict.exit_code == 2 and strict.stderr.startswith(f"Error: {config}:"), strict.output


def test_the_rest_of_a_broken_file_is_named_line_by_line(
    cli: CLI, quietwork_home: Path
) -> None:
    config = write_config(quietwork_home, "stop_at = 7\nspeed = 2\nbogus_key = 1\n[oops\n")
    result = cli("checkin", "--distress", "7")
    assert result.exit_code == 0, result.output
    assert f"Warning: {config}:3: bogus_key: unknown key" in result.stderr
    assert "That is a lot right now." in result.stdout  # 7 is at the person's stop_at


def test_a_stop_at_set_twice_keeps_the_lower(cli: CLI, quietwork_home: Path) -> None:
    config = write_config(quietwork_home, "stop_at = 5\nstop_at = 8\n")
    result = cli("practice", "ground", input="6\nn\n")
    assert result.exit_code == 0, result.output
    assert "Stopping here." in result.stdout
    assert f"Warning: {config}:2: stop_at: set again (first on line 1)" in result.stderr


def test_a_value_over_several_lines_is_kept_and_an_unread_stop_at_is_said(
    cli: CLI, quietwork_home: Path
) -> None:
    write_config(quietwork_home, 'stop_at = = 6\nspeed = 100\npractice_dirs = [\n  "mine",\n]\n')
    (quietwork_home / "mine").mkdir()
    (quietwork_home / "mine" / "short.yaml").write_text(SHORT)
    result = cli("practice", "short", input="6\n5\n4\n")
    assert result.exit_code == 0, result.output  # short comes from the folder on line 3
    assert "A rating of 8 or more stops the practice" in result.stdout
    assert "6 → 4" in result.stdout


def test_config_names_the_line_of_a_table(cli: CLI, quietwork_home: Path) -> None:
    config = write_config(quietwork_home, "stop_at = 7\n[practice]\n")
    result = cli("config")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"Error: {config}:2: practice: unknown key"), result.stderr


def cli_log(cli: CLI) -> list[dict[str, Any]]:
    shown = cli("log", "--json")
    assert shown.exit_code == 0, shown.output
    entries: list[dict[str, Any]] = json.loads(shown.stdout)
    return entries


# A text option under a locale that is not UTF-8


def posix_locale() -> dict[str, str]:
    """A locale that is not UTF-8, with Python's UTF-8 mode and locale coercion off."""
    import os

    base = {key: value for key, value in os.environ.items()
            if key not in ("LANG", "LC_ALL", "LC_CTYPE", "PYTHONIOENCODING", "PYTHONUTF8")}
    return {**base, "LC_ALL": "POSIX", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}


def run_bytes(*args: str | bytes) -> Any:
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "quietwork", *args], capture_output=True,
                          env=posix_locale(), timeout=60, check=False)


def test_utf8_text_options_are_taken_under_a_locale_that_is_not_utf8(cli: CLI) -> None:
    result = run_bytes("checkin", "--distress", "3", "--note", "café".encode(),
                       "--body", "mâchoire".encode())
    assert result.returncode == 0, result.stderr
    [entry] = cli_log(cli)
    assert (entry["distress"], entry["note"], entry["body"]) == (3, "café", ["mâchoire"])


def test_bytes_that_are_not_utf8_are_still_refused_and_nothing_is_logged(cli: CLI) -> None:
    result = run_bytes("checkin", "--distress", "3", "--note", b"caf\xe9")
    assert result.returncode == 2, result.stderr
    assert b"--note" in result.stderr and b"not UTF-8 text (a byte 0xe9)" in result.stderr
    assert cli_log(cli) == []


def test_a_byte_that_is_not_utf8_keeps_the_lowered_stop_at_and_the_support_line(
    cli: CLI, quietwork_home: Path
) -> None:
    # An editor that saved the file as Latin-1: "José" is one byte that is not UTF-8.
    config = write_config(quietwork_home, "")
    config.write_bytes(b'stop_at = 6\nsupport_message = "Call Jos\xe9: 555 0100"\n')
    result = cli("practice", "ground", input="7\nn\n")
    assert result.exit_code == 0, result.output
    assert "Stopping here." in result.stdout  # 7 is at or above the person's 6
    assert "Call Jos" in result.stdout and "555 0100" in result.stdout
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"Warning: {config}:") and "not UTF-8" in first, first
    assert "stop_at = 6 (line 1)" in first, first
    strict = cli("config")  # config stays strict
    assert strict.exit_code == 2 and "not UTF-8" in strict.stderr, strict.output


# However stop_at is written, a threshold the person lowered stays lowered.
MISWRITTEN = {
    "misspelt": "stopat = 6\n",
    "a hyphen": "stop-at = 6\n",
    "a capital": "Stop_at = 6\n",
    "quoted": 'stop_at = "6"\n',
    "a fraction": "stop_at = 6.5\n",
    "a leading zero": "stop_at = 06\n",
    "a comma after": "stop_at = 6,\n",
    "a colon (YAML)": "stop_at: 6\n",
}


@pytest.mark.parametrize("text", list(MISWRITTEN.values()), ids=list(MISWRITTEN))
def test_a_miswritten_stop_at_still_lowers_the_threshold_and_says_so(
    cli: CLI, quietwork_home: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    monkeypatch.setenv("QUIETWORK_SPEED", "100")
    config = write_config(quietwork_home, text)
    result = cli("practice", "exhale", input="6\nn\n")
    assert result.exit_code == 0, result.output
    [warning] = result.stderr.splitlines()  # one warning
    assert warning.startswith(f"Warning: {config}:1") and "stop_at = 6" in warning, warning
    assert "A rating of 6 or more stops the practice" in result.stdout
    assert "Stopping here." in result.stdout and "Step 1 of" not in result.stdout
    checkin = cli("checkin", "--distress", "6")
    assert checkin.exit_code == 0, checkin.output
    assert "Ratings of 6 or more get the gentle words" in checkin.stdout + checkin.stderr


def test_a_miswritten_stop_at_above_the_default_keeps_the_default(
    cli: CLI, quietwork_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIETWORK_SPEED", "100")
    write_config(quietwork_home, "stop_at = 9.5\n")
    result = cli("practice", "exhale", input="8\nn\n")
    assert "A rating of 8 or more stops the practice" in result.stdout
    assert "Stopping here." in result.stdout


def test_a_byte_order_mark_is_no_error(cli: CLI, quietwork_home: Path) -> None:
    # Windows Notepad starts a UTF-8 file with one.
    config = write_config(quietwork_home, "")
    config.write_bytes(b"\xef\xbb\xbfstop_at = 6\n")
    result = cli("checkin", "--distress", "6")
    assert result.exit_code == 0 and result.stderr == "", result.output
    assert "That is a lot right now." in result.stdout
    strict = cli("config")
    assert strict.exit_code == 0 and f"from {config}:1" in strict.stdout, strict.output


def test_input_ending_on_an_unusable_log_says_the_session_is_in_the_kept_file(
    cli: CLI, quietwork_home: Path, unusable: str
) -> None:
    db = quietwork_home / "quietwork.db"
    result = cli("practice", "short", "--speed", "100", input="5\n")  # ends at the mid check-in
    assert result.exit_code == 1, result.output
    (kept,) = db.parent.glob("unsaved-*.json")
    [error] = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert "input ended" in error and f"kept in {kept} as interrupted" in error, error
    assert "saved as interrupted" not in result.stderr
    [session] = [e for e in fix_the_log_and_import(cli, db, kept) if e["kind"] == "session"]
    assert session["status"] == "interrupted"
    assert [c["distress"] for c in session["checkins"]] == [5]


def test_input_ending_where_nothing_can_be_written_says_the_session_is_not_saved(
    cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("QUIETWORK_HOME", str(blocker / "qw"))  # a folder that cannot be made
    result = cli("practice", "settle", "--speed", "100", input="3\n")  # ends at the rating after
    assert result.exit_code == 1, result.output
    [error] = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert "input ended" in error and "not saved" in error, error
    assert "saved as interrupted" not in result.stderr


def test_a_practice_folder_that_loops_in_a_broken_file_never_stops_a_checkin(
    cli: CLI, quietwork_home: Path
) -> None:
    # The broken file's values are resolved as the whole file's are: a folder that loops,
    # or names an unknown user's home, is named by discovery, not raised.
    config = write_config(quietwork_home,
                          'practice_dirs = ["loop", "~nobody-here/p"]\nstop_at = 6\n[oops\n')
    (quietwork_home / "loop").symlink_to("loop")
    result = cli("checkin", "--distress", "6")
    assert result.exit_code == 0, result.output
    assert "That is a lot right now." in result.stdout  # 6 is at the person's stop_at
    assert result.stderr.startswith(f"Warning: {config}:3"), result.stderr
    assert "a bug in quietwork" not in result.stderr
