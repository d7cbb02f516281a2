"""Short practices the tests share, and the one way to put them in the user folder."""

from __future__ import annotations

from pathlib import Path

# A prompt, then breathing long enough to press keys in (about 80 s at speed 1).
QUICK = """\
title: Quick test
summary: A short practice for tests.
steps:
  - say: Let your shoulders drop.
    seconds: 1
  - breathe: {inhale: 2, exhale: 2, breaths: 20}
"""
# A prompt, a mid check-in, one breath: the whole journey in a few seconds.
MID = """\
title: With a check-in
summary: A prompt, a check-in, a breath.
steps:
  - say: Look around the room.
    seconds: 0.5
  - checkin: How is it now?
  - breathe: {inhale: 0.5, exhale: 0.5, breaths: 1}
"""


def add_practices(home: Path, **texts: str) -> Path:
    """Write each text as `<name>.yaml` in the practices folder under `home`; the folder."""
    folder = home / "practices"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / f"{name}.yaml").write_text(text)
    return folder
