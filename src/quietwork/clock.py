"""The system clock: monotonic seconds for pacing, local wall time for the log."""

from __future__ import annotations

import time
from datetime import datetime


class SystemClock:
    """The real clock (implements seams.Clock)."""

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back."""
        return time.monotonic()

    def now(self) -> datetime:
        """The wall-clock time, with the local offset."""
        return datetime.now().astimezone()
