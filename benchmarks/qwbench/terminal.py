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
BYTES_BUDGET = 40_000
# Start-up is what a person in distress waits through before the first cue; pacing is
# the cost of each 30 s after it, split so that neither hides a regression of the other.
STARTUP_BUDGET_MS, PACING_BUDGET_MS, RSS_BUDGET_MB = 110.0, 110.0, 30.0
# One start's CPU moves by ±20 ms with the load of this shared machine: the start-up
# figure is the median of this many starts (the timed run's and more, each ended at its
# first cue), as the side-by-side figures are (peers.py).
STARTS, QUICK_STARTS = 3, 1
ONSET_BUDGET_MS = 20.0  # phases start on their deadline, not at the next frame
# The view wakes only when a cell it shows changes: about 4 times a second on 80 columns
# (the guide's steps and the countdowns). Counted by the kernel, so the load cannot move it.
WAKEUPS_BUDGET = 6.0
STOP_BUDGET_MS, STOP_TRIES, QUICK_STOP_TRIES = 100.0, 5, 2
STOPPED = b"Stopping here."
CURSOR_QUERY = b"\x1b[6n"
# Whatever the live view calls a phase, it starts with one of these words.
PHASE = re.compile(rb"Inhale|Exhale|Hold|Breathe in|Breathe out", re.IGNORECASE)
PHASE_WORD = re.compile(rb"\b(?:Inhale|Exhale|Hold)\b")
END = re.compile(rb"That's the end")
# The timed part is over when the live view leaves the alternate screen; the end text
# follows once the session is written to the log (a commit: disk time on a busy machine).
LEAVE_SCREEN = b"\x1b[?1049l"
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
        return Ended(os.waitstatus_to_exitcode(status), cpu, wall, forced, usage.ru_maxrss)


@dataclass(frozen=True)
class Ended:
    """How a child on a pty ended: exit code, CPU seconds (user + sys), wall seconds."""

    code: int
    cpu: float
    wall: float
    forced: bool
    max_rss_kb: int = 0


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
    """A 30 s practice on a terminal: start-up CPU to the first cue, pacing CPU, memory,
    bytes, and when each phase word appears on the screen against its schedule."""
    names = {
        "startup": ("terminal: CPU to the first cue", f"≤ {STARTUP_BUDGET_MS:g} ms"),
        "pacing": ("terminal: CPU while pacing", f"≤ {PACING_BUDGET_MS:g} ms per 30 s"),
        "rss": ("terminal: peak memory", f"≤ {RSS_BUDGET_MB:g} MB"),
        "wakeups": ("terminal: wake-ups while pacing", f"≤ {WAKEUPS_BUDGET:g} per s"),
        "bytes": ("terminal: bytes written", f"≤ {BYTES_BUDGET // 1000} KB"),
        "onset": ("terminal: worst onset error", f"≤ {ONSET_BUDGET_MS:g} ms"),
        "drift": ("terminal: end drift", f"≤ {pacing.DRIFT_BUDGET_MS:g} ms"),
    }
    reason = missing(ctx, ["practice"], ["--no-checkin"])
    if reason:
        return [not_available(name, budget, reason) for name, budget in names.values()]
    count = pacing.BREATHS
    home = ctx.home("terminal")
    pacing.write_practice(home, count)
    env = _terminal_env(ctx, home)
    argv = [str(ctx.quietwork), "practice", pacing.PRACTICE_ID, "--no-checkin"]
    _warm(argv, env)
    child = spawn(argv, env)
    onsets, first_cpu, (left_at, end_at), sleeps = _watch_phases(
        child, timeout=count * (pacing.INHALE + pacing.EXHALE) + 30
    )
    ended = child.finish(timeout=30)
    if ended.forced or ended.code != 0:
        how = "did not end by itself" if ended.forced else f"exited {ended.code}"
        raise BenchError(f"practice on a terminal {how}: {child.tail()!r}")
    if not onsets or first_cpu is None:
        raise BenchError(f"no phase word on the terminal; last: {child.tail()!r}")
    starts = [first_cpu] + [_first_cue_cpu(argv, env)
                            for _ in range((QUICK_STARTS if ctx.quick else STARTS) - 1)]
    startup = median(starts)
    seconds = count * (pacing.INHALE + pacing.EXHALE)
    paced_wall = ended.wall - (onsets[0][0] - child.started)
    paced_cpu = ended.cpu - first_cpu
    per_30 = paced_cpu / paced_wall * 30 * 1000
    rss = ended.max_rss_kb / 1024
    written = len(child.output)
    worst, where = _worst_onset(onsets, count)
    timed_end = left_at or end_at or onsets[0][0] + ended.wall
    drift = (timed_end - onsets[0][0] - seconds) * 1000
    rows = [
        judged(names["startup"][0], startup * 1000, STARTUP_BUDGET_MS, unit="ms",
               figure=f"{startup * 1000:.0f} ms", budget=names["startup"][1],
               note="user + sys CPU of the process when the first phase word is on screen"
               + (f", median of {len(starts)} starts: "
                  + ", ".join(f"{cpu * 1000:.0f}" for cpu in starts) + " ms"
                  if len(starts) > 1 else "")),
        judged(names["pacing"][0], per_30, PACING_BUDGET_MS, unit="ms/30 s",
               figure=f"{per_30:.0f} ms per 30 s", budget=names["pacing"][1],
               note=f"{paced_cpu * 1000:.0f} ms over {paced_wall:.1f} s after the first cue"
               f" ({paced_cpu / paced_wall * 100:.2f} % of a core)"),
        judged(names["rss"][0], rss, RSS_BUDGET_MB, unit="MB", figure=f"{rss:.1f} MB",
               budget=names["rss"][1], note="peak resident set of the whole run (ru_maxrss)"),
        judged(names["bytes"][0], written, BYTES_BUDGET, unit="bytes",
               figure=f"{written / 1000:.1f} KB", budget=names["bytes"][1],
               note=f"over the {seconds:g} s practice, {ROWS}×{COLUMNS} xterm-256color"),
        judged(names["onset"][0], abs(worst), ONSET_BUDGET_MS, unit="ms",
               figure=f"{worst:+.1f} ms", budget=names["onset"][1],
               note=f"{len(onsets)} phase words on screen against the first; worst: {where}"),
        judged(names["drift"][0], abs(drift), pacing.DRIFT_BUDGET_MS, unit="ms",
               figure=f"{drift:+.1f} ms", budget=names["drift"][1],
               note=f"{seconds:g} s from the first phase word to the view leaving the screen"),
    ]
    if left_at is not None and end_at is not None:
        rows.append(Row("terminal: end text after the timed part",
                        f"{(end_at - left_at) * 1000:.0f} ms", "(the log's write)", "floor",
                        (end_at - left_at) * 1000, unit="ms",
                        note="from leaving the screen to \"That's the end\" (the session is "
                        "recorded in between)"))
    if sleeps is not None and left_at is not None:
        rate = sleeps / (left_at - onsets[0][0])
        rows.insert(2, judged(
            names["wakeups"][0], rate, WAKEUPS_BUDGET, unit="/s", figure=f"{rate:.1f} per s",
            budget=names["wakeups"][1],
            note=f"{sleeps} sleeps from the first phase word to the end (voluntary context"
            " switches)"))
    return rows


def _watch_phases(
    child: Child, timeout: float
) -> tuple[list[tuple[float, str]], float | None, tuple[float | None, float | None], int | None]:
    """Read to the end; when each new phase word reached the screen, the CPU at the first
    (from /proc, None where there is none), when the view left the screen and when the end
    text showed, and how many times the child slept from the first phase word to leaving
    the screen (None where /proc does not say)."""
    onsets: list[tuple[float, str]] = []
    first_cpu: float | None = None
    left_at: float | None = None
    end_at: float | None = None
    slept: list[int | None] = []
    until = time.monotonic() + timeout
    while not child.ended and time.monotonic() < until:
        chunk = child.read(until - time.monotonic())
        if not chunk:
            continue
        now = time.monotonic()
        text = ANSI.sub(b"", chunk)
        if left_at is None and onsets and LEAVE_SCREEN in chunk:
            left_at = now
            slept.append(_sleeps_of(child.pid))
        if end_at is None and onsets and END.search(text):
            end_at = now
        for found in PHASE_WORD.findall(text):
            word = found.decode()
            if not onsets or onsets[-1][1] != word:
                onsets.append((now, word))
                if first_cpu is None:
                    first_cpu = _cpu_of(child.pid)
                    slept.append(_sleeps_of(child.pid))
    sleeps = None
    if len(slept) == 2 and slept[0] is not None and slept[1] is not None:
        sleeps = slept[1] - slept[0]
    return onsets, first_cpu, (left_at, end_at), sleeps


def _first_cue_cpu(argv: Sequence[str], env: Mapping[str, str]) -> float:
    """The CPU seconds of one more start when its first phase word is on screen; it is then
    ended (SIGTERM, as a closed terminal would)."""
    child = spawn(argv, env)
    cpu = None
    try:
        until = time.monotonic() + 30
        while cpu is None and not child.ended and time.monotonic() < until:
            if PHASE_WORD.search(ANSI.sub(b"", child.read(until - time.monotonic()))):
                cpu = _cpu_of(child.pid)
    finally:
        child.finish(timeout=0)
    if cpu is None:
        raise BenchError(f"no phase word on the terminal; last: {child.tail()!r}")
    return cpu


def _sleeps_of(pid: int) -> int | None:
    """How many times a running process has slept so far (voluntary context switches)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    found = re.search(r"^voluntary_ctxt_switches:\s+(\d+)", status, re.MULTILINE)
    return int(found.group(1)) if found else None


def _cpu_of(pid: int) -> float | None:
    """User + system CPU seconds of a running process so far (Linux /proc).

    Precise where the kernel keeps schedstat (nanoseconds on the CPU, summed over the
    threads), as precise as the child's rusage at its end; else /proc/PID/stat, counted
    in clock ticks (10 ms), which rounds a start-up of 95 ms down to 90.
    """
    try:
        threads = os.listdir(f"/proc/{pid}/task")
        return sum(
            int(Path(f"/proc/{pid}/task/{thread}/schedstat").read_text().split()[0])
            for thread in threads
        ) / 1e9
    except (OSError, ValueError, IndexError):
        pass
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _worst_onset(onsets: list[tuple[float, str]], count: int) -> tuple[float, str]:
    expected = pacing.schedule(count)
    seen = [word for _, word in onsets]
    if seen != [word for word, _ in expected]:
        raise BenchError(f"phase words on screen not as scheduled: {', '.join(seen)}")
    first = onsets[0][0]
    errors = [
        ((at - first - offset) * 1000, f"{word} at {offset:g} s")
        for (at, _), (word, offset) in zip(onsets, expected, strict=True)
    ]
    return max(errors, key=lambda error: abs(error[0]))


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
