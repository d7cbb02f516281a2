"""Cues for eyes-closed practice: the terminal bell, tones (views/sound.py) and a voice
(views/voice.py).

All are fire-and-forget so the frame loop never waits on them.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from typing import TYPE_CHECKING, TextIO

from quietwork.run.timeline import PHASE_WORDS, Frame

if TYPE_CHECKING:
    from collections.abc import Callable

    from quietwork.run.ports import Keys, View
    from quietwork.run.views.sound import Sound
    from quietwork.run.views.voice import Voice

BELL_GAP = 0.25  # seconds between the two rings at an exhale, so they are heard as two


class Bell:
    """Rings the person's terminal, keeping BEL out of piped output.

    Writes to /dev/tty (the controlling terminal) so that `--plain --bell | tee log`
    rings without putting BEL into the log; without a controlling terminal it falls
    back to stdout when that is a terminal, else stays silent.
    """

    def __init__(self) -> None:
        self._tty: TextIO | None = None
        try:
            self._tty = open("/dev/tty", "w")  # noqa: SIM115 - held for the whole run
        except OSError:
            if sys.stdout.isatty():
                self._tty = sys.stdout
        self._timer: threading.Timer | None = None

    def ring(self, times: int = 1) -> None:
        """Ring now, and again after a short gap for each extra time."""
        self._write()
        if times > 1:
            self._timer = threading.Timer(BELL_GAP, self.ring, args=(times - 1,))
            self._timer.daemon = True
            self._timer.start()

    def _write(self) -> None:
        if self._tty is None:
            return
        with contextlib.suppress(OSError, ValueError):
            self._tty.write("\a")
            self._tty.flush()

    def close(self) -> None:
        """Cancel a pending ring and let go of the terminal."""
        if self._timer is not None:
            self._timer.cancel()
        if self._tty is not None and self._tty is not sys.stdout:
            with contextlib.suppress(OSError):
                self._tty.close()
        self._tty = None


def phase_word(phase: str) -> str:
    """The word for a breathing phase ("Inhale"); a phase without one gets its name."""
    return PHASE_WORDS.get(phase) or phase.replace("_", " ").replace("-", " ").capitalize()


class CuedView:
    """A view that also rings, plays a tone and speaks at each new prompt and breathing phase.

    The voice belongs to the session (it goes on speaking questions and the stop text
    after the timed part); the bell and the sound to this run.
    """

    def __init__(
        self,
        view: View,
        *,
        bell: Bell | None,
        voice: Voice | None,
        sound: Sound | None = None,
        on_mute: Callable[[bool], None] | None = None,
    ) -> None:
        self._view = view
        self._bell = bell
        self._voice = voice
        self._sound = sound
        self._on_mute = on_mute

    def bar_cells(self) -> int:
        """The wrapped view's bar."""
        return self._view.bar_cells()

    def show(self, frame: Frame) -> None:
        """Show the frame; at an onset, ring, play and speak."""
        self._view.show(frame)
        if not frame.onset:
            return
        if self._bell is not None and frame.phase in ("inhale", "exhale"):
            self._bell.ring(1 if frame.phase == "inhale" else 2)
        if self._sound is not None and frame.phase is not None:
            self._sound.cue(frame.phase)
        if self._voice is not None:
            self._voice.cue(phase_word(frame.phase) if frame.phase else frame.text)

    def toggle_mute(self) -> None:
        """`m`: mute or unmute the tones (nothing without --sound)."""
        if self._sound is None:
            return
        muted = self._sound.toggle_mute()
        if self._on_mute is not None:
            self._on_mute(muted)

    def suspend(self) -> None:
        """Make room for a question."""
        self._view.suspend()

    def end(self) -> None:
        """The timed part is over."""
        self._view.end()

    def close(self) -> None:
        """Stop ringing and playing; forget phase words not yet spoken."""
        if self._voice is not None:
            self._voice.drop_cues()
        if self._sound is not None:
            self._sound.close()
        if self._bell is not None:
            self._bell.close()


class MuteKeys:
    """Keys that act on `m` themselves (mute, unmute) and pass every other key on.

    After `m` it answers "resize" so the view draws its footer again; the runner needs to
    know nothing of sound.
    """

    def __init__(self, keys: Keys, on_mute: Callable[[], None]) -> None:
        self._keys = keys
        self._on_mute = on_mute

    def read(self, timeout: float) -> str | None:
        """The wrapped keys' next key; `m` toggles the mute and reads as "resize"."""
        key = self._keys.read(timeout)
        if key == "mute":
            self._on_mute()
            return "resize"
        return key
