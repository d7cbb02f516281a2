"""Time as people read it: stored stamps shown in local wall-clock time, days cut at local midnight.

The log stores ISO 8601 with the offset of the moment it was written (and a UTC sort key);
what a person reads is converted to the zone they are in now (the TZ environment variable,
or the system's zone), so an entry written in Tokyo and read in Los Angeles shows its Los
Angeles time and falls on its Los Angeles day.
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, time


def utc_key(moment: datetime | str) -> str:
    """A fixed-width UTC sort key for a time or an ISO 8601 timestamp (naive = local)."""
    if isinstance(moment, str):
        return _utc_key_of(moment)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


@functools.lru_cache(maxsize=1024)
def _utc_key_of(text: str) -> str:
    # An import meets each timestamp about twice (a session's start and its first check-in).
    return datetime.fromisoformat(text).astimezone(UTC).isoformat(timespec="microseconds")


def local(stamp: str) -> datetime:
    """An ISO 8601 timestamp as an aware datetime in the local zone (naive = local)."""
    return datetime.fromisoformat(stamp).astimezone()


def shown(stamp: str | None) -> str:
    """`YYYY-MM-DD HH:MM` in local wall-clock time; empty for no stamp."""
    return local(stamp).strftime("%Y-%m-%d %H:%M") if stamp else ""


def local_day(stamp: str) -> date:
    """The local date an ISO 8601 timestamp falls on."""
    return local(stamp).date()


def midnight_key(day: date) -> str:
    """The UTC sort key of local midnight at the start of `day`."""
    return utc_key(datetime.combine(day, time()))
