"""Reliability: texts from files and people are shown literally, never interpreted.

Markup (`[red]`, `[link=…]`, a stray `[/red]`, `:warning:`), raw escape sequences (screen
clear, title set, OSC 8 links), 8-bit C1 controls and bidi overrides, in every text field
of a practice file, in the plain view (pipes) and the terminal view (a pty), and in
`list`, `show`, `log` and `stats`.
"""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from quietwork.loader import load_practice

from conftest import Result

pexpect = pytest.importorskip("pexpect")

CLI = Callable[..., Result]

CLEAR = "A\x1b[2JB"  # the view clears the screen itself; never followed by "B"
TITLE_SET = "\x1b]0;owned\x07"
LINK = "\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\"
C1 = "\x9b31mC"
BIDI = "\u202eD"
MARKUP = "[red]r[/red] [/red] :warning:"
RICH_LINK = "[link=file:///etc/passwd]x[/link]"

RAW = ("\x1b", "\x9b", "\u202e", "\x07")  # none of these may come from a file's text
LITERAL = ("[red]r[/red]", "[/red]", ":warning:", "A[2JB", "]0;owned")


def hostile(tag: str, long: bool = True) -> str:
    """A text with every kind of trouble; `tag` tells the fields apart on screen."""
    text = f"{tag} {MARKUP} {CLEAR} {TITLE_SET} {C1} {BIDI}"
    return f"{text} {RICH_LINK} {LINK}" if long else text


PRACTICE: dict[str, Any] = {
    "title": hostile("T", long=False),
    "summary": hostile("S"),
    "tags": ["g\x1b[2J", "[red]"],
    "safety": hostile("F"),
    "sources": [hostile("R")],
    "steps": [
        {"say": hostile("Y"), "seconds": 0.3},
        {"checkin": hostile("Q")},
        {"track": {"areas": ["jaw\x1b]0;owned\x07", "[/red]\u202e"], "seconds": 0.05,
                   "ask": ["tight\x1b[2J", RICH_LINK, "warm\u202e"]}},
    ],
}


def assert_inert(screen: str, *, terminal: bool = False) -> None:
    """No control sequence from the texts reached the screen; their visible parts did."""
    for literal in LITERAL:
        assert literal in screen, literal
    assert "⚠" not in screen and "\x1b]8;;http://evil" not in screen
    assert "\x1b]0;owned" not in screen and "\x1b[2JB" not in screen
    assert "\x9b" not in screen and "\u202e" not in screen
    if not terminal:
        for raw in RAW:
            assert raw not in screen, repr(raw)


@pytest.fixture
def odd(quietwork_home: Path) -> Path:
    folder = quietwork_home / "practices"
    folder.mkdir(parents=True)
    path = folder / "odd.yaml"
    path.write_text(yaml.safe_dump(PRACTICE, allow_unicode=True), encoding="utf-8")
    practice = load_practice(path)  # the texts reach quietwork exactly as written
    assert practice.title == PRACTICE["title"] and practice.safety == PRACTICE["safety"]
    return path


def test_the_plain_view_shows_every_text_inert(cli: CLI, odd: Path) -> None:
    result = cli("practice", "odd", "--plain", input="3\n4\n5\n")
    assert result.exit_code == 0, result.output
    assert_inert(result.stdout)
    for tag in ("T ", "Y ", "Q "):
        assert f"{tag}[red]r[/red]" in result.stdout
    assert "Bring attention to your jaw]0;owned" in result.stdout
    assert "Distress 3 → 5" in result.stdout


@pytest.mark.parametrize("command", [("list",), ("show", "odd"), ("list", "--json"),
                                     ("show", "odd", "--json")])
def test_list_and_show_show_every_text_inert(cli: CLI, odd: Path, command: tuple[str, ...]) -> None:
    result = cli(*command)
    assert result.exit_code == 0, result.output
    if "--json" in command:
        assert json.loads(result.stdout)  # still the same data, only escaped
        for raw in RAW:
            assert raw not in result.stdout, repr(raw)
        return
    assert "T [red]r[/red]" in result.stdout
    if command[0] == "show":
        assert_inert(result.stdout)
        for tag in ("S ", "F ", "R ", "Y ", "Q "):
            assert f"{tag}[red]r[/red]" in result.stdout, tag
        assert RICH_LINK in result.stdout


def test_names_from_a_file_in_errors_are_inert(cli: CLI, quietwork_home: Path) -> None:
    folder = quietwork_home / "practices"
    folder.mkdir(parents=True)
    (folder / "keys.yaml").write_text(
        'title: T\nsummary: S\n"\\e]0;owned\\a[red]": 1\n'
        'steps:\n  - "\\e[2J\\u202e": 1\n', encoding="utf-8")
    (folder / "\x1b]0;owned\x07.yaml").write_text("title: x\n")
    for command in (("list",), ("practice", "keys"), ("validate", str(folder))):
        result = cli(*command)
        assert "]0;owned[red]" in result.output, result.output
        for raw in RAW:
            assert raw not in result.output, (command, repr(raw))


def spawn(*args: str, rows: int = 40) -> Any:
    env = dict(os.environ, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm-256color")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("COLUMNS", None)
    child = pexpect.spawn(sys.executable, ["-m", "quietwork", *args], env=env,
                          encoding="utf-8", timeout=10, dimensions=(rows, 200))
    child.delaybeforesend = None
    child.logfile_read = io.StringIO()
    return child


def skip(child: Any, *questions: str) -> None:
    for question in questions:
        child.expect_exact(question)
        child.send("\r")


NOTE = f"n {MARKUP} {RICH_LINK} \u202eZ"  # what a person can type into a note


def test_the_terminal_view_shows_every_text_inert(cli: CLI, odd: Path) -> None:
    child = spawn("practice", "odd", "--speed", "2", "--full-checkin")  # the note too
    child.expect_exact("How intense is it right now?")
    child.send("3\r")
    skip(child, "Which way does it lean?", "Where do you notice it in your body?")
    child.expect_exact("Y [red]r[/red]")  # the say step, in the live view
    child.expect_exact("Q [red]r[/red]")  # the check-in step's own question
    child.send("4\r")
    skip(child, "Which way does it lean?", "Where do you notice it in your body?")
    child.expect_exact("jaw]0;owned")  # the track area, in the live view
    child.expect_exact("[link=file:///etc/passwd]x[/link]")  # its labels, in a checkbox
    child.send("\r")
    child.expect_exact("your [/red]")
    child.expect_exact("warm")
    child.send("\r")
    child.expect_exact("That's the end. How is it now?")
    child.send("5\r")
    skip(child, "Which way does it lean?", "Where do you notice it in your body?",
         "Did you notice any of these?")
    child.expect_exact("A note, if you like:")
    screen = child.logfile_read.getvalue()  # all the practice showed (then the typed note)
    assert_inert(screen, terminal=True)
    assert "T [red]r[/red]" in screen  # the title
    child.send(NOTE + "\r")
    child.expect_exact("Distress 3 → 5")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    [session] = json.loads(cli("log", "--json").stdout)
    assert session["checkins"][-1]["note"] == "n [red]r[/red] [/red] :warning: " + RICH_LINK + " Z"
    shown = cli("log")
    assert "[red]r[/red]" in shown.stdout and "\u202e" not in shown.stdout


@pytest.mark.parametrize("command", [("show", "odd"), ("list",)])
def test_show_and_list_at_a_terminal_are_inert(odd: Path, command: tuple[str, ...]) -> None:
    child = spawn(*command)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    screen = child.logfile_read.getvalue()
    assert "T [red]r[/red]" in screen
    assert_inert(screen, terminal=True)


def test_a_typed_note_is_stored_and_shown_inert(cli: CLI) -> None:
    typed = f"{MARKUP} {CLEAR} {TITLE_SET} {LINK} {C1} {BIDI}"
    assert cli("checkin", "--distress", "4", "--note", typed).exit_code == 0
    [entry] = json.loads(cli("log", "--json").stdout)
    assert entry["note"] == (
        "[red]r[/red] [/red] :warning: A[2JB ]0;owned ]8;;http://evil.example/"
        "\\click]8;;\\ 31mC D"
    )
    for command in (("log",), ("log", "--csv"), ("log", "--json"), ("stats",)):
        result = cli(*command)
        assert result.exit_code == 0, result.output
        for raw in RAW:
            assert raw not in result.stdout, (command, repr(raw))
    assert "[red]r[/red]" in cli("log").stdout


def test_imported_texts_are_shown_inert(cli: CLI, tmp_path: Path) -> None:
    # A log written elsewhere (or by hand) may carry anything in its strings.
    odd_text = f"{MARKUP} {CLEAR} {TITLE_SET} {C1} {BIDI}"
    at = "2026-11-22T10:00:00+00:00"
    entries = [
        {"kind": "session", "id": "s1", "practice": f"p{TITLE_SET}", "status": "completed",
         "started_at": at, "ended_at": at, "checkins": [
             {"phase": "before", "distress": 3, "at": at},
             {"phase": "after", "distress": 5, "at": at, "note": odd_text,
              "noticed": [f"sigh{CLEAR}"]},
             {"phase": "track", "at": at, "area": f"jaw{TITLE_SET}", "noticed": [BIDI]}]},
        {"kind": "checkin", "id": "c1", "at": at, "distress": 4, "body": [f"chest{BIDI}"],
         "note": odd_text},
    ]
    backup = tmp_path / "backup.json"
    backup.write_text(json.dumps(entries), encoding="utf-8")
    imported = cli("import", str(backup))
    assert imported.exit_code == 0, imported.output
    for command in (("log",), ("log", "--csv"), ("log", "--json"), ("stats", "--days", "3650"),
                    ("stats", "--days", "3650", "--json")):
        result = cli(*command)
        assert result.exit_code == 0, result.output
        for raw in RAW:
            assert raw not in result.stdout, (command, repr(raw))
