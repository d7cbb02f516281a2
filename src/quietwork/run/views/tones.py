"""The tones of `--sound`, made by quietwork itself (stdlib `wave`), written once into the cache.

Soft sine tones, each with a raised-cosine fade in and out so it starts and ends at
silence (no click): a rising glide for the inhale, a falling one for the exhale, a low
quiet tone for a hold, a short higher one for sigh's top-up inhale, and a quiet steady
one when a check-in question appears (so that with eyes closed it is heard that an
answer is wanted).
"""

from __future__ import annotations

import array
import io
import math
import os
import sys
import wave
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

RATE = 22050  # samples a second: plenty for tones below 1 kHz, and small files
VERSION = 1  # in the file names: a changed tone is written afresh, never mixed with old
FULL = 32767


@dataclass(frozen=True)
class Tone:
    """One cue: a glide from `start` to `end` Hz over `seconds`, at `level` of full scale."""

    start: float
    end: float
    seconds: float
    level: float
    fade_in: float = 0.06
    fade_out: float = 0.15


TONES: Mapping[str, Tone] = {
    "inhale": Tone(330.0, 440.0, 0.6, 0.22),  # E4 rising to A4
    "exhale": Tone(440.0, 294.0, 0.75, 0.22, fade_out=0.3),  # A4 falling to D4
    "hold": Tone(196.0, 196.0, 0.4, 0.12, fade_in=0.1, fade_out=0.2),  # a quiet low G3
    "top-up": Tone(587.0, 659.0, 0.22, 0.16, fade_in=0.04, fade_out=0.1),  # a short sip
    "question": Tone(523.0, 523.0, 0.5, 0.1, fade_in=0.08, fade_out=0.3),  # a soft, even C5
}


def samples(tone: Tone, rate: int = RATE) -> array.array[int]:
    """The tone as signed 16-bit samples; the phase is carried across the glide (no jumps)."""
    count = round(tone.seconds * rate)
    out = array.array("h", bytes(2 * count))
    phase = 0.0
    for i in range(count):
        t = i / rate
        frequency = tone.start + (tone.end - tone.start) * (i / max(1, count - 1))
        envelope = _fade(t, tone.fade_in) * _fade(tone.seconds - t - 1 / rate, tone.fade_out)
        # A little second harmonic makes a pure sine sound less like a test signal.
        value = math.sin(phase) + 0.12 * math.sin(2 * phase)
        out[i] = round(FULL * tone.level * envelope * value / 1.12)
        phase += 2 * math.pi * frequency / rate
    return out


def _fade(t: float, length: float) -> float:
    """0 at t=0 rising smoothly to 1 at t=length (a raised cosine)."""
    if t <= 0:
        return 0.0
    if t >= length:
        return 1.0
    return 0.5 - 0.5 * math.cos(math.pi * t / length)


def wav_bytes(tone: Tone, rate: int = RATE) -> bytes:
    """The tone as a mono 16-bit WAV file."""
    data = samples(tone, rate)
    if sys.byteorder == "big":  # WAV is little-endian
        data.byteswap()
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(data.tobytes())
    return buffer.getvalue()


def tone_files(folder: Path) -> dict[str, Path]:
    """Each tone's WAV file in `folder`, written there first when it is missing.

    Each file is written whole to a temporary name and renamed into place, so a player
    (or a second quietwork) never sees half a file. Raises OSError when it cannot write.
    """
    from quietwork.paths import make_private_dirs

    make_private_dirs(folder)
    files = {}
    for name, tone in TONES.items():
        path = folder / f"{name}-{VERSION}.wav"
        if not path.is_file():
            temporary = folder / f".{path.name}.{os.getpid()}.tmp"
            try:
                temporary.write_bytes(wav_bytes(tone))
                os.replace(temporary, path)
            finally:
                temporary.unlink(missing_ok=True)
        files[name] = path
    return files
