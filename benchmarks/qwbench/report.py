"""`report --html` over 1,000 sessions spread over 90 days."""

from __future__ import annotations

from datetime import datetime

from qwbench import history
from qwbench.common import BenchError, Context, Row, interleaved, judged, median, missing, skipped

SESSIONS, DAYS = 1_000, 90
ROUNDS, QUICK_ROUNDS = 7, 3
BUDGET_MS = 300.0


def run(ctx: Context) -> list[Row]:
    """The whole command's wall time (median of interleaved runs), against an empty log."""
    name, budget = f"report --html: {SESSIONS:,} sessions over {DAYS} days", f"≤ {BUDGET_MS:g} ms"
    reason = missing(ctx, ["report"], ["--html"])
    if reason:
        # Being written on another branch: this starts measuring once it is merged.
        return [skipped(name, budget, f"{reason} (measured once it exists)")]
    empty, full = ctx.home("report-empty"), ctx.home("report-full")
    _fill(full)
    commands = {
        which: ([ctx.quietwork, "report", "--days", str(DAYS), "--html", home / "report.html"],
                ctx.env(home))
        for which, home in (("empty", empty), ("full", full))
    }
    times = interleaved(commands, QUICK_ROUNDS if ctx.quick else ROUNDS)
    ms = median(times["full"]) * 1000
    return [judged(name, ms, BUDGET_MS, unit="ms", figure=f"{ms:.0f} ms", budget=budget,
                   note=f"{median(times['empty']) * 1000:.0f} ms on an empty log")]


def _fill(home: object) -> None:
    from pathlib import Path

    path = Path(str(home)) / "quietwork.db"
    entries = history._entries(SESSIONS, datetime.now().astimezone())
    try:
        from quietwork.store import Store
    except ImportError as error:
        raise BenchError(f"cannot import quietwork.store: {error}") from error
    with Store.open(path) as store:
        store.import_entries(entries)
