"""The support plan as Markdown: rendered by rich, never shown with raw asterisks.

The plan is the person's own file, so it is read as Markdown with HTML switched off
(a `<its number>` stays as written), every line break kept as they wrote it, and links
shown as text and address, never as something to click: quietwork never dials.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from markdown_it import MarkdownIt
from rich.console import Console
from rich.markdown import Markdown

from quietwork.text import clean

if TYPE_CHECKING:
    from markdown_it.token import Token

    from quietwork.support import Support


def _parse(text: str) -> list[Token]:
    parser = MarkdownIt("commonmark", {"html": False}).enable(["strikethrough", "table"])
    tokens = parser.parse(text)
    for token in tokens:
        for child in token.children or ():
            if child.type == "softbreak":  # a plan is lines: keep each where it was written
                child.type = "hardbreak"
    return tokens


def plan_markdown(text: str) -> Markdown:
    """The text (cleaned) as a rich renderable, for a terminal."""
    text = clean(text)
    rendered = Markdown(text, hyperlinks=False)
    rendered.parsed = _parse(text)
    return rendered


def plan_cuts(text: str) -> list[int]:
    """Where the text may be cut short (a count of its first lines), in order.

    After each list item, each block, and each line of a paragraph outside a list (a
    plan written line by line): never inside an item (a name without its number), and
    never right after a heading (a heading with nothing under it).
    """
    cuts: set[int] = set()
    for token in _parse(text):
        if token.map is None or token.nesting == -1:
            continue
        start, end = token.map
        if token.type == "list_item_open":
            cuts.add(end)
        elif token.level == 0 and token.type == "paragraph_open":
            cuts.update(range(start + 1, end + 1))
        elif token.level == 0 and token.type != "heading_open":
            cuts.add(end)
    return sorted(cuts)


def plan_lines(text: str) -> list[str]:
    """The text (cleaned) as plain lines, for --plain, pipes and screen readers.

    The same reading as on a terminal, without styles: headings and paragraphs as
    their words, list items after "•" (or their number), links as text and address.
    Lines are never wrapped or padded.
    """
    lines: list[str] = []
    lists: list[list[int]] = []  # per open list: [next number], or [] for bullets
    marker = ""
    for token in _parse(clean(text)):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            start = token.attrGet("start")
            lists.append([int(start) if start is not None else 1] if kind[0] == "o" else [])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
            if not lists:
                lines.append("")
        elif kind == "list_item_open":
            numbers = lists[-1]
            marker = f"{numbers[0]}. " if numbers else "• "
            if numbers:
                numbers[0] += 1
        elif kind == "inline":
            indent = "  " * max(0, len(lists) - 1)
            for k, line in enumerate(_inline(token).split("\n")):
                lines.append(indent + (marker if k == 0 else " " * len(marker)) + line)
            marker = ""
        elif kind in ("fence", "code_block"):
            lines += token.content.rstrip("\n").split("\n")
            lines.append("")
        elif kind == "hr":
            lines += ["———", ""]
        elif kind in ("paragraph_close", "heading_close") and not lists:
            lines.append("")
    lines = [line.rstrip() for line in lines]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def support_plan_lines(support: Support) -> list[str]:
    """The support text as plain lines: the person's own words (`plan_lines`), then, after
    a blank line, the emergency and crisis lines."""
    own = plan_lines(support.own)
    return [*own, "", support.crisis] if own else [support.crisis]


def _inline(token: Token) -> str:
    words: list[str] = []
    href = ""
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            words.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            words.append("\n")
        elif child.type == "link_open":
            href = str(child.attrGet("href") or "")
        elif child.type == "link_close" and href:
            words.append(f" ({href})")
            href = ""
        elif child.type == "image":
            words.append(f"{child.content} ({child.attrGet('src') or ''})")
    return "".join(words)


def print_plan(console: Console, text: str) -> None:
    """Rendered on a terminal; as plain lines (no padding, no codes) to a pipe or file."""
    if console.is_terminal:
        console.print(plan_markdown(text))
        return
    from rich.text import Text

    for line in plan_lines(text):
        console.print(Text(line))
