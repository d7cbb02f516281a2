"""config.toml, QUIETWORK_SPEED, `quietwork config` and `quietwork new`."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from quietwork.config import load_settings
from quietwork.errors import ConfigError, UsageError
from quietwork.loader import validate_file

from conftest import Result

CLI = Callable[..., Result]


def write_config(home: Path, text: str) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    path = home / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_file() -> None:
    settings = load_settings()
    assert (settings.stop_at, settings.speed, settings.plain) == (8, 1.0, False)
    assert settings.origin("stop_at") == "default"


def test_values_and_their_origins(quietwork_home: Path) -> None:
    path = write_config(quietwork_home, "# mine\nstop_at = 7\nbell = true\n")
    settings = load_settings()
    assert settings.stop_at == 7 and settings.bell is True
    assert settings.origin("stop_at") == f"{path}:2"
    assert settings.origin("bell") == f"{path}:3"


def test_flags_win_over_config(quietwork_home: Path) -> None:
    write_config(quietwork_home, "stop_at = 7\n")
    settings = load_settings().with_flags(stop_at=6, speed=None)
    assert settings.stop_at == 6 and settings.origin("stop_at") == "command line"
    assert settings.origin("speed") == "default"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("stop_at = 7\nsped = 2\n", ":2: sped: unknown key; did you mean 'speed'?"),
        ('stop_at = "high"\n', ":1: stop_at: "),
        ("stop_at = 11\n", ":1: stop_at: "),
        ("speed = 0\n", ":1: speed: 0 is out of range; a speed is from 0.25 to 100"),
        ("speed = nan\n", ":1: speed: "),
        ("plain = 1\n", ":1: plain: "),
        ("stop_at = 7\n[oops\n", ":2:6: invalid TOML:"),
    ],
)
def test_a_broken_config_names_file_line_and_key(
    quietwork_home: Path, text: str, message: str
) -> None:
    path = write_config(quietwork_home, text)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert caught.value.message.startswith(f"{path}{message}"), caught.value.message


@pytest.mark.parametrize("value", ["0", "-1", "fast", "inf", "nan", "1e400"])
def test_quietwork_speed_nonsense_is_a_usage_error(value: str) -> None:
    with pytest.raises(UsageError) as caught:
        load_settings(env={"QUIETWORK_SPEED": value}, env_speed=True)
    assert caught.value.message.startswith("QUIETWORK_SPEED: ")


@pytest.mark.parametrize(("value", "said"), [
    ("-1", "QUIETWORK_SPEED: -1 is out of range; a speed is from"),
    ("-0.5", "QUIETWORK_SPEED: -0.5 is out of range"),
    ("1e9", "QUIETWORK_SPEED: '1e9' is not a plain decimal; write one like 1, 1.5 or 0.5"),
    ("inf", "QUIETWORK_SPEED: 'inf' is not a plain decimal"),
    ("fast", "QUIETWORK_SPEED: 'fast' is not a number; write a plain decimal like 1"),
])
def test_a_speed_that_is_a_number_is_not_called_no_number(value: str, said: str) -> None:
    """-1 and 1e9 are numbers: one is below the range, the other not written plainly."""
    with pytest.raises(UsageError) as caught:
        load_settings(env={"QUIETWORK_SPEED": value}, env_speed=True)
    assert caught.value.message.startswith(said), caught.value.message


def test_config_command_shows_where_each_setting_came_from(
    cli: CLI, quietwork_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_config(quietwork_home, "stop_at = 7\n")
    monkeypatch.setenv("QUIETWORK_SPEED", "2")
    result = cli("config")
    assert result.exit_code == 0, result.output
    assert re.search(rf"stop_at\s+7\s+from {re.escape(str(path))}:1\n", result.stdout)
    assert "from QUIETWORK_SPEED" in result.stdout
    data = json.loads(cli("config", "--json").stdout)["settings"]
    assert data["stop_at"] == {"value": 7, "from": f"{path}:1"}
    assert data["bell"] == {"value": False, "from": "default"}


def test_a_broken_config_is_an_error_for_every_command_that_reads_it(
    cli: CLI, quietwork_home: Path
) -> None:
    path = write_config(quietwork_home, "stop_at = [\n")
    for args in (("config",), ("list",)):
        result = cli(*args)
        assert result.exit_code == 2
        assert result.stderr.startswith(f"Error: {path}:"), result.stderr
        assert "Traceback" not in result.output


def test_practice_dirs_add_practices(cli: CLI, quietwork_home: Path, tmp_path: Path) -> None:
    extra = tmp_path / "shared-practices"
    extra.mkdir()
    (extra / "team.yaml").write_text(
        "title: Team\nsummary: Ours.\nsteps:\n  - say: Hello.\n    seconds: 5\n")
    write_config(quietwork_home, f'practice_dirs = ["{extra}"]\n')
    ids = {item["id"] for item in json.loads(cli("list", "--json").stdout)}
    assert "team" in ids and "ground" in ids


def test_new_writes_a_valid_commented_starter(cli: CLI, quietwork_home: Path) -> None:
    result = cli("new", "evening")
    assert result.exit_code == 0, result.output
    path = quietwork_home / "practices" / "evening.yaml"
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=./practice.schema.json")
    assert (quietwork_home / "practices" / "practice.schema.json").is_file()
    for kind in ("- say:", "- breathe:", "- checkin:", "- track:"):
        assert kind in text
    assert validate_file(path) == []
    assert f"Wrote {path}" in result.stdout
    assert "quietwork practice evening" in result.stdout
    ids = {item["id"] for item in json.loads(cli("list", "--json").stdout)}
    assert "evening" in ids


def test_new_never_overwrites(cli: CLI, quietwork_home: Path) -> None:
    assert cli("new", "mine").exit_code == 0
    path = quietwork_home / "practices" / "mine.yaml"
    path.write_text("title: changed\n")
    result = cli("new", "mine")
    assert result.exit_code == 2
    assert "already exists" in result.stderr
    assert path.read_text() == "title: changed\n"


@pytest.mark.parametrize("bad", ["../escape", "a/b", ".hidden", "", "_x", "sp ace"])
def test_new_refuses_ids_that_are_not_plain_names(cli: CLI, quietwork_home: Path, bad: str) -> None:
    result = cli("new", bad)
    assert result.exit_code == 2
    assert "is not a usable id" in result.stderr
    assert not (quietwork_home / "practices").exists()


def test_a_bad_quietwork_speed_does_not_stop_commands_that_never_pace(
    cli: CLI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIETWORK_SPEED", "fast")
    assert cli("list").exit_code == 0
    assert cli("checkin", "--distress", "3").exit_code == 0
    assert cli("log").exit_code == 0
    result = cli("config")
    assert result.exit_code == 0
    assert "QUIETWORK_SPEED: 'fast' is not a number" in result.stderr
    assert re.search(r"speed\s+1\s+from default", result.stdout)


def test_new_says_when_it_replaces_a_builtin(cli: CLI) -> None:
    result = cli("new", "ground")
    assert result.exit_code == 0
    assert "'ground' is also a built-in practice; yours replaces it." in result.stderr


def test_config_shows_a_support_message_with_escapes_inert(
    cli: CLI, quietwork_home: Path
) -> None:
    escapes = r"call Sam\u001b]0;pwned\u0007 \u001b[31mred"
    write_config(quietwork_home, f'support_message = "{escapes}"\n')
    result = cli("config")
    assert result.exit_code == 0, result.output
    assert "call Sam]0;pwned [31mred" in result.stdout
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout


def test_a_config_that_is_not_utf8_names_line_column_and_byte(
    cli: CLI, quietwork_home: Path
) -> None:
    """As a practice file does: where the byte is, and which byte (an editor's Latin-1)."""
    path = write_config(quietwork_home, "")
    path.write_bytes(b'stop_at = 6\nsupport_message = "Jos\xe9"\n')
    result = cli("config")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"Error: {path}:2:23: cannot be read: not UTF-8 text (byte 0xe9)"), result.stderr
