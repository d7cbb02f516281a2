"""`--voice` for what is asked and told, not only cued: every question, the stop text, the ending.

A person practising with eyes closed must hear that a question is waiting. Both pieces
sit at the ports, so no prompter or view needs to know about speech:

- `SpokenPrompter` implements the Prompter port around any prompter (plain lines,
  questionary, an in-view one): it says each question (with its choices) and then
  asks it through the real prompter.
- `SpokenNarrator` implements the Narrator port: the session tells it the stop text
  and the ending as it shows them.

Questions and told texts are *says* (views/voice.py): never cut by a phase word,
spoken in order, and not waited for.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from quietwork.text import clean
from quietwork.vocabulary import BODY_AREAS, NOTICED, STATE_LABELS

if TYPE_CHECKING:
    from quietwork.run.ports import Narrator, Prompter, Skipped
    from quietwork.run.views.voice import Voice
    from quietwork.support import Support

RATING_HINT = "Type a number from 0 to 10, then Enter."
YES_NO_HINT = "y for yes, n for no."
STATE_QUESTION = "Which way does it lean?"
BODY_QUESTION = "Where do you notice it in your body?"
NOTICED_QUESTION = "Did you notice any of these?"
NOTE_QUESTION = "A note, if you like. Enter skips."
SUPPORT_LINES = 2  # of the person's support plan, after the stop screen's opening


class SilentNarrator:
    """No voice: nothing is said (implements ports.Narrator)."""

    def tell(self, text: str) -> None:
        """Say nothing."""


SILENT = SilentNarrator()


class SpokenNarrator:
    """Says what the session tells it (implements ports.Narrator)."""

    def __init__(self, voice: Voice) -> None:
        self._voice = voice

    def tell(self, text: str) -> None:
        """Say `text` after what is being said."""
        self._voice.say(_sentence(text))


def narrator(voice: Voice | None) -> Narrator:
    """The narrator for this voice (silent without one)."""
    return SILENT if voice is None else SpokenNarrator(voice)


@contextlib.contextmanager
def speaking(voice: Voice | None) -> Iterator[None]:
    """The voice's lifetime: at a normal end what is still to be said is said; on Ctrl-C,
    a signal or an error it is silenced at once."""
    if voice is None:
        yield
        return
    try:
        yield
    except BaseException:
        voice.close(cut=True)
        raise
    voice.close()


def stop_words(support: Support) -> str:
    """What is said of the stop screen: its opening, its first calm line, the support text's
    first lines, and the emergency and crisis lines when those leave them out."""
    from quietwork.run.views.stop import OPENING, SETTLING

    lines = [OPENING, SETTLING[0], *first_lines(support, SUPPORT_LINES)]
    if support.crisis not in lines:
        lines.append(support.crisis)
    return " ".join(_sentence(line) for line in lines)


def first_lines(support: Support, count: int) -> Sequence[str]:
    """The first `count` lines of the support text as shown: the person's own words, then
    the emergency and crisis lines."""
    return [*_first_lines(support.own, count), *_first_lines(support.crisis, count)][:count]


def _first_lines(text: str, count: int) -> list[str]:
    """The first `count` non-empty lines of a text, without Markdown's heading and list marks."""
    lines = []
    for raw in clean(text).splitlines():
        line = re.sub(r"^\s*(#+|[-*+>]|\d+[.)])\s+", "", raw).strip()
        if line:
            lines.append(line)
        if len(lines) == count:
            break
    return lines


def _sentence(line: str) -> str:
    """A line that ends like a sentence, so the voice pauses after it."""
    line = line.strip()
    return line if line[-1:] in ".?!:" else line + "."


def _choices(options: Sequence[str]) -> str:
    """The options as one spoken list (a label's own commas stay inside it)."""
    return "; ".join(option.replace("_", " ") for option in options) + "."


def spoken(prompter: Prompter, voice: Voice | None) -> Prompter:
    """The prompter, saying each question first when there is a voice."""
    return prompter if voice is None else SpokenPrompter(prompter, voice)


class SpokenPrompter:
    """Says each question, then asks it through the prompter it wraps (implements Prompter).

    A prompter answers some questions without asking them (plain lines ask only the
    rating and yes/no): it names those in its `unasked` attribute, and they are not said.
    """

    def __init__(self, prompter: Prompter, voice: Voice) -> None:
        self._prompter = prompter
        self._voice = voice
        self._unasked: frozenset[str] = frozenset(getattr(prompter, "unasked", ()))

    def _say(self, method: str, *parts: str) -> None:
        if method not in self._unasked:
            self._voice.say(" ".join(_sentence(part) for part in parts if part.strip()))

    def distress(self, question: str, anchors: Mapping[int, str]) -> int | Skipped | None:
        """Say the 0-10 question, the scale and the person's own words for it; ask."""
        from quietwork.run.plain_prompts import anchor_line, with_scale

        self._say("distress", with_scale(question), anchor_line(anchors) or "", RATING_HINT)
        return self._prompter.distress(question, anchors)

    def state(self) -> str | None:
        """Say which way it may lean; ask."""
        self._say("state", STATE_QUESTION, _choices(list(STATE_LABELS.values())))
        return self._prompter.state()

    def body(self) -> tuple[str, ...]:
        """Say where in the body; ask."""
        self._say("body", BODY_QUESTION, _choices(BODY_AREAS))
        return self._prompter.body()

    def noticed(self) -> tuple[str, ...]:
        """Say what may have been noticed; ask."""
        self._say("noticed", NOTICED_QUESTION, _choices(NOTICED))
        return self._prompter.noticed()

    def note(self) -> str | None:
        """Say that a note may be written; ask."""
        self._say("note", NOTE_QUESTION)
        return self._prompter.note()

    def choose(self, question: str, options: Sequence[str]) -> tuple[str, ...]:
        """Say the question and its options; ask."""
        self._say("choose", question, _choices(options))
        return self._prompter.choose(question, options)

    def select(self, question: str, options: Sequence[tuple[str, str]]) -> str:
        """Say the question and its options; ask."""
        self._say("select", question, _choices([label for label, _ in options]))
        return self._prompter.select(question, options)

    def ask_text(self, question: str, *, hint: str = "", max_length: int = 500) -> str:
        """Say the question; ask."""
        self._say("ask_text", question)
        return self._prompter.ask_text(question, hint=hint, max_length=max_length)

    def confirm(self, question: str, *, default: bool) -> bool:
        """Say the yes/no question and how to answer it; ask."""
        bare = re.sub(r"\s*\[[yY]/[nN]\]\s*$", "", question)
        self._say("confirm", bare, YES_NO_HINT)
        return self._prompter.confirm(question, default=default)
