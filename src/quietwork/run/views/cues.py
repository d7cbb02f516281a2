"""Cues for eyes-closed practice: the terminal bell and a text-to-speech voice.

Both are fire-and-forget so the frame loop never waits on them.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
import threading
from typing import TextIO

from quietwork.run.ports import View
from quietwork.run.timeline import PHASE_WORDS, Frame
from quietwork.text import clean

VOICES = ("espeak-ng", "espeak", "say")
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


def find_voice() -> Voice | None:
    """The first installed text-to-speech program, or None."""
    for name in VOICES:
        path = shutil.which(name)
        if path:
            return Voice(path)
    return None


class Voice:
    """Speaks through a text-to-speech program without waiting for it.

    The text goes in on stdin, never as an argument, so a prompt starting with "-"
    cannot become an option. A new utterance cuts the one still speaking.
    """

    def __init__(self, program: str) -> None:
        self.program = program
        self._proc: subprocess.Popen[bytes] | None = None
        self._old: list[subprocess.Popen[bytes]] = []

    def speak(self, text: str) -> None:
        """Start speaking `text`; returns at once."""
        text = clean(text, single_line=True)
        if not text:
            return
        self.stop()
        try:
            self._proc = subprocess.Popen(
                [self.program],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            assert self._proc.stdin is not None
            self._proc.stdin.write(text.encode("utf-8"))
            self._proc.stdin.close()
        except OSError:
            self._proc = None

    def stop(self) -> None:
        """Silence what is still speaking (reaped later, never waited on here)."""
        proc, self._proc = self._proc, None
        if proc is not None:
            if proc.poll() is None:
                with contextlib.suppress(OSError):
                    proc.terminate()
            self._old.append(proc)
        self._old = [old for old in self._old if old.poll() is None]

    def close(self) -> None:
        """Silence it and reap every process started."""
        self.stop()
        for proc in self._old:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=0.5)
        self._old = []


class CuedView:
    """A view that also rings and speaks at each new prompt and breathing phase."""

    def __init__(self, view: View, *, bell: Bell | None, voice: Voice | None) -> None:
        self._view = view
        self._bell = bell
        self._voice = voice

    def bar_cells(self) -> int:
        """The wrapped view's bar."""
        return self._view.bar_cells()

    def show(self, frame: Frame) -> None:
        """Show the frame; at an onset, ring and speak."""
        self._view.show(frame)
        if not frame.onset:
            return
        if self._bell is not None and frame.phase in ("inhale", "exhale"):
            self._bell.ring(1 if frame.phase == "inhale" else 2)
        if self._voice is not None:
            self._voice.speak(PHASE_WORDS[frame.phase] if frame.phase else frame.text)

    def suspend(self) -> None:
        """Make room for a question."""
        self._view.suspend()

    def end(self) -> None:
        """The timed part is over."""
        self._view.end()

    def close(self) -> None:
        """Stop speaking and ringing."""
        if self._voice is not None:
            self._voice.close()
        if self._bell is not None:
            self._bell.close()
