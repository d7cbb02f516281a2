"""Is a person at a terminal, and how this run talks to them: keys, views, prompter.

The ONE answer to "is a person at a terminal?" is `terminal_available` (stdin and
stdout are terminals and TERM is not dumb); the practice, `checkin` and `anchors`
commands ask it here. `wired` plugs keys and a view into one run and restores the
terminal on every way out.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from quietwork.run.ports import Keys, Prompter, View
    from quietwork.run.views.cues import Voice


def terminal_available(stdin: TextIO | None = None, stdout: TextIO | None = None) -> bool:
    """Whether a person is at a real terminal: stdin and stdout TTYs and TERM not dumb."""
    streams = (sys.stdin if stdin is None else stdin, sys.stdout if stdout is None else stdout)
    try:
        ttys = all(stream is not None and stream.isatty() for stream in streams)
    except (AttributeError, ValueError):  # closed or replaced streams
        return False
    return ttys and os.environ.get("TERM", "") != "dumb"


def _keys_available() -> bool:
    """Whether key presses can be read at once (cbreak): stdin alone is a terminal."""
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def make_prompter(*, interactive: bool) -> Prompter:
    """questionary when wanted and at a real terminal; plain lines otherwise.

    Piped bytes would be taken as keystrokes by questionary, so it never sees a pipe.
    """
    from quietwork.run.prompts import PlainPrompter, TerminalPrompter

    if interactive and terminal_available():
        return TerminalPrompter()
    return PlainPrompter()


@dataclass(frozen=True)
class Wiring:
    """How this run talks to the person."""

    terminal: bool  # the animated view and cbreak keys; else plain lines
    bell: bool = False
    voice: Voice | None = None


def wanted_voice(wanted: bool) -> Voice | None:
    """The text-to-speech program, or a one-line notice that there is none."""
    if not wanted:
        return None
    from quietwork import output
    from quietwork.run.views.cues import VOICES, find_voice

    found = find_voice()
    if found is None:
        output.note(
            f"--voice: no text-to-speech program found ({', '.join(VOICES)}); "
            "going on without a voice."
        )
    return found


@contextlib.contextmanager
def wired(
    wiring: Wiring, prompter: Prompter, *, title: str = "", safety: str | None = None
) -> Iterator[tuple[Keys, View, Prompter]]:
    """Keys, a view and the prompter for one run; the terminal is restored on every way out.

    On a terminal the questions are asked inside the live view (run/views/asking.py), so
    the whole practice stays on one screen; `prompter` serves plain mode.
    """
    from quietwork.run.views.cues import Bell, CuedView

    _collect_from_now_on()
    bell = Bell() if wiring.bell else None
    if wiring.terminal:
        from quietwork.run.keys import TerminalKeys
        from quietwork.run.views.asking import InViewPrompter
        from quietwork.run.views.live import LiveView

        with TerminalKeys() as keys, LiveView(title=title) as live:
            keys.start()
            view = CuedView(live, bell=bell, voice=wiring.voice)
            try:
                yield keys, view, InViewPrompter(live, keys, safety=safety or "")
            finally:
                view.close()
        return
    from quietwork.run.prompts import PlainPrompter
    from quietwork.run.views.plain import PlainView

    @contextlib.contextmanager
    def numbered(plain: PlainView) -> Iterator[None]:
        """The plain prompter numbers check-in steps through the plain view."""
        plain.intro(safety)
        numbering = isinstance(prompter, PlainPrompter)
        if numbering:
            prompter.before_rating = plain.checkin_step  # type: ignore[attr-defined]
        try:
            yield
        finally:
            if numbering:
                prompter.before_rating = None  # type: ignore[attr-defined]

    if _keys_available():
        from quietwork.run.keys import TerminalKeys

        # A person at a terminal: keys act at once and are not echoed (cbreak) during the
        # timed steps, as in the terminal view; each question gets line mode back.
        with TerminalKeys() as tty_keys:
            plain = PlainView(keys=True, release=tty_keys.restore)
            view = CuedView(plain, bell=bell, voice=wiring.voice)
            try:
                with numbered(plain):
                    yield tty_keys, view, prompter
            finally:
                view.close()
        return
    from quietwork.run.keys import NoKeys

    # From a pipe, every line is a check-in answer: there are no keys to read.
    plain = PlainView()
    view = CuedView(plain, bell=bell, voice=wiring.voice)
    try:
        with numbered(plain):
            yield NoKeys(), view, prompter
    finally:
        view.close()


def _collect_from_now_on() -> None:
    """Turn the garbage collector back on (main turns it off for start-up).

    What was loaded so far lives until exit: frozen, the collector never scans it again.
    """
    import gc

    gc.freeze()
    gc.enable()
