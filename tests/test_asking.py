"""Questions asked inside the live view: what each key does, and what the screen shows.

The real view and prompter, with scripted key bytes instead of a terminal; the screen is
read through pyte (the pty journeys are in test_pty_surface.py).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import pytest

from quietwork.run.plain_prompts import RETRY
from quietwork.run.ports import SKIPPED, StopRequested
from quietwork.run.views.asking import InViewPrompter
from quietwork.run.views.live import LiveView

from terminal import Screen


class Utf8(io.StringIO):
    encoding = "utf-8"


class Keys:
    """Scripted chunks of input, as the cbreak reader returns them."""

    def __init__(self, chunks: Sequence[bytes]) -> None:
        self.chunks = list(chunks)

    def read_bytes(self, timeout: float) -> bytes | None:
        if not self.chunks and timeout < 1:
            return None  # nothing followed an Esc: it was the Esc key
        if not self.chunks:
            raise AssertionError("asked for more keys than the test typed")
        return self.chunks.pop(0)

    def type_ahead(self, data: bytes) -> None:
        self.chunks.insert(0, data)  # what the reader gives back first


class View(LiveView):
    def __init__(self, cols: int = 80, rows: int = 24) -> None:
        super().__init__(Utf8(), title="Calm corner")
        self.fixed = (cols, rows)

    def size(self) -> tuple[int, int]:
        return self.fixed

    def screen(self) -> list[str]:
        screen = Screen(self.fixed[1], self.fixed[0])
        assert isinstance(self._out, io.StringIO)
        screen.feed(self._out.getvalue())
        return screen.lines()


def ask(chunks: Sequence[bytes], **options: bool) -> tuple[InViewPrompter, View, Keys]:
    view, keys = View(), Keys(chunks)
    return InViewPrompter(view, keys, **options), view, keys


def test_digits_are_echoed_and_enter_answers() -> None:
    prompter, view, _ = ask([b"7", b"\x7f", b"4", b"\r"])
    assert prompter.distress("How is it?", {}) == 4
    shown = "\n".join(view.screen())
    assert "Calm corner" in shown and "before you begin" in shown
    assert "› 4_" in shown


def test_a_wrong_answer_is_asked_again_with_the_message_under_it() -> None:
    prompter, view, _ = ask([b"12\r", b"\x15", b"3\r"])
    assert prompter.distress("How is it?", {}) == 3
    # The message was drawn under the typed line (the screen keeps what was last drawn).
    log = view._out.getvalue()  # type: ignore[attr-defined]
    assert RETRY in log


@pytest.mark.parametrize("key", [b"s", b"q", b"\x1b", b"S"])
def test_stop_keys_at_a_rating_raise_stop_requested(key: bytes) -> None:
    prompter, _, _ = ask([key])
    with pytest.raises(StopRequested):
        prompter.distress("How is it?", {})


def test_s_then_enter_stops_too_and_esc_mid_answer_stops() -> None:
    prompter, _, _ = ask([b"4", b"\x1b"])
    with pytest.raises(StopRequested):
        prompter.distress("How is it?", {})


def test_enter_alone_skips_and_is_never_a_stop() -> None:
    prompter, view, keys = ask([b"\r"])
    assert prompter.distress("How is it?", {}) == SKIPPED and not keys.chunks
    assert "Enter alone skips" in view.screen()[-1]


def test_ctrl_d_ends_input() -> None:
    prompter, _, _ = ask([b"\x04"])
    with pytest.raises(EOFError):
        prompter.distress("How is it?", {})


def test_anchors_are_shown_whole_on_their_own_lines_at_any_width() -> None:
    anchors = {0: "shoulders loose and a slow breath", 10: "cannot think at all"}
    for cols in (30, 40, 80):
        view, keys = View(cols, 16), Keys([b"2\r"])
        assert InViewPrompter(view, keys).distress("How is it?", anchors) == 2
        flat = " ".join(" ".join(view.screen()).split())
        assert "0 = shoulders loose and a slow breath" in flat
        assert "10 = cannot think at all" in flat


def test_keys_typed_after_enter_answer_the_next_question() -> None:
    prompter, _, keys = ask([b"4\r\x1b[B\r"])
    assert prompter.distress("How is it?", {}) == 4
    assert prompter.state() == "activated"  # down from "skip", Enter
    assert not keys.chunks


def test_menus_move_pick_and_stop() -> None:
    prompter, view, _ = ask([b"\x1b[B", b" ", b"\x1b[B", b" ", b"\r"])
    assert prompter.body() == ("jaw", "throat")
    assert "[x] jaw" in "\n".join(view.screen())
    prompter, _, _ = ask([b"\r"])
    assert prompter.noticed() == ()  # Enter alone skips
    prompter, _, _ = ask([b"s"])
    with pytest.raises(StopRequested):
        prompter.choose("jaw: what's there?", ["tight", "warm"])


def test_a_long_menu_scrolls_in_a_small_window_and_keeps_the_question() -> None:
    view, keys = View(30, 8), Keys([b"\x1b[B"] * 6 + [b"\r"])
    assert InViewPrompter(view, keys).body() == ()
    shown = view.screen()
    flat = " ".join(" ".join(shown).split())
    assert "Where do you notice it in your body?" in flat
    assert "› [ ] back" in flat  # the seventh area, under the cursor
    assert "s/Esc stop" in shown[-1]


def test_confirm_takes_y_n_and_the_default() -> None:
    assert ask([b"y"])[0].confirm("Go on?", default=False) is True
    assert ask([b"n"])[0].confirm("Go on?", default=True) is False
    assert ask([b"\r"])[0].confirm("Go on?", default=False) is False
    with pytest.raises(StopRequested):
        ask([b"q"])[0].confirm("Go on?", default=True)


def test_an_arrow_key_at_a_yes_or_no_question_is_no_stop() -> None:
    """Only Esc alone stops: an arrow (Esc [ A) or a function key waits for y or n."""
    for arrow in (b"\x1b[A", b"\x1bOB", b"\x1b[15~"):
        prompter, view, _ = ask([arrow, b"y"])
        assert prompter.confirm("Go on?", default=False) is True
        assert any("Go on?" in line for line in view.screen())
    with pytest.raises(StopRequested):
        ask([b"\x1b[A", b"\x1b"])[0].confirm("Go on?", default=True)


def test_a_note_takes_words_and_esc_stops() -> None:
    assert ask([b"felt ", "warmer ☀".encode(), b"\r"])[0].note() == "felt warmer ☀"
    assert ask([b"\r"])[0].note() is None
    with pytest.raises(StopRequested):
        ask([b"so", b"\x1b"])[0].note()


def test_the_safety_note_is_on_the_first_screen_only() -> None:
    view, keys = View(), Keys([b"3\r", b"4\r"])
    prompter = InViewPrompter(view, keys, safety="Keep the breaths gentle.")
    prompter.distress("How is it?", {})
    assert "Keep the breaths gentle." in "\n".join(view.screen())
    view.end()
    prompter.distress("How is it?", {})
    shown = "\n".join(view.screen())
    assert "Keep the breaths gentle." not in shown and "after the practice" in shown
