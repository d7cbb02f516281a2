"""Making text from files safe to show: no control characters, no format characters; and
words listed as a sentence lists them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

# C0 (but tab and newline), DEL and C1 controls: ESC sequences could clear the screen,
# set the title or plant hyperlinks.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str, *, single_line: bool = False) -> str:
    """The text with control and Unicode format characters (bidi overrides) removed."""
    text = _CONTROLS.sub("", text)
    # Every format character is beyond ASCII: most texts skip the per-character look.
    if not text.isascii() and any(unicodedata.category(ch) == "Cf" for ch in text):
        text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    if single_line:
        text = " ".join(text.split())
    return text


def listed(words: Sequence[str]) -> str:
    """`a, b and c` (one word alone as it is)."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"
