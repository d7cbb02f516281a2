"""Reliability: every numeric flag out of range or of the wrong type, QUIETWORK_SPEED nonsense,
and broken config files: exit 2, the flag or key named, one line (and a hint), no traceback,
nothing run and nothing logged. The way back to calm (`practice`, `checkin`) is never
blocked: there a broken config or QUIETWORK_SPEED is a warning naming it, and it goes on.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result

CLI = Callable[..., Result]
HUGE = "9" * 20  # more than SQLite's (and a C long's) integers hold

BAD_FLAGS = [
    *[("practice", "exhale", "--speed", value) for value in
      ("0", "-1", "101", "nan", "inf", "-inf", "1e400", "abc", "", "1,5")],
    *[("practice", "exhale", "--stop-at", value) for value in
      ("0", "11", "-1", "x", "1.5", HUGE, "")],
    *[("practice", "exhale", "--minutes", value) for value in
      ("0", "-1", "121", "nan", "inf", "1e400", "long", "")],
    *[("checkin", "--distress", value) for value in ("-1", "11", "x", "1.5", HUGE, "", "nan")],
    *[("log", "--limit", value) for value in ("0", "-1", "x", "1.5", "")],
    *[("stats", "--days", value) for value in ("0", "-1", "3651", "x", "1.5", HUGE, "")],
    ("log", "--since", "yesterday"),
    ("log", "--since", "2026-13-01"),
]


def only_an_error(result: Result, named: str) -> None:
    """Exit 2; one `Error:` line naming it, at most one hint line; nothing on stdout."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith("Error: ") and named in lines[0], lines
    assert len(lines) <= 2, lines
    assert all(line.startswith("  ") for line in lines[1:]), lines


@pytest.mark.parametrize("args", BAD_FLAGS, ids=[" ".join(a) for a in BAD_FLAGS])
def test_a_bad_number_is_a_usage_error_naming_the_flag(cli: CLI, args: tuple[str, ...]) -> None:
    flag = next(arg for arg in args if arg.startswith("--"))
    only_an_error(cli(*args), flag)
    assert json.loads(cli("log", "--json").stdout) == []  # nothing ran, nothing logged


def test_a_limit_beyond_any_log_shows_all_of_it(cli: CLI) -> None:
    assert cli("checkin", "--distress", "3").exit_code == 0
    shown = cli("log", "--json", "--limit", HUGE)
    assert shown.exit_code == 0, shown.output
    assert [entry["distress"] for entry in json.loads(shown.stdout)] == [3]


@pytest.mark.parametrize(
    "value", ["abc", "0", "-1", "nan", "inf", "-inf", "1e400", "101", "0x10", "2 x"]
)
def test_quietwork_speed_nonsense_is_a_warning_and_the_practice_goes_on(
    cli: CLI, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("QUIETWORK_SPEED", value)
    result = cli("practice", "exhale", input="s\n")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("Warning: QUIETWORK_SPEED: "), result.stderr
    assert "Traceback" not in result.output
    assert "How intense is it right now?" in result.stdout
    assert "Stopping here." in result.stdout


def test_a_blank_quietwork_speed_is_not_set(cli: CLI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIETWORK_SPEED", "  ")
    shown = cli("config", "--json")
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["settings"]["speed"] == {"value": 1.0, "from": "default"}


BROKEN_CONFIGS = {
    "not toml": ("stop_at = \n", ":1:11: invalid TOML"),
    "unclosed string": ('support_message = "call Sam\n', ":1:"),
    "duplicate key": ("stop_at = 5\nstop_at = 6\n", ":2:"),
    "a string for a number": ('stop_at = "5"\n', ":1: stop_at:"),
    "stop_at above 10": ("stop_at = 11\n", ":1: stop_at:"),
    "stop_at 0": ("speed = 2\nstop_at = 0\n", ":2: stop_at:"),
    "a huge stop_at": (f"stop_at = {HUGE}\n", ":1: stop_at:"),
    "speed nan": ("speed = nan\n", ":1: speed:"),
    "speed inf": ("speed = inf\n", ":1: speed:"),
    "speed negative": ("speed = -1.0\n", ":1: speed: -1 is out of range"),
    "bell yes": ('bell = "yes"\n', ":1: bell:"),
    "dirs not a list": ('practice_dirs = "mine"\n', ":1: practice_dirs:"),
    "a table": ("[stop_at]\nx = 1\n", ":1: stop_at:"),
    "unknown key": ("stop_at = 5\ncolour = 'blue'\n", ":2: colour: unknown key"),
    "misspelt key": ("stopat = 5\n", ":1: stopat: unknown key; did you mean 'stop_at'?"),
    "not utf-8": (b"support_message = '\xff'\n",
                  ":1:20: cannot be read: not UTF-8 text (byte 0xff)"),
}


def write_broken(quietwork_home: Path, case: str) -> Path:
    text, _ = BROKEN_CONFIGS[case]
    quietwork_home.mkdir()
    config = quietwork_home / "config.toml"
    if isinstance(text, bytes):
        config.write_bytes(text)
    else:
        config.write_text(text)
    return config


@pytest.mark.parametrize("case", list(BROKEN_CONFIGS), ids=list(BROKEN_CONFIGS))
@pytest.mark.parametrize("command", [("config",), ("list",)])
def test_a_broken_config_names_the_file_and_line(
    cli: CLI, quietwork_home: Path, case: str, command: tuple[str, ...]
) -> None:
    config = write_broken(quietwork_home, case)
    only_an_error(cli(*command), f"{config}{BROKEN_CONFIGS[case][1]}")
    assert json.loads(cli("log", "--json").stdout) == []


@pytest.mark.parametrize("case", list(BROKEN_CONFIGS), ids=list(BROKEN_CONFIGS))
def test_a_broken_config_is_a_warning_naming_it_on_the_way_back(
    cli: CLI, quietwork_home: Path, case: str
) -> None:
    config = write_broken(quietwork_home, case)
    where = f"{config}{BROKEN_CONFIGS[case][1]}"
    checked = cli("checkin", "--distress", "3")
    assert checked.exit_code == 0, checked.output
    assert checked.stderr.startswith(f"Warning: {where}"), checked.stderr
    assert "Logged: distress 3." in checked.stdout
    practised = cli("practice", "exhale", input="s\n")
    assert practised.exit_code == 0, practised.output
    assert practised.stderr.startswith(f"Warning: {where}"), practised.stderr
    assert "Traceback" not in practised.output + checked.output
    assert "Stopping here." in practised.stdout
    assert [entry["kind"] for entry in json.loads(cli("log", "--json").stdout)] == [
        "session", "checkin"]


@pytest.mark.parametrize("what", ["a folder", "a dangling link"])
def test_a_config_that_is_not_a_file_is_not_silently_ignored(
    cli: CLI, quietwork_home: Path, what: str
) -> None:
    # A stop_at the person set must never quietly fall back to the default.
    quietwork_home.mkdir()
    config = quietwork_home / "config.toml"
    if what == "a folder":
        config.mkdir()
    else:
        config.symlink_to(quietwork_home / "dotfiles" / "config.toml")
    only_an_error(cli("config"), f"{config}: cannot be read")
    # On the way back it is said, and the threshold in force with it: never quiet.
    result = cli("practice", "exhale", input="s\n")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"Warning: {config}: cannot be read"), result.stderr
    assert "A rating of 8 or more stops the practice" in result.stdout
