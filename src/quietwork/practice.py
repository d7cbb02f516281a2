"""The practice a run uses: plain dataclasses, compared field by field.

What a practice file may say is checked by `quietwork.schema` (pydantic); these are built
from what it validated, or from the cache of validated practices (catalog), so that a
practice started from the cache imports neither pydantic nor YAML.

Not frozen, and without a generated repr: on Python 3.11 each generated method is one
`exec` at import, and frozen adds three (`__setattr__`, `__delattr__`, `__hash__`) to
every class; the start-up path's dataclasses take only what they use (docs/performance.md).
Nothing changes a practice once it is built.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import field
from typing import Any

from quietwork.records import record
from quietwork.vocabulary import State

STEP_KINDS = ("say", "breathe", "checkin", "track")
MAX_PRACTICE_SECONDS = 2 * 60 * 60
DEFAULT_CHECKIN_QUESTION = "How intense is it right now?"


@record(kw_only=True, repr=False)
class SayStep:
    """A timed prompt, optionally repeated ("1 of 3")."""

    say: str
    seconds: float
    repeat: int = 1

    def duration(self) -> float:
        """Seconds at speed 1."""
        return self.seconds * self.repeat

    def describe(self) -> str:
        """One line for `show`."""
        times = f"  ({self.repeat} × {fmt_seconds(self.seconds)})" if self.repeat > 1 else ""
        return f"say  {self.say}{times}"


@record(kw_only=True, repr=False)
class Breath:
    """One breathing pattern: phase lengths and how long to keep it up."""

    inhale: float
    top_up: float = 0  # a short second sip of air on top of the inhale (sighing)
    hold: float = 0
    exhale: float
    hold_out: float = 0
    breaths: int | None = None
    minutes: float | None = None

    @property
    def cycle(self) -> float:
        """Seconds of one whole breath."""
        return self.inhale + self.top_up + self.hold + self.exhale + self.hold_out

    def count(self) -> int:
        """How many breaths, whole, at speed 1."""
        if self.breaths is not None:
            return self.breaths
        assert self.minutes is not None
        return max(1, round(self.minutes * 60 / self.cycle))


@record(kw_only=True, repr=False)
class BreatheStep:
    """Paced breathing."""

    breathe: Breath

    def duration(self) -> float:
        """Seconds at speed 1 (the last breath ends on its exhale)."""
        return self.breathe.count() * self.breathe.cycle - self.breathe.hold_out

    def describe(self) -> str:
        """One line for `show`."""
        b = self.breathe
        pattern = [f"in {fmt_seconds(b.inhale)}"]
        if b.top_up:
            pattern.append(f"top-up {fmt_seconds(b.top_up)}")
        if b.hold:
            pattern.append(f"hold {fmt_seconds(b.hold)}")
        pattern.append(f"out {fmt_seconds(b.exhale)}")
        if b.hold_out:
            pattern.append(f"hold {fmt_seconds(b.hold_out)}")
        return f"breathe  {', '.join(pattern)}  × {b.count()} breaths"


@record(kw_only=True, repr=False)
class CheckinStep:
    """A mid-practice check-in: the 0-10 question."""

    checkin: str | None = None

    @property
    def question(self) -> str:
        """The question to ask."""
        return self.checkin or DEFAULT_CHECKIN_QUESTION

    def duration(self) -> float:
        """Untimed: the person answers when ready."""
        return 0.0

    def describe(self) -> str:
        """One line for `show`."""
        return f"check-in  {self.question}"


@record(kw_only=True, repr=False)
class Track:
    """Sensation tracking: body areas, seconds on each, optional labels to ask."""

    areas: list[str]
    seconds: float
    ask: list[str] = field(default_factory=list)


@record(kw_only=True, repr=False)
class TrackStep:
    """Attention moving through body areas."""

    track: Track

    def duration(self) -> float:
        """Seconds at speed 1."""
        return len(self.track.areas) * self.track.seconds

    def describe(self) -> str:
        """One line for `show`."""
        asks = f"; asks: {', '.join(self.track.ask)}" if self.track.ask else ""
        areas = ", ".join(self.track.areas)
        return f"track  {areas}  ({fmt_seconds(self.track.seconds)} each{asks})"


Step = SayStep | BreatheStep | CheckinStep | TrackStep


@record(kw_only=True, repr=False)
class Practice:
    """One practice, validated."""

    title: str
    summary: str
    tags: list[str] = field(default_factory=list)
    suits: list[State] = field(default_factory=list)
    avoid_when: list[State] = field(default_factory=list)
    safety: str | None = None
    sources: list[str] = field(default_factory=list)
    steps: list[Step]

    def duration(self) -> float:
        """Timed seconds at speed 1 (check-ins not counted)."""
        return sum(step.duration() for step in self.steps)

    @classmethod
    def from_validated(cls, fields: dict[str, Any]) -> Practice:
        """A practice from the fields of a validated one (`schema`, or `dump` of the cache).

        Built without validating again. KeyError or TypeError when the fields are not of
        that shape.
        """
        steps = [_STEP_BUILDERS[_step_kind(step)](step) for step in fields["steps"]]
        return cls(**_pick(cls, fields, skip="steps"), steps=steps)


def dump(value: Any, *, exclude_none: bool = False) -> dict[str, Any]:
    """A practice or a step as JSON-ready data, field by field in their order."""
    data: dict[str, Any] = {}
    for item in dataclasses.fields(value):
        got = getattr(value, item.name)
        if got is None and exclude_none:
            continue
        if dataclasses.is_dataclass(got):
            got = dump(got, exclude_none=exclude_none)
        elif isinstance(got, list):
            got = [dump(v, exclude_none=exclude_none) if dataclasses.is_dataclass(v) else v
                   for v in got]
        data[item.name] = got
    return data


def _pick(cls: Any, fields: dict[str, Any], skip: str = "") -> dict[str, Any]:
    """The fields of a dataclass from a mapping (KeyError when one is missing)."""
    return {item.name: fields[item.name] for item in dataclasses.fields(cls) if item.name != skip}


def _step_kind(fields: dict[str, Any]) -> str:
    for kind in STEP_KINDS:
        if kind in fields:
            return kind
    raise KeyError("a step without a kind")


def _say(fields: dict[str, Any]) -> SayStep:
    return SayStep(**_pick(SayStep, fields))


def _breathe(fields: dict[str, Any]) -> BreatheStep:
    return BreatheStep(breathe=Breath(**_pick(Breath, fields["breathe"])))


def _checkin(fields: dict[str, Any]) -> CheckinStep:
    return CheckinStep(checkin=fields["checkin"])


def _track(fields: dict[str, Any]) -> TrackStep:
    return TrackStep(track=Track(**_pick(Track, fields["track"])))


_STEP_BUILDERS: dict[str, Callable[[dict[str, Any]], Step]] = {
    "say": _say, "breathe": _breathe, "checkin": _checkin, "track": _track,
}


def fmt_seconds(seconds: float) -> str:
    """4 -> "4 s", 4.5 -> "4.5 s"."""
    return f"{seconds:g} s"


def fmt_duration(seconds: float) -> str:
    """A duration for people: "45 s", "2 min 30 s", "5 min"."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes, rest = divmod(whole, 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"

