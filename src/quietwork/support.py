"""The support text: the person's own plan, their configured message, or a kind default.

The plan is support.md, Markdown in the person's words; `quietwork support --edit`
writes one in the six parts of the Stanley-Brown Safety Plan (ask_plan, write_plan).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from quietwork import output, paths
from quietwork.errors import QuietworkError, StopRequested
from quietwork.records import record
from quietwork.text import clean

if TYPE_CHECKING:
    from quietwork.config import Settings

DEFAULT_SUPPORT = (
    "If you are in danger or feel unable to keep yourself safe, contact your local "
    "emergency number. A crisis line or someone you trust can help too — you don't "
    "have to do this alone."
)
# Kept under the person's own plan on the stop screen: their plan may not cover danger.
EMERGENCY_LINE = (
    "If you are in danger, contact your local emergency number, or a crisis line where you live."
)
# A support plan is a page or two; anything larger is not one, and is not read whole.
MAX_BYTES = 64 * 1024

Source = Literal["file", "config", "default"]


@record
class Support:
    """The text to show, and where it came from.

    Wherever it is shown (the stop screens, the voice, a high check-in) it is two parts,
    taken from `source`, never guessed from the words: `own`, the person's own words,
    and under them `crisis`, the emergency and crisis lines.
    """

    text: str
    source: Source

    @property
    def own(self) -> str:
        """The person's own words (their plan or configured message); "" with neither."""
        return "" if self.source == "default" else self.text

    @property
    def crisis(self) -> str:
        """The emergency and crisis lines: the default text, or under the person's own
        words the emergency line (their plan may not cover danger)."""
        return DEFAULT_SUPPORT if self.source == "default" else EMERGENCY_LINE


NO_PLAN = Support(DEFAULT_SUPPORT, "default")  # neither a plan nor a message of their own


def find_support(settings: Settings | None = None) -> Support:
    """support.md when present, else config `support_message`, else the default.

    Never raises: this is read on the way out of a hard moment, so a broken file or
    config becomes a warning and the default.
    """
    plan = _read_plan()
    if plan:
        return Support(plan, "file")
    message = _configured(settings)
    if message:
        return Support(message, "config")
    return NO_PLAN


def _read_plan() -> str | None:
    from quietwork.files import Unreadable, read_regular

    path = paths.support_path()
    try:
        data = read_regular(path, MAX_BYTES, cut=True)
    except Unreadable as exc:
        if not exc.missing:
            output.warn(f"cannot read your support plan {path}: {exc.reason}")
        return None
    if len(data) > MAX_BYTES:
        output.warn(f"{path} is over {MAX_BYTES // 1024} KiB; showing its beginning")
        data = data[:MAX_BYTES]
    # A plan saved in another encoding is still the person's plan: show it, marked.
    text = data.decode("utf-8", errors="replace")
    return clean(text).strip() or None


def _configured(settings: Settings | None) -> str | None:
    if settings is None:
        from quietwork.config import load_settings

        try:
            settings = load_settings()
        except QuietworkError as exc:
            output.warn(f"{exc.message}; showing the default support text")
            return None
    message = clean(settings.support_message or "").strip()
    return message or None


# The six parts of the Stanley-Brown Safety Plan (Stanley & Brown 2012, Cognitive and
# Behavioral Practice 19(2):256-264), in its order: (heading, question, example).
PLAN_PARTS: tuple[tuple[str, str, str], ...] = (
    ("Warning signs",
     "What tells you a hard moment may be starting?",
     "thoughts, images, moods, situations, something in your body"),
    ("Things I can do on my own",
     "What can you do on your own to take your mind off it?",
     "a walk, music, feet on the floor, a shower"),
    ("People and places that help me take my mind off it",
     "Which people or places help you take your mind off it?",
     "a friend to talk about anything with, a café, a park"),
    ("People I can ask for help",
     "Who can you ask for help?",
     "a name and a number"),
    ("Professionals and services",
     "Which professionals or services can you contact?",
     "your therapist or doctor, a crisis line where you live, your local emergency number"),
    ("Making my surroundings safer",
     "What can make your surroundings safer when it gets hard?",
     "putting something away, going where other people are"),
)
MAX_ITEM = 500


class _Asks(Protocol):
    """What editing the plan needs of a prompter (run.ports.Prompter has both)."""

    def ask_text(self, question: str, *, hint: str = "", max_length: int = 500) -> str: ...

    def confirm(self, question: str, *, default: bool) -> bool: ...


def plan_text(answers: Sequence[tuple[str, Sequence[str]]]) -> str:
    """The plan as Markdown: a `## heading` and a list per part that has answers."""
    parts = [
        f"## {heading}\n\n" + "".join(f"- {item}\n" for item in items)
        for heading, items in answers
        if items
    ]
    return "\n".join(parts)


def ask_plan(prompter: _Asks) -> list[tuple[str, list[str]]]:
    """Each part in turn, one answer at a time; Enter on an empty answer goes on.

    The end of input ends the questions: what was given so far is kept. Input that ends
    before the first question is answered raises EOFError (docs/contract.md: exit 1).
    """
    answers: list[tuple[str, list[str]]] = []
    answered = False
    for number, (heading, question, example) in enumerate(PLAN_PARTS, start=1):
        items: list[str] = []
        answers.append((heading, items))
        output.echo("")
        output.echo(f"{number} of {len(PLAN_PARTS)}: {heading}")
        asked, hint = question, f"(for example: {example}; Enter alone goes on)"
        while True:
            try:
                item = prompter.ask_text(asked, hint=hint, max_length=MAX_ITEM)
            except EOFError:
                if not answered:
                    raise
                return answers
            answered = True
            if not item:
                break
            items.append(item)
            asked, hint = "Another?", "(Enter alone goes on)"
    return answers


def write_plan(text: str) -> Path | None:
    """Write support.md (owner-only), keeping an existing plan as support.md.bak.

    Returns the backup's path when there was a plan before.
    """
    import os

    path = paths.support_path()
    paths.make_private_dirs(path.parent)
    backup = None
    if path.exists():
        backup = path.with_name(path.name + ".bak")
        os.replace(path, backup)
    paths.replace_file(path, text)  # owner-only, whole or not at all, never via a symlink
    return backup


def edit_plan(prompter: _Asks) -> bool:
    """`support --edit`: ask for each part of the plan and save it; whether one was written.

    Ctrl-C changes nothing. The end of input keeps what was given so far.
    """
    path = paths.support_path()
    output.say(f"A support plan in your own words, in {len(PLAN_PARTS)} parts (after the "
               "Stanley-Brown Safety Plan).")
    output.say("Every part is optional; only go as far as feels okay. Enter alone goes on.")
    try:
        if path.exists() and not prompter.confirm(
            f"You have a plan in {path}. Write a new one in its place? "
            "(the one you have is kept as support.md.bak)", default=False,
        ):
            output.echo("Nothing changed.")
            return False
        answers = ask_plan(prompter)
    except (KeyboardInterrupt, StopRequested) as exc:
        output.note("Nothing changed.")
        if isinstance(exc, KeyboardInterrupt):
            raise
        return False
    except EOFError as exc:  # before anything was answered: exit 1, as everywhere
        exc.add_note("nothing changed")
        raise
    text = plan_text(answers)
    if not text:
        output.echo("Nothing written: every part was skipped.")
        return False
    try:
        backup = write_plan(text)
    except OSError as exc:
        raise QuietworkError(f"cannot write {path}: {exc.strerror or exc}") from None
    output.echo("")
    output.say(f"Saved to {path}" + (f" (the one before is in {backup})" if backup else "")
               + ". Edit it by hand whenever you like.")
    output.echo("")
    return True
