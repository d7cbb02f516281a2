"""checkin, anchors and support through the real CLI (in-process, no terminal)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from quietwork.support import DEFAULT_SUPPORT

from conftest import invoke


def quietwork(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run the CLI's boundary with stdin, stdout and stderr as pipes (so never a terminal).

    In-process (conftest's `invoke`): nothing here needs a process of its own, and a
    Python start-up per command was most of this file's time.
    """
    result = invoke(*args, input=stdin)
    return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)


def log() -> list[dict[str, Any]]:
    result = quietwork("log", "--json")
    assert result.returncode == 0, result.stderr
    entries: list[dict[str, Any]] = json.loads(result.stdout)
    return entries


# --- checkin -------------------------------------------------------------------------


def test_checkin_with_flags_is_logged() -> None:
    result = quietwork(
        "checkin", "--distress", "4", "--state", "activated", "--body", "chest",
        "--body", "jaw", "--note", "after the call",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Logged: distress 4, activated, chest, jaw, with a note.\n"
    assert result.stderr == ""
    [entry] = log()
    assert entry["kind"] == "checkin"
    assert {key: entry[key] for key in ("distress", "state", "body", "note")} == {
        "distress": 4, "state": "activated", "body": ["chest", "jaw"], "note": "after the call",
    }


@pytest.mark.parametrize("typed", ["shut down", "shut_down", "Shut-Down", "shutdown"])
def test_shut_down_is_accepted_in_plain_words(typed: str) -> None:
    result = quietwork("checkin", "--distress", "2", "--state", typed)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Logged: distress 2, shut down.\n"
    assert log()[0]["state"] == "shut_down"


def test_only_distress_is_needed_without_a_terminal() -> None:
    result = quietwork("checkin", "--distress", "0")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Logged: distress 0.\n"
    [entry] = log()
    assert (entry["state"], entry["body"], entry["note"]) == (None, [], None)


def test_body_areas_separated_by_commas_without_repeats() -> None:
    result = quietwork("checkin", "--distress", "3", "--body", "Chest, jaw", "--body", "chest")
    assert result.returncode == 0, result.stderr
    assert log()[0]["body"] == ["chest", "jaw"]


def test_missing_distress_without_a_terminal_is_a_usage_error() -> None:
    result = quietwork("checkin", "--state", "settled", stdin="4\n")
    assert result.returncode == 2
    assert "--distress" in result.stderr and result.stderr.startswith("Error: ")
    assert "Traceback" not in result.stderr
    assert log() == []


@pytest.mark.parametrize(
    "args",
    [["--distress", "11"], ["--distress=-1"], ["--distress", "four"], ["--distress", "4.5"],
     ["--distress", "4", "--state", "calm"], ["--distress", "4", "--state", ""]],
)
def test_bad_values_exit_2_and_log_nothing(args: list[str]) -> None:
    result = quietwork("checkin", *args)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert log() == []


def test_checkin_json_is_the_entry_log_json_shows() -> None:
    result = quietwork("checkin", "--distress", "5", "--body", "hands", "--json")
    assert result.returncode == 0, result.stderr
    assert [json.loads(result.stdout)] == log()


def test_escape_sequences_in_a_note_are_not_stored() -> None:
    result = quietwork("checkin", "--distress", "1", "--note", "ok\x1b[2J\x1b]0;title\x07 now")
    assert result.returncode == 0, result.stderr
    assert log()[0]["note"] == "ok[2J]0;title now"


def test_a_high_rating_gently_shows_the_support_text() -> None:
    result = quietwork("checkin", "--distress", "8")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Logged: distress 8.\n")
    assert DEFAULT_SUPPORT in result.stdout
    assert "quietwork practice settle" in result.stdout
    assert "push" not in result.stdout.lower()


def test_below_stop_at_no_support_text() -> None:
    result = quietwork("checkin", "--distress", "7")
    assert result.stdout == "Logged: distress 7.\n"


def test_support_after_a_high_rating_uses_the_plan_and_config(quietwork_home: Path) -> None:
    quietwork_home.mkdir()
    (quietwork_home / "config.toml").write_text("stop_at = 5\n")
    (quietwork_home / "support.md").write_text("Call Sam: 555-0100\n")
    result = quietwork("checkin", "--distress", "5")
    assert "Call Sam: 555-0100" in result.stdout


def test_json_stays_clean_when_support_is_shown() -> None:
    result = quietwork("checkin", "--distress", "9", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["distress"] == 9
    assert DEFAULT_SUPPORT in result.stderr


def test_checkin_with_all_flags_imports_nothing_heavy() -> None:
    # The start-up benchmark's reason: no rich, pydantic or questionary on this path.
    code = (
        "import sys\n"
        "from quietwork.cli import run\n"
        "code = run(['checkin', '--distress', '3', '--state', 'settled', '--body', 'jaw',"
        " '--note', 'x'])\n"
        "heavy = {'rich', 'pydantic', 'questionary', 'prompt_toolkit'}\n"
        "print(code, sorted({m.split('.')[0] for m in sys.modules} & heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.stdout.splitlines()[-1] == "0 []", result.stderr


def test_a_check_in_loads_no_other_commands_code() -> None:
    # checkin is a module of its own: logging a rating does not load anchors' and support's.
    code = (
        "import sys\n"
        "from quietwork.cli import run\n"
        "code = run(['checkin', '--distress', '3'])\n"
        "print(code, sorted(m for m in sys.modules if m.startswith('quietwork.commands.')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.stdout.splitlines()[-1] == (
        "0 ['quietwork.commands.checkin', 'quietwork.commands.options']"), result.stderr


# --- anchors -------------------------------------------------------------------------


def anchors_json() -> dict[str, str | None]:
    result = quietwork("anchors", "--json")
    assert result.returncode == 0, result.stderr
    data: dict[str, str | None] = json.loads(result.stdout)
    return data


def test_anchors_start_empty_and_say_how_to_add_them() -> None:
    result = quietwork("anchors")
    assert result.returncode == 0, result.stderr
    assert "No words of your own yet" in result.stdout
    assert "quietwork anchors --set0" in result.stdout
    assert anchors_json() == {"0": None, "5": None, "10": None}


def test_anchors_set_show_and_forget() -> None:
    result = quietwork("anchors", "--set0", "shoulders loose", "--set10", "can't think")
    assert result.returncode == 0, result.stderr
    assert "shoulders loose" in result.stdout and "can't think" in result.stdout
    assert anchors_json() == {"0": "shoulders loose", "5": None, "10": "can't think"}

    assert quietwork("anchors", "--set5", "tight chest").returncode == 0
    assert anchors_json() == {"0": "shoulders loose", "5": "tight chest", "10": "can't think"}

    assert quietwork("anchors", "--set0", "").returncode == 0  # forgets that one
    assert anchors_json() == {"0": None, "5": "tight chest", "10": "can't think"}

    assert quietwork("anchors", "--clear", "--set10", "flooded").returncode == 0
    assert anchors_json() == {"0": None, "5": None, "10": "flooded"}

    assert quietwork("anchors", "--clear").returncode == 0
    assert anchors_json() == {"0": None, "5": None, "10": None}


def test_anchors_are_shown_literally_and_cleaned() -> None:
    result = quietwork("anchors", "--set5", "[bold red]tight[/] :fire: \x1b[2J\u202ejaw")
    assert result.returncode == 0, result.stderr
    assert "[bold red]tight[/] :fire: [2Jjaw" in result.stdout
    assert "\x1b" not in result.stdout


def test_an_over_long_anchor_is_a_usage_error() -> None:
    result = quietwork("anchors", "--set0", "x" * 201)
    assert result.returncode == 2
    assert "--set0" in result.stderr
    assert anchors_json()["0"] is None


def test_anchors_without_a_terminal_do_not_ask() -> None:
    result = quietwork("anchors", stdin="soft\n\n\n")
    assert result.returncode == 0, result.stderr
    assert anchors_json() == {"0": None, "5": None, "10": None}


# --- support -------------------------------------------------------------------------


def test_support_without_a_plan_says_how_to_write_one(quietwork_home: Path) -> None:
    result = quietwork("support")
    assert result.returncode == 0, result.stderr
    out = " ".join(result.stdout.split())  # rich wraps long lines
    assert str(quietwork_home / "support.md") in out
    assert "local emergency number" in out
    assert "For example:" in out and "never dials" in out


def test_support_shows_the_plan_literally(quietwork_home: Path) -> None:
    # Rendered as Markdown (the heading and the list, issue 13), but rich markup and
    # escape codes in it stay inert.
    quietwork_home.mkdir()
    (quietwork_home / "support.md").write_text(
        "# My plan\n- Call [link=file:///etc]Sam[/link]: 555-0100\x1b[2J\n"
    )
    result = quietwork("support")
    assert result.returncode == 0, result.stderr
    assert "Your support plan" in result.stdout
    assert "Call [link=file:///etc]Sam[/link]: 555-0100[2J" in result.stdout
    assert "# My plan" not in result.stdout and "My plan" in result.stdout
    assert "\x1b" not in result.stdout
    assert "For example:" not in result.stdout


def test_support_json(quietwork_home: Path) -> None:
    data = json.loads(quietwork("support", "--json").stdout)
    assert data == {
        "source": "default", "path": str(quietwork_home / "support.md"), "exists": False,
        "text": DEFAULT_SUPPORT,
    }
    quietwork_home.mkdir()
    (quietwork_home / "config.toml").write_text('support_message = "Text Ana: 555-0101"\n')
    data = json.loads(quietwork("support", "--json").stdout)
    assert (data["source"], data["text"]) == ("config", "Text Ana: 555-0101")
    (quietwork_home / "support.md").write_text("Call Sam\n")
    data = json.loads(quietwork("support", "--json").stdout)
    assert (data["source"], data["exists"], data["text"]) == ("file", True, "Call Sam")


def test_support_with_a_config_message_still_says_where_a_plan_goes(quietwork_home: Path) -> None:
    quietwork_home.mkdir()
    (quietwork_home / "config.toml").write_text('support_message = "Text Ana: 555-0101"\n')
    result = quietwork("support")
    assert "Text Ana: 555-0101" in result.stdout
    assert "support_message in config.toml" in result.stdout
    assert "support.md" in result.stdout
