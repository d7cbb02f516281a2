"""One check-in's follow-up questions, in the one written order: state, body, noticed, note.

Used by the runner (after each rating) and by the `checkin` command. Each answer is
recorded the moment it is given, so s or Esc (StopRequested), Ctrl-C or end of input
between two questions keep what was answered.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

if TYPE_CHECKING:
    from quietwork.run.ports import Prompter

Question = Literal["state", "body", "noticed", "note"]
ORDER: tuple[Question, ...] = ("state", "body", "noticed", "note")
DURING: frozenset[Question] = frozenset({"state", "body"})  # before and mid ratings
AFTER: frozenset[Question] = frozenset(ORDER)  # the after rating of a practice


class Update(Protocol):
    """Adds follow-up answers to the check-in being asked (None: not given)."""

    def __call__(
        self,
        *,
        state: str | None = None,
        body: Sequence[str] | None = None,
        noticed: Sequence[str] | None = None,
        note: str | None = None,
    ) -> None: ...


@dataclass(eq=False, repr=False)
class FollowUps:
    """A rating's follow-up answers so far; None: not asked (yet), or given some other way."""

    state: str | None = None
    body: tuple[str, ...] | None = None
    noticed: tuple[str, ...] | None = None
    note: str | None = None


def ask_follow_ups(
    prompter: Prompter, update: Update, answers: FollowUps, asks: Collection[Question]
) -> FollowUps:
    """Ask each question of `asks` that `answers` lacks, in ORDER, recording each answer.

    `answers` is filled in as the person answers, so a caller that catches StopRequested
    still has what was answered; it is also returned.
    """
    for question in ORDER:
        if question not in asks:
            continue
        if question == "state" and answers.state is None:
            answers.state = prompter.state()
            if answers.state is not None:
                update(state=answers.state)
        elif question == "body" and answers.body is None:
            answers.body = prompter.body()
            if answers.body:
                update(body=answers.body)
        elif question == "noticed" and answers.noticed is None:
            answers.noticed = prompter.noticed()
            if answers.noticed:
                update(noticed=answers.noticed)
        elif question == "note" and answers.note is None:
            answers.note = prompter.note()
            if answers.note:
                update(note=answers.note)
    return answers
