"""The one seam for what quietwork writes: data to stdout, errors and warnings to stderr."""

from __future__ import annotations

import codecs
import contextlib
import functools
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from quietwork.text import clean

# JSON escapes C0 controls itself, but with ensure_ascii=False it writes DEL, the 8-bit C1
# controls (\x9b is CSI to some terminals) and Unicode format characters (bidi overrides)
# raw. Escaped as \uXXXX they are the same data to a JSON reader and inert on a screen.
# Compiled on first use (`_compiled`), so a command that writes no JSON (a practice,
# before its first cue) does not pay for it: about 0.4 ms.
_JSON_UNSAFE = (
    "[\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)


# What a terminal that cannot show a character gets instead (ISO-8859-1, ASCII, ...):
# the plain form a person would type. Anything else falls back to its accent-free letter
# ("é" -> "e" in ASCII), then to "?": never a UnicodeEncodeError on the way to the screen.
# The one table of fallbacks: every glyph the practice view draws (the guide's blocks and
# dots, the arrows, "›", "·", "─", "…") has its entry here (see `drawn`).
FALLBACKS = {
    "\u2014": "-", "\u2013": "-", "\u2012": "-", "\u2010": "-", "\u2011": "-",
    "\u2212": "-", "\u2192": "->", "\u2190": "<-", "\u2194": "<->", "\u21d2": "=>",
    "\u2026": "...", "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"', "\u00ab": "<<",
    "\u00bb": ">>", "\u2039": "<", "\u203a": ">", "\u00b7": "-", "\u2022": "*",
    "\u00d7": "x", "\u2264": "<=", "\u2265": ">=", "\u2248": "~", "\u00a0": " ",
    "\u202f": " ", "\u2009": " ", "\u2588": "#", "\u2591": "-", "\u25cf": "*",
    "\u25cb": "o", "\u2713": "v", "\u2717": "x", "\u00b0": " deg", "\u2593": "=",
    "\u2191": "^", "\u2193": "v", "\u2500": "-",
    # The eighths that end a bar of the stats chart, rounded to a whole cell: a "?" in a
    # bar reads as a missing value.
    "\u2589": "#", "\u258a": "#", "\u258b": "#", "\u258c": "#", "\u258d": " ",
    "\u258e": " ", "\u258f": " ", "\u2590": "#", "\u2595": " ",
}
ERRORS = "quietwork-fallback"  # the codecs error handler that writes FALLBACKS


def _fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    piece = error.object[error.start : error.end]
    return "".join(_plain(char, error.encoding) for char in piece), error.end


def _plain(char: str, encoding: str) -> str:
    if char in FALLBACKS:
        return FALLBACKS[char]
    if "\ud800" <= char <= "\udfff":  # bytes that were not text (surrogateescape)
        candidates = ["\ufffd"]
    else:
        import unicodedata

        letters = unicodedata.normalize("NFKD", char)
        candidates = ["".join(c for c in letters if not unicodedata.combining(c))]
    for candidate in candidates:
        try:
            if candidate and candidate.encode(encoding):
                return candidate
        except (UnicodeError, LookupError):
            pass
    return "?"


codecs.register_error(ERRORS, _fallback)


def safe_streams() -> None:
    """Make stdout and stderr write every text in any encoding, with plain fallbacks.

    Called once at start-up. In an ISO-8859-1 or ASCII locale (or PYTHONIOENCODING=ascii)
    "—" or "→" raised UnicodeEncodeError mid-way, before the support text of the stop
    screen. Only the error handler changes: what can be written is written as it is.
    """
    import io

    for stream, errors in ((sys.stdout, ERRORS), (sys.stderr, ERRORS), (sys.stdin, "replace")):
        # Typed or piped bytes that are not in the locale's encoding: U+FFFD, not a crash
        # (nor lone surrogates the log cannot store).
        if isinstance(stream, io.TextIOWrapper):  # not a test's StringIO
            with contextlib.suppress(ValueError, OSError):  # closed, or a broken pipe
                stream.reconfigure(errors=errors)


def fit(text: str, stream: TextIO | None = None) -> str:
    """The text as `stream` (stdout) will show it: the fallbacks applied ahead.

    For views that measure what they write (the live view, questionary's prompts): a
    "…" that becomes "..." on the way out would push a line past the width it was laid
    out for.
    """
    encoding = getattr(stream or sys.stdout, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return text.encode(encoding, ERRORS).decode(encoding, "replace")
    except LookupError:
        pass
    return text


def unicode_output(stream: TextIO | None = None) -> bool:
    """Whether `stream` (stdout) writes in a Unicode encoding (UTF-8, -16, -32)."""
    encoding = getattr(stream or sys.stdout, "encoding", None) or "utf-8"
    try:
        return codecs.lookup(encoding).name.startswith("utf")
    except LookupError:
        return False


def drawn(text: str, stream: TextIO | None = None) -> str:
    """Text as the practice view draws it on `stream` (stdout).

    In a Unicode encoding, as it is. In any other (ISO-8859-1, ASCII, ...) every
    character of FALLBACKS is written in its ASCII form even where the encoding has it:
    a terminal set otherwise than the encoding (a UTF-8 terminal under
    PYTHONIOENCODING=latin-1) shows ASCII bytes as they are, but took the Latin-1 "·"
    of the heading for part of a character and garbled the clock after it. The rest
    (a title's "é") as `fit` writes it.
    """
    if text.isascii() or unicode_output(stream):
        return text
    return fit("".join(FALLBACKS.get(char, char) for char in text), stream)


def echo(text: str = "") -> None:
    """A line of data or display on stdout, control characters removed.

    Lines carry paths, ids and texts from files and config; none of them may drive the
    terminal. Escape sequences are written by the terminal view alone, not through here.
    """
    sys.stdout.write(clean(text) + "\n")
    sys.stdout.flush()


# A line's hanging indent when it wraps: its own indent and list marker ("• ", "2. ").
# Compiled on first use (_compiled): most starts never wrap a line.
_HANGING = r"\s*(?:[-*\u2022]\s+|\d+[.)]\s+)?"


def prose(text: str, stream: TextIO | None = None) -> str:
    """Lines of prose as a person reads them on `stream` (stdout), ready to write.

    The glyphs as `drawn` writes them, and on a terminal each line wrapped at word
    boundaries to one column less than its width (textwrap): the terminal would cut it
    mid-word. Not a terminal (a file, a pipe, a test): the lines as they are. Only for
    prose: data (`log`, `--json`, `--csv`, tables) is written unwrapped by `echo`.
    """
    stream = stream or sys.stdout
    text = drawn(text, stream)
    width = _width(stream)
    if width is None:
        return text
    return "\n".join(wrap_words(text, width))


# A command in backticks (`quietwork practice ground`) is never split across lines.
_CODE = r"`[^`\n]+`"
_KEPT = "\x00"  # a space inside a command while wrapping (clean text holds no NUL)


def wrap_words(text: str, width: int) -> list[str]:
    """Each line of `text` wrapped at words to `width` columns (textwrap): a line's
    hanging indent kept, a command in backticks whole, no line ending in spaces."""
    import textwrap

    lines = []
    for line in text.split("\n"):
        if len(line) <= width:
            lines.append(line.rstrip())
            continue
        hanging = " " * len(_compiled(_HANGING).match(line).group())  # type: ignore[union-attr]
        kept = _compiled(_CODE).sub(lambda code: code.group().replace(" ", _KEPT), line)
        lines += [piece.replace(_KEPT, " ") for piece in textwrap.wrap(
            kept, width, subsequent_indent=hanging, break_long_words=False,
            break_on_hyphens=False)] or [""]
    return lines


def _columns(stream: TextIO) -> int | None:
    """The columns of the terminal behind `stream`: None when it is not a terminal."""
    try:
        if not stream.isatty():
            return None
        columns = os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, ValueError, OSError):  # closed, or no file behind it
        return None
    return columns if columns > 0 else None


def terminal_width() -> int:
    """The columns text drawn on stdout (as it is now) has: COLUMNS when set, else the
    width of the terminal behind it, else 80.

    Not `shutil.get_terminal_size()`: that measures the first stdout (`sys.__stdout__`),
    a file under `> out.txt`, while a practice then draws its questions on the terminal
    (run.terminal.facing_the_person), and the 80 columns it falls back to cut every long
    question mid-word on a narrower one.
    """
    setting = os.environ.get("COLUMNS", "")
    if setting.isdigit() and int(setting) > 0:
        return int(setting)
    return _columns(sys.stdout) or 80


def _width(stream: TextIO) -> int | None:
    """The columns a prose line may fill on `stream`: None when it is not a terminal."""
    columns = _columns(stream)
    return None if columns is None else max(columns - 1, 20)


def say(text: str = "", stream: TextIO | None = None) -> None:
    """A line (or lines) of prose on `stream` (stdout): cleaned, drawn, wrapped (`prose`)."""
    stream = stream or sys.stdout
    stream.write(prose(clean(text), stream) + "\n")
    stream.flush()


def write(text: str) -> None:
    """Text as it is (already line-terminated) on stdout."""
    sys.stdout.write(text)
    sys.stdout.flush()


def exported() -> Callable[[str], None]:
    """How exported text (CSV, the Markdown report, the log table) is written to stdout.

    To a file or a pipe: UTF-8 whatever the locale, every character as the person wrote
    it ("café — ok", not the "cafe - ok" of the fallbacks). On a terminal, as `write`
    (the terminal's encoding, with the fallbacks): there it is read, not kept.
    """
    if not exports_utf8():
        return write
    buffer = sys.stdout.buffer
    sys.stdout.flush()

    def write_utf8(text: str) -> None:
        buffer.write(text.encode("utf-8", "replace"))
        buffer.flush()

    return write_utf8


def exports_utf8() -> bool:
    """Whether `exported` writes UTF-8 bytes past stdout's own encoding: stdout is a file
    or a pipe (not a terminal) whose encoding is not UTF-8."""
    stream = sys.stdout
    return (getattr(stream, "buffer", None) is not None and not stdout_is_utf8()
            and not isatty(stream))


def isatty(stream: TextIO | None) -> bool:
    """Whether `stream` is a terminal; False for a closed, replaced or missing one."""
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError):  # closed or replaced streams
        return False


def columns(rows: Sequence[Sequence[str]], headers: Sequence[str] | None = None) -> str:
    """Rows as left-aligned columns, two spaces apart (no rich: this is on fast paths).

    On a terminal narrower than the table, wrapped at words to fit it (`tables.lay_out`);
    to a file or a pipe, one row a line. Every cell is cleaned here: cells hold text from
    files and config (titles, paths, a support message) that must reach the terminal inert.
    """
    from quietwork.tables import lay_out

    table = [list(headers)] if headers else []
    table += [[clean(cell, single_line=True) for cell in row] for row in rows]
    return "\n".join(lay_out(table, _width(sys.stdout), headers=bool(headers)))


def stdout_is_utf8() -> bool:
    """Whether standard output takes every character as it is (else JSON escapes them)."""
    return codecs.lookup(getattr(sys.stdout, "encoding", None) or "utf-8").name == "utf-8"


def json_ascii(text: str) -> str:
    """JSON text with every non-ASCII character as a \\uXXXX escape (the same data)."""
    return _compiled(_NON_ASCII).sub(_escaped, text)


def json_unsafe(text: str) -> str:
    """JSON text with DEL, C1 and format characters written as \\uXXXX escapes.

    Such characters can only be inside strings, where an escape means the same. JSON has
    escaped the C0 controls already and the rest are escaped here, so JSON text needs no
    further cleaning: `clean` would find nothing left to remove.
    """
    return _compiled(_JSON_UNSAFE).sub(_escaped, text)


_NON_ASCII = r"[^\x00-\x7f]+"
# re.compile, kept per pattern: re's own cache would look the pattern up with its flags on
# every call (twice the time of a `sub` on a short value of an export).
_compiled = functools.cache(re.compile)


def _escaped(found: re.Match[str]) -> str:
    return json.dumps(found.group())[1:-1]


def print_json(data: Any) -> None:
    """Data as JSON on stdout (controls and bidi characters in strings escaped)."""
    # Outside UTF-8, every non-ASCII character as \uXXXX: the same data in any encoding,
    # and a file `import` reads back (not "cafe" for "café", nor Latin-1 bytes).
    text = json.dumps(data, indent=2, ensure_ascii=not stdout_is_utf8())
    write((text if text.isascii() else json_unsafe(text)) + "\n")


def error(message: str, hint: str | None = None) -> None:
    """An error, one line (and an optional hint), on stderr.

    Messages may quote a file name, a key from a file or what the person typed: they
    are cleaned of control characters here, once for every error.
    """
    sys.stderr.write(_told(f"Error: {clean(message)}"))
    if hint:
        sys.stderr.write(_told(f"  {clean(hint)}"))
    sys.stderr.flush()


def warn(message: str) -> None:
    """A warning on stderr (cleaned, like errors)."""
    sys.stderr.write(_told(f"Warning: {clean(message)}"))
    sys.stderr.flush()


def note(message: str) -> None:
    """A side remark (not data) on stderr, so that stdout stays clean for pipes."""
    sys.stderr.write(_told(clean(message)))
    sys.stderr.flush()


def _told(line: str) -> str:
    """A cleaned line for stderr: on a terminal, broken between words to fit it (the
    terminal would cut "did not find" as "di" / "d not find"); elsewhere as it is, one line
    (what scripts and tests read)."""
    width = _width(sys.stderr)
    if width is None:
        return line + "\n"
    return "\n".join(wrap_words(line, width)) + "\n"


def silence_stdout() -> None:
    """The reader of our output went away (`| head -1`): send the rest nowhere, quietly."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def color_allowed() -> bool:
    """Whether colour and motion may be used on stdout."""
    term = os.environ.get("TERM", "")
    return sys.stdout.isatty() and term != "dumb" and "NO_COLOR" not in os.environ
