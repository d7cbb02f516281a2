"""quietwork where Windows differs from POSIX, simulated here (no Windows machine in CI).

In-process: the POSIX-only signal names removed. In a subprocess (tests/windows_sim):
those names gone, SIGBREAK added, termios / tty / fcntl unimportable and a fake msvcrt.
"""

from __future__ import annotations

import signal
from collections.abc import Callable

import pytest

from conftest import Result

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
