"""`--sound`: the tones of run/views/tones.py, played through the first audio player found.

Playing never waits: each tone is its own player process (or winsound's asynchronous
play on Windows), and a new tone cuts one still sounding. `m` mutes and unmutes.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Protocol

# Tried in this order (afplay first on macOS, where it always exists); the file comes last.
PLAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("paplay", ()),
    ("pw-play", ()),
    ("aplay", ("-q",)),
    ("afplay", ()),
    ("ffplay", ("-nodisp", "-autoexit", "-loglevel", "quiet")),
    ("play", ("-q",)),  # sox
)
WINSOUND = "winsound"
# The tone of each breathing phase. Sigh's top-up inhale is keyed "top-up"; other
# spellings of it ("top_up", "topup") get the same tone, and an unknown phase the hold's.
PHASE_TONES: Mapping[str, str] = {
    "inhale": "inhale", "exhale": "exhale", "hold": "hold", "hold_out": "hold",
    "top-up": "top-up",
}


def tone_for(phase: str) -> str:
    """Which tone a breathing phase gets."""
    if phase in PHASE_TONES:
        return PHASE_TONES[phase]
    squashed = phase.lower().replace("-", "").replace("_", "").replace(" ", "")
    return "top-up" if squashed.startswith("topup") else "hold"


class Player(Protocol):
    """Plays a sound file without waiting for it."""

    name: str

    def play(self, path: Path) -> None:
        """Start playing `path` (cutting what still plays); returns at once."""
        ...

    def stop(self) -> None:
        """Silence what still plays."""
        ...

    def close(self) -> None:
        """Silence it and let go of every process started."""
        ...


def player_names(platform: str | None = None) -> tuple[str, ...]:
    """What `find_player` tries on this platform, in order (for the notice when none is found)."""
    platform = sys.platform if platform is None else platform
    if platform == "win32":
        return (WINSOUND,)
    names = tuple(name for name, _ in PLAYERS)
    if platform == "darwin":
        return ("afplay", *(name for name in names if name != "afplay"))
    return names


def find_player(
    platform: str | None = None, which: Callable[[str], str | None] = shutil.which
) -> Player | None:
    """The first audio player on this machine, or None."""
    platform = sys.platform if platform is None else platform
    if platform == "win32":
        return WinsoundPlayer()
    options = dict(PLAYERS)
    for name in player_names(platform):
        path = which(name)
        if path:
            return ProcessPlayer(name, [path, *options[name]])
    return None


class ProcessPlayer:
    """One player process per sound; the file is the last argument (never a shell)."""

    def __init__(self, name: str, command: Sequence[str]) -> None:
        self.name = name
        self.command = tuple(command)
        self._proc: subprocess.Popen[bytes] | None = None
        self._old: list[subprocess.Popen[bytes]] = []

    def play(self, path: Path) -> None:
        """Start the player on `path`; returns at once."""
        self.stop()
        try:
            self._proc = subprocess.Popen(
                [*self.command, str(path)],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
        except OSError:
            self._proc = None

    def stop(self) -> None:
        """Cut what still plays (reaped later, never waited on here)."""
        proc, self._proc = self._proc, None
        if proc is not None:
            if proc.poll() is None:
                with contextlib.suppress(OSError):
                    proc.terminate()
            self._old.append(proc)
        self._old = [old for old in self._old if old.poll() is None]

    def close(self) -> None:
        """Let the last tone finish (they are short), then reap every process."""
        if self._proc is not None:
            self._old.append(self._proc)
            self._proc = None
        for proc in self._old:
            try:
                proc.wait(timeout=1.0)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(OSError):
                    proc.kill()
        self._old = []


class WinsoundPlayer:
    """Windows' own player: asynchronous, and each new sound replaces the one playing."""

    name = WINSOUND

    def play(self, path: Path) -> None:
        """Start playing `path`; returns at once."""
        if sys.platform == "win32":  # (and mypy checks it as Windows code)
            import winsound

            with contextlib.suppress(RuntimeError):
                winsound.PlaySound(
                    str(path), winsound.SND_FILENAME | winsound.SND_ASYNC | winsound.SND_NODEFAULT
                )

    def stop(self) -> None:
        """Silence what still plays."""
        if sys.platform == "win32":
            import winsound

            with contextlib.suppress(RuntimeError):
                winsound.PlaySound(None, 0)

    def close(self) -> None:
        """Nothing to reap: winsound plays inside this process."""


class Sound:
    """The breathing tones through one player; mutable with `m`."""

    def __init__(self, player: Player, files: Mapping[str, Path]) -> None:
        self.player = player
        self.files = dict(files)
        self.muted = False

    def cue(self, phase: str) -> None:
        """Play the tone of a breathing phase as it starts (nothing while muted)."""
        if self.muted:
            return
        path = self.files.get(tone_for(phase))
        if path is not None:
            self.player.play(path)

    def question(self) -> None:
        """Play the question's tone: a check-in waits for an answer (nothing while muted)."""
        if self.muted:
            return
        path = self.files.get("question")
        if path is not None:
            self.player.play(path)

    def toggle_mute(self) -> bool:
        """Mute or unmute; whether it is muted now. Muting also cuts a tone still sounding."""
        self.muted = not self.muted
        if self.muted:
            self.player.stop()
        return self.muted

    def close(self) -> None:
        """Let go of the player."""
        self.player.close()
