"""Questions asked inside the practice view (implements run.ports.Prompter).

The question is drawn in the same full screen as the steps (title and where you are
above it, the keys below), and answered through the cbreak key reader: typed digits and
words are echoed in the view, Enter answers, Backspace and Ctrl-U edit; s, q or Esc stop
(StopRequested); Ctrl-D ends input (EOFError); Ctrl-C stays the terminal's
(KeyboardInterrupt). So a check-in never falls back to the scrollback.

Keys that came in the same read after an answer go back to the key reader
(TerminalKeys.type_ahead): a question straight after this one takes them, but a timed step
in between takes them as its keys (s, q, Esc stop; p pauses; the rest is dropped), so a
double Enter never skips a check-in asked later (docs/using.md, the keys).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from quietwork.run.plain_prompts import RETRY, parse_rating
from quietwork.run.ports import SKIPPED, Skipped, StopRequested
from quietwork.run.prompts import SKIP
from quietwork.run.views.live import LiveView
from quietwork.run.views.screen import (
    CORE,
    EXTRA,
    KEEP,
    MORE,
    QUESTION,
    SAFETY,
    Layout,
    Row,
    blank,
)
from quietwork.text import clean
from quietwork.vocabulary import BODY_AREAS, NOTICED, SCALE, STATE_LABELS

ESC_WAIT = 0.03  # what follows ESC this soon is an escape sequence (arrows), not Esc
WAIT = 3600.0  # a question has no deadline; wake now and then anyway
STOP_KEYS = "s/Esc stop"
QUIT = "Ctrl-C quit · q also stops"
RATING_KEYS = "Type 0 to 10, then Enter"
SKIP_KEYS = "Enter alone skips"
ANCHORS_LABEL = "In your words:"


class RawKeys(Protocol):
    """The cbreak reader's raw side (run.keys.TerminalKeys.read_bytes, type_ahead)."""

    def read_bytes(self, timeout: float) -> bytes | None:
        """Input bytes; b"" after a resize; None when none came in time."""
        ...

    def type_ahead(self, data: bytes) -> None:
        """Keys read after an answer: the next question's, unless a timed step comes first."""
        ...


@dataclass(eq=False, repr=False)
class _Typed:
    """One line being typed: its text and the message shown under it."""

    text: str = ""
    error: str = ""
    decoder: codecs.IncrementalDecoder = field(
        default_factory=lambda: codecs.getincrementaldecoder("utf-8")("replace")
    )


class InViewPrompter:
    """Check-in questions drawn in the live view, answered with the cbreak keys.

    Enter alone at a rating skips it (SKIPPED, recorded with no rating); anything else
    that is not 0-10 is asked again. Stopping (s, q, Esc, or "s" + Enter) always raises
    StopRequested, so a stop is never mistaken for a skip.
    """

    def __init__(
        self, view: LiveView, keys: RawKeys, *, safety: str = "",
        on_mute: Callable[[], None] | None = None, on_ask: Callable[[], None] | None = None,
    ) -> None:
        self._view = view
        self._keys = keys
        # Called once as a rating or a yes/no question appears (--sound's question tone).
        self._on_ask = on_ask
        # `m` at a rating or a menu mutes the tones, as during the steps (with --sound); in
        # a note it is a letter.
        self._on_mute = on_mute
        self._safety = clean(safety).strip()
        self._where: str | None = None
        self._asked = False  # the first question shows the safety note

    # Where the question sits: before, at a step, or after the practice.

    def _place(self, *, checkin: bool) -> None:
        view = self._view
        step, steps = view.step
        if view.ended or step == 0:
            self._where = None  # the view's own: "before you begin" / "after the practice"
        else:
            # A check-in is a step of its own (the one after the last shown); a track
            # step's "what's there?" belongs to the step it follows.
            self._where = f"step {min(steps, step + 1) if checkin else step} of {steps}"

    def _draw(
        self, body: Callable[[Layout], list[Row]], keys: Sequence[str], *, mute: bool = True
    ) -> None:
        note = self._view.keys_note if mute and self._on_mute is not None else ""
        if note:  # "m mute" on the fullest two footers, as during the steps
            keys = [f"{keys[0]} · {note}", f"{keys[1]} · {note}", *keys]
        self._view.ask(body, keys, where=self._where)

    def _asking(self) -> None:
        if self._on_ask is not None:
            self._on_ask()

    def _muted(self, data: bytes) -> bytes:
        """The input with each `m` taken as mute / unmute (when there is sound to mute)."""
        if self._on_mute is None or not (b"m" in data or b"M" in data):
            return data
        for byte in data:
            if byte in b"mM":
                self._on_mute()
        return data.replace(b"m", b"").replace(b"M", b"")

    def _intro(self, layout: Layout) -> list[Row]:
        """The safety note, on the first screen of the practice only."""
        if self._asked or not self._safety or self._view.step != (0, 0):
            return []
        note = _leading_sentences(layout, self._safety, layout.height - 2)
        return [*layout.aligned(note, "yellow", SAFETY, rest=SAFETY, group=-1), blank()]

    def _key(self) -> bytes:
        """The next chunk of input: b"" after a resize; lone Esc as b"\\x1b"."""
        while True:
            data = self._keys.read_bytes(WAIT)
            if data is None:
                continue
            while data.endswith(b"\x1b"):
                more = self._keys.read_bytes(ESC_WAIT)
                if not more:
                    break
                data += more
            return data

    def _left(self, rest: bytes) -> None:
        """Keys read after an answer's last key: back to the reader (see the module's note)."""
        if rest:
            self._keys.type_ahead(rest)

    # The rating

    def distress(self, question: str, anchors: Mapping[int, str]) -> int | Skipped:
        """0-10 and Enter; SKIPPED for Enter alone. Stops raise StopRequested, never None."""
        self._place(checkin=True)
        question = clean(question, single_line=True) or "How intense is it right now?"
        words = [
            f"{level} = {clean(text, single_line=True)}"
            for level, text in sorted(anchors.items()) if clean(text, single_line=True)
        ]
        typed = _Typed()
        keys = f"{RATING_KEYS} · {SKIP_KEYS}"
        footer = (f"{keys} · {STOP_KEYS} · {QUIT}", f"{keys} · {STOP_KEYS}",
                  f"0-10, Enter · {STOP_KEYS}", STOP_KEYS)

        def body(layout: Layout) -> list[Row]:
            rows = self._intro(layout)
            rows += layout.aligned(question, "bold", QUESTION, rest=CORE)
            if SCALE not in question:
                rows += layout.aligned(SCALE, "", CORE)
            if words:
                rows += [blank(), *layout.anchors(ANCHORS_LABEL, words)]
            return [*rows, blank(), *self._typed_rows(layout, typed)]

        self._asking()
        while True:
            self._draw(body, footer)
            data = self._muted(self._key())
            if data in (b"\x1b",) or (not typed.text and data[:1] in (b"s", b"S", b"q", b"Q")):
                raise StopRequested
            if self._edit(typed, data, limit=20):
                answer = parse_rating(typed.text)
                if answer == "stop":
                    raise StopRequested
                if answer is not None:
                    self._asked = True
                    self._view.safety = ""  # seen here: the first step need not show it again
                    return SKIPPED if answer == "skip" else answer
                typed.error = RETRY

    def _typed_rows(self, layout: Layout, typed: _Typed) -> list[Row]:
        """The line being typed (its end, when long) and the message under it."""
        room = max(1, layout.column - 3)
        shown = typed.text[-room:]
        # Empty, the answer line gives way to the safety note on a tiny first screen; once
        # something is typed, what is typed (and the message on it) is shown first.
        rank = QUESTION if typed.text or typed.error else KEEP
        rows = [Row(((" " * layout.left, ""), ("› ", "bold"), (shown, ""), ("_", "blink")),
                    rank)]
        if typed.error:
            rows += layout.aligned(typed.error, "yellow", rank, rest=rank)
        return rows

    def _edit(self, typed: _Typed, data: bytes, *, limit: int) -> bool:
        """Apply keys to the typed line; True at Enter. Ctrl-D on an empty line: EOFError."""
        for index in range(len(data)):
            byte = data[index:index + 1]
            if byte in (b"\r", b"\n"):
                self._left(data[index + 1:])
                return True
            if byte == b"\x04" and not typed.text:
                raise EOFError("end of input")
            if byte in (b"\x7f", b"\x08"):
                typed.text = typed.text[:-1]
            elif byte == b"\x15":
                typed.text = ""
            elif byte == b"\x1b":
                return False  # an escape sequence (arrows) mid-line: ignored
            elif byte >= b" ":
                typed.text = (typed.text + typed.decoder.decode(byte))[:limit]
        return False

    # Menus

    def _menu(
        self, question: str, labels: Sequence[str], *, many: bool, hint: str
    ) -> list[int]:
        """A list to move through with the arrows: the chosen indexes (Enter)."""
        question = clean(question, single_line=True)
        labels = [clean(label, single_line=True) for label in labels]
        cursor, picked = 0, set[int]()
        footer = (f"↑/↓ move · {'space picks · ' if many else ''}Enter · {STOP_KEYS} · {QUIT}",
                  f"↑/↓ · Enter · {STOP_KEYS}", STOP_KEYS)

        def body(layout: Layout) -> list[Row]:
            rows = layout.aligned(question, "bold", KEEP, rest=CORE)
            rows += layout.aligned(hint, "dim", EXTRA)
            rows.append(blank())
            for k, label in enumerate(labels):
                mark = ("› " if k == cursor else "  ") + (
                    ("[x] " if k in picked else "[ ] ") if many else "")
                # Far from the cursor first: the list scrolls before the question is cut.
                rank = KEEP if k == cursor else MORE - 0.01 * abs(k - cursor)
                rows += layout.aligned(label, "bold" if k == cursor else "", rank, rest=rank,
                                       group=k + 1, prefix=mark)
            return rows

        while True:
            self._draw(body, footer)
            data = self._muted(self._key())
            if data == b"\x1b" or data[:1] in (b"s", b"S", b"q", b"Q"):
                raise StopRequested
            if data[:1] == b"\x04":
                raise EOFError("end of input")
            for move, end in _moves(data):
                if move == "enter":
                    self._left(data[end:])
                    return sorted(picked) if many else [cursor]
                if move == "toggle" and many:
                    picked ^= {cursor}
                elif move in ("up", "down"):
                    cursor = (cursor + (1 if move == "down" else -1)) % len(labels)

    def select(self, question: str, options: Sequence[tuple[str, str]]) -> str:
        """One of (label, value) options: its value."""
        if not options:
            return ""
        [index] = self._menu(question, [label for label, _ in options], many=False,
                             hint="(arrow keys, Enter)")
        return options[index][1]

    def choose(self, question: str, options: Sequence[str]) -> tuple[str, ...]:
        """Any of the options; Enter with none picked skips."""
        self._place(checkin=False)
        picked = self._menu(question, options, many=True,
                            hint="(space picks, Enter goes on; Enter alone skips)")
        return tuple(options[k] for k in picked)

    def state(self) -> str | None:
        """Which way it leans; None when skipped."""
        values = [SKIP, *STATE_LABELS]
        labels = [SKIP, *STATE_LABELS.values()]
        [index] = self._menu("Which way does it lean?", labels, many=False,
                             hint="(arrow keys, Enter; Enter now skips)")
        return None if values[index] == SKIP else values[index]

    def body(self) -> tuple[str, ...]:
        """Where in the body; () when skipped."""
        return self._checkbox("Where do you notice it in your body?", BODY_AREAS)

    def noticed(self) -> tuple[str, ...]:
        """What was noticed during the practice; () when skipped."""
        return self._checkbox("Did you notice any of these?", NOTICED)

    def _checkbox(self, question: str, options: Sequence[str]) -> tuple[str, ...]:
        picked = self._menu(question, options, many=True,
                            hint="(space picks, Enter goes on; Enter alone skips)")
        return tuple(options[k] for k in picked)

    # Words and yes/no

    def note(self) -> str | None:
        """A note in the person's words; None when skipped. Esc stops (s is a letter)."""
        return self._text("A note, if you like:", 500, esc=True) or None

    def ask_text(self, question: str, *, hint: str = "", max_length: int = 500) -> str:
        """One line of the person's words (cleaned); "" when they just press Enter."""
        return self._text(question, max_length, esc=False, hint=hint)

    def _text(self, question: str, max_length: int, *, esc: bool, hint: str = "") -> str:
        typed = _Typed()
        stop = "Esc stops · " if esc else ""
        footer = (f"Enter goes on · Enter alone skips · {stop}Ctrl-C quit",
                  f"Enter · {stop}Ctrl-C quit", f"Enter · {stop}".rstrip(" ·"))

        def body(layout: Layout) -> list[Row]:
            rows = layout.aligned(clean(question, single_line=True), "bold", KEEP, rest=CORE)
            if hint:
                rows += layout.aligned(hint, "dim", EXTRA)
            return [*rows, blank(), *self._typed_rows(layout, typed)]

        while True:
            self._draw(body, footer, mute=False)
            data = self._key()
            if data == b"\x1b":
                if esc:
                    raise StopRequested
                continue
            if self._edit(typed, data, limit=max_length * 4):
                answer = clean(typed.text, single_line=True)
                if len(answer) <= max_length:
                    return answer
                typed.error = f"Please keep it to {max_length} characters."

    def confirm(self, question: str, *, default: bool) -> bool:
        """y or n; Enter takes the default; s, q or Esc stop."""
        question = clean(question, single_line=True)
        hint = f"({'Y/n' if default else 'y/N'}; s or Esc stops)"
        footer = (f"y or n · Enter: {'yes' if default else 'no'} · {STOP_KEYS} · {QUIT}",
                  f"y/n · Enter: {'y' if default else 'n'} · {STOP_KEYS}", STOP_KEYS)

        def body(layout: Layout) -> list[Row]:
            return [*layout.aligned(question, "bold", KEEP, rest=CORE),
                    *layout.aligned(hint, "dim", MORE)]

        self._asking()
        while True:
            self._draw(body, footer)
            data = self._muted(self._key())
            key, rest = data[:1].lower(), data[1:]
            if data == b"\x1b" or key in (b"s", b"q"):
                raise StopRequested
            if key == b"\x1b":
                continue  # an arrow or function key (Esc and more) is no answer, nor a stop
            if key == b"\x04":
                raise EOFError("end of input")
            if key in (b"y", b"n") and rest[:1] in (b"\r", b"\n"):
                rest = rest[1:]  # "y" and Enter in one go: the Enter confirms the y
            self._left(rest)
            if key in (b"\r", b"\n"):
                return default
            if key in (b"y", b"n"):
                return key == b"y"


def _leading_sentences(layout: Layout, note: str, room: int) -> str:
    """The note whole when it fits in `room` lines, else as many of its first sentences as do.

    On a tiny screen (30x8) a long note (sigh's, box's) cannot sit whole beside the question
    and the stop keys: its first sentences, which say when to stop, are shown rather than
    nothing. When not even the first fits, the whole note (as a group) goes.
    """
    if len(layout.wrap(note)) <= room:
        return note
    sentences = re.split(r"(?<=[.!?])\s+", note)
    while len(sentences) > 1 and len(layout.wrap(" ".join(sentences))) > room:
        sentences.pop()
    return " ".join(sentences)


def _moves(data: bytes) -> list[tuple[str, int]]:
    """Menu moves in a chunk of input (up, down, toggle, enter), each with where it ends."""
    moves: list[tuple[str, int]] = []
    i = 0
    while i < len(data):
        if data[i:i + 3] in (b"\x1b[A", b"\x1bOA", b"\x1b[B", b"\x1bOB"):
            moves.append(("up" if data[i + 2:i + 3] == b"A" else "down", i + 3))
            i += 3
            continue
        byte = data[i:i + 1]
        move = {b"k": "up", b"K": "up", b"j": "down", b"J": "down", b" ": "toggle",
                b"\r": "enter", b"\n": "enter"}.get(byte)
        if move:
            moves.append((move, i + 1))
        i += 1
    return moves
