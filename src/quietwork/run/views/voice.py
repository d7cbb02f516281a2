"""`--voice`: speech through a text-to-speech program, one process per utterance, never waited on.

Programs, the first found: espeak-ng or espeak anywhere; then `say` on macOS, or
Windows' built-in speech (PowerShell's System.Speech) on Windows. The text never
reaches a command line: it goes in on stdin (espeak, say) or in an environment
variable that the fixed PowerShell command reads, so no text can become an option
or code.

Two kinds of utterance: a *cue* (a step's prompt, a phase word) is stale once the next
one comes, so a new cue cuts the cue still speaking and replaces one still waiting; a
*say* (a question, the stop text, the ending) is never cut or dropped: it waits its turn.
A worker thread starts each utterance when the one before has finished, so the frame
loop and the questions never wait on speech.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from quietwork.text import clean

SPEECH_VARIABLE = "QUIETWORK_SPEECH"
POWERSHELL_SPEAK = (
    "Add-Type -AssemblyName System.Speech; "
    "(New-Object System.Speech.Synthesis.SpeechSynthesizer).Speak($env:" + SPEECH_VARIABLE + ")"
)
MAX_CHARS = 2000  # one utterance; the stop text and a support plan's first lines fit easily
CLOSE_WAIT = 30.0  # at the end, how long what is still to be said may hold the exit
Kind = Literal["cue", "say"]
_SPOKEN = (
    (re.compile(r"\s*→\s*"), " to "),
    (re.compile(r"\s+=\s+"), " is "),
    (re.compile(r"\s*·\s*"), ", "),
    (re.compile(r"…"), "..."),
    (re.compile(r"\s*[—–]\s*"), ", "),
)


@dataclass(frozen=True)
class Program:
    """How to run one text-to-speech program."""

    name: str
    command: tuple[str, ...]
    via: Literal["stdin", "env"] = "stdin"


def voice_names(platform: str | None = None) -> tuple[str, ...]:
    """What `find_voice` tries on this platform, in order (for the notice when none is found)."""
    platform = sys.platform if platform is None else platform
    extra = {"darwin": ("say",), "win32": ("PowerShell System.Speech",)}.get(platform, ())
    return ("espeak-ng", "espeak", *extra)


def find_program(
    platform: str | None = None, which: Callable[[str], str | None] = shutil.which
) -> Program | None:
    """The first text-to-speech program on this machine, or None."""
    platform = sys.platform if platform is None else platform
    for name in ("espeak-ng", "espeak"):
        path = which(name)
        if path:
            return Program(name, (path,))
    if platform == "darwin":
        path = which("say")
        if path:  # with no text argument, say reads what to speak from stdin
            return Program("say", (path,))
    if platform == "win32":
        # Windows PowerShell (not pwsh: .NET Core has no System.Speech).
        path = which("powershell")
        if path:
            return Program(
                "PowerShell System.Speech",
                (path, "-NoProfile", "-NonInteractive", "-Command", POWERSHELL_SPEAK),
                via="env",
            )
    return None


def find_voice(
    platform: str | None = None, which: Callable[[str], str | None] = shutil.which
) -> Voice | None:
    """A voice speaking through the first text-to-speech program found, or None."""
    program = find_program(platform, which)
    return None if program is None else Voice(program)


def spoken_form(text: str) -> str:
    """Text as it should be heard: one line, "0 = calm" as "0 is calm", "6 → 3" as "6 to 3"."""
    text = clean(text, single_line=True)
    for pattern, replacement in _SPOKEN:
        text = pattern.sub(replacement, text)
    return text[:MAX_CHARS].strip()


@dataclass(frozen=True)
class _Utterance:
    text: str
    kind: Kind


class Voice:
    """Speaks cues and says, in order, from a worker thread (see the module's docstring)."""

    def __init__(self, program: Program, env: Mapping[str, str] | None = None) -> None:
        self.program = program
        self._env = env
        self._lock = threading.Condition()
        self._queue: deque[_Utterance] = deque()
        self._current: tuple[subprocess.Popen[bytes], Kind] | None = None
        self._worker: threading.Thread | None = None
        self._closed = False
        self.spoken = 0  # utterances started (for tests and the curious)

    def cue(self, text: str) -> None:
        """A prompt or phase word: cuts a cue still speaking, replaces one still waiting."""
        self._add(text, "cue")

    def say(self, text: str) -> None:
        """A question or what the person must know: spoken whole, after what comes before."""
        self._add(text, "say")

    def _add(self, text: str, kind: Kind) -> None:
        text = spoken_form(text)
        if not text:
            return
        with self._lock:
            if self._closed:
                return
            if kind == "cue":
                self._drop_cues()
            self._queue.append(_Utterance(text, kind))
            if self._worker is None:
                self._worker = threading.Thread(target=self._work, name="voice", daemon=True)
                self._worker.start()
            self._lock.notify()

    def drop_cues(self) -> None:
        """Forget cues not yet spoken and cut one speaking (the timed part is over)."""
        with self._lock:
            self._drop_cues()

    def _drop_cues(self) -> None:
        """(with the lock held)"""
        self._queue = deque(item for item in self._queue if item.kind != "cue")
        if self._current is not None and self._current[1] == "cue":
            _terminate(self._current[0])

    def close(self, *, cut: bool = False) -> None:
        """Stop taking words. `cut`: silence everything now (Ctrl-C, an error).

        Otherwise what is still to be said is said (for at most CLOSE_WAIT seconds), and
        the last utterance is left to finish on its own after quietwork exits.
        """
        with self._lock:
            self._closed = True
            if cut:
                self._queue.clear()
                if self._current is not None:
                    _terminate(self._current[0])
            else:
                self._drop_cues()
            waiting = bool(self._queue)
            self._lock.notify()
        # A cut waits for nothing (a program deaf to SIGTERM must not hold the exit).
        if self._worker is not None and waiting:
            self._worker.join(CLOSE_WAIT)

    def _work(self) -> None:
        while True:
            with self._lock:
                while not self._queue and not self._closed:
                    self._lock.wait()
                if not self._queue:
                    return
                item = self._queue.popleft()
                # Started with the lock held: a cut cannot slip in between.
                proc = self._start(item.text)
                if proc is None:
                    continue
                self.spoken += 1
                self._current = (proc, item.kind)
                if self._closed and not self._queue:
                    return  # the last words: left to finish after quietwork exits
            proc.wait()
            with self._lock:
                self._current = None

    def _start(self, text: str) -> subprocess.Popen[bytes] | None:
        env = dict(os.environ if self._env is None else self._env)
        via_env = self.program.via == "env"
        if via_env:
            env[SPEECH_VARIABLE] = text
        try:
            proc = subprocess.Popen(
                list(self.program.command),
                stdin=subprocess.DEVNULL if via_env else subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=env,
            )
        except OSError:
            return None
        if proc.stdin is not None:
            with contextlib.suppress(OSError):
                proc.stdin.write(text.encode("utf-8"))
            with contextlib.suppress(OSError):
                proc.stdin.close()
        return proc


def _terminate(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        with contextlib.suppress(OSError):
            proc.terminate()
