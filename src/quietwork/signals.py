"""SIGTERM, SIGHUP, SIGQUIT for every command: they unwind like Ctrl-C; every `finally` runs.

boundary.guarded wraps each command in `signals_raise`: a question on screen (checkin, anchors)
or a practice's cbreak keys leave the terminal as they found it (without the `finally`
blocks the terminal is left without echo).

Only the signals this platform has are looked up: Windows has SIGTERM and SIGBREAK
(Ctrl-Break) but no SIGHUP or SIGQUIT (docs/reliability.md).
"""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Iterator
from types import FrameType
from typing import Any

# Ctrl-\ (SIGQUIT) would otherwise dump core and leave the terminal without echo.
WATCHED = ("SIGTERM", "SIGHUP", "SIGQUIT", "SIGBREAK")


def watched_signals() -> list[signal.Signals]:
    """The signals of WATCHED that exist on this platform."""
    return [getattr(signal, name) for name in WATCHED if hasattr(signal, name)]


class SignalReceived(SystemExit):
    """SIGTERM, SIGHUP, SIGQUIT or SIGBREAK arrived; unwinds like Ctrl-C so every `finally` runs.

    A SystemExit (code 128 + the signal), because asyncio lets only SystemExit and
    KeyboardInterrupt out of its callbacks: any other exception raised there is printed
    with "Press ENTER to continue..." by prompt_toolkit, and the process waits.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(128 + signum)
        self.signum = signum


@contextlib.contextmanager
def signals_raise() -> Iterator[None]:
    """While inside, the watched signals raise SignalReceived (once; repeats are ignored).

    While a question is on screen (questionary), the prompt is ended with the exception
    instead: raised in the middle of prompt_toolkit it could cut the restore of the
    terminal short.
    """
    watched = watched_signals()

    def handler(signum: int, frame: FrameType | None) -> None:
        # A second signal must not cut the cleanup that the first one started.
        for sig in watched:
            signal.signal(sig, signal.SIG_IGN)
        prompt = _running_prompt()
        if prompt is not None:
            prompt.exit(exception=SignalReceived(signum), style="class:aborting")
            return
        raise SignalReceived(signum)

    previous = {sig: signal.signal(sig, handler) for sig in watched}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _running_prompt() -> Any:
    """The prompt_toolkit application asking a question right now, if any."""
    if "prompt_toolkit" not in sys.modules:  # never imported: no question was asked
        return None
    from prompt_toolkit.application.current import get_app_or_none  # noqa: TID251 - see above

    app = get_app_or_none()
    return app if app is not None and app.is_running and not app.is_done else None
