"""Check-in prompts on plain lines (no terminal: a pipe, a file, a screen reader's
plain mode), and the wording of the 0-10 question both prompters share
(run.prompts.TerminalPrompter asks it at a terminal)."""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping, Sequence
from typing import Literal, TextIO

from quietwork.output import say
from quietwork.run.ports import SKIPPED, Skipped
from quietwork.text import clean
from quietwork.vocabulary import SCALE

QUESTION = f"How intense is it right now? {SCALE}"
RETRY = "Please type a number from 0 to 10 (Enter alone skips), or s to stop."
STOP_HINT = "(type 0 to 10 and Enter; Enter alone skips; s stops)"
_NUMBER = r"[0-9]{1,2}"  # compiled when first matched (re's cache), not at start-up
_STOP_WORDS = frozenset({"s", "stop"})


def parse_rating(answer: str) -> int | Literal["stop", "skip"] | None:
    """0-10 as an int, "stop" for s / stop, "skip" for nothing (Enter), None for the rest."""
    answer = answer.strip().lower()
    if not answer:
        return "skip"
    if answer in _STOP_WORDS:
        return "stop"
    # Only ASCII digits: int() would also take "+4", " 4_0" or other scripts' digits.
    if re.fullmatch(_NUMBER, answer) and int(answer) <= 10:
        return int(answer)
    return None


def with_scale(question: str) -> str:
    """A step's own question (cleaned) followed by the 0-10 scale, unless it names it."""
    question = clean(question, single_line=True) or QUESTION
    return question if SCALE in question else f"{question} {SCALE}"


def anchor_line(anchors: Mapping[int, str]) -> str | None:
    """The person's own words for 0, 5 and 10 as one line, or None when there are none."""
    words = [
        f"{level} = {clean(text, single_line=True)}"
        for level, text in sorted(anchors.items())
        if clean(text, single_line=True)
    ]
    return "In your words: " + " · ".join(words) if words else None


class PlainPrompter:
    """One line per question on stdin; questions written (and flushed) to stdout."""

    # Answered without being asked (run/spoken.py says only what is asked).
    unasked = frozenset({"state", "body", "noticed", "note", "choose", "select"})

    def __init__(self, stdin: TextIO | None = None, stdout: TextIO | None = None) -> None:
        # None: the process's streams, looked up at each use (so tests can swap them).
        self._stdin = stdin
        self._stdout = stdout

    def _say(self, line: str) -> None:
        say(line, sys.stdout if self._stdout is None else self._stdout)

    def _read(self) -> str:
        line = (sys.stdin if self._stdin is None else self._stdin).readline()
        if not line:
            raise EOFError("end of input")
        return line

    def distress(self, question: str, anchors: Mapping[int, str]) -> int | Skipped | None:
        """Ask for 0-10 until one comes; SKIPPED for an empty line; None for s / stop."""
        self._say(f"{with_scale(question)} {STOP_HINT}")
        words = anchor_line(anchors)
        if words:
            self._say(f"  {words}")
        while True:
            answer = parse_rating(self._read())
            if answer == "stop":
                return None
            if answer == "skip":
                return SKIPPED
            if answer is not None:
                return answer
            self._say(RETRY)

    def state(self) -> str | None:
        """Plain mode asks only the rating."""
        return None

    def body(self) -> tuple[str, ...]:
        """Plain mode asks only the rating."""
        return ()

    def noticed(self) -> tuple[str, ...]:
        """Plain mode asks only the rating."""
        return ()

    def note(self) -> str | None:
        """Plain mode asks only the rating."""
        return None

    def ask_text(self, question: str, *, hint: str = "", max_length: int = 500) -> str:
        """One line of the person's words (cleaned); "" when they just press Enter."""
        self._say(f"{question} {hint}".rstrip())
        while True:
            answer = clean(self._read(), single_line=True)
            if len(answer) <= max_length:
                return answer
            self._say(f"Please keep it to {max_length} characters.")

    def choose(self, question: str, options: Sequence[str]) -> tuple[str, ...]:
        """Nothing is asked in plain mode: every extra line read could be a later answer."""
        return ()

    def select(self, question: str, options: Sequence[tuple[str, str]]) -> str:
        """No menus in plain mode ("": nothing chosen); the chooser runs at a terminal only."""
        return ""

    def confirm(self, question: str, *, default: bool) -> bool:
        """`question [y/N]` on one line; Enter takes the default.

        A question that defaults to yes ("settle for a minute? [Y/n]") takes Enter or y
        as yes and any other answer as no: only a clear yes starts anything.
        """
        question = clean(question, single_line=True)
        if "[y/n]" not in question.lower():
            question += " [Y/n]" if default else " [y/N]"
        self._say(question)
        while True:
            answer = self._read().strip().lower()
            if not answer:
                return default
            if answer in ("y", "yes"):
                return True
            if answer in ("n", "no") or default:
                return False
            self._say(f"Please type y or n (Enter for {'y' if default else 'n'}).")
