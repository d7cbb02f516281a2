"""The way back to calm is never blocked: a broken config or QUIETWORK_SPEED is a warning for
`practice`, `practice settle` and `checkin`, which go on with every value that could be read.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result

CLI = Callable[..., Result]


def write_config(home: Path, text: str) -> Path:
    home.mkdir(exist_ok=True)
    path = home / "config.toml"
    path.write_text(text)
    return path


def test_a_config_typo_then_settle_and_checkin_go_on_with_a_warning(
    cli: CLI, quietwork_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_config(quietwork_home, "stop_at = 6\nspedd = 2\n")
    monkeypatch.setenv("QUIETWORK_SPEED", "50")
    settled = cli("practice", "settle", input="4\n2\n")
    assert settled.exit_code == 0, settled.output
    assert settled.stderr.startswith(f"Warning: {path}:2: spedd: unknown key"), settled.stderr
    assert "did you mean 'speed'?" in settled.stderr
    assert "That's the end" in settled.stdout
    checked = cli("checkin", "--distress", "6")
    assert checked.exit_code == 0, checked.output
    assert checked.stderr.startswith(f"Warning: {path}:2: spedd: unknown key"), checked.stderr
    # stop_at = 6 could be read, and is in force: 6 gets the gentle words.
    assert "That is a lot right now" in checked.stdout
    [session, standalone] = json.loads(cli("log", "--json").stdout)[::-1]
    assert session["status"] == "completed"
    assert [c["distress"] for c in session["checkins"]] == [4, 2]
    assert standalone["distress"] == 6
    # `config` stays strict, and says exactly what is wrong.
    strict = cli("config")
    assert strict.exit_code == 2
    assert strict.stderr.startswith(f"Error: {path}:2: spedd: unknown key")


def test_an_unreadable_stop_at_says_the_threshold_in_force(
    cli: CLI, quietwork_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_config(quietwork_home, 'bell = false\nstop_at = "six"\n')
    monkeypatch.setenv("QUIETWORK_SPEED", "50")
    result = cli("practice", "settle", input="7\n2\n")
    assert result.exit_code == 0, result.output
    assert f"{path}:2: stop_at:" in result.stderr
    assert "A rating of 8 or more stops the practice" in result.stdout
    # With --stop-at the flag is in force and the config's stop_at does not matter.
    flagged = cli("practice", "settle", "--stop-at", "5", input="3\n2\n")
    assert "A rating of" not in flagged.stdout


def test_a_bad_quietwork_speed_is_a_warning_for_settle(
    cli: CLI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIETWORK_SPEED", "abc")
    result = cli("practice", "settle", "--speed", "60", input="3\n2\n")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("Warning: QUIETWORK_SPEED: 'abc' is not a number")
    assert "That's the end" in result.stdout


def test_practice_settle_runs_the_built_in_settle_when_the_persons_own_is_broken(
    cli: CLI, quietwork_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = quietwork_home / "practices"
    folder.mkdir(parents=True)
    broken = folder / "settle.yaml"
    broken.write_text("title: Settle\nsummary: broken\nsteps:\n  - say: x\n    seconds: 0\n")
    monkeypatch.setenv("QUIETWORK_SPEED", "50")
    result = cli("practice", "settle", input="4\n2\n")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"Warning: {broken}:5:"), result.stderr
    assert "using the built-in settle" in result.stderr
    assert "That's the end" in result.stdout
    [session] = json.loads(cli("log", "--json").stdout)
    assert session["practice"] == "settle" and session["status"] == "completed"
    assert [c["distress"] for c in session["checkins"]] == [4, 2]
    # Showing or validating the file stays strict: only the way back falls back.
    assert cli("show", "settle").exit_code == 2


def test_list_shows_the_built_in_settle_when_the_persons_own_is_broken(
    cli: CLI, quietwork_home: Path
) -> None:
    folder = quietwork_home / "practices"
    folder.mkdir(parents=True)
    broken = folder / "settle.yaml"
    broken.write_text("title: My settle\nsteps:\n  - say: [unclosed\n")
    result = cli("list")
    assert result.exit_code == 0, result.output
    assert str(broken) in result.stderr  # the person's file still gets its warning
    (row,) = [line for line in result.stdout.splitlines() if line.startswith("settle ")]
    assert "built-in" in row and "My settle" not in row
    listed = {p["id"]: p for p in json.loads(cli("list", "--json").stdout)}
    assert listed["settle"]["source"] == "built-in"
    assert listed["settle"]["path"] != str(broken)
    # The practices named as known: settle runs, so it is one of them.
    unknown = cli("practice", "nosuch")
    assert unknown.exit_code == 2 and "settle" in unknown.stderr.split("known:")[1]
