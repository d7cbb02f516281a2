"""The practice model: what a practice file may say, checked by pydantic.

This module imports pydantic (about 50 ms); only code paths that validate a file
or run a practice import it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    model_validator,
)

from quietwork.vocabulary import State

STEP_KINDS = ("say", "breathe", "checkin", "track")
MAX_PRACTICE_SECONDS = 2 * 60 * 60
DEFAULT_CHECKIN_QUESTION = "How intense is it right now?"

# The shortest breath phase a person can follow (the second, topping-up sniff of a
# physiological sigh is about this long). Shorter phases are a flicker, not a pace, and
# they multiply: 0.000001 s phases over one minute were 60 million segments (3.9 GB).
MIN_PHASE = 0.5
# Per breathing step, whether given as breaths or as minutes (119 minutes of 1 s
# breaths would be 7,140). With the 2-hour cap, a practice has at most some 15,000
# timed parts (500 steps; 20 repeats, 30 areas or 1,000 breaths each).
MAX_BREATHS = 1000


def _hold(seconds: float) -> float:
    if 0 < seconds < MIN_PHASE:
        raise ValueError(f"a hold is 0 (none) or at least {MIN_PHASE:g} s")
    return seconds


Seconds = Annotated[float, Field(gt=0, le=600)]
PhaseSeconds = Annotated[float, Field(ge=MIN_PHASE, lt=60)]
HoldSeconds = Annotated[float, Field(ge=0, lt=60), AfterValidator(_hold)]
Line = Annotated[str, StringConstraints(min_length=1, max_length=500, pattern=r"^[^\n\r]*$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
Word = Annotated[str, StringConstraints(min_length=1, max_length=60, pattern=r"^[^\n\r]*$")]


class _Strict(BaseModel):
    # Strict: `seconds: "6"` or `title: yes` are mistakes to point at, not to coerce.
    # Deferred: the validators are built on the first validation, which a practice started
    # from the cache never needs (about 30 ms of start-up).
    model_config = ConfigDict(
        extra="forbid", frozen=True, strict=True, allow_inf_nan=False, defer_build=True
    )


class SayStep(_Strict):
    """A timed prompt, optionally repeated ("1 of 3")."""

    say: Line
    seconds: Seconds
    repeat: Annotated[int, Field(ge=1, le=20)] = 1

    def duration(self) -> float:
        """Seconds at speed 1."""
        return self.seconds * self.repeat

    def describe(self) -> str:
        """One line for `show`."""
        times = f"  ({self.repeat} × {fmt_seconds(self.seconds)})" if self.repeat > 1 else ""
        return f"say  {self.say}{times}"


class Breath(_Strict):
    """One breathing pattern: phase lengths and how long to keep it up."""

    inhale: PhaseSeconds
    top_up: HoldSeconds = 0  # a short second sip of air on top of the inhale (sighing)
    hold: HoldSeconds = 0
    exhale: PhaseSeconds
    hold_out: HoldSeconds = 0
    breaths: Annotated[int, Field(ge=1, le=MAX_BREATHS)] | None = None
    minutes: Annotated[float, Field(gt=0, le=120)] | None = None

    @model_validator(mode="after")
    def _breaths_or_minutes(self) -> Breath:
        if (self.breaths is None) == (self.minutes is None):
            raise ValueError("give either breaths or minutes (one of them)")
        if self.count() > MAX_BREATHS:
            raise ValueError(
                f"{self.minutes:g} minutes of {self.cycle:g} s breaths is {self.count():,}"
                f" breaths; a breathing step has at most {MAX_BREATHS:,} (give fewer minutes"
                " or longer phases)"
            )
        return self

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


class BreatheStep(_Strict):
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


class CheckinStep(_Strict):
    """A mid-practice check-in: the 0-10 question."""

    checkin: Line | None = None

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


class Track(_Strict):
    """Sensation tracking: body areas, seconds on each, optional labels to ask."""

    areas: Annotated[list[Word], Field(min_length=1, max_length=30)]
    seconds: Seconds
    ask: Annotated[list[Word], Field(max_length=20)] = []


class TrackStep(_Strict):
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


def _say(fields: dict[str, Any]) -> SayStep:
    return SayStep.model_construct(**{name: fields[name] for name in SayStep.model_fields})


def _breathe(fields: dict[str, Any]) -> BreatheStep:
    breath = fields["breathe"]
    return BreatheStep.model_construct(
        breathe=Breath.model_construct(**{name: breath[name] for name in Breath.model_fields})
    )


def _checkin(fields: dict[str, Any]) -> CheckinStep:
    return CheckinStep.model_construct(checkin=fields["checkin"])


def _track(fields: dict[str, Any]) -> TrackStep:
    track = fields["track"]
    return TrackStep.model_construct(
        track=Track.model_construct(**{name: track[name] for name in Track.model_fields})
    )


_STEP_BUILDERS: dict[str, Callable[[dict[str, Any]], SayStep | BreatheStep | CheckinStep
                                    | TrackStep]] = {
    "say": _say, "breathe": _breathe, "checkin": _checkin, "track": _track,
}


def _step_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        for kind in STEP_KINDS:
            if kind in value:
                return kind
        return None
    if isinstance(value, BaseModel):
        return type(value).__name__.removesuffix("Step").lower()
    return None


Step = Annotated[
    Annotated[SayStep, Tag("say")]
    | Annotated[BreatheStep, Tag("breathe")]
    | Annotated[CheckinStep, Tag("checkin")]
    | Annotated[TrackStep, Tag("track")],
    Discriminator(
        _step_kind,
        custom_error_type="step_kind",
        custom_error_message="a step needs one of the keys say, breathe, checkin, track",
    ),
]


class Practice(_Strict):
    """One practice file."""

    model_config = ConfigDict(
        json_schema_extra={
            "title": "quietwork practice",
            "description": "A quietwork practice file (YAML). The file name is the id.",
        }
    )

    title: Annotated[str, StringConstraints(min_length=1, max_length=120, pattern=r"^[^\n\r]*$")]
    summary: Line
    tags: Annotated[list[Word], Field(max_length=20)] = []
    suits: list[State] = []
    avoid_when: list[State] = []
    safety: Text | None = None
    sources: Annotated[list[Text], Field(max_length=20)] = []
    steps: Annotated[list[Step], Field(min_length=1, max_length=500)]

    @model_validator(mode="after")
    def _not_too_long(self) -> Practice:
        total = self.duration()
        if total >= MAX_PRACTICE_SECONDS:
            raise ValueError(
                f"the practice would take {math.ceil(total / 60)} minutes; keep it under 2 hours"
            )
        return self

    def duration(self) -> float:
        """Timed seconds at speed 1 (check-ins not counted)."""
        return sum(step.duration() for step in self.steps)

    @classmethod
    def from_validated(cls, fields: dict[str, Any]) -> Practice:
        """A practice from what `model_dump(mode="json")` gave of a validated one.

        For the cache of validated practices (catalog): built without validating again.
        KeyError or TypeError when the fields are not of that shape.
        """
        steps = [_STEP_BUILDERS[_step_kind(step) or ""](step) for step in fields["steps"]]
        values = {name: fields[name] for name in cls.model_fields if name != "steps"}
        return cls.model_construct(**values, steps=steps)


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


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a practice file, for editors' YAML language servers."""
    schema = Practice.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
