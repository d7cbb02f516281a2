"""`practice --no-log` writes nothing: no session, no check-ins, not even the log file."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from histories import CLI, bring_in, hours_ago, session

NOT_SAVED = "Not saved (--no-log)."


def db(home: Path) -> Path:
    return home / "quietwork.db"


def files(home: Path) -> dict[str, str]:
    """Every file under the home but the caches (rebuilt at will), with a digest of it."""
    return {str(p.relative_to(home)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(home.rglob("*"))
            if p.is_file() and p.relative_to(home).parts[0] != "cache"}


def test_a_run_writes_nothing_and_the_log_is_not_created(
    cli: CLI, quietwork_home: Path
) -> None:
    result = cli("practice", "exhale", "--speed", "100", "--no-log", input="5\n3\n")
    assert result.exit_code == 0, result.output
    assert "Distress 5 → 3" in result.stdout
    assert result.stdout.rstrip().endswith(NOT_SAVED)
    assert "saved" not in result.output.replace(NOT_SAVED, "")
    assert not db(quietwork_home).exists()
    assert json.loads(cli("log", "--json").stdout) == []


def test_an_existing_log_is_left_exactly_as_it_was(cli: CLI, quietwork_home: Path,
                                                    tmp_path: Path) -> None:
    bring_in(cli, tmp_path, [session("ground", hours_ago(2), [("before", 6), ("after", 3)])])
    entries = cli("log", "--json").stdout
    before = files(quietwork_home)
    assert "quietwork.db" in before
    result = cli("practice", "exhale", "--speed", "100", "--no-log", input="5\n3\n")
    assert result.exit_code == 0, result.output
    assert files(quietwork_home) == before  # not a byte changed, no file added
    assert cli("log", "--json").stdout == entries


def test_the_settle_after_a_stop_is_not_logged_either(
    cli: CLI, quietwork_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIETWORK_SPEED", "100")  # the settle's pace too
    # 9 stops before the practice starts; y takes the settle; the last line answers (or
    # skips) a rating at settle's end, where there is one.
    result = cli("practice", "exhale", "--no-log", input="9\ny\n\n")
    assert result.exit_code == 0, result.output
    assert "Stopping here." in result.stdout
    assert "That was a minute of settling." in result.stdout
    assert result.stdout.rstrip().endswith(NOT_SAVED)
    assert result.stdout.count(NOT_SAVED) == 1
    assert not db(quietwork_home).exists()
    assert json.loads(cli("log", "--json").stdout) == []


def test_input_that_ends_says_nothing_was_saved(cli: CLI, quietwork_home: Path) -> None:
    result = cli("practice", "exhale", "--speed", "100", "--no-log", input="5\n")
    assert result.exit_code == 1
    assert "not saved (--no-log)" in result.stderr
    assert "saved as interrupted" not in result.output
    assert not db(quietwork_home).exists()


def test_without_the_flag_the_same_run_is_logged(cli: CLI, quietwork_home: Path) -> None:
    result = cli("practice", "exhale", "--speed", "100", input="5\n3\n")
    assert result.exit_code == 0, result.output
    assert NOT_SAVED not in result.output
    [entry] = json.loads(cli("log", "--json").stdout)
    assert [(c["phase"], c["distress"]) for c in entry["checkins"]] == [
        ("before", 5), ("after", 3)]
