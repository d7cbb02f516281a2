"""The ports between the pure runner and the things around it.

The runner (run/runner.py) talks only to these protocols: a clock, key input, a view,
a prompter for check-ins, and a recorder for the log. The terminal and plain
implementations live in run/keys.py, run/views/, run/prompts.py; the recorder
(run/session.py) wraps store.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Final, Literal, Protocol

from quietwork.errors import StopRequested as StopRequested  # re-exported for the run wing
from quietwork.vocabulary import RecordedPhase

if TYPE_CHECKING:
    from quietwork.run.timeline import Frame


class Clock(Protocol):
    """Pacing time as a parameter: the system clock, or a fake one in tests.

    Wall time for the log is the store's (quietwork.clock.now), not the runner's.
    """

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back."""
        ...


class Keys(Protocol):
    """Key presses during timed steps."""

    def read(self, timeout: float) -> str | None:
        """Wait up to `timeout` seconds for a key; None when none came.

        Returns "stop" (s, Esc), "pause" (p, space), "mute" (m), "resize" (draw again),
        "suspended" (back from Ctrl-Z: pause, draw again) or None; the runner ignores keys
        it has no use for ("mute" is run/views/cues.py's MuteKeys'). Implementations block
        (select) or sleep in steps bounded by the timeout, and a fake one advances its
        fake clock.
        """
        ...


Skipped = Literal["skipped"]
SKIPPED: Final[Skipped] = "skipped"  # Enter alone at a rating: recorded as a skipped rating


class Prompter(Protocol):
    """Questions to the person: questionary on a terminal, one line each otherwise.

    The runner asks a check-in one question at a time (`distress`, then the optional
    `state`, `body`, and after a practice `noticed` and `note`) so that each answer is
    written the moment it is given. Any question may raise StopRequested (s or Esc on a
    terminal), EOFError at end of input and KeyboardInterrupt on Ctrl-C.
    """

    def distress(self, question: str, anchors: Mapping[int, str]) -> int | Skipped | None:
        """Ask for 0-10 (re-asking on anything else); None when the person stops (s / stop).

        SKIPPED when the person presses Enter alone: the practice goes on, and the
        check-in is recorded with no rating.
        """
        ...

    def state(self) -> str | None:
        """Which way it leans (activated, settled, shut_down); None when skipped or not asked."""
        ...

    def body(self) -> tuple[str, ...]:
        """Where in the body; () when skipped or not asked (plain mode asks nothing)."""
        ...

    def noticed(self) -> tuple[str, ...]:
        """What was noticed during the practice; () when skipped or not asked."""
        ...

    def note(self) -> str | None:
        """A note in the person's words; None when skipped or not asked."""
        ...

    def choose(self, question: str, options: Sequence[str]) -> tuple[str, ...]:
        """Pick any of the options (empty = skipped). Plain mode asks nothing: returns ()."""
        ...

    def select(self, question: str, options: Sequence[tuple[str, str]]) -> str:
        """One of (label, value) options: its value ("" when none). Plain mode: ""."""
        ...

    def ask_text(self, question: str, *, hint: str = "", max_length: int = 500) -> str:
        """One line of the person's words (cleaned); "" when they just press Enter."""
        ...

    def confirm(self, question: str, *, default: bool) -> bool:
        """A yes/no question ("go on? [y/N]"); Enter takes the default."""
        ...


class Narrator(Protocol):
    """Says aloud what the person must know between questions: the stop text, the ending.

    Shown text stays the views' and the session's; a narrator (run/spoken.py) only
    speaks it, for a person practising with eyes closed (--voice). Never blocks.
    """

    def tell(self, text: str) -> None:
        """Say `text` after whatever is being said; returns at once."""
        ...


class Recorder(Protocol):
    """Writes each answer to the log the moment it is given."""

    def checkin(
        self,
        phase: RecordedPhase,
        distress: int | None = None,
        *,
        area: str | None = None,
        noticed: Sequence[str] = (),
    ) -> str:
        """Record one answer (a rating, or a track step's area and what was noticed); its id.

        Follow-up answers to a rating arrive later, each through `update`.
        """
        ...

    def update(
        self,
        checkin_id: str,
        *,
        state: str | None = None,
        body: Sequence[str] | None = None,
        noticed: Sequence[str] | None = None,
        note: str | None = None,
    ) -> None:
        """Add follow-up answers to a recorded check-in (None: not given, left as it is)."""
        ...


class View(Protocol):
    """The terminal view or the plain lines."""

    def bar_cells(self) -> int:
        """How many steps the breathing bar has now (0: no bar, no bar frames needed)."""
        ...

    def show(self, frame: Frame) -> None:
        """Draw a frame (a view may skip what did not visibly change)."""
        ...

    def suspend(self) -> None:
        """Make room for a question; the next show() draws everything again."""
        ...

    def end(self) -> None:
        """The timed part is over (called once or more; later calls do nothing)."""
        ...
