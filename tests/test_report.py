"""`quietwork report`: Markdown by default, one self-contained page with --html."""

from __future__ import annotations

import json
import re
import stat
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from histories import CLI, bring_in, checkin, hours_ago, session, words

SECRET = "walked-the-dog-after"
HOSTILE = '<script>alert(1)</script> ![x](http://tracker.example/p.png) <img src="x"> | & "'


class Tags(HTMLParser):
    """The tag and attribute names of a page, and its inline CSS."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()
        self.attributes: set[str] = set()
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.names.add(tag)
        self.attributes |= {name for name, _ in attrs}
        self.style += " ".join(value or "" for name, value in attrs if name == "style")
        self._in_style = tag == "style"

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style += data

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False


def history(cli: CLI, tmp_path: Path) -> None:
    bring_in(cli, tmp_path, [
        session("ground", hours_ago(80), [("before", 5), ("after", 3)], note=SECRET),
        session("ground", hours_ago(60), [("before", 2), ("after", 9)]),
        session("ground", hours_ago(40), [("before", 6), ("after", 2)], note=HOSTILE),
        session("box", hours_ago(30), [("before", 4), ("mid", 9)], status="stopped",
                stop_reason="overwhelm"),
        session("box", hours_ago(20), [("before", 3), ("after", 6)]),
        session("box", hours_ago(10), [("before", 5), ("after", 2)]),
        session("exhale", hours_ago(5), [("before", 5)], status="stopped", stop_reason="user"),
        session("exhale", hours_ago(4), [("before", 6), ("mid", 4)], status="interrupted"),
        checkin(hours_ago(3), 4, state="activated", body=["chest"], note=HOSTILE + SECRET),
        session("track", hours_ago(24 * 40), [("before", 5), ("after", 1)]),  # outside 30 days
    ])


def table_rows(markdown: str) -> dict[str, list[str]]:
    """The Practices table of a Markdown report, by practice."""
    section = markdown.split("## Practices", 1)[1].split("##", 1)[0]
    rows = [line.strip("|").split("|") for line in section.splitlines() if line.startswith("| ")]
    _header, *body = [[cell.strip() for cell in row] for row in rows]
    return {row[0]: row for row in body}


def test_markdown_opens_with_the_privacy_note_and_counts_every_session(
    cli: CLI, tmp_path: Path
) -> None:
    history(cli, tmp_path)
    result = cli("report")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line]
    assert lines[0].startswith("# quietwork report, ")
    assert lines[1].startswith("> **Private.") and "channel the person trusts" in lines[1]
    rows = table_rows(result.stdout)
    assert set(rows) == {"ground", "box", "exhale"}  # track is older than 30 days
    #            sessions completed choice rating interrupted rated down stayed up median mean
    assert rows["box"][1:] == ["3", "2", "0", "1", "0", "3", "1", "0", "2", "+3.0", "+1.7"]
    assert rows["exhale"][1:] == ["2", "0", "1", "0", "1", "1", "1", "0", "0", "-2.0", "-2.0"]
    text = words(result.stdout)
    assert "ground: came down in 2 of 3 rated sessions." in text
    assert ("box: went up in 2 of 3 rated sessions — other practices may suit the person "
            "better; stopped once when it reached 9, at or above the rating set to stop a "
            "practice.") in text
    assert "## Distress over time" in result.stdout and "█" in result.stdout
    assert "## Check-ins outside practices" in result.stdout and "activated" in text


def test_notes_only_with_notes(cli: CLI, tmp_path: Path) -> None:
    history(cli, tmp_path)
    without = cli("report").stdout
    assert SECRET not in without and "alert" not in without and "no notes" in without
    with_notes = cli("report", "--notes").stdout
    assert with_notes.count(SECRET) == 2  # in a practice, and with the check-in


def test_markdown_escapes_what_a_person_wrote(cli: CLI, tmp_path: Path) -> None:
    history(cli, tmp_path)
    report = cli("report", "--notes").stdout
    noted = [line for line in report.splitlines() if "alert" in line]
    assert len(noted) == 2
    for line in noted:
        # No tag, image or link a Markdown viewer would act on; no extra table column.
        assert not re.search(r"(?<!\\)[<>\[\]!]", line.replace("| ", "").replace(" |", ""))
        assert r"\<script\>" in line and r"\!\[x\](http" in line and r"\|" in line


def test_stats_json_and_report_agree_with_log_json(cli: CLI, tmp_path: Path) -> None:
    history(cli, tmp_path)
    entries = json.loads(cli("log", "--json", "--since", hours_ago(24 * 29).date().isoformat())
                         .stdout)
    expected: dict[str, dict[str, Any]] = {}
    for entry in (e for e in entries if e["kind"] == "session"):
        row = expected.setdefault(entry["practice"], {"sessions": 0, "changes": [],
                                                      "completed": 0, "interrupted": 0})
        row["sessions"] += 1
        row[entry["status"]] = row.get(entry["status"], 0) + 1
        befores = [c["distress"] for c in entry["checkins"] if c["phase"] == "before"]
        later = [c["distress"] for c in entry["checkins"] if c["phase"] in ("mid", "after")]
        if befores and later:
            row["changes"].append(later[-1] - befores[0])
    stats = {row["practice"]: row for row in json.loads(cli("stats", "--json").stdout)["practices"]}
    report = table_rows(cli("report").stdout)
    assert set(stats) == set(report) == set(expected)
    for practice, row in expected.items():
        changes = row["changes"]
        mean = round(sum(changes) / len(changes), 2)
        assert (stats[practice]["sessions"], stats[practice]["completed"],
                stats[practice]["interrupted"], stats[practice]["rated"],
                stats[practice]["mean_change"]) == (
            row["sessions"], row["completed"], row["interrupted"], len(changes), mean)
        assert report[practice][1:3] == [str(row["sessions"]), str(row["completed"])]
        assert report[practice][5:7] == [str(row["interrupted"]), str(len(changes))]
        assert report[practice][11] == f"{mean:+.1f}"


def test_html_is_one_private_self_contained_page(cli: CLI, tmp_path: Path) -> None:
    history(cli, tmp_path)
    page = tmp_path / "report.html"
    result = cli("report", "--notes", "--html", str(page))
    assert result.exit_code == 0, result.output
    assert str(page) in result.stdout and "channel you trust" in result.stdout
    assert stat.S_IMODE(page.stat().st_mode) == 0o600
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "<svg" in text and "<style>" in text
    lowered = text.lower()
    assert "<script" not in lowered and "<img" not in lowered and "<link" not in lowered
    tags = Tags()
    tags.feed(text)
    assert not {"script", "img", "link", "iframe", "object", "embed", "base"} & tags.names
    assert not {"src", "href", "xlink:href", "srcset", "action"} & tags.attributes
    assert "url(" not in tags.style and "@import" not in tags.style
    assert not re.search(r"https?:", lowered.replace("http://tracker.example", ""))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "&lt;img src=&quot;x&quot;&gt;" \
        in text
    body = text.split("<body>", 1)[1]
    assert body.index("Private.") < body.index("<h2>")  # the privacy note comes first


def test_html_without_notes_leaves_them_out(cli: CLI, tmp_path: Path) -> None:
    history(cli, tmp_path)
    page = tmp_path / "report.html"
    assert cli("report", "--html", str(page)).exit_code == 0
    assert SECRET not in page.read_text(encoding="utf-8")


def test_an_unwritable_html_file_is_one_line_error(cli: CLI, tmp_path: Path) -> None:
    result = cli("report", "--html", str(tmp_path / "no" / "such" / "folder" / "r.html"))
    assert result.exit_code == 1 and "cannot write" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("days", ["0", "3651", "x"])
def test_days_out_of_range(cli: CLI, days: str) -> None:
    result = cli("report", "--days", days)
    assert result.exit_code == 2 and "--days" in result.stderr


def test_an_empty_log_gives_a_report_that_says_so(cli: CLI) -> None:
    result = cli("report")
    assert result.exit_code == 0, result.output
    assert "No practice sessions in these days." in result.stdout
