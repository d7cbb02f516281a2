"""Is a person at a terminal, and how this run talks to them: keys, views, prompter.

The ONE answer to "is a person at a terminal?" is `terminal_available` (stdin and
stdout are terminals and TERM is not dumb); the practice, `checkin` and `anchors`
commands ask it here. `wired` plugs keys and a view into one run and restores the
terminal on every way out.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, TextIO

from quietwork.output import isatty
from quietwork.records import record

if TYPE_CHECKING:
    from quietwork.run.keys import TerminalKeys
    from quietwork.run.ports import Keys, Prompter, View
    from quietwork.run.views.sound import Sound
    from quietwork.run.views.voice import Voice
    from quietwork.run.winkeys import ConsoleKeys


def terminal_available(stdin: TextIO | None = None, stdout: TextIO | None = None) -> bool:
    """Whether a person is at a real terminal: stdin and stdout TTYs and TERM not dumb."""
    streams = (sys.stdin if stdin is None else stdin, sys.stdout if stdout is None else stdout)
    try:
        ttys = all(stream is not None and stream.isatty() for stream in streams)
    except (AttributeError, ValueError):  # closed or replaced streams
        return False
    if not ttys or os.environ.get("TERM", "") == "dumb":
        return False
    if sys.platform == "win32":  # the live view's escape sequences need the console's VT mode
        from quietwork.run.winkeys import enable_vt_output

        return enable_vt_output()
    return True


def _a_pipe(stream: TextIO) -> bool:
    try:
        mode = os.fstat(stream.fileno()).st_mode
    except (OSError, ValueError, AttributeError):
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


@contextlib.contextmanager
def facing_the_person() -> Iterator[None]:
    """A practice at a terminal with stdout sent to a file (`> out.txt`) talks on stderr.

    Keys come from the terminal, so the person is there: the view, the questions and
    the stop screen go to the terminal (stderr) instead of into the file, and the
    practice runs as at a terminal. A pipe (`| tee`) is read by a program that may show
    it, and a closed pipe ends the practice quietly: it keeps the plain lines. With
    stderr redirected too, nothing changes (docs/contract.md, Streams).
    """
    if (isatty(sys.stdin) and isatty(sys.stderr) and not isatty(sys.stdout)
            and not _a_pipe(sys.stdout)):
        with contextlib.redirect_stdout(sys.stderr):
            yield
        return
    yield


def _keys_available() -> bool:
    """Whether key presses can be read at once (cbreak): stdin alone is a terminal."""
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def key_reader() -> TerminalKeys | ConsoleKeys:
    """The terminal's key reader: cbreak on POSIX (termios), the console's on Windows."""
    try:
        import termios  # noqa: F401 - only asked whether it exists
    except ImportError:
        from quietwork.run.winkeys import ConsoleKeys

        return ConsoleKeys()
    from quietwork.run.keys import TerminalKeys

    return TerminalKeys()


def make_prompter(*, interactive: bool) -> Prompter:
    """questionary when wanted and at a real terminal; plain lines otherwise.

    Piped bytes would be taken as keystrokes by questionary, so it never sees a pipe.
    """
    from quietwork.run.plain_prompts import PlainPrompter
    from quietwork.run.prompts import TerminalPrompter

    if interactive and terminal_available():
        return TerminalPrompter()
    return PlainPrompter()


MUTE_NOTES = {False: "m mute", True: "m unmute"}  # the footer's key, when it fits
MUTED_LINES = {False: "Sound on.", True: "Sound off. Press m to turn it on again."}


@record(eq=False, repr=False)
class Wiring:
    """How this run talks to the person."""

    terminal: bool  # the animated view and cbreak keys; else plain lines
    bell: bool = False
    voice: Voice | None = None
    sound: Sound | None = None


def wanted_voice(wanted: bool) -> Voice | None:
    """The text-to-speech program, or a one-line notice that there is none."""
    if not wanted:
        return None
    from quietwork import output
    from quietwork.run.views.voice import find_voice, voice_names

    found = find_voice()
    if found is None:
        output.note(
            f"--voice: no text-to-speech program found ({', '.join(voice_names())}); "
            "going on without a voice."
        )
    return found


def wanted_sound(wanted: bool) -> Sound | None:
    """The tones and a player for them, or a one-line notice why there is no sound."""
    if not wanted:
        return None
    from quietwork import output, paths
    from quietwork.run.views.sound import Sound, find_player, player_names
    from quietwork.run.views.tones import tone_files

    player = find_player()
    if player is None:
        output.note(
            f"--sound: no audio player found ({', '.join(player_names())}); "
            "going on without sound."
        )
        return None
    folder = paths.cache_dir() / "tones"
    try:
        files = tone_files(folder)
    except OSError as exc:
        output.note(
            f"--sound: cannot write the tones into {folder}: {exc.strerror or exc}; "
            "going on without sound."
        )
        return None
    return Sound(player, files)


@contextlib.contextmanager
def wired(
    wiring: Wiring, prompter: Prompter, *, title: str = "", safety: str | None = None
) -> Iterator[tuple[Keys, View, Prompter]]:
    """Keys, a view and the prompter for one run; the terminal is restored on every way out.

    On a terminal the questions are asked inside the live view (run/views/asking.py), so
    the whole practice stays on one screen (and are said with --voice); `prompter`
    serves plain mode, where it numbers the check-in steps through the plain view.
    """
    from quietwork.run.views.cues import Bell, CuedView, MuteKeys

    bell = Bell() if wiring.bell else None
    sound = wiring.sound
    if wiring.terminal:
        from quietwork.run.keys import TerminalKeys
        from quietwork.run.spoken import spoken
        from quietwork.run.views.asking import InViewPrompter
        from quietwork.run.views.live import LiveView
        from quietwork.text import clean

        with key_reader() as keys, LiveView(title=title) as live:
            keys.on_suspend(live.give_back)  # Ctrl-Z: the shell's screen, cursor shown
            live.safety = clean(safety or "").strip()
            if sound is not None:
                live.keys_note = MUTE_NOTES[sound.muted]
            view = CuedView(live, bell=bell, voice=wiring.voice, sound=sound,
                            on_mute=lambda muted: setattr(live, "keys_note", MUTE_NOTES[muted]))
            asking: Prompter = prompter  # a Windows console: asked below the view
            if isinstance(keys, TerminalKeys):
                keys.start()
                asking = spoken(InViewPrompter(
                    live, keys, safety=safety or "",
                    on_mute=None if sound is None else view.toggle_mute,
                    # Without a voice saying it, a soft tone says a question waits.
                    on_ask=None if sound is None or wiring.voice else sound.question,
                ), wiring.voice)
            _collect_from_now_on()
            try:
                yield (keys if sound is None else MuteKeys(keys, view.toggle_mute)), view, asking
            finally:
                view.close()
        return
    from quietwork.run.views.plain import NumberedPrompter, PlainView

    if _keys_available():
        # A person at a terminal: keys act at once and are not echoed (cbreak) during the
        # timed steps, as in the terminal view; each question gets line mode back.
        with key_reader() as tty_keys:
            plain = PlainView(keys=True, release=tty_keys.restore,
                              keys_note="" if sound is None else MUTE_NOTES[sound.muted])
            view = CuedView(plain, bell=bell, voice=wiring.voice, sound=sound,
                            on_mute=lambda muted: plain.note(MUTED_LINES[muted]))
            _collect_from_now_on()
            try:
                plain.intro(safety, title=title)
                yield ((tty_keys if sound is None else MuteKeys(tty_keys, view.toggle_mute)),
                       view, NumberedPrompter(prompter, plain))
            finally:
                view.close()
        return
    from quietwork.run.keys import NoKeys

    # From a pipe, every line is a check-in answer: there are no keys to read.
    plain = PlainView()
    view = CuedView(plain, bell=bell, voice=wiring.voice, sound=sound)
    _collect_from_now_on()
    try:
        plain.intro(safety, title=title)
        yield NoKeys(), view, NumberedPrompter(prompter, plain)
    finally:
        view.close()


def _collect_from_now_on() -> None:
    """Turn the garbage collector back on (main turns it off for start-up).

    Called once the view and its libraries (rich) are loaded, just before the run: what
    was loaded so far lives until exit, frozen, so the collector never scans it again,
    and the imports before it (rich's) ran without collections: a few ms less.
    """
    import gc

    gc.freeze()
    gc.enable()
