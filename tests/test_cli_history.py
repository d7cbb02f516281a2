"""log and stats through the CLI, seeded through the store."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from quietwork import paths
from quietwork.store import Store

from conftest import Result

CLI = Callable[..., Result]


def seed() -> None:
    with Store.open(paths.db_path()) as store:
        for practice, before, after in [
            ("ground", 6, 3), ("ground", 5, 3), ("exhale", 3, 5), ("exhale", 4, 6), ("exhale", 5, 4)
        ]:
            sid = store.start_session(practice)
            store.add_checkin(sid, "before", distress=before)
            store.add_checkin(sid, "after", distress=after, noticed=["sigh"], note="")
            store.finish_session(sid, "completed")
        sid = store.start_session("box")
        store.add_checkin(sid, "before", distress=9)
        store.finish_session(sid, "stopped", "overwhelm")
        store.add_checkin(None, "standalone", distress=4, state="activated", body=["chest"],
                          note="after the call")


def test_empty_log_and_stats_are_friendly(cli: CLI) -> None:
    log = cli("log")
    assert log.exit_code == 0 and "Nothing logged yet" in log.stdout
    stats = cli("stats")
    assert stats.exit_code == 0 and "quietwork practice ground" in stats.stdout
    assert json.loads(cli("log", "--json").stdout) == []


def test_log_table_newest_first(cli: CLI) -> None:
    seed()
    result = cli("log")
    assert result.exit_code == 0, result.output
    rows = [line for line in result.stdout.splitlines()[1:] if line[:4].isdigit()]
    assert "check-in" in rows[0]
    assert "stopped" in rows[1] and "box" in rows[1]
    assert "5 → 4" in rows[2]


def test_log_json_matches_the_contract(cli: CLI) -> None:
    seed()
    entries = json.loads(cli("log", "--json").stdout)
    assert [e["kind"] for e in entries] == ["checkin"] + ["session"] * 6
    checkin = entries[0]
    assert {k: checkin[k] for k in ("distress", "state", "body", "note")} == {
        "distress": 4, "state": "activated", "body": ["chest"], "note": "after the call"}
    stopped = entries[1]
    assert (stopped["practice"], stopped["status"], stopped["stop_reason"]) == (
        "box", "stopped", "overwhelm")
    done = entries[2]
    assert done["status"] == "completed" and done["stop_reason"] is None
    assert [(c["phase"], c["distress"]) for c in done["checkins"]] == [("before", 5), ("after", 4)]
    assert done["checkins"][1]["noticed"] == ["sigh"]
    assert done["started_at"][19] in "+-"  # ISO 8601 with an offset


def test_log_filters(cli: CLI) -> None:
    seed()
    assert len(json.loads(cli("log", "--json", "--limit", "2").stdout)) == 2
    only = json.loads(cli("log", "--json", "--practice", "exhale").stdout)
    assert {e.get("practice") for e in only} == {"exhale"} and len(only) == 3
    assert json.loads(cli("log", "--json", "--since", "2999-01-01").stdout) == []


def test_log_bad_flags_are_usage_errors(cli: CLI) -> None:
    for args, named in [
        (("--since", "yesterday"), "--since"),
        (("--limit", "0"), "--limit"),
        (("--limit", "x"), "--limit"),
        (("--json", "--csv"), "--json and --csv"),
    ]:
        result = cli("log", *args)
        assert result.exit_code == 2, (args, result.output)
        assert named in result.stderr and "Traceback" not in result.output


def test_stats_json_shape_and_means(cli: CLI) -> None:
    seed()
    data = json.loads(cli("stats", "--json").stdout)
    by_id = {row["practice"]: row for row in data["practices"]}
    expected = {"sessions": 2, "completed": 2, "stopped": 0, "interrupted": 0,
                "mean_before": 5.5, "mean_after": 3.0, "mean_change": -2.5}
    assert {key: by_id["ground"][key] for key in expected} == expected
    assert by_id["box"]["stopped"] == 1 and by_id["box"]["mean_change"] is None
    assert [row["practice"] for row in data["practices"]] == ["ground", "exhale", "box"]
    (day,) = data["days"]
    assert {"date", "mean_before", "mean_after", "checkins"} <= set(day)


def test_stats_names_a_practice_that_raised_distress_kindly(cli: CLI) -> None:
    seed()
    result = cli("stats")
    assert result.exit_code == 0, result.output
    assert ("exhale: went up in 2 of 3 rated sessions — other practices may suit you better."
            in " ".join(result.stdout.split()))
    assert "streak" not in result.stdout.lower() and "score" not in result.stdout.lower()


def test_stats_days_out_of_range(cli: CLI) -> None:
    result = cli("stats", "--days", "0")
    assert result.exit_code == 2 and "--days" in result.stderr


def test_filters_that_match_nothing_say_so(cli: CLI) -> None:
    seed()
    assert "No entries match." in cli("log", "--practice", "nosuch").stdout
    assert "No entries match." in cli("log", "--since", "2999-01-01").stdout


def test_the_table_shows_the_mid_rating_a_session_stopped_at() -> None:
    with Store.open(paths.db_path()) as store:
        sid = store.start_session("ground")
        store.add_checkin(sid, "before", distress=5)
        store.add_checkin(sid, "mid", distress=9)
        store.finish_session(sid, "stopped", "overwhelm")
    from conftest import invoke

    row = invoke("log").stdout.splitlines()[1]
    assert "5 → 9 (mid)" in row and "stopped (overwhelm)" in row


def test_importing_the_same_file_twice_adds_nothing(cli: CLI, tmp_path: Path) -> None:
    seed()
    backup = tmp_path / "backup.json"
    backup.write_text(cli("log", "--json").stdout)
    first = cli("import", str(backup))
    assert first.exit_code == 0, first.output
    assert first.stdout == f"Imported 0 entries from {backup} (7 were already here).\n"
    assert len(json.loads(cli("log", "--json").stdout)) == 7
