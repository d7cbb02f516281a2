"""The terminal view's layout: what stays on screen when the terminal is small."""

from __future__ import annotations

import io

import pytest

from quietwork.run.timeline import Frame
from quietwork.run.views.live import FOOTER, PAUSED, LiveView


def frame(**changes: object) -> Frame:
    fields: dict[str, object] = dict(
        title="Longer exhale", step=2, steps=5, segment=3, kind="breathe", text="",
        count=(1, 8), phase="inhale", area=None, length=4.0, left=3.2, step_left=40.0,
        practice_left=90.0, bar=0.25, paused=True, onset=False,
    )
    fields.update(changes)
    return Frame(**fields)  # type: ignore[arg-type]


def texts(lines: list[tuple[tuple[str, str], ...]]) -> list[str]:
    return ["".join(part for part, _ in line).strip() for line in lines]


def test_a_roomy_terminal_shows_everything() -> None:
    shown = texts(LiveView(io.StringIO()).layout(frame(), 80, 24))
    assert shown[1].startswith("Longer exhale") and shown[1].endswith("step 2 of 5")
    assert "Inhale  4   breath 1 of 8" in shown
    assert "step 0:40 left · practice 1:30 left" in shown
    assert shown[-1] == FOOTER and PAUSED in shown


@pytest.mark.parametrize("height", [12, 9, 7, 6, 5, 4])
def test_a_short_terminal_keeps_the_phase_the_pause_and_the_keys(height: int) -> None:
    lines = LiveView(io.StringIO()).layout(frame(), 80, height)
    shown = texts(lines)
    assert len(lines) <= height
    assert shown[-1] == FOOTER and PAUSED in shown
    assert "Inhale  4   breath 1 of 8" in shown
