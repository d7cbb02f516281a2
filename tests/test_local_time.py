"""What people read is in local time: `log`, `stats` and `--since`, under several TZ values.

Each case runs the CLI as a separate process with the TZ environment variable set, as a
person in that zone would; the stored and exported stamps keep their own offsets.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from histories import CLI, bring_in, checkin, hours_ago, session

from conftest import run_subprocess

WRITTEN = "2026-12-01T07:25:00+00:00"  # in Los Angeles, 23:25 on the evening before

ZONES = {
    "America/Los_Angeles": "2026-11-30 23:25",
    "Asia/Tokyo": "2026-12-01 16:25",
    "Pacific/Kiritimati": "2026-12-01 21:25",  # +14:00
    "UTC": "2026-12-01 07:25",
}


def in_zone(zone: str, *args: str) -> str:
    result = run_subprocess(*args, env={"TZ": zone, "COLUMNS": "120"})
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def one_session(cli: CLI, tmp_path: Path) -> None:
    bring_in(cli, tmp_path, [session("ground", datetime.fromisoformat(WRITTEN),
                                     [("before", 6), ("after", 3)])])


@pytest.mark.parametrize("zone", ZONES)
def test_log_shows_local_wall_clock_time(zone: str, one_session: None) -> None:
    table = in_zone(zone, "log")
    assert ZONES[zone] in table
    if zone != "UTC":
        assert "07:25" not in table


@pytest.mark.parametrize("zone", ZONES)
def test_since_is_a_local_date(zone: str, one_session: None) -> None:
    local_date = ZONES[zone][:10]
    assert len(json.loads(in_zone(zone, "log", "--json", "--since", local_date))) == 1
    day_after = {"2026-11-30": "2026-12-01", "2026-12-01": "2026-12-02"}[local_date]
    assert json.loads(in_zone(zone, "log", "--json", "--since", day_after)) == []


def test_in_los_angeles_the_evening_is_not_tomorrow(one_session: None) -> None:
    assert json.loads(in_zone("America/Los_Angeles", "log", "--json", "--since",
                              "2026-12-01")) == []


@pytest.mark.parametrize("zone", ZONES)
def test_exported_stamps_keep_their_offsets(zone: str, one_session: None) -> None:
    (entry,) = json.loads(in_zone(zone, "log", "--json"))
    assert entry["started_at"] == WRITTEN


@pytest.mark.parametrize("zone", ZONES)
def test_stats_days_are_cut_at_local_midnight(zone: str, cli: CLI, tmp_path: Path) -> None:
    # Recent moments around the clock, so that in most zones some fall on another local
    # date than their UTC date; the expected dates come from zoneinfo, not from quietwork.
    moments = [hours_ago(hours) for hours in (1, 7, 13, 19, 25, 31)]
    bring_in(cli, tmp_path, [
        *(session("ground", moment, [("before", 5), ("after", 3)]) for moment in moments),
        checkin(hours_ago(4), 4),
    ])
    data = json.loads(in_zone(zone, "stats", "--json", "--days", "7"))
    expected: dict[str, int] = {}
    for moment in moments:
        day = moment.astimezone(ZoneInfo(zone)).date().isoformat()
        expected[day] = expected.get(day, 0) + 1
    assert {d["date"]: d["sessions"] for d in data["days"] if d["sessions"]} == expected
    checkin_day = hours_ago(4).astimezone(ZoneInfo(zone)).date().isoformat()
    assert [d["date"] for d in data["days"] if d["checkins"]] == [checkin_day]


def test_an_evening_in_los_angeles_is_filed_under_that_evening(cli: CLI, tmp_path: Path) -> None:
    # Written at 07:25 UTC: the UTC date is the day after the Los Angeles date.
    written = hours_ago(30).replace(hour=7, minute=25, second=0)
    bring_in(cli, tmp_path, [session("box", written, [("before", 6), ("after", 3)])])
    (day,) = json.loads(in_zone("America/Los_Angeles", "stats", "--json"))["days"]
    assert day["date"] == written.astimezone(ZoneInfo("America/Los_Angeles")).date().isoformat()
    assert day["date"] != written.date().isoformat()


def test_the_report_shows_local_times_and_names_the_zone(cli: CLI, tmp_path: Path) -> None:
    bring_in(cli, tmp_path, [checkin(datetime.fromisoformat(WRITTEN), 4)])
    report = in_zone("America/Los_Angeles", "report", "--days", "3650")
    assert "2026-11-30 23:25" in report and "07:25" not in report
    assert "UTC-08:00" in report
