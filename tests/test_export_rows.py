"""`log --json` and `log --csv` write the export rows straight out: the same bytes as the entries.

The writers take shortcuts for plain text (cells joined as they are, lists of words
remembered); whatever a log holds, their text is the one `write_json` and `write_csv` give
for the listed entries.
"""

from __future__ import annotations

import csv
import io
import tempfile
from datetime import date
from pathlib import Path
from typing import Any
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from quietwork import exporting, paths
from quietwork.store import Store

from conftest import Result

# Characters a cell must quote or make inert, that JSON escapes, and plain ones.
TEXT = st.text(alphabet=st.sampled_from(list("ab1 ,;\"'\n\r\t=+-@[]\\\x00\x7f\x85é\u202e")),
               max_size=5)
MOMENTS = ("2026-11-20T10:00:00+09:00", "2026-11-22T10:00:00+01:00",
           "2026-11-22T09:00:00+00:00", "2026-11-23T23:59:59-05:00")


@st.composite
def logs(draw: st.DrawFn) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    for number in range(draw(st.integers(0, 6))):
        at = draw(st.sampled_from(MOMENTS))
        if draw(st.booleans()):
            entries.append({
                "kind": "checkin", "id": f"k{number}{draw(TEXT)}", "at": at,
                "distress": draw(st.none() | st.integers(0, 10)),
                "state": draw(st.sampled_from([None, "settled"])),
                "body": draw(st.lists(TEXT, max_size=2)), "note": draw(st.none() | TEXT),
            })
            continue
        checkins = [{
            "id": f"c{number}-{index}{draw(TEXT)}", "phase": "before",
            "distress": draw(st.none() | st.integers(0, 10)), "at": at,
            "state": draw(st.sampled_from([None, "activated"])),
            "body": draw(st.lists(TEXT, max_size=2)), "noticed": draw(st.lists(TEXT, max_size=2)),
            "note": draw(st.none() | TEXT), "area": draw(st.none() | TEXT),
        } for index in range(draw(st.integers(0, 2)))]
        entries.append({
            "kind": "session", "id": f"s{number}{draw(TEXT)}",
            "practice": draw(st.sampled_from(["ground", "=box", "ça"])),
            "status": "completed", "stop_reason": draw(st.sampled_from([None, "user"])),
            "started_at": at, "ended_at": draw(st.sampled_from([None, at])),
            "checkins": checkins,
        })
    return entries


def _written(write: Any, rows: Any, **options: Any) -> str:
    parts: list[str] = []
    write(rows, parts.append, **options)
    return "".join(parts)


@settings(max_examples=60, deadline=None)
@given(logs())
def test_the_rows_written_are_the_entries_written(entries: list[dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as folder, Store.open(Path(folder) / "log.db") as store:
        store.import_entries(entries)
        for choice in ({}, {"limit": 3}, {"practice": "=box"}, {"since": date(2026, 11, 22)},
                       {"practice": "ça", "limit": 1}):
            listed = store.entries(**choice)
            assert list(store.each_entry(**choice)) == listed
            for ascii_only in (False, True):
                assert _written(exporting.write_json_rows, store.each_row(**choice),
                                ascii_only=ascii_only) == _written(
                    exporting.write_json, listed, ascii_only=ascii_only)
            # Stretches of one row, two and many: each row on the quick way where it can.
            for empty_text, batch in ((False, 500), (True, 500), (True, 2), (True, 1)):
                with mock.patch.object(exporting, "_BATCH", batch):
                    assert _written(exporting.write_csv_rows,
                                    store.each_row(empty_text=empty_text, **choice)
                                    ) == exporting.to_csv(listed)


def test_one_odd_entry_among_plain_ones_changes_only_its_own_cells(cli: Any) -> None:
    # More entries than one stretch of rows: the stretch with the formula is written cell
    # by cell, the others joined as they are, and the text is the same as the entries'.
    plain = [{"kind": "checkin", "id": f"k{n:04}", "at": f"2026-11-{1 + n // 100:02}T10:00:00"
              f"+01:00", "distress": n % 11, "state": None, "body": ["chest"],
              "note": "calm"} for n in range(1200)]
    plain[700]["note"] = "-2+3"
    plain[900]["body"] = ["jaw", "@SUM(A1)"]
    with Store.open(paths.db_path()) as store:
        store.import_entries(plain)
        listed = store.entries()
    result: Result = cli("log", "--csv")
    assert result.exit_code == 0, result.output
    assert result.stdout == exporting.to_csv(listed)
    notes = [row["note"] for row in csv.DictReader(io.StringIO(result.stdout))]
    assert notes.count("'-2+3") == 1 and notes.count("calm") == 1199
    assert "jaw;'@SUM(A1)" in result.stdout
