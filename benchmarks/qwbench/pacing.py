"""Pacing: when each phase line of a plain-mode practice arrives, against its schedule."""

from __future__ import annotations

import os
import select
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from qwbench.common import BenchError, Context, Row, judged, missing, not_available

PRACTICE_ID = "bench-breath"
INHALE, EXHALE = 4.0, 6.0
BREATHS, QUICK_BREATHS = 3, 1  # 30 s; 10 s for --quick
PHASE_WORDS = ("Inhale", "Hold", "Exhale")
DRIFT_BUDGET_MS, ONSET_BUDGET_MS = 5.0, 10.0

PRACTICE = """\
title: Benchmark breath
summary: A paced breath for the benchmarks, {breaths} breaths of 4 in and 6 out.
steps:
  - breathe: {{inhale: {inhale:g}, exhale: {exhale:g}, breaths: {breaths}}}
"""


def breaths(ctx: Context) -> int:
    """How many breaths this run paces."""
    return QUICK_BREATHS if ctx.quick else BREATHS


def write_practice(home: Path, count: int) -> None:
    """Put the benchmark's practice into `home`'s practices folder."""
    folder = home / "practices"
    folder.mkdir(parents=True, exist_ok=True)
    text = PRACTICE.format(inhale=INHALE, exhale=EXHALE, breaths=count)
    (folder / f"{PRACTICE_ID}.yaml").write_text(text, encoding="utf-8")


def schedule(count: int) -> list[tuple[str, float]]:
    """Each phase's word and onset, in seconds from the first inhale."""
    onsets: list[tuple[str, float]] = []
    for breath in range(count):
        start = breath * (INHALE + EXHALE)
        onsets += [("Inhale", start), ("Exhale", start + INHALE)]
    return onsets


@dataclass(frozen=True)
class Line:
    """One output line and when its first byte arrived (time.monotonic)."""

    at: float
    text: str


def run(ctx: Context) -> list[Row]:
    """End drift and the worst phase onset error of a plain-mode practice read from a pipe."""
    drift_name, onset_name = "pacing: end drift", "pacing: worst onset error"
    drift_budget, onset_budget = f"≤ {DRIFT_BUDGET_MS:g} ms", f"≤ {ONSET_BUDGET_MS:g} ms"
    reason = missing(ctx, ["practice"], ["--plain", "--no-checkin"])
    if reason:
        return [
            not_available(drift_name, drift_budget, reason),
            not_available(onset_name, onset_budget, reason),
        ]
    count = breaths(ctx)
    home = ctx.home("pacing")
    write_practice(home, count)
    lines, exited = _read_lines(ctx, home, count)
    return _rows(lines, exited, count, (drift_name, drift_budget), (onset_name, onset_budget))


def _rows(
    lines: list[Line],
    exited: float,
    count: int,
    drift_label: tuple[str, str],
    onset_label: tuple[str, str],
) -> list[Row]:
    """Onset errors against the schedule, timed from the first inhale line, and the end."""
    expected = schedule(count)
    onsets = _onsets(lines)
    if [word for word, _ in expected] != [line.text.split()[0] for line in onsets]:
        seen = ", ".join(line.text for line in onsets) or "none"
        raise BenchError(f"phase lines not as scheduled; saw: {seen}")
    first = onsets[0].at
    errors = [
        ((line.at - first - offset) * 1000, f"{word} at {offset:g} s")
        for line, (word, offset) in zip(onsets, expected, strict=True)
    ]
    worst, where = max(errors, key=lambda error: abs(error[0]))
    end_at, end_what = _end(lines, onsets[-1], exited)
    total = count * (INHALE + EXHALE)
    drift = (end_at - first - total) * 1000
    exit_drift = (exited - first - total) * 1000
    return [
        judged(
            drift_label[0],
            abs(drift),
            DRIFT_BUDGET_MS,
            unit="ms",
            figure=f"{drift:+.1f} ms",
            budget=drift_label[1],
            note=f"{total:g} s; end = {end_what} line; process exit {exit_drift:+.0f} ms",
        ),
        judged(
            onset_label[0],
            abs(worst),
            ONSET_BUDGET_MS,
            unit="ms",
            figure=f"{worst:+.1f} ms",
            budget=onset_label[1],
            note=f"{len(onsets)} onsets against the first inhale; worst: {where}",
        ),
    ]


def _read_lines(ctx: Context, home: Path, count: int) -> tuple[list[Line], float]:
    """Run the practice with stdout a pipe; every line with its arrival time, and the exit."""
    argv = [str(ctx.quietwork), "practice", PRACTICE_ID, "--plain", "--no-checkin"]
    # A warm-up run at 20× speed writes the bytecode of the practice path.
    subprocess.run(
        [*argv, "--speed", "20"],
        env=ctx.env(home),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    # stderr goes to a file: a pipe nobody reads could fill and stall the practice.
    with (
        tempfile.TemporaryFile() as errors,
        subprocess.Popen(
            argv,
            env=ctx.env(home),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=errors,
            bufsize=0,
        ) as process,
    ):
        assert process.stdout is not None
        try:
            lines = _timed_lines(process.stdout.fileno(), deadline=count * 10 + 30)
            exited = _wait(process)
        except BaseException:
            process.kill()  # leaving the with-block waits for it: never wait on a hung one
            raise
        errors.seek(0)
        error = errors.read().decode(errors="replace").strip()
    if process.returncode != 0:
        raise BenchError(f"practice exited {process.returncode}: {error[:200]}")
    return lines, exited


def _timed_lines(fd: int, *, deadline: float) -> list[Line]:
    """Read `fd` to its end, stamping each line with the arrival of its first byte."""
    lines: list[Line] = []
    partial, partial_at = b"", 0.0
    give_up = time.monotonic() + deadline
    while True:
        # select wakes the moment bytes arrive (no polling delay); its timeout only
        # guards against a practice that hangs.
        ready, _, _ = select.select([fd], [], [], max(give_up - time.monotonic(), 0))
        if not ready:
            raise BenchError("the practice hung: no output and no end")
        chunk = os.read(fd, 65536)
        now = time.monotonic()
        if not chunk:
            break
        if not partial:
            partial_at = now
        partial += chunk
        while b"\n" in partial:
            text, partial = partial.split(b"\n", 1)
            lines.append(Line(partial_at, text.decode(errors="replace")))
            partial_at = now
    if partial:
        lines.append(Line(partial_at, partial.decode(errors="replace")))
    return lines


def _wait(process: subprocess.Popen[bytes]) -> float:
    """Wait for the practice to end; when it did (time.monotonic)."""
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise BenchError("the practice did not exit after its output ended") from None
    return time.monotonic()


def _onsets(lines: list[Line]) -> list[Line]:
    """The lines that begin a phase: a phase word different from the previous phase line's."""
    onsets: list[Line] = []
    previous = ""
    for line in lines:
        words = line.text.split()
        word = words[0] if words else ""
        if word in PHASE_WORDS and word != previous:
            onsets.append(line)
        if word in PHASE_WORDS:
            previous = word
    return onsets


def _end(lines: list[Line], last_onset: Line, exited: float) -> tuple[float, str]:
    """When the practice visibly ended: the first line after the last phase, else the exit."""
    after = [line for line in lines if line.at > last_onset.at and not _is_phase(line)]
    if after:
        return after[0].at, repr(after[0].text.strip()[:24])
    return exited, "process exit"


def _is_phase(line: Line) -> bool:
    words = line.text.split()
    return bool(words) and words[0] in PHASE_WORDS
