"""Start-up: whole commands against the bare interpreter, and a bare typer app as the floor."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from qwbench.common import Context, Row, interleaved, judged, median, missing, not_available

ROUNDS, QUICK_ROUNDS = 15, 5

# The cheapest CLI typer can make: what `quietwork` pays before any code of its own runs.
# Plain help (rich_markup_mode=None), as quietwork uses: rich help costs about twice that.
FLOOR_APP = '''\
import typer

app = typer.Typer(rich_markup_mode=None)


@app.command()
def hello() -> None:
    """Do nothing: the cost is typer's own."""


app()
'''

# name shown, quietwork arguments, budget (× bare), which floor bounds it
CASES: tuple[tuple[str, tuple[str, ...], float, str], ...] = (
    ("list", ("list",), 8.0, "floor-command"),
    ("checkin --distress 3", ("checkin", "--distress", "3"), 10.0, "floor-command"),
    ("--help", ("--help",), 15.0, "floor-help"),
)

Argv = Sequence[str | Path]


def run(ctx: Context) -> list[Row]:
    """Start-up ratios of `list`, `checkin` and `--help`, medians of interleaved runs."""
    home = ctx.home("startup")
    env = ctx.env(home)
    floor = home / "floor_app.py"
    floor.write_text(FLOOR_APP, encoding="utf-8")
    commands: dict[str, tuple[Argv, Mapping[str, str]]] = {
        "bare": ([ctx.python, "-c", "pass"], env),
        "floor-command": ([ctx.python, floor], env),
        "floor-help": ([ctx.python, floor, "--help"], env),
    }
    absent: dict[str, str] = {}
    for name, args, _, _ in CASES:
        reason = missing(ctx, args[:1]) if args[0] != "--help" else None
        if reason:
            absent[name] = reason
        else:
            commands[name] = ([ctx.quietwork, *args], env)

    times = interleaved(commands, QUICK_ROUNDS if ctx.quick else ROUNDS)
    bare = median(times["bare"])
    ratio = {name: median(samples) / bare for name, samples in times.items()}
    rounds = len(times["bare"])
    rows = [
        Row(
            "start-up: bare `python -c pass`",
            f"{bare * 1000:.1f} ms",
            "baseline",
            "floor",
            bare * 1000,
            unit="ms",
            note=f"median of {rounds}",
        ),
        _floor_row("floor: bare typer app, one command", ratio["floor-command"], times),
        _floor_row("floor: bare typer app --help", ratio["floor-help"], times, "floor-help"),
    ]
    for name, _, limit, floor_name in CASES:
        label = f"start-up: {name}"
        budget = f"≤ {limit:g}×"
        if name in absent:
            rows.append(not_available(label, budget, absent[name]))
            continue
        ms = median(times[name]) * 1000
        rows.append(
            judged(
                label,
                ratio[name],
                limit,
                unit="x bare",
                figure=f"{ratio[name]:.1f}× ({ms:.0f} ms)",
                budget=budget,
                note=_floor_note(ratio[floor_name], limit),
            )
        )
    return rows


def _floor_row(
    label: str, ratio: float, times: Mapping[str, list[float]], key: str = "floor-command"
) -> Row:
    ms = median(times[key]) * 1000
    return Row(label, f"{ratio:.1f}× ({ms:.0f} ms)", "(floor)", "floor", ratio, unit="x bare")


def _floor_note(floor: float, limit: float) -> str:
    """The typer floor beside a budget, and whether the budget is below it."""
    if floor > limit:
        return f"budget is below typer's own floor ({floor:.1f}×)"
    return f"typer floor {floor:.1f}×"
