"""What every benchmark shares: result rows, the children's environment, process timing."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Status = Literal["ok", "OVER", "floor", "n/a", "skipped"]

REPO = Path(__file__).resolve().parents[2]


class BenchError(Exception):
    """A benchmark could not measure what it meant to (the command failed, or is missing)."""


@dataclass(frozen=True)
class Row:
    """One line of the table: a figure, its budget, and whether it holds."""

    name: str
    figure: str
    budget: str
    status: Status
    value: float | None = None
    limit: float | None = None
    unit: str = ""
    note: str = ""

    @property
    def failed(self) -> bool:
        """A budget that was over, or could not be measured, does not hold."""
        return self.status in ("OVER", "n/a")


def judged(
    name: str, value: float, limit: float, *, unit: str, figure: str, budget: str, note: str = ""
) -> Row:
    """A row whose status comes from comparing `value` with `limit` (at most)."""
    status: Status = "ok" if value <= limit else "OVER"
    return Row(name, figure, budget, status, value, limit, unit, note)


def skipped(name: str, budget: str, reason: str) -> Row:
    """A row for a benchmark of something not there yet: said, and not counted as failed."""
    return Row(name, f"skipped: {reason}", budget, "skipped")


def not_available(name: str, budget: str, reason: str) -> Row:
    """A row for a budget that could not be measured in this run."""
    return Row(name, f"not available: {reason}", budget, "n/a")


@dataclass
class Context:
    """The installed CLI under test, where each run keeps its files, and how hard to try."""

    quick: bool
    root: Path
    large: bool = False
    venv: Path = field(default_factory=lambda: Path(sys.prefix))

    @property
    def python(self) -> Path:
        """The venv's interpreter: the baseline and the interpreter of the console script."""
        return self.venv / "bin" / "python"

    @property
    def quietwork(self) -> Path:
        """The console script, as a user runs it."""
        return self.venv / "bin" / "quietwork"

    def home(self, name: str) -> Path:
        """A fresh QUIETWORK_HOME for one benchmark."""
        return Path(tempfile.mkdtemp(prefix=f"{name}-", dir=self.root))

    def env(self, home: Path, **extra: str) -> dict[str, str]:
        """The children's environment: the caller's, as a user's shell would have it."""
        return child_env(os.environ, home, extra)


# Variables this machine (and `uv run`) sets that a user's shell does not: bytecode
# writing switched off would make every start compile from source, and unbuffered output
# would hide a missing flush in the pacing figures.
_NOT_A_USERS = ("PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED", "PYTHONPATH", "PYTHONHOME")


def child_env(base: Mapping[str, str], home: Path, extra: Mapping[str, str]) -> dict[str, str]:
    """`base` without the interpreter switches a user would not have, with its own home."""
    env = {key: value for key, value in base.items() if key not in _NOT_A_USERS}
    env["QUIETWORK_HOME"] = str(home)
    env.update(extra)
    return env


def run_once(
    argv: Sequence[str | Path], env: Mapping[str, str], *, stdin: int = subprocess.DEVNULL
) -> float:
    """Run one whole process; its wall time in seconds. Raises BenchError when it fails."""
    start = time.perf_counter()
    done = subprocess.run(
        [str(part) for part in argv],
        env=dict(env),
        stdin=stdin,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        words = " ".join(str(part) for part in argv[1:])
        message = done.stderr.decode(errors="replace").strip().splitlines()
        detail = message[0] if message else "no message"
        raise BenchError(f"`{words}` exited {done.returncode}: {detail}")
    return elapsed


def output_of(argv: Sequence[str | Path], env: Mapping[str, str]) -> str:
    """The standard output of a command that must succeed."""
    done = subprocess.run(
        [str(part) for part in argv],
        env=dict(env),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        detail = done.stderr.decode(errors="replace").strip().splitlines()
        raise BenchError(f"exited {done.returncode}: {detail[0] if detail else 'no message'}")
    return done.stdout.decode(errors="replace")


def missing(ctx: Context, command: Sequence[str], options: Sequence[str] = ()) -> str | None:
    """Why `quietwork COMMAND` cannot be benchmarked here, or None when it can."""
    done = subprocess.run(
        [str(ctx.quietwork), *command, "--help"],
        env=ctx.env(ctx.root),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        check=False,
    )
    name = " ".join(command)
    if done.returncode != 0:
        return f"no `quietwork {name}` command yet"
    text = done.stdout.decode(errors="replace")
    absent = [option for option in options if option not in text]
    if absent:
        return f"`quietwork {name}` has no {', '.join(absent)}"
    return None


def median(values: Sequence[float]) -> float:
    """The median; the figure we trust on a shared, noisy machine."""
    return statistics.median(values)


def interleaved(
    commands: Mapping[str, tuple[Sequence[str | Path], Mapping[str, str]]],
    rounds: int,
) -> dict[str, list[float]]:
    """Time each command once per round, all commands in every round, start rotating.

    Side by side, so a burst of load from another user hits every command alike;
    rotating the order keeps any "runs right after X" effect from landing on one command.
    Each command is run once first, untimed: that writes its bytecode and warms caches, as
    on a user's machine after the first run.
    """
    for argv, env in commands.values():
        run_once(argv, env)
    names = list(commands)
    times: dict[str, list[float]] = {name: [] for name in names}
    for index in range(rounds):
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            argv, env = commands[name]
            times[name].append(run_once(argv, env))
    return times
