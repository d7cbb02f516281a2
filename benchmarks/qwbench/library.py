"""`list` with 500 practice files of the person's own, over an empty folder."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

from qwbench.common import BenchError, Context, Row, judged, median, output_of, run_once

FILES = 500
ROUNDS, QUICK_ROUNDS = 9, 3
# Cold: each file read, parsed and validated. Warm: each file's stat against the cache;
# a budget of its own, so that a cache that stopped working cannot hide under the cold one.
BUDGET_MS = {"cold": 0.6, "warm": 0.1}

# A realistic practice file (about the size of the built-ins): what `list` has to read.
TEMPLATE = """\
# A practice of my own, number {number}.
title: My practice {number}
summary: Breathe out a little longer than you breathe in, about 4 in and 6 out.
tags: [breath, calming, mine]
suits: [activated, settled]
avoid_when: [shut_down]
safety: >-
  If slow breathing makes you light-headed, dizzy or short of air, stop and breathe
  normally.
steps:
  - say: You can keep your eyes open, or let your gaze rest softly on one spot.
    seconds: 8
  - say: Breathe in for about 4, and out for about 6. Roughly is fine.
    seconds: 8
  - breathe: {{inhale: 4, exhale: 6, breaths: {breaths}}}
  - say: Let your breath go back to its own rhythm.
    seconds: 8
  - checkin: How much distress do you feel now, 0 to 10?
"""


def run(ctx: Context) -> list[Row]:
    """Per-file cost of `list`, with its cache removed before each run (cold) and kept (warm)."""
    empty, full = ctx.home("list-empty"), ctx.home("list-full")
    (empty / "practices").mkdir()
    _write_practices(full / "practices")
    envs = {"empty": ctx.env(empty), "full": ctx.env(full)}
    argv: list[Path | str] = [ctx.quietwork, "list"]
    _check_listed(output_of(argv, envs["full"]))
    times = _timed(argv, envs, {"empty": empty, "full": full}, ctx.quick)
    return [_row(kind, times) for kind in ("cold", "warm")]


def _write_practices(folder: Path) -> None:
    folder.mkdir(parents=True)
    for number in range(FILES):
        text = TEMPLATE.format(number=number, breaths=6 + number % 7)
        (folder / f"mine-{number:03d}.yaml").write_text(text, encoding="utf-8")


def _check_listed(text: str) -> None:
    """Measure `list` only once it really lists every file (not an error path)."""
    listed = sum(1 for line in text.splitlines() if line.startswith("mine-"))
    if listed != FILES:
        raise BenchError(f"`list` showed {listed} of the {FILES} practice files")


def _timed(
    argv: list[Path | str],
    envs: Mapping[str, Mapping[str, str]],
    homes: Mapping[str, Path],
    quick: bool,
) -> dict[str, list[float]]:
    """Interleaved rounds of: empty cold, full cold, empty warm, full warm."""
    for env in envs.values():  # untimed: bytecode, and the page cache of the files
        run_once(argv, env)
    times: dict[str, list[float]] = {}
    for _ in range(QUICK_ROUNDS if quick else ROUNDS):
        for kind in ("cold", "warm"):
            for which in ("empty", "full"):
                if kind == "cold":
                    # The cache that `list` keeps by stat; the next run rebuilds it.
                    shutil.rmtree(homes[which] / "cache", ignore_errors=True)
                times.setdefault(f"{which}-{kind}", []).append(run_once(argv, envs[which]))
    return times


def _row(kind: str, times: Mapping[str, list[float]]) -> Row:
    empty, full = median(times[f"empty-{kind}"]), median(times[f"full-{kind}"])
    per_file = (full - empty) / FILES * 1000
    cache = "cache removed before each run" if kind == "cold" else "cache kept"
    return judged(
        f"list: {FILES} files, {kind}",
        per_file,
        BUDGET_MS[kind],
        unit="ms/file",
        figure=f"{per_file:.3f} ms/file",
        budget=f"≤ {BUDGET_MS[kind]:g} ms/file",
        note=f"{full * 1000:.0f} vs {empty * 1000:.0f} ms empty; {cache}",
    )
