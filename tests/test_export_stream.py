"""`log --json` and `log --csv` stream the log: the same bytes as building it whole."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from pathlib import Path
from typing import Any

from quietwork import paths
from quietwork.exporting import to_csv, write_json
from quietwork.output import json_unsafe
from quietwork.store import Store

from conftest import Result


def _session(number: int, at: str, *, practice: str = "ground", **extra: Any) -> dict[str, Any]:
    checkins = [
        {"id": f"c{number}a", "phase": "before", "distress": 6, "at": at, "state": "activated",
         "body": ["jaw", "chest"], "noticed": [], "note": None, "area": None},
        {"id": f"c{number}b", "phase": "track", "distress": None, "at": at, "state": None,
         "body": [], "noticed": ["warm"], "note": "ça va \u202e mieux", "area": "jaw"},
    ]
    return {"kind": "session", "id": f"s{number}", "practice": practice,
            "status": "completed", "stop_reason": None, "started_at": at,
            "ended_at": at, "checkins": checkins} | extra


def _fill(store: Store) -> None:
    """Sessions, with and without check-ins, and standalone check-ins at the same moments."""
    same = "2026-11-22T10:00:00+01:00"
    store.import_entries([
        _session(1, same),
        _session(2, "2026-11-23T09:00:00+00:00", practice="box"),
        _session(3, same, checkins=[]),
        {"kind": "checkin", "id": "k1", "at": same, "distress": 4, "state": None,
         "body": ["chest"], "note": "=HYPERLINK(\"http://x\")"},
        {"kind": "checkin", "id": "k2", "at": "2026-11-21T08:00:00-05:00", "distress": 0,
         "state": "settled", "body": [], "note": "after the call \u0085 \x7f"},
        _session(4, "2026-11-20T10:00:00+09:00", status="running", ended_at=None),
    ])


def test_log_json_is_the_same_bytes_as_json_dumps_of_the_whole_list(cli: Any) -> None:
    with Store.open(paths.db_path()) as store:
        _fill(store)
        whole = store.entries()
    expected = json_unsafe(json.dumps(whole, indent=2, ensure_ascii=False)) + "\n"
    result: Result = cli("log", "--json")
    assert result.exit_code == 0, result.output
    assert result.stdout == expected
    assert "\\u202e" in result.stdout and "\\u0085" in result.stdout  # inert on a screen
    assert json.loads(result.stdout) == whole


def test_streamed_entries_are_the_listed_entries_in_the_same_order(tmp_path: Path) -> None:
    with Store.open(tmp_path / "log.db") as store:
        _fill(store)
        for practice in (None, "ground", "box", "nothing"):
            listed = store.entries(practice=practice)
            assert list(store.each_entry(practice=practice)) == listed
            assert list(store.each_entry(practice=practice, limit=2)) == listed[:2]
        assert [e["id"] for e in store.each_entry()][:3] == ["s2", "k1", "s3"]


def test_an_empty_log_is_an_empty_array(cli: Any) -> None:
    assert cli("log", "--json").stdout == "[]\n"
    parts: list[str] = []
    write_json([], parts.append)
    assert "".join(parts) == json.dumps([]) + "\n"


def test_write_json_matches_json_dumps_for_any_nesting() -> None:
    data = [{"a": [], "b": {}, "c": [[1, 2], {"d": None}], "e": True, "f": 1.5, "g": "ü"}]
    parts: list[str] = []
    write_json(data, parts.append)
    assert "".join(parts) == json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def test_every_format_character_is_escaped_in_json() -> None:
    # Why JSON output needs no `clean` pass: every character it would remove is escaped.
    formats = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"]
    text = json.dumps("".join(formats) + "\x7f\x9b", ensure_ascii=False)
    assert json_unsafe(text).isascii()


def test_csv_cells_a_spreadsheet_would_run_begin_with_an_apostrophe(cli: Any) -> None:
    for note in ("=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tlead", "a = b"):
        assert cli("checkin", "--distress", "3", "--note", note).exit_code == 0
    result = cli("log", "--csv")
    assert result.exit_code == 0, result.output
    notes = {row["note"] for row in csv.DictReader(io.StringIO(result.stdout))}
    assert {"'=1+1", "'+cmd|' /C calc'!A0", "'-2+3", "'@SUM(A1)", "a = b"} <= notes
    assert not any(note.startswith(("=", "+", "-", "@", "\t")) for note in notes)


def test_csv_of_listed_entries_equals_the_streamed_csv(cli: Any) -> None:
    with Store.open(paths.db_path()) as store:
        _fill(store)
        whole = to_csv(store.entries())
    result = cli("log", "--csv")
    assert result.stdout == whole
    assert "'=HYPERLINK" in whole
