"""What the person noticed after a practice (the full check-in's "Did you notice any of
these?") is in what people read, `log` and `report`, and not only in `log --json`
(docs/using.md, "The log" and "A report for your clinician")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from histories import CLI, bring_in, hours_ago, log_at, session, words


def noticed_after(practice: str, hours: float, noticed: list[str], *,
                  note: str | None = None) -> dict[str, Any]:
    """A session rated 6 → 3 whose after check-in says what was noticed."""
    entry = session(practice, hours_ago(hours), [("before", 6), ("after", 3)], note=note)
    entry["checkins"][-1]["noticed"] = noticed
    return entry


def with_a_track_answer(entry: dict[str, Any]) -> dict[str, Any]:
    """`entry` with a track step's answer for the jaw between its check-ins."""
    before = entry["checkins"][0]
    entry["checkins"].insert(1, {**before, "id": f"{before['id']}t", "phase": "track",
                                 "distress": None, "area": "jaw", "noticed": ["tight"]})
    return entry


@pytest.fixture
def noticed_log(cli: CLI, tmp_path: Path) -> None:
    bring_in(cli, tmp_path, [
        with_a_track_answer(noticed_after("exhale", 3, ["longer exhale", "sigh"],
                                          note="lighter after the call")),
        noticed_after("resonance", 2, ["tears\x1b[2J", "[bold]warmth[/bold]"]),
        session("ground", hours_ago(1), [("before", 5), ("after", 4)], note="just a note"),
    ])


@pytest.mark.parametrize("width", [40, 80, 120])
def test_log_labels_what_was_noticed_apart_from_the_note(
    cli: CLI, noticed_log: None, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    shown = log_at(cli, monkeypatch, width)
    assert "noticed: longer exhale, sigh; note: lighter after the call" in shown
    # Cleaned and literal: no escape sequence, no markup taken as style.
    assert "noticed: tears[2J, [bold]warmth[/bold]" in shown
    assert "\x1b" not in shown
    # A note alone stays as it was written; a track step's answer is the jaw's, not this.
    assert "just a note" in shown and "note: just a note" not in shown
    assert "tight" not in shown


def test_log_wraps_what_was_noticed_at_words_on_a_narrow_terminal(
    cli: CLI, noticed_log: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    lines = cli("log").stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if "noticed: longer" in line)
    said = " ".join(line.strip() for line in lines[start:start + 2])
    assert said == "noticed: longer exhale, sigh; note: lighter after the call"
    assert all(not line.rstrip().endswith(("longe", "exh", "aft")) for line in lines)


def test_the_report_lists_what_the_person_noticed_in_practices(
    cli: CLI, noticed_log: None
) -> None:
    result = cli("report")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "## Check-ins in practices" in text
    noticed = text[text.index("## Check-ins in practices"):]
    row = next(line for line in noticed.splitlines() if "| exhale |" in line)
    assert row.endswith("| exhale | after |  |  | longer exhale, sigh |")  # no leaning, body
    assert "tears\\[2J, \\[bold\\]warmth\\[/bold\\]" in text  # inert Markdown
    assert "\x1b" not in text
    said = words(text)
    assert "what the person noticed" in said.lower()
    assert "lighter after the call" not in said  # notes only with --notes
    assert "tight" not in said


def test_the_html_report_lists_it_too(cli: CLI, noticed_log: None, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    assert cli("report", "--html", str(page)).exit_code == 0
    text = page.read_text(encoding="utf-8")
    assert "<h2>Check-ins in practices</h2>" in text
    assert '<td class="text">longer exhale, sigh</td>' in text
    assert "[bold]warmth[/bold]" in text and "<bold>" not in text and "\x1b" not in text
