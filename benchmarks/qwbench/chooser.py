"""The chooser's reading of the log: 20,000 sessions over 90 days, over an empty log.

What choosing a state adds before the list appears: the log's recent entries
(quietwork.run.choose.logged_history) and the ranking of them (from_history), timed in
this process with QUIETWORK_HOME pointing at each log in turn.
"""

from __future__ import annotations

import os
import time
from datetime import datetime
from pathlib import Path

from qwbench import history
from qwbench.common import BenchError, Context, Row, judged, median

SESSIONS = 20_000
ROUNDS, QUICK_ROUNDS = 15, 5
BUDGET_MS = 50.0
STATES = ("activated", "settled", "shut_down")


def run(ctx: Context) -> list[Row]:
    """The median time of reading and ranking, full log minus empty log."""
    empty, full = ctx.home("chooser-empty"), ctx.home("chooser-full")
    try:
        from quietwork.catalog import discover
        from quietwork.run.choose import from_history, logged_history
        from quietwork.store import Store
    except ImportError as error:  # the benchmark runs in the project's venv
        raise BenchError(f"cannot import quietwork: {error}") from error
    with Store.open(full / "quietwork.db") as store:
        store.import_entries(history._entries(SESSIONS, datetime.now().astimezone()))
    found, _ = discover().summaries()
    saved = os.environ.get("QUIETWORK_HOME")

    def once(home: Path, state: str) -> float:
        os.environ["QUIETWORK_HOME"] = str(home)
        started = time.perf_counter()
        from_history(logged_history(), found, state)
        return time.perf_counter() - started

    times: dict[Path, list[float]] = {empty: [], full: []}
    try:
        once(empty, "activated")  # creates and migrates the empty log, untimed
        for i in range(QUICK_ROUNDS if ctx.quick else ROUNDS):
            for home in (empty, full):
                times[home].append(once(home, STATES[i % len(STATES)]))
    finally:
        if saved is None:
            os.environ.pop("QUIETWORK_HOME", None)
        else:
            os.environ["QUIETWORK_HOME"] = saved
    base, worst = median(times[empty]), median(times[full])
    extra = (worst - base) * 1000
    return [judged(
        f"chooser's history: {SESSIONS:,} sessions over 90 days",
        extra,
        BUDGET_MS,
        unit="ms over empty",
        figure=f"+{extra:.0f} ms",
        budget=f"≤ {BUDGET_MS:g} ms over empty",
        note=f"{worst * 1000:.0f} vs {base * 1000:.0f} ms on an empty log",
    )]
