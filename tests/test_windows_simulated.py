"""quietwork where Windows differs from POSIX, simulated here (no Windows machine in CI).

In-process: the POSIX-only signal names removed. In a subprocess (tests/windows_sim):
those names gone, SIGBREAK added, termios / tty / fcntl unimportable and a fake msvcrt.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from practices import add_practices

from conftest import Result, logged_entries, run_subprocess

POSIX_ONLY = ("SIGHUP", "SIGQUIT", "SIGTSTP", "SIGCONT", "SIGWINCH")


def test_commands_run_where_the_posix_signals_do_not_exist(
    cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in POSIX_ONLY:
        monkeypatch.delattr(signal, name, raising=False)
    listed = cli("list")
    assert listed.exit_code == 0, listed.output
    assert "ground" in listed.stdout
    saved = cli("checkin", "--distress", "3")
    assert saved.exit_code == 0, saved.output


SIM = Path(__file__).parent / "windows_sim"
SHORT = """\
title: Short
summary: A prompt and one breath.
steps:
  - say: Notice the floor.
    seconds: 0.3
  - breathe: {inhale: 0.5, exhale: 0.5, breaths: 1}
"""


@pytest.fixture(autouse=True)
def short(quietwork_home: Path) -> None:
    """A short practice in the user folder."""
    add_practices(quietwork_home, short=SHORT)


def sim_env(**extra: str) -> dict[str, str]:
    """The environment of a simulated-Windows quietwork (tests/windows_sim first on the path)."""
    path = os.pathsep.join(p for p in (str(SIM), os.environ.get("PYTHONPATH", "")) if p)
    return {"PYTHONPATH": path, **extra}


def on_windows(*args: str, input: str = "") -> subprocess.CompletedProcess[str]:
    """quietwork in a subprocess that simulates Windows."""
    return run_subprocess(*args, input=input, env=sim_env(), timeout=60)


def test_the_simulation_is_in_effect() -> None:
    probe = (
        "import importlib.util, signal, msvcrt\n"
        "print(hasattr(signal, 'SIGHUP'), hasattr(signal, 'SIGWINCH'), signal.SIGBREAK)\n"
        "for name in ('termios', 'tty', 'fcntl'):\n"
        "    try:\n"
        "        __import__(name)\n"
        "    except ImportError:\n"
        "        print(name, 'missing')\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            env={**os.environ, **sim_env()}, timeout=60)
    assert result.stdout.split("\n")[:4] == [
        "False False 21", "termios missing", "tty missing", "fcntl missing"], result.stderr


@pytest.mark.parametrize(
    "args", [("--version",), ("list",), ("show", "ground"), ("log",), ("stats",), ("paths",)],
    ids=" ".join,
)
def test_a_command_runs_on_windows(args: tuple[str, ...]) -> None:
    result = on_windows(*args)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
    assert result.stderr == ""


def test_a_check_in_is_saved_and_logged_on_windows() -> None:
    saved = on_windows("checkin", "--distress", "3")
    assert saved.returncode == 0, saved.stderr
    logged = on_windows("log", "--json")
    assert logged.returncode == 0, logged.stderr
    [entry] = json.loads(logged.stdout)
    assert entry["distress"] == 3
    assert on_windows("stats").returncode == 0


def test_a_piped_plain_practice_runs_on_windows() -> None:
    result = on_windows("practice", "short", "--speed", "4", input="5\n3\n")
    assert result.returncode == 0, result.stderr
    assert "Distress 5 → 3" in result.stdout
    [session] = logged_entries()
    assert session["status"] == "completed"


KEYED = """\
title: Keyed
summary: A prompt and two breaths.
steps:
  - say: Notice the floor.
    seconds: 0.5
  - breathe: {inhale: 1.5, exhale: 1.5, breaths: 2}
"""


def console(tmp_path: Path, *args: str) -> tuple[Any, Path]:
    """A simulated-Windows practice at a console (a pty); keys go to the fake msvcrt's file."""
    pexpect = pytest.importorskip("pexpect")
    (Path(os.environ["QUIETWORK_HOME"]) / "practices" / "keyed.yaml").write_text(KEYED)
    typed = tmp_path / "typed"
    typed.write_text("")
    env = {**os.environ, **sim_env(QW_SIM_KEYS=str(typed)), "TERM": "xterm-256color"}
    env.pop("COLUMNS", None)
    child = pexpect.spawn(sys.executable, ["-m", "quietwork", "practice", "keyed", *args],
                          env=env, encoding="utf-8", timeout=30, dimensions=(30, 100))
    child.delaybeforesend = None
    return child, typed


def press(typed: Path, keys: str) -> None:
    with typed.open("a", encoding="utf-8") as file:
        file.write(keys)


def test_the_console_reader_pauses_resumes_redraws_and_arrows_do_not_stop(tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    child, typed = console(tmp_path, "--no-checkin", "--speed", "2")
    child.expect_exact("Inhale")
    child.expect_exact("breath 1 of 2")
    press(typed, "p")
    child.expect_exact("Paused. Press p or space to go on.")
    child.setwinsize(20, 60)  # no SIGWINCH here: the reader polls the console's size
    child.expect_exact("\x1b[2J")  # cleared at the new size while paused ...
    child.expect_exact("Paused. Press p or space to go on.")  # ... and drawn again
    press(typed, " ")
    child.expect_exact("Exhale")
    press(typed, "\xe0H")  # up arrow, as the Windows console gives it
    child.expect_exact("That's the end of the practice.")  # it went on to the end
    assert "Stopping here." not in child.before
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    [session] = logged_entries()
    assert session["status"] == "completed"


@pytest.mark.parametrize("key", ["s", "\x1b"], ids=["s", "Esc"])
def test_the_console_reader_stops_at_once(tmp_path: Path, key: str) -> None:
    # --plain: the question after the stop is a typed line. The terminal's questionary
    # prompts are prompt_toolkit's, which picks its input by sys.platform, not simulated.
    pexpect = pytest.importorskip("pexpect")
    child, typed = console(tmp_path, "--no-checkin", "--plain")
    child.expect_exact("Keys: s stop, p pause, Ctrl-C quit.")
    child.expect_exact("Inhale 1.5 s")
    press(typed, key)
    child.expect_exact("Stopping here.", timeout=2)  # within the breath: at once
    child.expect_exact("Settle for a minute? [y/N]")
    child.send("\r")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    [session] = logged_entries()
    assert (session["status"], session["stop_reason"]) == ("stopped", "user")


@pytest.mark.parametrize(
    "bad", ["con", "NUL", "Com1", "lpt9", "aux", "prn", *'<>:"/\\|?*'],
)
def test_new_refuses_ids_windows_cannot_hold(
    cli: Callable[..., Result], quietwork_home: Path, bad: str
) -> None:
    result = cli("new", bad)
    assert result.exit_code == 2
    assert "is not a usable id" in result.stderr and bad in result.stderr
    assert not (quietwork_home / "practices" / f"{bad}.yaml").exists()


@pytest.mark.parametrize("good", ["console", "com10", "null-breath", "auxiliary"])
def test_new_takes_names_that_only_start_like_a_device(
    cli: Callable[..., Result], quietwork_home: Path, good: str
) -> None:
    result = cli("new", good)
    assert result.exit_code == 0, result.output
    assert (quietwork_home / "practices" / f"{good}.yaml").is_file()


SLOW = """\
title: Slow
summary: One long prompt.
steps:
  - say: Notice the floor under you.
    seconds: 60
"""


def test_a_killed_practice_is_not_taken_for_running_when_its_pid_comes_back() -> None:
    # Windows has no safe pid check in os (os.kill terminates), so the practice's lock
    # file must tell: here the killed practice's pid is made to belong to a live process
    # (this one), as a reused pid would, and the log must still not call it running.
    import sqlite3

    from quietwork import paths

    (Path(os.environ["QUIETWORK_HOME"]) / "practices" / "slow.yaml").write_text(SLOW)
    env = {**os.environ, **sim_env()}
    child = subprocess.Popen([sys.executable, "-m", "quietwork", "practice", "slow"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env)
    assert child.stdin is not None and child.stdout is not None
    try:
        child.stdin.write("5\n")
        child.stdin.flush()
        for line in child.stdout:
            if "Notice the floor" in line:
                break
        [running] = json.loads(on_windows("log", "--json").stdout)
        assert running["status"] == "running"  # its lock is held
    finally:
        child.kill()
        child.communicate(timeout=30)
    with sqlite3.connect(paths.db_path()) as db:
        db.execute("UPDATE sessions SET pid = ?", (os.getpid(),))
    db.close()
    logged = on_windows("log", "--json")
    assert logged.returncode == 0, logged.stderr
    [session] = json.loads(logged.stdout)
    assert session["status"] == "interrupted"
    assert session["checkins"][0]["distress"] == 5
