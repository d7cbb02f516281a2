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


def test_a_roomy_terminal_shows_everything_once() -> None:
    lines = LiveView(io.StringIO()).layout(frame(), 80, 24)
    shown = texts(lines)
    assert len(lines) == 24
    assert shown[1].startswith("Longer exhale") and shown[1].endswith("step 2 of 5 · 1:30 left")
    assert "Inhale  4   breath 1 of 8" in shown
    # One clock for the phase; the practice's time left once, quietly, in the heading.
    assert not any("0:40" in line for line in shown)
    assert sum("1:30" in line for line in shown) == 1
    assert shown[-1].startswith("p/space resume") and PAUSED in shown


def test_paused_the_footer_says_how_to_resume() -> None:
    shown = texts(LiveView(io.StringIO()).layout(frame(), 80, 24))
    assert shown[-1].startswith("p/space resume")
    assert texts(LiveView(io.StringIO()).layout(frame(paused=False), 80, 24))[-1].startswith(
        FOOTER)


@pytest.mark.parametrize("height", [12, 9, 7, 6, 5, 4])
def test_a_short_terminal_keeps_the_phase_the_pause_and_the_keys(height: int) -> None:
    lines = LiveView(io.StringIO()).layout(frame(), 80, height)
    shown = texts(lines)
    assert len(lines) <= height
    assert "s/Esc stop" in shown[-1] and PAUSED in shown
    assert "Inhale  4   breath 1 of 8" in shown


@pytest.mark.parametrize("width", [10, 20, 30, 40])
def test_a_narrow_terminal_keeps_the_stop_key_last(width: int) -> None:
    lines = LiveView(io.StringIO()).layout(frame(paused=False), width, 8)
    assert "s/Esc stop" in texts(lines)[-1]


def test_the_guide_widens_on_the_inhale_and_is_centred() -> None:
    view = LiveView(io.StringIO())

    def guide(**changes: object) -> str:
        [line] = [t for t in ("".join(p for p, _ in line) for line in
                              view.layout(frame(paused=False, **changes), 180, 45))
                  if "█" in t or "#" in t or "·" * 10 in t or "." * 10 in t]
        return line

    small, large = guide(bar=0.25), guide(bar=0.75)
    full = "█" if "█" in small else "#"
    assert small.count(full) < large.count(full)
    body = large.rstrip()
    left = len(body) - len(body.lstrip())
    assert abs(left - (180 - len(body))) <= 1  # as much room on either side
