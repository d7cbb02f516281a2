"""What a practice file may say, checked by pydantic: the file's schema.

This module imports pydantic (about 50 ms); only reading a practice file (a cache miss,
`validate`, `list` of a changed file) and `schema` import it. What a run uses is the plain
practice of `quietwork.practice`, built from what these models validated.
"""

from __future__ import annotations

import math
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

from quietwork.practice import MAX_PRACTICE_SECONDS, STEP_KINDS
from quietwork.practice import Breath as PlainBreath
from quietwork.practice import Practice as PlainPractice
from quietwork.vocabulary import State

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
    # Deferred: the validators are built on the first validation only.
    model_config = ConfigDict(
        extra="forbid", frozen=True, strict=True, allow_inf_nan=False, defer_build=True
    )


class SayStep(_Strict):
    """A timed prompt, optionally repeated ("1 of 3")."""

    say: Line
    seconds: Seconds
    repeat: Annotated[int, Field(ge=1, le=20)] = 1


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
        plain = PlainBreath(inhale=self.inhale, top_up=self.top_up, hold=self.hold,
                            exhale=self.exhale, hold_out=self.hold_out, breaths=self.breaths,
                            minutes=self.minutes)
        if plain.count() > MAX_BREATHS:
            raise ValueError(
                f"{self.minutes:g} minutes of {plain.cycle:g} s breaths is {plain.count():,}"
                f" breaths; a breathing step has at most {MAX_BREATHS:,} (give fewer minutes"
                " or longer phases)"
            )
        return self


class BreatheStep(_Strict):
    """Paced breathing."""

    breathe: Breath


class CheckinStep(_Strict):
    """A mid-practice check-in: the 0-10 question."""

    checkin: Line | None = None


class Track(_Strict):
    """Sensation tracking: body areas, seconds on each, optional labels to ask."""

    areas: Annotated[list[Word], Field(min_length=1, max_length=30)]
    seconds: Seconds
    ask: Annotated[list[Word], Field(max_length=20)] = []


class TrackStep(_Strict):
    """Attention moving through body areas."""

    track: Track


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
        total = self.plain().duration()
        if total >= MAX_PRACTICE_SECONDS:
            raise ValueError(
                f"the practice would take {math.ceil(total / 60)} minutes; keep it under 2 hours"
            )
        return self

    def plain(self) -> PlainPractice:
        """The validated practice as the plain objects a run uses."""
        return PlainPractice.from_validated(self.model_dump())


def validate(data: Any) -> PlainPractice:
    """A practice from what a YAML file gave, validated; pydantic's ValidationError if not."""
    return Practice.model_validate(data).plain()


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a practice file, for editors' YAML language servers."""
    schema = Practice.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
