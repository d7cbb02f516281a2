"""Time as people read it: stored stamps shown in local wall-clock time, days cut at local midnight.

The log stores ISO 8601 with the offset of the moment it was written (and a UTC sort key);
what a person reads is converted to the zone they are in now (the TZ environment variable,
or the system's zone), so an entry written in Tokyo and read in Los Angeles shows its Los
Angeles time and falls on its Los Angeles day.
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, time, timedelta


def utc_key(moment: datetime | str) -> str:
    """A fixed-width UTC sort key for a time or an ISO 8601 timestamp (naive = local)."""
    if isinstance(moment, str):
        return _utc_key_of(moment)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


@functools.lru_cache(maxsize=1024)
def _utc_key_of(text: str) -> str:
    # An import meets each timestamp about twice (a session's start and its first check-in).
    moment = datetime.fromisoformat(text)  # a malformed stamp is a ValueError either way
    if len(text) == 25 and text[10] == "T" and text[19:] == "+00:00":
        # Already UTC, to the second, as quietwork writes it where the clock is UTC: the
        # key without converting and formatting again (an import of 200,000 entries meets
        # over half a million stamps).
        return f"{text[:19]}.000000+00:00"
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


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


def zone_name() -> str | None:
    """The IANA name of the local zone (`America/Los_Angeles`), when it can be known: from
    TZ, or else from where /etc/localtime points; None otherwise (a POSIX TZ string)."""
    import os

    given = os.environ.get("TZ")
    if given is not None:
        name = given.removeprefix(":")
        return name if _is_zone(name) else None
    try:
        target = os.path.realpath("/etc/localtime")
    except OSError:  # pragma: no cover - realpath does not raise for a missing file
        return None
    _, found, name = target.partition("/zoneinfo/")
    return name if found and _is_zone(name) else None


def _is_zone(name: str) -> bool:
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(name)
    except (ValueError, zoneinfo.ZoneInfoNotFoundError):
        return False
    return bool(name)


def zone_over(first: date, last: date) -> str:
    """The local zone over the days `first` to `last`, right for each of them:
    `America/Los_Angeles: PDT (UTC-07:00) to 2026-10-31, PST (UTC-08:00) from 2026-11-01`;
    `PST (UTC-08:00)` when it has one offset and no name is known."""
    runs: list[tuple[date, date, str, str]] = []  # first day, last day, abbreviation, said
    day = first
    while day <= last:
        noon = datetime.combine(day, time(12)).astimezone()
        offset = noon.strftime("%z")
        said = f"{noon.strftime('%Z')} (UTC{offset[:3]}:{offset[3:]})"
        if runs and runs[-1][3] == said:
            runs[-1] = (runs[-1][0], day, runs[-1][2], said)
        else:
            runs.append((day, day, noon.strftime("%Z"), said))
        day += timedelta(days=1)
    name = zone_name()
    if len(runs) == 1:
        abbreviation, said = runs[0][2], runs[0][3]
        if name is None or name.rpartition("/")[2] == abbreviation:  # UTC, Etc/UTC
            return said
        return f"{name}, {said}"
    if len(runs) > 3:  # years of clock changes: which offsets, not every date
        offsets = " or ".join(dict.fromkeys(said for *_, said in runs)) + ", as on each date"
    else:
        dated = [f"{runs[0][3]} to {runs[0][1].isoformat()}"]
        dated += [f"{said} {start.isoformat()} to {end.isoformat()}"
                  for start, end, _, said in runs[1:-1]]
        dated.append(f"{runs[-1][3]} from {runs[-1][0].isoformat()}")
        offsets = ", ".join(dated)
    return offsets if name is None else f"{name}: {offsets}"
