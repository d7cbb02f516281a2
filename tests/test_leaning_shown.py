"""Which way a practice's check-ins leaned and where in the body the person felt it (the
full check-in's "Which way does it lean?" and "Where do you notice it in your body?", or
the leaning given when choosing a practice) are in what people read, `log` and `report`,
with the labels a check-in outside a practice has, and not only in `log --json`
(docs/using.md, "The log" and "A report for your clinician")."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from histories import CLI, bring_in, checkin, hours_ago, log_at, session, words
from practices import MID, add_practices

DOWN = "\x1b[B"
SAID = ("before (shut down), body: chest, throat; mid, body: belly; after (settled); "
        "noticed: sigh; note: lighter after the call")


def answered(practice: str, hours: float) -> dict[str, Any]:
    """A session rated 6 → 5 → 3 whose check-ins say which way it leaned and where."""
    entry = session(practice, hours_ago(hours), [("before", 6), ("mid", 5), ("after", 3)],
                    state="shut_down", note="lighter after the call")
    before, mid, after = entry["checkins"]
    before["body"], mid["body"] = ["chest", "throat"], ["belly"]
    after["state"], after["noticed"] = "settled", ["sigh"]
    # A track step's area is its own, not where the person felt the check-in's answer.
    entry["checkins"].insert(1, {**before, "id": f"{before['id']}t", "phase": "track",
                                 "distress": None, "state": None, "body": [], "area": "jaw",
                                 "noticed": ["tight"]})
    return entry


@pytest.fixture
def leaning_log(cli: CLI, tmp_path: Path) -> None:
    hostile = session("resonance", hours_ago(2), [("before", 5), ("after", 4)])
    hostile["checkins"][0]["body"] = ["feet\x1b[2J", "[bold]hands[/bold]"]
    bring_in(cli, tmp_path, [
        answered("exhale", 3), hostile,
        session("ground", hours_ago(1.5), [("before", 5), ("after", 4)], state="activated"),
        session("box", hours_ago(1.2), [("before", 4), ("after", 4)], note="just a note"),
        checkin(hours_ago(1), 4, state="shut_down", body=["jaw"]),
    ])


@pytest.mark.parametrize("width", [40, 80, 120])
def test_log_shows_each_check_in_s_leaning_and_body_in_a_practice(
    cli: CLI, leaning_log: None, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    shown = log_at(cli, monkeypatch, width)
    assert SAID in shown
    # The leaning given when choosing a practice, with the before rating.
    assert "before (activated)" in shown
    # Cleaned and literal: no escape sequence, no markup taken as style.
    assert "before, body: feet[2J, [bold]hands[/bold]" in shown
    assert "\x1b" not in shown
    # The same labels as a check-in outside a practice; a note alone stays as written.
    # (At 80 columns the table wraps the what column: "check-in (shut" over "down)".)
    assert "check-in (shut" in shown and "body: jaw" in shown
    assert "just a note" in shown and "note: just a note" not in shown
    assert "tight" not in shown


def test_log_wraps_them_at_words_on_a_narrow_terminal(
    cli: CLI, leaning_log: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    lines = cli("log").stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("before (shut"))
    end = next(i for i in range(start, len(lines)) if "call" in lines[i])
    said = [line.strip() for line in lines[start:end + 1]]
    # Joined with spaces, the lines are the text: each line ends at the end of a word.
    assert " ".join(said) == SAID and len(said) > 1, said


def report_rows(text: str) -> list[str]:
    section = text[text.index("## Check-ins in practices"):text.index("## Check-ins outside")]
    return [line for line in section.splitlines() if line.startswith("| 20")]


def test_the_report_lists_leaning_and_body_at_each_check_in_of_a_practice(
    cli: CLI, leaning_log: None
) -> None:
    result = cli("report")
    assert result.exit_code == 0, result.output
    text = result.stdout
    rows = report_rows(text)
    heads = "| when | practice | check-in | leaning | body | noticed |"
    assert heads in text
    ends = [row.split(" | ", 1)[1] for row in rows]
    assert "exhale | before | shut down | chest, throat |  |" in ends
    assert "exhale | mid |  | belly |  |" in ends
    assert "exhale | after | settled |  | sigh |" in ends
    assert "ground | before | activated |  |  |" in ends
    assert "resonance | before |  | feet\\[2J, \\[bold\\]hands\\[/bold\\] |  |" in ends
    assert not any("box" in row or "track" in row or "tight" in row for row in rows)
    assert "\x1b" not in text
    said = words(text)
    # In the clinician's voice, and honest about what these are.
    lead = said[said.index("## Check-ins in practices"):said.index("| when | practice")]
    assert "the person" in lead and "leaned" in lead and "body" in lead
    assert "own observations, not a measure" in lead
    assert "lighter after the call" not in said  # notes only with --notes
    assert "leaning, body" in said[:said.index("Share it only")]  # the privacy note says so


def test_the_html_report_lists_them_too(cli: CLI, leaning_log: None, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    assert cli("report", "--html", str(page)).exit_code == 0
    text = page.read_text(encoding="utf-8")
    section = text[text.index("<h2>Check-ins in practices</h2>"):
                   text.index("<h2>Check-ins outside practices</h2>")]
    assert "<th>leaning</th><th>body</th>" in section
    assert ('<td class="text">before</td><td class="text">shut down</td>'
            '<td class="text">chest, throat</td>') in section
    assert '<td class="text">feet[2J, [bold]hands[/bold]</td>' in section
    assert "<bold>" not in text and "\x1b" not in text


def test_a_real_full_check_in_is_shown_in_log_and_report(
    cli: CLI, quietwork_home: Path
) -> None:
    pexpect = pytest.importorskip("pexpect")
    from terminal import spawn

    add_practices(quietwork_home, mid=MID)
    child = spawn("$QW practice mid --full-checkin")

    def answer(question: str, keys: str) -> None:
        child.expect_exact(question)
        child.send(keys)

    answer("How intense is it right now?", "6\r")
    answer("Which way does it lean?", DOWN + "\r")  # skip, then activated
    answer("Where do you notice it in your body?", DOWN * 4 + " \r")  # head … chest
    answer("How is it now?", "5\r")
    answer("Which way does it lean?", "\r")  # skipped
    answer("Where do you notice it in your body?", DOWN * 5 + " \r")  # belly
    answer("That's the end. How is it now?", "3\r")
    answer("Which way does it lean?", DOWN * 2 + "\r")  # settled
    answer("Where do you notice it in your body?", "\r")
    answer("Did you notice any of these?", DOWN + " \r")  # sigh
    answer("A note, if you like:", "\r")
    child.expect_exact("Distress 6 → 3")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    [entry] = json.loads(cli("log", "--json").stdout)
    assert [(c["phase"], c["state"], c["body"]) for c in entry["checkins"]] == [
        ("before", "activated", ["chest"]), ("mid", None, ["belly"]), ("after", "settled", [])]

    shown = words(cli("log").stdout)
    assert ("before (activated), body: chest; mid, body: belly; after (settled); "
            "noticed: sigh") in shown
    ends = [row.split(" | ", 1)[1] for row in report_rows(cli("report").stdout)]
    assert ends == ["mid | before | activated | chest |  |", "mid | mid |  | belly |  |",
                    "mid | after | settled |  | sigh |"]
