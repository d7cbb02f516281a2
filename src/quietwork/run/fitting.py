"""Questions laid out for a terminal's width: lines break between words, never mid-word.

questionary writes "? ", the question, then its hint, and prompt_toolkit leaves a long
line (and a menu line) to the terminal, which cuts it at the edge wherever it falls.
"""

from __future__ import annotations

import textwrap

ROOM_TO_TYPE = 4  # columns kept free after a hint for the answer ("10" and the cursor)


def lay_out(message: str, instruction: str | None, width: int) -> tuple[str, str | None]:
    """A question and its hint broken between words for a terminal `width` columns wide.

    questionary writes "? ", the message, then the hint, and leaves a long line to the
    terminal, which cuts it at the edge, mid-word. Here each line of the message wraps
    (continued two columns in), and the hint stays beside the question's last line only
    where it fits with room left to type; else it goes under it, wrapped the same way.
    """
    width = max(width - 1, 16)  # the last column: a terminal may wrap on writing it
    lines: list[str] = []
    for number, line in enumerate(message.split("\n")):
        lead = "? " if number == 0 else ""  # questionary's mark before the first line
        pieces = textwrap.wrap(line, width, initial_indent=lead, subsequent_indent="  ",
                               break_on_hyphens=False, break_long_words=True) or [lead]
        pieces[0] = pieces[0][len(lead):] if pieces[0].startswith(lead) else pieces[0]
        lines.extend(pieces)
    last = len(lines[-1]) + (2 if len(lines) == 1 else 0)
    if instruction and last + 2 + len(instruction) + ROOM_TO_TYPE > width:
        hint = textwrap.wrap(instruction.strip(), width, initial_indent="  ",
                             subsequent_indent="  ", break_on_hyphens=False)
        instruction = "\n" + "\n".join(hint) + (" " if instruction.endswith(" ") else "")
    return "\n".join(lines), instruction


def wrapped(text: str, width: int) -> str:
    """One line of text (a validation message) broken between words for `width` columns."""
    return "\n".join(textwrap.wrap(text, max(width - 1, 16), break_on_hyphens=False)) or text


def shortened(label: str, room: int, placeholder: str = " …") -> str:
    """A menu label that fits `room` columns, cut between words and ended by `placeholder`.

    prompt_toolkit cuts a menu line at the terminal's edge, mid-word.
    """
    if len(label) <= room:
        return label
    return textwrap.shorten(label, max(room, 8), placeholder=placeholder)


def echoed(question: str, answer: str, width: int) -> list[tuple[str, str]]:
    """A question and its answer as it stays on screen once answered, broken between words.

    questionary leaves "? question answer" on one line for the terminal to cut at its
    edge ("acti" / "vated"). Here it wraps as `lay_out` wraps the question (continued two
    columns in), as (style, text) fragments: the "?" as "qmark", the question as
    "question", the answer as "answer" (questionary's style classes).
    """
    lead = len("".join(question.split())) + 1  # the "?" and the question, spaces left out
    lines = textwrap.wrap(f"? {question} {answer}", max(width - 1, 16),
                          subsequent_indent="  ", break_on_hyphens=False) or ["?"]
    fragments: list[tuple[str, str]] = []
    seen, style = 0, ""  # characters passed, spaces left out (textwrap drops some)
    for number, line in enumerate(lines):
        if number:
            fragments.append(("", "\n" + line[:len(line) - len(line.lstrip())]))
        for char in line.lstrip():
            if char != " ":  # a space goes with the word before it
                style = ("class:qmark" if seen == 0 else "class:question" if seen < lead
                         else "class:answer")
                seen += 1
            if fragments and fragments[-1][0] == style:
                fragments[-1] = (style, fragments[-1][1] + char)
            else:
                fragments.append((style, char))
    return fragments
