"""The check-in prompters: plain lines on pipes, questionary (keys from a pipe input) at a tty."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator, Mapping

import pytest
from prompt_toolkit.input import PipeInput, create_pipe_input
from prompt_toolkit.output import DummyOutput

from quietwork.run.plain_prompts import (
    QUESTION,
    RETRY,
    PlainPrompter,
    anchor_line,
    parse_rating,
    with_scale,
)
from quietwork.run.ports import SKIPPED, Prompter, StopRequested
from quietwork.run.prompts import TerminalPrompter
from quietwork.run.terminal import make_prompter
from quietwork.vocabulary import SCALE

from conftest import Rating

DOWN, ENTER, SPACE, CTRL_C, CTRL_D, ESC = "\x1b[B", "\r", " ", "\x03", "\x04", "\x1b"


def plain(lines: str) -> tuple[PlainPrompter, io.StringIO]:
    out = io.StringIO()
    return PlainPrompter(io.StringIO(lines), out), out


# --- parsing -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("0", 0), ("10", 10), (" 7 \n", 7), ("04", 4), ("s", "stop"), ("STOP", "stop"),
     (" Stop\n", "stop"), ("", "skip"), (" \n", "skip")],
)
def test_parse_rating_accepts(typed: str, expected: int | str) -> None:
    assert parse_rating(typed) == expected


@pytest.mark.parametrize("typed", ["11", "-1", "+4", "4.5", "four", "١", "100", "s top", "x"])
def test_parse_rating_refuses(typed: str) -> None:
    assert parse_rating(typed) is None


def test_with_scale_adds_the_scale_once() -> None:
    assert with_scale(QUESTION) == QUESTION
    assert with_scale("How intense is it now?") == f"How intense is it now? {SCALE}"
    assert with_scale("How\x1b[2J is it?") == f"How[2J is it? {SCALE}"


def test_anchor_line_shows_the_persons_words_in_order_and_cleaned() -> None:
    assert anchor_line({}) is None
    assert anchor_line({10: "can't\x1b]0;t\x07 think", 0: "soft belly"}) == (
        "In your words: 0 = soft belly · 10 = can't]0;t think"
    )


def ask_checkin(
    prompter: PlainPrompter | TerminalPrompter, question: str, *, phase: str,
    anchors: Mapping[int, str],
) -> Rating | None:
    """The questions of one check-in in the runner's order: the rating, then follow-ups."""
    distress = prompter.distress(question, anchors)
    if distress is None:
        return None
    state, body = prompter.state(), prompter.body()
    if phase != "after":
        return Rating(distress, state, body)
    return Rating(distress, state, body, prompter.noticed(), prompter.note())


# --- plain mode ----------------------------------------------------------------------


def test_plain_rating_reads_one_line_and_asks_nothing_more() -> None:
    prompter, out = plain("6\nthis line is for someone else\n")
    assert ask_checkin(prompter, QUESTION, phase="after", anchors={}) == Rating(6)
    assert out.getvalue() == (
        f"{QUESTION} (type 0 to 10 and Enter; Enter alone skips; s stops)\n"
    )


@pytest.mark.parametrize("empty", ["", "   ", "\t"])
def test_plain_enter_alone_skips_the_rating_and_reads_nothing_more(empty: str) -> None:
    prompter, out = plain(f"{empty}\n3\n")
    assert prompter.distress(QUESTION, {}) == SKIPPED
    assert out.getvalue().count(RETRY) == 0
    assert prompter.distress(QUESTION, {}) == 3  # the next line is the next answer


@pytest.mark.parametrize("garbage", ["x", "-1", "11", "4.5", "s top"])
def test_plain_rating_asks_again_kindly(garbage: str) -> None:
    prompter, out = plain(f"{garbage}\n3\n")
    assert ask_checkin(prompter, QUESTION, phase="before", anchors={}) == Rating(3)
    assert out.getvalue().splitlines()[1:] == [RETRY]


def test_plain_rating_keeps_asking_until_a_number() -> None:
    prompter, out = plain("x\n11\nfour\n2\n")
    assert ask_checkin(prompter, QUESTION, phase="mid", anchors={}) == Rating(2)
    assert out.getvalue().count(RETRY) == 3


@pytest.mark.parametrize("word", ["s", "stop", "S", " Stop "])
def test_plain_stop_words_return_none(word: str) -> None:
    prompter, _ = plain(f"{word}\n")
    assert ask_checkin(prompter, QUESTION, phase="before", anchors={}) is None


def test_plain_rating_shows_anchors_and_the_steps_question() -> None:
    prompter, out = plain("5\n")
    ask_checkin(prompter, "How is it now?", phase="mid", anchors={0: "soft", 10: "flooded"})
    assert out.getvalue().splitlines() == [
        f"How is it now? {SCALE} (type 0 to 10 and Enter; Enter alone skips; s stops)",
        "  In your words: 0 = soft · 10 = flooded",
    ]


@pytest.mark.parametrize("lines", ["", "x\n", "12\nx\n"])
def test_plain_eof_raises(lines: str) -> None:
    prompter, _ = plain(lines)
    with pytest.raises(EOFError):
        ask_checkin(prompter, QUESTION, phase="before", anchors={})


def test_plain_choose_reads_nothing() -> None:
    prompter, _ = plain("5\n")
    assert prompter.choose("Did you notice any of these?", ["sigh", "yawn"]) == ()
    assert ask_checkin(prompter, QUESTION, phase="before", anchors={}) == Rating(5)


@pytest.mark.parametrize(
    ("typed", "default", "expected"),
    [("\n", False, False), ("\n", True, True), ("y\n", False, True), ("YES\n", False, True),
     ("n\n", True, False), ("no\n", True, False), ("maybe\ny\n", False, True)],
)
def test_plain_confirm(typed: str, default: bool, expected: bool) -> None:
    prompter, _ = plain(typed)
    assert prompter.confirm("Go on?", default=default) is expected


def test_plain_confirm_shows_the_default_and_asks_again() -> None:
    prompter, out = plain("what\n\n")
    assert prompter.confirm("Go on?", default=False) is False
    assert out.getvalue().splitlines() == ["Go on? [y/N]", "Please type y or n (Enter for n)."]
    prompter, out = plain("\n")
    prompter.confirm("Settle for a minute? [Y/n]", default=True)
    assert out.getvalue() == "Settle for a minute? [Y/n]\n"


def test_plain_confirm_eof_raises() -> None:
    prompter, _ = plain("")
    with pytest.raises(EOFError):
        prompter.confirm("Go on?", default=False)


def test_plain_uses_the_process_streams_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("8\n"))
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    assert ask_checkin(PlainPrompter(), QUESTION, phase="before", anchors={}) == Rating(8)
    assert QUESTION in out.getvalue()


def test_make_prompter_never_uses_questionary_on_a_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("4\n"))
    assert isinstance(make_prompter(interactive=True), PlainPrompter)
    assert isinstance(make_prompter(interactive=False), PlainPrompter)


def test_make_prompter_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Tty())
    monkeypatch.setattr(sys, "stdout", Tty())
    monkeypatch.setenv("TERM", "xterm-256color")
    assert isinstance(make_prompter(interactive=True), TerminalPrompter)
    assert isinstance(make_prompter(interactive=False), PlainPrompter)  # --plain
    monkeypatch.setenv("TERM", "dumb")
    assert isinstance(make_prompter(interactive=True), PlainPrompter)


def test_both_prompters_are_prompters() -> None:
    prompters: list[Prompter] = [PlainPrompter(io.StringIO(), io.StringIO()), TerminalPrompter()]
    assert len(prompters) == 2


# --- on a terminal (questionary, keys through a pipe input) --------------------------


@pytest.fixture
def keys() -> Iterator[PipeInput]:
    with create_pipe_input() as pipe:
        yield pipe


def terminal(keys: PipeInput) -> TerminalPrompter:
    return TerminalPrompter(input=keys, output=DummyOutput())


def test_terminal_rating_with_follow_ups_skipped(keys: PipeInput) -> None:
    keys.send_text("4" + ENTER + ENTER + ENTER)
    assert ask_checkin(terminal(keys), QUESTION, phase="before", anchors={}) == Rating(4)


def test_terminal_rating_after_with_every_answer(keys: PipeInput) -> None:
    keys.send_text(
        "6" + ENTER
        + DOWN + ENTER  # activated
        + DOWN + SPACE + DOWN * 3 + SPACE + ENTER  # jaw, chest
        + SPACE + ENTER  # longer exhale
        + "after the call" + ENTER
    )
    rating = ask_checkin(terminal(keys), QUESTION, phase="after", anchors={0: "soft"})
    assert rating == Rating(6, "activated", ("jaw", "chest"), ("longer exhale",), "after the call")


def test_terminal_rating_mid_does_not_ask_noticed_or_note(keys: PipeInput) -> None:
    keys.send_text("3" + ENTER + DOWN * 3 + ENTER + ENTER)
    assert ask_checkin(terminal(keys), QUESTION, phase="mid", anchors={}) == Rating(3, "shut_down")


def test_terminal_rating_asks_again_on_garbage(keys: PipeInput) -> None:
    # The invalid text stays in the field (prompt_toolkit's way); the person deletes it.
    keys.send_text("11" + ENTER + "\x7f\x7f" + "2" + ENTER + ENTER + ENTER)
    assert ask_checkin(terminal(keys), QUESTION, phase="before", anchors={}) == Rating(2)


def test_terminal_enter_alone_skips_the_rating(keys: PipeInput) -> None:
    keys.send_text(ENTER + "x" + ENTER + "\x7f" + "5" + ENTER)
    prompter = terminal(keys)
    assert prompter.distress(QUESTION, {}) == SKIPPED
    assert prompter.distress(QUESTION, {}) == 5  # "x" was asked again, not taken


@pytest.mark.parametrize("word", ["s", "stop"])
def test_terminal_stop_returns_none_without_follow_ups(keys: PipeInput, word: str) -> None:
    keys.send_text(word + ENTER)
    assert ask_checkin(terminal(keys), QUESTION, phase="after", anchors={}) is None


@pytest.mark.parametrize(
    "typed",
    [CTRL_C, "4" + ENTER + CTRL_C, "4" + ENTER + ENTER + CTRL_C, "4" + ENTER * 3 + CTRL_C],
)
def test_terminal_ctrl_c_raises_keyboard_interrupt(keys: PipeInput, typed: str) -> None:
    keys.send_text(typed)
    with pytest.raises(KeyboardInterrupt):
        ask_checkin(terminal(keys), QUESTION, phase="after", anchors={})


@pytest.mark.parametrize("typed", [CTRL_D, "4" + ENTER + CTRL_D, "4" + ENTER * 2 + CTRL_D])
def test_terminal_ctrl_d_raises_eof(keys: PipeInput, typed: str) -> None:
    keys.send_text(typed)
    with pytest.raises(EOFError):
        ask_checkin(terminal(keys), QUESTION, phase="after", anchors={})


def test_terminal_closed_input_raises_eof(keys: PipeInput) -> None:
    keys.send_text("4")
    keys.close()
    with pytest.raises(EOFError):
        ask_checkin(terminal(keys), QUESTION, phase="before", anchors={})


def test_terminal_choose_and_confirm(keys: PipeInput) -> None:
    keys.send_text(SPACE + DOWN + SPACE + ENTER + "y" + ENTER)
    prompter = terminal(keys)
    assert prompter.choose("Noticed?", ["warm\x1b[31m", "soft"]) == ("warm\x1b[31m", "soft")
    assert prompter.confirm("Go on? [y/N]", default=False) is True


@pytest.mark.parametrize(("default", "expected"), [(False, False), (True, True)])
def test_terminal_confirm_enter_takes_the_default(
    keys: PipeInput, default: bool, expected: bool
) -> None:
    keys.send_text(ENTER)
    assert terminal(keys).confirm("Settle for a minute?", default=default) is expected


def test_terminal_ask_text_is_cleaned(keys: PipeInput) -> None:
    keys.send_text("tight \u202ejaw  " + ENTER)  # a bidi override is typed as it is
    assert terminal(keys).ask_text("What does 5 feel like?") == "tight jaw"


# --- s and Esc stop at every question of a practice ----------------------------------


def test_esc_at_the_rating_stops_like_typing_s(keys: PipeInput) -> None:
    keys.send_text("4" + ESC)
    assert terminal(keys).distress(QUESTION, {}) is None


@pytest.mark.parametrize("key", ["s", "S", ESC])
@pytest.mark.parametrize("question", ["state", "body", "noticed", "choose", "confirm"])
def test_s_or_esc_at_a_menu_raises_stop(keys: PipeInput, question: str, key: str) -> None:
    keys.send_text(DOWN + key)
    prompter = terminal(keys)
    asks = {
        "state": prompter.state,
        "body": prompter.body,
        "noticed": prompter.noticed,
        "choose": lambda: prompter.choose("jaw: what's there?", ["tight", "soft"]),
        "confirm": lambda: prompter.confirm("Go on?", default=False),
    }
    with pytest.raises(StopRequested):
        asks[question]()


def test_esc_at_the_note_stops_and_s_is_a_letter_there(keys: PipeInput) -> None:
    keys.send_text("sss" + ENTER)
    assert terminal(keys).note() == "sss"
    keys.send_text("so" + ESC)
    with pytest.raises(StopRequested):
        terminal(keys).note()


def test_alt_keys_still_edit_the_note(keys: PipeInput) -> None:
    keys.send_text("one two" + ESC + "b" + "x" + ENTER)  # Alt+b: back a word
    assert terminal(keys).note() == "one xtwo"


def test_esc_does_not_stop_your_own_words(keys: PipeInput) -> None:
    keys.send_text("warm" + ESC + ENTER)  # anchors: Esc is ignored, as prompt_toolkit does
    assert terminal(keys).ask_text("What does 0 feel like?") == "warm"


def test_the_stop_keys_are_named_in_each_question() -> None:
    import threading

    from prompt_toolkit.data_structures import Size
    from prompt_toolkit.output.plain_text import PlainTextOutput

    class Answering(PlainTextOutput):
        """A 200-column screen that answers a question once its stop keys are drawn
        (typed ahead, a menu is answered before it is first drawn)."""

        def __init__(self, out: io.StringIO, pipe: PipeInput, answers: list[str]) -> None:
            super().__init__(out)
            self.out, self.pipe, self.answers, self.since = out, pipe, answers, 0

        def get_size(self) -> Size:
            return Size(rows=40, columns=200)

        def flush(self) -> None:
            super().flush()
            if "stops)" in self.out.getvalue()[self.since:] and self.answers:
                self.since = len(self.out.getvalue())
                self.pipe.send_text(self.answers.pop(0))

    out = io.StringIO()
    with create_pipe_input() as pipe:
        prompter = TerminalPrompter(input=pipe, output=Answering(out, pipe, ["4" + ENTER] + [
            ENTER] * 4))
        stuck = threading.Timer(20, pipe.send_text, [CTRL_D * 5])  # a question without them
        stuck.start()
        try:
            prompter.distress(QUESTION, {})
            prompter.state()
            prompter.body()
            prompter.confirm("Go on?", default=False)
            prompter.note()
        finally:
            stuck.cancel()
    shown = out.getvalue()
    assert "(type 0 to 10 and Enter; Enter alone skips; s or Esc stops)" in shown
    assert "(arrow keys, Enter; Enter now skips; s or Esc stops)" in shown
    assert "(space picks, Enter goes on; Enter alone skips; s or Esc stops)" in shown
    assert "(y/N; s or Esc stops)" in shown
    assert "(Enter skips; Esc stops)" in shown
