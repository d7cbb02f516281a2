"""`report --days 90` (Markdown and --html) of a 90-day log with 1,000 sessions."""

from __future__ import annotations

from pathlib import Path

from qwbench import history
from qwbench.common import BenchError, Context, Row, interleaved, judged, median

SESSIONS = 1_000
ROUNDS, QUICK_ROUNDS = 7, 3
BUDGET_MS = 500.0  # the whole command, start-up included: "well under a second"


def run(ctx: Context) -> list[Row]:
    """The wall time of each report form, start to exit."""
    home = ctx.home("report")
    try:
        from quietwork.store import Store
    except ImportError as error:  # the benchmark runs in the project's venv
        raise BenchError(f"cannot import quietwork.store: {error}") from error
    from datetime import datetime

    with Store.open(home / "quietwork.db") as store:
        store.import_entries(history._entries(SESSIONS, datetime.now().astimezone()))
    page = Path(home) / "report.html"
    commands = {
        "report --days 90": ([ctx.quietwork, "report", "--days", "90"], ctx.env(home)),
        "report --days 90 --html": (
            [ctx.quietwork, "report", "--days", "90", "--notes", "--html", str(page)],
            ctx.env(home),
        ),
    }
    times = interleaved(commands, QUICK_ROUNDS if ctx.quick else ROUNDS)
    rows = []
    for name in commands:
        ms = median(times[name]) * 1000
        rows.append(judged(f"{name}: {SESSIONS:,} sessions over 90 days", ms, BUDGET_MS,
                           unit="ms", figure=f"{ms:.0f} ms", budget=f"≤ {BUDGET_MS:g} ms"))
    return rows
