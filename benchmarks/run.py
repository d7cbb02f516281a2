"""Run quietwork's benchmarks on the installed CLI and print figures against their budgets.

    uv run python benchmarks/run.py            # everything, about 3 minutes
    uv run python benchmarks/run.py --quick    # a shorter run for CI
    uv run python benchmarks/run.py --large    # also 200,000 entries in bulk (minutes)
    uv run python benchmarks/run.py --peers    # also side by side with breathe-cli
    uv run python benchmarks/run.py --only startup --only list
    uv run python benchmarks/run.py --json figures.json

Exit 0 when every budget holds, 1 when any is over or could not be measured.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

# run.py is started as a script: its folder, holding the qwbench package, is on sys.path.
from qwbench import bulk, chooser, history, library, pacing, peers, report, startup, terminal
from qwbench.common import BenchError, Context, Row

Benchmark = Callable[[Context], list[Row]]

BENCHMARKS: dict[str, tuple[Benchmark, str]] = {
    "startup": (startup.run, "start-up ÷ bare python, with a bare typer app as the floor"),
    "pacing": (pacing.run, "phase-line arrival times of a paced practice in plain mode"),
    "terminal": (terminal.run_pacing, "CPU and bytes of a 30 s practice on a pseudo-terminal"),
    "stop": (terminal.run_stop, "stop key to the stop screen, the worst of several tries"),
    "list": (library.run, "`list` with 500 practice files, cold and warm cache"),
    "history": (history.run, "`stats --json` and `log --limit 20` with 20,000 sessions"),
    "bulk": (bulk.run, "`import`, `log --json`, `log --csv` at 2k and 20k entries (200k: --large)"),
    "report": (report.run, "`report --html` with 1,000 sessions over 90 days"),
    "chooser": (chooser.run, "the chooser's read and ranking of 20,000 sessions"),
}
OPTIONAL: dict[str, tuple[Benchmark, str]] = {
    "peers": (peers.run, "side by side with breathe-cli, installed into a temporary venv"),
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the chosen benchmarks, print the table (and JSON when asked); the exit code."""
    args = _parse(argv)
    chosen = args.only or [*BENCHMARKS, *(["peers"] if args.peers else [])]
    out: TextIO = sys.stderr if args.json == "-" else sys.stdout
    _preamble(out, args.quick)
    rows: list[Row] = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="quietwork-bench-") as root:
        ctx = Context(quick=args.quick, root=Path(root), large=args.large)
        if not ctx.quietwork.exists():
            print(f"no installed CLI at {ctx.quietwork}: run `uv sync` first", file=out)
            return 1
        for name in chosen:
            rows.extend(_run_one(name, ctx, out))
    _table(rows, out)
    failed = [row for row in rows if row.failed]
    _verdict(failed, out, time.monotonic() - started)
    if args.json:
        _write_json(args.json, rows, args.quick, chosen)
    return 1 if failed else 0


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="benchmarks/run.py",
        description="quietwork's benchmarks: figures of the installed CLI against budgets.",
    )
    parser.add_argument(
        "--quick", action="store_true", help="fewer repeats and a 10 s pacing run (for CI)"
    )
    parser.add_argument(
        "--large", action="store_true",
        help="also 200,000 entries in the bulk benchmark, with issue 17's budgets (minutes)",
    )
    parser.add_argument(
        "--peers", action="store_true",
        help="also run side by side with breathe-cli (installed into a temporary venv)",
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=[*BENCHMARKS, *OPTIONAL],
        metavar="NAME",
        help=f"run only this benchmark (repeatable): {', '.join(BENCHMARKS)}",
    )
    parser.add_argument(
        "--json", metavar="FILE", help="also write the figures as JSON to FILE ('-': stdout)"
    )
    return parser.parse_args(argv)


def _preamble(out: TextIO, quick: bool) -> None:
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(
        f"quietwork benchmarks{' (quick)' if quick else ''}: Python {platform.python_version()},"
        f" {os.cpu_count()} cores, load {load}",
        file=out,
    )
    print(
        "Children run as a user's shell would start them: without PYTHONDONTWRITEBYTECODE,\n"
        "PYTHONUNBUFFERED, PYTHONPATH; each command is run once, untimed, to write its\n"
        "bytecode before timing. Every run has its own temporary QUIETWORK_HOME.\n",
        file=out,
    )


def _run_one(name: str, ctx: Context, out: TextIO) -> list[Row]:
    function, what = {**BENCHMARKS, **OPTIONAL}[name]
    print(f"· {name}: {what} …", file=out, flush=True)
    started = time.monotonic()
    try:
        rows = function(ctx)
    except BenchError as error:
        rows = [Row(name, f"not available: {error}", "", "n/a")]
    print(f"  {time.monotonic() - started:.1f} s", file=out, flush=True)
    return rows


def _table(rows: Sequence[Row], out: TextIO) -> None:
    header = ("benchmark", "figure", "budget", "result", "note")
    cells = [header, *[(r.name, r.figure, r.budget, r.status, r.note) for r in rows]]
    widths = [max(len(cell[i]) for cell in cells) for i in range(len(header) - 1)]
    print(file=out)
    for index, cell in enumerate(cells):
        line = " | ".join(text.ljust(width) for text, width in zip(cell, widths, strict=False))
        print(f"{line} | {cell[-1]}".rstrip(" |"), file=out)
        if index == 0:
            print("-+-".join("-" * width for width in widths) + "-+-" + "-" * 4, file=out)


def _verdict(failed: Sequence[Row], out: TextIO, seconds: float) -> None:
    print(file=out)
    if not failed:
        print(f"Every budget holds ({seconds:.0f} s).", file=out)
        return
    print(f"{len(failed)} budget(s) do not hold ({seconds:.0f} s):", file=out)
    for row in failed:
        print(f"  {row.status}: {row.name}: {row.figure} (budget {row.budget})", file=out)


def _write_json(target: str, rows: Sequence[Row], quick: bool, chosen: Sequence[str]) -> None:
    data: dict[str, Any] = {
        "python": platform.python_version(),
        "cores": os.cpu_count(),
        "load": os.getloadavg(),
        "quick": quick,
        "benchmarks": list(chosen),
        "ok": not any(row.failed for row in rows),
        "rows": [
            {
                "name": row.name,
                "value": row.value,
                "unit": row.unit,
                "limit": row.limit,
                "status": row.status,
                "figure": row.figure,
                "budget": row.budget,
                "note": row.note,
            }
            for row in rows
        ],
    }
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if target == "-":
        sys.stdout.write(text)
    else:
        Path(target).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
