"""On a pseudo-terminal: CPU and bytes of a paced practice, and how fast the stop key acts."""

from __future__ import annotations

import errno
import fcntl
import os
import pty
import re
import select
import signal
import struct
import termios
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from qwbench import pacing
from qwbench.common import BenchError, Context, Row, judged, median, missing, not_available

ROWS, COLUMNS = 24, 80
CPU_BUDGET_PCT, BYTES_BUDGET = 1.5, 40_000
STOP_BUDGET_MS, STOP_TRIES, QUICK_STOP_TRIES = 100.0, 5, 2
STOPPED = b"Stopping here."
CURSOR_QUERY = b"\x1b[6n"
# Whatever the live view calls a phase, it starts with one of these words.
PHASE = re.compile(rb"Inhale|Exhale|Hold|Breathe in|Breathe out", re.IGNORECASE)
# CSI, OSC and two-byte escapes: text split by style codes must still match.
ANSI = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")


@dataclass
class Child:
    """A process on the slave side of a pseudo-terminal we hold the master of."""

    pid: int
    fd: int
    started: float
    output: bytearray = field(default_factory=bytearray)
    ended: bool = False

    def read(self, timeout: float) -> bytes:
        """Bytes written within `timeout` seconds (b"" if none); notes when the pty closed."""
        ready, _, _ = select.select([self.fd], [], [], max(timeout, 0.0))
        if not ready:
            return b""
        try:
            chunk = os.read(self.fd, 65536)
        except OSError as error:  # Linux reports the closed slave side as EIO
            if error.errno != errno.EIO:
                raise
            chunk = b""
        if not chunk:
            self.ended = True
        # Answer cursor-position requests as a real terminal does (prompt_toolkit asks, and
        # would otherwise wait for a reply and warn).
        for _ in range(chunk.count(CURSOR_QUERY)):
            os.write(self.fd, b"\x1b[1;1R")
        self.output += chunk
        return chunk

    def drain(self, seconds: float) -> None:
        """Keep reading for `seconds` (a pty nobody reads would stall the child)."""
        until = time.monotonic() + seconds
        while not self.ended and time.monotonic() < until:
            self.read(until - time.monotonic())

    def text(self, start: int = 0) -> bytes:
        """The output from byte `start`, without escape sequences."""
        return ANSI.sub(b"", bytes(self.output[start:]))

    def wait_for(self, pattern: re.Pattern[bytes], timeout: float, start: int = 0) -> float:
        """Read until `pattern` is in the output after `start`; when it arrived."""
        until = time.monotonic() + timeout
        while time.monotonic() < until and not self.ended:
            if self.read(until - time.monotonic()) and pattern.search(self.text(start)):
                return time.monotonic()
        raise BenchError(f"no {pattern.pattern!r} on the terminal; last: {self.tail()!r}")

    def tail(self) -> str:
        return self.text()[-120:].decode(errors="replace")

    def finish(self, timeout: float) -> Ended:
        """Read to the end and reap the child; one still running after `timeout` is ended."""
        until = time.monotonic() + timeout
        while not self.ended and time.monotonic() < until:
            self.read(until - time.monotonic())
        forced = not self.ended
        if forced:
            # SIGTERM first: quietwork's handler restores the terminal on its way out.
            os.kill(self.pid, signal.SIGTERM)
            if not _exits_within(self.pid, 2.0):
                os.kill(self.pid, signal.SIGKILL)
        _, status, usage = os.wait4(self.pid, 0)
        wall = time.monotonic() - self.started
        os.close(self.fd)
        cpu = usage.ru_utime + usage.ru_stime
        return Ended(os.waitstatus_to_exitcode(status), cpu, wall, forced)


@dataclass(frozen=True)
class Ended:
    """How a child on a pty ended: exit code, CPU seconds (user + sys), wall seconds."""

    code: int
    cpu: float
    wall: float
    forced: bool


def _exits_within(pid: int, seconds: float) -> bool:
    """Whether `pid` exits within `seconds`, leaving it unreaped for wait4's rusage."""
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        if os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
            return True
        time.sleep(0.01)
    return False


def spawn(argv: Sequence[str], env: Mapping[str, str]) -> Child:
    """Start `argv` on a new 80×24 pseudo-terminal."""
    started = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:  # the child: size its terminal before the program asks, then become it
        try:
            size = struct.pack("HHHH", ROWS, COLUMNS, 0, 0)
            fcntl.ioctl(0, termios.TIOCSWINSZ, size)
            os.execve(argv[0], list(argv), dict(env))
        finally:
            os._exit(127)
    return Child(pid, fd, started)


def _terminal_env(ctx: Context, home: Path) -> dict[str, str]:
    env = ctx.env(home, TERM="xterm-256color")
    # The window size comes from the pty; these would override it.
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    return env


def run_pacing(ctx: Context) -> list[Row]:
    """CPU (user + sys, start-up included) and bytes written of a practice on a terminal."""
    cpu_name, bytes_name = "terminal: CPU while pacing", "terminal: bytes written"
    cpu_budget, bytes_budget = f"≤ {CPU_BUDGET_PCT:g} % of a core", f"≤ {BYTES_BUDGET // 1000} KB"
    reason = missing(ctx, ["practice"], ["--no-checkin"])
    if reason:
        return [
            not_available(cpu_name, cpu_budget, reason),
            not_available(bytes_name, bytes_budget, reason),
        ]
    # The CPU budget includes start-up, which a shorter run would weigh more: keep 30 s.
    count = pacing.BREATHS
    home = ctx.home("terminal")
    pacing.write_practice(home, count)
    env = _terminal_env(ctx, home)
    argv = [str(ctx.quietwork), "practice", pacing.PRACTICE_ID, "--no-checkin"]
    _warm(argv, env)
    child = spawn(argv, env)
    seconds = count * (pacing.INHALE + pacing.EXHALE)
    ended = child.finish(timeout=seconds + 30)
    if ended.forced or ended.code != 0:
        how = "did not end by itself" if ended.forced else f"exited {ended.code}"
        raise BenchError(f"practice on a terminal {how}: {child.tail()!r}")
    cpu, wall = ended.cpu, ended.wall
    percent = cpu / wall * 100
    written = len(child.output)
    return [
        judged(
            cpu_name,
            percent,
            CPU_BUDGET_PCT,
            unit="%",
            figure=f"{percent:.2f} %",
            budget=cpu_budget,
            note=f"{cpu * 1000:.0f} ms CPU over {wall:.1f} s, start-up included",
        ),
        judged(
            bytes_name,
            written,
            BYTES_BUDGET,
            unit="bytes",
            figure=f"{written / 1000:.1f} KB",
            budget=bytes_budget,
            note=f"over the {seconds:g} s practice, {ROWS}×{COLUMNS} xterm-256color",
        ),
    ]


def _warm(argv: Sequence[str], env: Mapping[str, str]) -> None:
    """One fast untimed run on a terminal, so the live view's bytecode is written."""
    child = spawn([*argv, "--speed", "20"], env)
    child.finish(timeout=30)


def run_stop(ctx: Context) -> list[Row]:
    """Time from the `s` key to "Stopping here." on the terminal; the worst of several."""
    name, budget = 'stop key → "Stopping here."', f"≤ {STOP_BUDGET_MS:g} ms, worst"
    reason = missing(ctx, ["practice"], ["--no-checkin"])
    if reason:
        return [not_available(name, budget, reason)]
    home = ctx.home("stop")
    pacing.write_practice(home, pacing.BREATHS)
    env = _terminal_env(ctx, home)
    argv = [str(ctx.quietwork), "practice", pacing.PRACTICE_ID, "--no-checkin"]
    _warm(argv, env)
    tries = QUICK_STOP_TRIES if ctx.quick else STOP_TRIES
    delays = [_stop_once(argv, env, 0.3 + 0.37 * index) * 1000 for index in range(tries)]
    worst = max(delays)
    return [
        judged(
            name,
            worst,
            STOP_BUDGET_MS,
            unit="ms",
            figure=f"{worst:.1f} ms",
            budget=budget,
            note=f"{tries} tries, median {median(delays):.1f} ms",
        )
    ]


def _stop_once(argv: Sequence[str], env: Mapping[str, str], into: float) -> float:
    """Start the practice, press `s` `into` seconds after the first phase shows; the delay."""
    child = spawn(argv, env)
    try:
        child.wait_for(PHASE, timeout=20)
        # Varying the moment lands the key at different points of the frame cycle.
        child.drain(into)
        mark = len(child.output)
        os.write(child.fd, b"s")
        pressed = time.monotonic()
        drawn = child.wait_for(re.compile(re.escape(STOPPED)), timeout=5, start=mark)
        # The stop screen offers a minute of settling: decline it, so the practice ends.
        child.drain(0.2)
        os.write(child.fd, b"n")
    finally:
        child.finish(timeout=3)
    return drawn - pressed
