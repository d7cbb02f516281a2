"""Side by side with breathe-cli (PyPI, stdlib only): the same 30 s of paced breathing.

Optional (`run.py --peers`): breathe-cli is installed into a temporary venv with uv (or
pip). Both run on an 80×24 pty in alternating rounds; the ratios are quietwork ÷ peer.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from qwbench import pacing, terminal
from qwbench.common import BenchError, Context, Row, judged, median, not_available

PEER = "breathe-cli"
ROUNDS, QUICK_ROUNDS = 3, 1  # medians of three: the figures move with the load
# quietwork's phase words, and breathe-cli's IN / OUT.
FIRST_CUE = re.compile(rb"\b(?:IN|OUT)\b|Inhale|Exhale")
WHOLE_BUDGET, STARTUP_BUDGET = 1.0, 3.0  # ratios to breathe-cli, per 30 s of practice


def install(root: Path) -> Path:
    """breathe-cli's `breathe` script in a new venv under `root`; BenchError if it cannot be had."""
    venv = root / "peer-venv"
    uv = shutil.which("uv")
    try:
        if uv:
            subprocess.run([uv, "venv", "-q", str(venv)], check=True, capture_output=True)
            subprocess.run([uv, "pip", "install", "-q", "--python", str(venv / "bin" / "python"),
                            PEER], check=True, capture_output=True, timeout=300)
        else:
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True,
                           capture_output=True)
            subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", PEER],
                           check=True, capture_output=True, timeout=300)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as error:
        raise BenchError(f"{PEER} could not be installed: {error}") from error
    script = venv / "bin" / "breathe"
    if not script.exists():
        raise BenchError(f"{PEER} installed no `breathe` script")
    return script


def run(ctx: Context) -> list[Row]:
    """CPU to the first output, CPU per 30 s of pacing, the whole, peak memory: both, and ratios."""
    try:
        breathe = install(ctx.root)
    except BenchError as error:
        return [not_available(f"peers: {PEER}", "installed", str(error))]
    home = ctx.home("peers")
    pacing.write_practice(home, 6)  # 60 s: breathe-cli's shortest run is a minute
    env = terminal._terminal_env(ctx, home)
    ours = [str(ctx.quietwork), "practice", pacing.PRACTICE_ID, "--no-checkin"]
    theirs = [str(breathe), "--duration", "1", "--ratio", "4-6", "--no-sound", "--no-log",
              "--quiet"]
    terminal._warm(ours, env)
    figures: dict[str, list[tuple[float, float, float]]] = {"quietwork": [], PEER: []}
    for _ in range(QUICK_ROUNDS if ctx.quick else ROUNDS):
        for name, argv in (("quietwork", ours), (PEER, theirs)):
            figures[name].append(_one(argv, env))
    got = {name: tuple(median([f[i] for f in runs]) for i in range(3))
           for name, runs in figures.items()}
    (q_start, q_pace, q_rss), (p_start, p_pace, p_rss) = got["quietwork"], got[PEER]
    q_whole, p_whole = q_start + q_pace, p_start + p_pace
    note = (f"quietwork {q_start:.0f} + {q_pace:.0f} ms, {PEER} {p_start:.0f} + {p_pace:.0f} ms"
            " (start-up + 30 s of pacing)")
    return [
        judged(f"peers: whole 30 s practice CPU ÷ {PEER}", q_whole / p_whole, WHOLE_BUDGET,
               unit="x", figure=f"{q_whole / p_whole:.2f}×", budget=f"≤ {WHOLE_BUDGET:g}×",
               note=note),
        judged(f"peers: CPU to the first cue ÷ {PEER}", q_start / p_start, STARTUP_BUDGET,
               unit="x", figure=f"{q_start / p_start:.2f}×", budget=f"≤ {STARTUP_BUDGET:g}×",
               note=f"{q_start:.0f} vs {p_start:.0f} ms"),
        Row(f"peers: pacing CPU ÷ {PEER}", f"{q_pace / p_pace:.2f}×", "(side by side)", "floor",
            q_pace / p_pace, unit="x", note=f"{q_pace:.0f} vs {p_pace:.0f} ms per 30 s"),
        Row(f"peers: peak memory ÷ {PEER}", f"{q_rss / p_rss:.2f}×", "(side by side)", "floor",
            q_rss / p_rss, unit="x", note=f"{q_rss:.1f} vs {p_rss:.1f} MB"),
    ]


def _one(argv: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """(CPU ms to the first output, CPU ms per 30 s after it, peak MB) of one run on a pty."""
    child = terminal.spawn(argv, env)
    first_at, first_cpu = None, None
    until = time.monotonic() + 120
    while not child.ended and time.monotonic() < until:
        chunk = child.read(until - time.monotonic())
        if first_cpu is None and FIRST_CUE.search(terminal.ANSI.sub(b"", chunk)):
            first_at, first_cpu = time.monotonic(), terminal._cpu_of(child.pid)
    ended = child.finish(timeout=10)
    if first_cpu is None or first_at is None:
        raise BenchError(f"{argv[0]} showed no breathing phase: {child.tail()!r}")
    paced = ended.wall - (first_at - child.started)
    return (first_cpu * 1000, (ended.cpu - first_cpu) / paced * 30 * 1000,
            ended.max_rss_kb / 1024)
