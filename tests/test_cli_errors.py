"""The error boundary: one-line errors, exit codes, no tracebacks, --debug for real bugs."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable

import pytest

from conftest import Result

CLI = Callable[..., Result]


def explode(*args: object, **kwargs: object) -> None:
    raise RuntimeError("kaboom")


def test_an_unexpected_exception_is_one_line_naming_a_bug(
    cli: CLI, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("checkin", "--distress", "3").exit_code == 0  # something is logged
    monkeypatch.setattr("quietwork.catalog.Catalog.summaries", explode)
    result = cli("list")
    assert result.exit_code == 1
    first, hint = result.stderr.splitlines()[:2]
    assert first == "Error: unexpected problem, a bug in quietwork: RuntimeError: kaboom"
    assert "What you logged is kept in" in hint and "quietwork.db" in hint
    assert "--debug" in hint
    assert "Traceback" not in result.output


@pytest.mark.parametrize("args", [("practice", "exhale", "--no-log", "--plain"),
                                  ("practice", "exhale", "--no-log", "--speed", "2")])
def test_a_bug_in_a_practice_with_no_log_never_says_it_was_logged(
    cli: CLI, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    """Begun the quick way or through typer: nothing was written, and the message says so."""
    assert cli("checkin", "--distress", "3").exit_code == 0  # an earlier log is there
    monkeypatch.setattr("quietwork.run.session.practise", explode)
    result = cli(*args)
    assert result.exit_code == 1
    hint = result.stderr.splitlines()[1]
    assert "Nothing of this practice was logged (--no-log)." in hint
    assert "kept in" not in hint and "quietwork.db" not in hint
    monkeypatch.setattr("quietwork.catalog.Catalog.summaries", explode)
    again = cli("list")  # the next command in this process is not told --no-log
    assert "What you logged is kept in" in again.stderr.splitlines()[1]


def test_a_bug_before_anything_is_logged_says_nothing_is_kept(
    cli: CLI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("quietwork.catalog.Catalog.summaries", explode)
    hint = cli("list").stderr.splitlines()[1]
    assert "Nothing has been logged yet." in hint and "quietwork.db" not in hint


@pytest.mark.parametrize("how", ["flag", "env"])
def test_debug_shows_the_traceback(
    cli: CLI, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    monkeypatch.setattr("quietwork.catalog.Catalog.summaries", explode)
    if how == "env":
        monkeypatch.setenv("QUIETWORK_DEBUG", "1")
    result = cli("--debug", "list") if how == "flag" else cli("list")
    assert result.exit_code == 1
    assert "Traceback (most recent call last)" in result.stderr
    assert "RuntimeError: kaboom" in result.stderr


def test_a_closed_pipe_is_not_a_traceback() -> None:
    # `| head -1` closes the pipe after one line; the rest must vanish quietly.
    result = subprocess.run(
        f"{sys.executable} -m quietwork schema | head -1; exit ${{PIPESTATUS[0]}}",
        shell=True, executable="/bin/bash", capture_output=True, text=True, timeout=30,
    )
    assert result.stdout == "{\n"
    assert result.stderr == ""
    assert result.returncode == 0


# The wording of a usage error is typer's (it changes between versions); the contract is
# one "Error:" line that names what is wrong, a hint, and exit 2.
@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("show",), ("ID",)),
        (("list", "--tag"), ("--tag",)),
        (("stats", "--days", "many"), ("--days", "many")),
        (("nonsense",), ("nonsense",)),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    cli: CLI, args: tuple[str, ...], named: tuple[str, ...]
) -> None:
    result = cli(*args)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith("Error: ") and all(word in lines[0] for word in named), lines
    assert len(lines) == 2 and lines[1].strip().startswith("Try 'quietwork")


def test_a_full_output_device_is_the_machines_error_not_a_bug() -> None:
    result = subprocess.run(
        f"{sys.executable} -m quietwork schema > /dev/full",
        shell=True, executable="/bin/bash", capture_output=True, text=True, timeout=30,
    )
    assert result.returncode == 1
    assert result.stderr == "Error: No space left on device (writing the output)\n"


@pytest.mark.parametrize("name", ["settle", "ground"])
def test_a_practice_given_as_a_command_points_at_practice(cli: CLI, name: str) -> None:
    result = cli(name)
    assert result.exit_code == 2, result.output
    [error] = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert f"quietwork practice {name}" in error, error
    assert "Traceback" not in result.output


def test_an_unknown_command_that_is_no_practice_points_at_nothing_else(cli: CLI) -> None:
    result = cli("nothing")
    assert result.exit_code == 2
    assert "quietwork practice" not in result.stderr


@pytest.mark.parametrize(
    ("args", "flag"),
    [(("stats", "--days", "x"), "--days"), (("report", "--days", "0"), "--days"),
     (("log", "--limit", "x"), "--limit"), (("practice", "ground", "--stop-at", "x"), "--stop-at")],
    ids=lambda value: " ".join(value) if isinstance(value, tuple) else value,
)
def test_a_bad_number_names_the_option_and_says_what_to_give(
    cli: CLI, args: tuple[str, ...], flag: str
) -> None:
    result = cli(*args)
    assert result.exit_code == 2, result.output
    [error] = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert flag in error and "whole number" in error, error
    assert "int range" not in error and "<=x" not in error


@pytest.mark.parametrize("value", ["x", "4.5", "nan", ""])
def test_a_distress_that_is_no_whole_number_names_the_option_and_the_scale(
    cli: CLI, value: str
) -> None:
    result = cli("checkin", "--distress", value)
    assert result.exit_code == 2, result.output
    [error] = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert "--distress" in error and "whole number" in error and "0 to 10" in error, error
    assert json.loads(cli("log", "--json").stdout) == []


@pytest.mark.parametrize("value", ["11", "-1"])
def test_a_distress_off_the_scale_still_says_it_is_out_of_range(cli: CLI, value: str) -> None:
    result = cli("checkin", f"--distress={value}")
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines()[0] == (
        f"Error: --distress: {value} is out of range; use a number from 0 to 10")


@pytest.mark.parametrize("args", [
    ("practice", "nosuch"),  # begun without typer
    ("practice", "nosuch", "--speed", "1"),  # through typer: an error of ours
    ("list", "--bogus"),  # typer's own usage error
    ("--debug", "practice", "nosuch"),
])
def test_an_error_told_into_a_closed_pipe_keeps_its_exit_code(args: tuple[str, ...]) -> None:
    """`quietwork … 2>&1 | head -1` where the reader has gone: the message cannot be said,
    but the exit code still says a usage error (it was 1, or 0 for typer's own)."""
    import os

    read, write = os.pipe()
    os.close(read)  # the reader is gone before anything is written
    try:
        done = subprocess.run([sys.executable, "-m", "quietwork", *args], stdin=subprocess.DEVNULL,
                              stdout=write, stderr=write, timeout=30)
    finally:
        os.close(write)
    assert done.returncode == 2
