"""The README's screenshots are drawn by the real view and read through pyte: they cannot drift.

Each block between `<!-- screen: NAME -->` and `<!-- /screen -->` in README.md is what
the live view (and the in-view questions) write for that screen, fed to a terminal
emulator of the stated size. Regenerate with:
QUIETWORK_UPDATE_DOCS=1 uv run pytest tests/test_readme_screens.py
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from collections.abc import Callable
from pathlib import Path

from quietwork.catalog import discover
from quietwork.run.ports import StopRequested
from quietwork.run.timeline import Frame
from quietwork.run.views.asking import InViewPrompter
from quietwork.run.views.live import LiveView

from terminal import Screen

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"(<!-- screen: (\S+) (\d+)x(\d+) -->\n```text\n)(.*?)(```\n<!-- /screen -->)",
                   re.S)
ANCHORS = {0: "shoulders loose, slow breath", 5: "buzzing but can work", 10: "can't think"}


class Utf8(io.StringIO):
    """A string out, taken for a UTF-8 terminal (the view draws its block characters)."""

    encoding = "utf-8"


class Sized(LiveView):
    """The live view on a terminal of a fixed size, written to a string."""

    def __init__(self, out: Utf8, cols: int, rows: int, title: str) -> None:
        super().__init__(out, title=title)
        self._fixed = (cols, rows)

    def size(self) -> tuple[int, int]:
        return self._fixed


class Asked:
    """Keys that answer nothing: the question is drawn, then it stops."""

    def read_bytes(self, timeout: float) -> bytes | None:
        raise StopRequested


def drawn(cols: int, rows: int, draw: Callable[[LiveView], None], title: str) -> str:
    out = Utf8()
    view = Sized(out, cols, rows, title)
    draw(view)
    screen = Screen(rows, cols)
    screen.feed(out.getvalue())
    return "\n".join(screen.lines()).rstrip("\n") + "\n"


def breathing(view: LiveView) -> None:
    view.show(Frame(
        title="Longer exhale", step=4, steps=6, segment=9, kind="breathe", text="",
        count=(3, 8), phase="inhale", area=None, length=4.0, left=1.4, step_left=60.0,
        practice_left=83.0, bar=0.65, paused=False, onset=False,
    ))


def mid_checkin(view: LiveView) -> None:
    view.show(Frame(
        title="Three, three, breath", step=5, steps=10, segment=12, kind="say",
        text="Feel where the chair or the floor holds your weight.", count=None, phase=None,
        area=None, length=8.0, left=0.5, step_left=0.5, practice_left=50.0, bar=None,
        paused=False, onset=False,
    ))
    with contextlib.suppress(StopRequested):  # drawn; then the keys stop it
        InViewPrompter(view, Asked()).distress("How intense is it now?", ANCHORS)


def first_screen(view: LiveView) -> None:
    safety = discover([]).load("sigh").safety or ""
    with contextlib.suppress(StopRequested):
        InViewPrompter(view, Asked(), safety=safety).distress("", ANCHORS)


SCREENS: dict[str, tuple[Callable[[LiveView], None], str]] = {
    "first": (first_screen, "Cyclic sighing"),
    "breathing": (breathing, "Longer exhale"),
    "checkin": (mid_checkin, "Three, three, breath"),
}


def test_the_readme_screens_are_the_real_view() -> None:
    text = README.read_text(encoding="utf-8")
    blocks = list(BLOCK.finditer(text))
    assert {block.group(2) for block in blocks} == set(SCREENS)

    def render(match: re.Match[str]) -> str:
        name, cols, rows = match.group(2), int(match.group(3)), int(match.group(4))
        draw, title = SCREENS[name]
        return match.group(1) + drawn(cols, rows, draw, title) + match.group(6)

    expected = BLOCK.sub(render, text)
    if os.environ.get("QUIETWORK_UPDATE_DOCS") == "1":
        README.write_text(expected, encoding="utf-8")
        return
    assert text == expected, (
        "README screens are stale; regenerate with "
        "QUIETWORK_UPDATE_DOCS=1 uv run pytest tests/test_readme_screens.py"
    )
