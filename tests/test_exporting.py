"""log --csv rows, and reading back what log --json wrote: validated whole, problems named."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quietwork.errors import UsageError
from quietwork.exporting import CSV_COLUMNS, to_csv
from quietwork.importing import parse_import
from quietwork.store import Store

AT = "2026-11-22T10:00:00+01:00"


def a_session(**changes: Any) -> dict[str, Any]:
    return {
        "kind": "session", "id": "s1", "practice": "ground", "status": "completed",
        "stop_reason": None, "started_at": AT, "ended_at": "2026-11-22T10:03:00+01:00",
        "checkins": [
            {"id": "c1", "phase": "before", "distress": 6, "at": AT, "state": "activated",
             "body": ["jaw", "chest"], "noticed": [], "note": None, "area": None},
            {"id": "c2", "phase": "after", "distress": 3, "at": AT, "state": None, "body": [],
             "noticed": ["sigh", "yawn"], "note": "lighter, somehow", "area": None},
        ],
    } | changes


def a_checkin(**changes: Any) -> dict[str, Any]:
    return {"kind": "checkin", "id": "k1", "at": AT, "distress": 4, "state": "shut_down",
            "body": ["chest"], "note": 'after the call, "again"'} | changes


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# CSV


def test_csv_has_one_row_per_checkin() -> None:
    text = to_csv([a_checkin(), a_session(), a_session(id="s2", checkins=[], status="stopped",
                                                       stop_reason="user")])
    assert text.splitlines()[0] == ",".join(CSV_COLUMNS)
    standalone, before, after, empty = rows(text)
    assert standalone == {
        "kind": "checkin", "entry_id": "k1", "practice": "", "status": "", "stop_reason": "",
        "started_at": "", "ended_at": "", "phase": "standalone", "at": AT, "distress": "4",
        "state": "shut_down", "body": "chest", "noticed": "", "note": 'after the call, "again"',
        "area": "",
    }
    assert (before["kind"], before["entry_id"], before["practice"], before["phase"]) == (
        "session", "s1", "ground", "before")
    assert (before["distress"], before["body"], before["state"]) == ("6", "jaw;chest", "activated")
    assert (after["noticed"], after["note"]) == ("sigh;yawn", "lighter, somehow")
    assert after["started_at"] == AT and after["status"] == "completed"
    assert (empty["entry_id"], empty["status"], empty["stop_reason"]) == ("s2", "stopped", "user")
    assert (empty["phase"], empty["distress"], empty["at"]) == ("", "", "")


def test_csv_of_nothing_is_the_header() -> None:
    assert to_csv([]) == ",".join(CSV_COLUMNS) + "\n"


# Import: what log --json wrote comes back unchanged


def test_what_log_json_writes_reads_back_the_same(tmp_path: Path) -> None:
    moments = iter(datetime(2026, 11, 22, 10, tzinfo=UTC) + timedelta(minutes=n)
                   for n in range(100))
    with Store.open(tmp_path / "here.db", now=lambda: next(moments)) as here:
        session = here.start_session("exhale")
        here.add_checkin(session, "before", distress=6, state="activated", body=["jaw"])
        here.add_checkin(session, "track", area="belly", noticed=["soft"])
        here.add_checkin(session, "after", distress=3, noticed=["sigh"], note="")
        here.finish_session(session, "stopped", "rising")
        here.add_checkin(None, "standalone", distress=2, note="évening ☾")
        written = json.dumps(here.entries())

    entries = parse_import(written, "backup.json")
    with Store.open(tmp_path / "there.db") as there:
        assert there.import_entries(entries) == (2, 0)
        assert there.import_entries(parse_import(written, "backup.json")) == (0, 2)
        assert there.entries() == json.loads(written)


def test_checkins_without_ids_get_the_same_ids_each_time(tmp_path: Path) -> None:
    # docs/contract.md's example of a session entry leaves out the check-ins' ids.
    text = json.dumps([{
        "kind": "session", "id": "s1", "practice": "ground", "status": "completed",
        "stop_reason": None, "started_at": AT, "ended_at": AT,
        "checkins": [{"phase": "before", "distress": 6, "at": AT},
                     {"phase": "after", "distress": 3, "at": AT, "noticed": ["sigh"],
                      "note": ""}],
    }])
    first, second = parse_import(text, "x.json"), parse_import(text, "x.json")
    ids = [c["id"] for c in first[0]["checkins"]]
    assert ids == [c["id"] for c in second[0]["checkins"]] and len(set(ids)) == 2
    with Store.open(tmp_path / "log.db") as log:
        log.import_entries(first)
        log.import_entries(second)
        (session,) = log.entries()
    assert [(c["phase"], c["distress"]) for c in session["checkins"]] == [
        ("before", 6), ("after", 3)]


def test_timestamps_are_read_in_any_iso_form_and_kept_with_their_offset() -> None:
    (entry,) = parse_import(json.dumps([a_checkin(at="2026-11-22T09:00:00Z")]), "x.json")
    assert entry["at"] == "2026-11-22T09:00:00+00:00"


# Import: the first problem, named


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[{", "backup.json: not JSON: Expecting property name enclosed in double quotes "
               "(line 1, column 3)"),
        ("", "backup.json: not JSON: Expecting value (line 1, column 1)"),
        ('{"entries": []}', "backup.json: not a list of entries"),
        ("[1]", "backup.json: entry 1: "),
        ('[{"id": "x"}]', "backup.json: entry 1: no \"kind\": expected 'session' or 'checkin'"),
        ("[" * 100_000, "backup.json: not JSON: nested too deeply"),
    ],
)
def test_a_file_that_is_not_a_log_is_refused(text: str, message: str) -> None:
    with pytest.raises(UsageError) as refused:
        parse_import(text, "backup.json")
    # The wording after "entry N:" is the validator's (pydantic's); quietwork names the entry.
    assert refused.value.message == message or (
        message.endswith("entry 1: ") and refused.value.message.startswith(message)
    ), refused.value.message


def test_not_json_names_the_line_and_column() -> None:
    text = json.dumps([a_checkin()], indent=2).replace('"distress": 4', '"distress": 4,,')
    with pytest.raises(UsageError, match=r"backup.json: not JSON: .* \(line 6, column 19\)"):
        parse_import(text, "backup.json")


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        (a_session(checkins=[a_session()["checkins"][0] | {"distress": 11}]),
         " (checkins.0.distress): "),
        (a_checkin(distress=-1), " (distress): "),
        (a_checkin(distress="5"), " (distress): "),
        (a_checkin(distress=True), " (distress): "),
        (a_checkin(distress=4.5), " (distress): "),
        (a_checkin(state="shut down"), " (state): "),
        (a_session(status="done"), " (status): "),
        (a_session(stop_reason="bored"), " (stop_reason): "),
        (a_session(checkins=[a_session()["checkins"][0] | {"phase": "standalone"}]),
         " (checkins.0.phase): "),
        (a_checkin(at="2026-11-22T10:00:00"), " (at): the timestamp has no UTC offset"),
        (a_checkin(at="yesterday"), " (at): not an ISO 8601 timestamp"),
        (a_checkin(distres=4), " (distres): "),
        (a_checkin(id=""), " (id): "),
        (a_session(practice=None), " (practice): "),
        (a_checkin(kind="mood"), ": "),
        ({k: v for k, v in a_session().items() if k != "started_at"}, " (started_at): "),
    ],
)
def test_the_first_problem_is_named_with_its_entry_and_field(
    entry: dict[str, Any], problem: str
) -> None:
    text = json.dumps([a_checkin(id="fine-1"), a_session(id="fine-2"), entry, entry])
    with pytest.raises(UsageError) as refused:
        parse_import(text, "backup.json")
    assert refused.value.message.startswith(f"backup.json: entry 3{problem}")


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 12) | st.sampled_from(
        ["session", "checkin", "before", "after", "ground", AT, "completed", "x"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["kind", "id", "practice", "status", "started_at", "checkins", "at",
                         "phase", "distress", "state", "body", "note"]), inner, max_size=6),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(JSON)
def test_any_json_is_either_entries_or_a_usage_error(data: object) -> None:
    try:
        entries = parse_import(json.dumps(data), "x.json")
    except UsageError as error:
        assert error.message.startswith("x.json: ")
    else:
        assert isinstance(entries, list)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"noticed": ["sigh"]}, "entry 1 (noticed): "),
        ({"area": "jaw"}, "entry 1 (area): "),
        ({"distress": None}, "entry 1 (distress): "),
    ],
)
def test_a_standalone_checkin_takes_only_what_log_json_gives_back(
    extra: dict[str, object], message: str
) -> None:
    # Anything imported must come out of `log --json` again: no field is kept unseen.
    entry = {"kind": "checkin", "id": "c1", "at": "2026-11-22T10:00:00+00:00",
             "distress": 4, **extra}
    with pytest.raises(UsageError) as refused:
        parse_import(json.dumps([entry]), "backup.json")
    assert refused.value.message.startswith(f"backup.json: {message}"), refused.value.message
