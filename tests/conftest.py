"""Shared fixtures: every test runs with its own QUIETWORK_HOME."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def quietwork_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point quietwork at an empty temporary home, and keep the environment neutral."""
    home = tmp_path / "qwhome"
    monkeypatch.setenv("QUIETWORK_HOME", str(home))
    for name in ("QUIETWORK_SPEED", "QUIETWORK_DEBUG", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    yield home


@pytest.fixture
def local_zone() -> Iterator[Callable[[str], None]]:
    """Set the local time zone of this process for the test (`local_zone("Asia/Tokyo")`)."""
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is not available here (Windows)")
    saved = os.environ.get("TZ")

    def use(name: str) -> None:
        os.environ["TZ"] = name
        time.tzset()

    yield use
    if saved is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = saved
    time.tzset()


@dataclass(frozen=True)
class Rating:
    """A scripted check-in: the rating and the follow-up answers that come after it."""

    distress: int
    state: str | None = None
    body: tuple[str, ...] = ()
    noticed: tuple[str, ...] = ()
    note: str | None = None


@dataclass
class Result:
    """What a person would see from one command: exit code, stdout, stderr."""

    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        """stdout and stderr together, for assertion messages."""
        return self.stdout + self.stderr


def invoke(*args: str, input: str = "") -> Result:
    """Run the real CLI boundary in-process, with stdin/stdout/stderr as pipes (no terminal).

    As the console script does: a practice in a quick form begins without typer.
    """
    from quietwork.__main__ import dispatch

    return _in_process(dispatch, args, input)


def invoke_typer(*args: str, input: str = "") -> Result:
    """As `invoke`, but every form read by typer (quietwork.cli), quick forms too."""
    from quietwork.cli import run

    return _in_process(run, args, input)


def _in_process(run: Callable[[list[str]], int], args: tuple[str, ...], input: str) -> Result:
    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    sys.stdin = io.StringIO(input)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = run(list(args))
    finally:
        sys.stdin = old_stdin
    return Result(int(code), out.getvalue(), err.getvalue())


@pytest.fixture
def cli() -> Callable[..., Result]:
    """The CLI, run in-process: `cli("list", "--json")`."""
    return invoke


def run_subprocess(
    *args: str, input: str = "", env: dict[str, str] | None = None, timeout: float = 30
) -> subprocess.CompletedProcess[str]:
    """The installed CLI as a separate process, as a shell would run it."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "quietwork", *args],
        input=input,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
    )


def logged_entries() -> list[dict[str, Any]]:
    """What `quietwork log --json` shows now (in-process: reading needs no terminal, and
    the run being checked was a process of its own)."""
    result = invoke("log", "--json")
    assert result.exit_code == 0, result.output
    entries: list[dict[str, Any]] = json.loads(result.stdout)
    return entries
