"""Time, one seam per concept: monotonic seconds for pacing, local wall time for the log.

The runner paces from a `Clock` (run/ports.py; SystemClock here, a fake one in tests);
everything that stamps the log takes its wall time from `now` (the store's default).
"""

from __future__ import annotations

import time
from datetime import datetime


def now() -> datetime:
    """The wall-clock time, with the local offset."""
    return datetime.now().astimezone()


class SystemClock:
    """The real pacing clock (implements run.ports.Clock)."""

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back."""
        return time.monotonic()
