"""The support text and the stop screen."""

from __future__ import annotations

from pathlib import Path

import pytest

from quietwork.config import Settings
from quietwork.run.views.stop import NOT_THERAPY, OPENING, completed_line, stop_screen
from quietwork.support import (
    DEFAULT_SUPPORT,
    EMERGENCY_LINE,
    MAX_BYTES,
    NO_PLAN,
    Support,
    find_support,
)


def write_plan(home: Path, data: bytes) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    path = home / "support.md"
    path.write_bytes(data)
    return path


def test_default_names_emergency_services_and_crisis_lines_without_a_country() -> None:
    found = find_support()
    assert found.source == "default"
    assert found.text == DEFAULT_SUPPORT
    assert "local emergency number" in DEFAULT_SUPPORT
    assert "crisis line" in DEFAULT_SUPPORT
    for guess in ("911", "999", "112", "988", "Samaritans"):
        assert guess not in DEFAULT_SUPPORT


def test_the_persons_plan_comes_first(quietwork_home: Path) -> None:
    write_plan(quietwork_home, b"Call Sam: 555-0100\n")
    settings = Settings(support_message="from config")
    found = find_support(settings)
    assert found.source == "file"
    # the person's plan, and under it always the line about danger
    assert (found.own, found.crisis) == ("Call Sam: 555-0100", EMERGENCY_LINE)


def test_config_message_when_there_is_no_plan(quietwork_home: Path) -> None:
    write_plan(quietwork_home, b"  \n\n")  # an empty plan is no plan
    found = find_support(Settings(support_message="Text Ana \x1b[2J, 555-0101"))
    assert found == type(found)("Text Ana [2J, 555-0101", "config")


def test_config_message_read_from_config_toml(quietwork_home: Path) -> None:
    quietwork_home.mkdir()
    (quietwork_home / "config.toml").write_text('support_message = "Call Jo"\n')
    found = find_support()
    assert (found.own, found.crisis) == ("Call Jo", EMERGENCY_LINE)


def test_a_broken_config_gives_the_default_and_a_warning(
    quietwork_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    quietwork_home.mkdir()
    (quietwork_home / "config.toml").write_text("support_message = \n")
    assert find_support() == NO_PLAN
    assert "config.toml:1" in capsys.readouterr().err


def test_an_unreadable_plan_gives_the_default_and_a_warning(
    quietwork_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (quietwork_home / "support.md").mkdir(parents=True)
    assert find_support() == NO_PLAN
    assert "Warning: cannot read your support plan" in capsys.readouterr().err


def test_plan_text_is_cleaned_and_other_encodings_still_shown(quietwork_home: Path) -> None:
    write_plan(quietwork_home, "Café\x1b]8;;http://x\x07link\x1b]8;;\x07 \u202e".encode() + b"\xff")
    assert find_support().text == "Café]8;;http://xlink]8;; \ufffd"


def test_a_huge_plan_is_shown_from_its_beginning(
    quietwork_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_plan(quietwork_home, b"Call Sam.\n" + b"x" * (MAX_BYTES * 2))
    text = find_support().text
    assert text.startswith("Call Sam.") and len(text) <= MAX_BYTES
    assert "showing its beginning" in capsys.readouterr().err


def test_plain_stop_screen_opens_with_stopping_here(capsys: pytest.CaptureFixture[str]) -> None:
    stop_screen(Support("Call Sam [bold]now[/bold] \x1b[2J", "config"), plain=True)
    out = capsys.readouterr().out
    assert out.startswith(OPENING + "\n")
    assert "\x1b" not in out
    for words in ("okay to stop", "feet on the floor", "look slowly around the room",
                  "come back later", NOT_THERAPY, "Call Sam [bold]now[/bold] [2J"):
        assert words in out
    assert "push" not in out.lower()


def test_stop_screen_is_plain_without_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    stop_screen(Support("Call Sam", "config"))  # stdout is captured: not a terminal
    out = capsys.readouterr().out
    assert out.startswith(OPENING) and "\x1b" not in out


def test_rich_stop_screen_shows_markup_literally(capsys: pytest.CaptureFixture[str]) -> None:
    stop_screen(Support("[link=file:///etc/passwd]Sam[/link] :warning: [/red]", "file"),
                plain=False)
    out = capsys.readouterr().out
    assert out.startswith(OPENING)
    assert "[link=file:///etc/passwd]Sam[/link] :warning: [/red]" in out


def test_completed_line() -> None:
    assert completed_line(6, 3) == "Distress 6 → 3"
    assert completed_line(2, 2) == "Distress 2 → 2"
