"""How the terminal view writes a screen: each new line through rich once, all in one print."""

from __future__ import annotations

import io

import pyte
import pytest
from rich.console import Console

from quietwork.run.timeline import Frame
from quietwork.run.views.live import LiveView

TITLE = "A practice with a title far too long for a narrow terminal"


class Sized(LiveView):
    """The view on a terminal of a fixed size, writing to a UTF-8 string."""

    def __init__(self, out: io.StringIO, cols: int, rows: int) -> None:
        super().__init__(out, title=TITLE)
        self.cols, self.rows = cols, rows

    def size(self) -> tuple[int, int]:
        return (self.cols, self.rows)


class Utf8(io.StringIO):
    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"


def frame(**changes: object) -> Frame:
    fields: dict[str, object] = dict(
        title=TITLE, step=1, steps=1, segment=1, kind="breathe", text="", count=(1, 3),
        phase="inhale", area=None, length=4.0, left=3.2, step_left=28.0, practice_left=27.2,
        bar=0.2, paused=False, onset=False,
    )
    fields.update(changes)
    return Frame(**fields)  # type: ignore[arg-type]


def shown(output: str, cols: int, rows: int) -> list[str]:
    screen = pyte.Screen(cols, rows)
    pyte.Stream(screen).feed(output)
    return [line.rstrip() for line in screen.display]


@pytest.fixture
def prints(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times rich printed (once per call of Console.print)."""
    calls: list[int] = []
    real = Console.print

    def counted(self: Console, *args: object, **kwargs: object) -> None:
        calls.append(1)
        real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Console, "print", counted)
    return calls


def test_the_first_screen_goes_through_rich_in_one_print(prints: list[int]) -> None:
    view = Sized(Utf8(), 80, 24)
    view.show(frame())
    assert len(prints) == 1
    view.show(frame(left=3.0, bar=0.25))  # one more bar cell: only that is new
    assert len(prints) == 2
    view.show(frame(left=3.2, bar=0.2))  # the bar cell as it was: rendered before
    view.show(frame(left=3.0, bar=0.25))
    assert len(prints) == 3


@pytest.mark.parametrize("cols", [24, 40, 80])
def test_each_line_is_cut_on_its_own_as_if_printed_alone(cols: int) -> None:
    """Lines rendered together are cropped one by one: none spills into the next row."""
    out = Utf8()
    view = Sized(out, cols, 12)
    view.show(frame())
    screen = shown(out.getvalue(), cols, 12)
    expected = [
        "".join(part for part, _ in line) for line in view.layout(frame(), cols, 12)
    ]
    for row, (text, seen) in enumerate(zip(expected, screen, strict=True)):
        text = text.rstrip()
        if len(text) < cols:
            assert seen == text, row
        else:  # too wide: cut at the edge with an ellipsis, nothing beyond it
            assert len(seen) <= cols and seen.endswith("…") and text.startswith(seen[:-1]), row
