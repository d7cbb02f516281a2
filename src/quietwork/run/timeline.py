"""The plan of a practice run: segments, questions and frames, placed on one timeline (pure).

The timeline is planned up front as segments (a prompt, one breathing phase, one body
area) with offsets from the practice start, and untimed questions between them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Literal

from quietwork.practice import BreatheStep, CheckinStep, Practice, SayStep, TrackStep
from quietwork.records import record
from quietwork.text import clean

# "top_up": the short second sip of air at the top of an inhale (cyclic sighing).
BreathPhase = Literal["inhale", "top_up", "hold", "exhale", "hold_out"]
# "lead_in": "Get ready… 3 2 1" before the first breath of each breathing step.
Kind = Literal["say", "breathe", "track", "lead_in"]
PHASE_WORDS: Mapping[str, str] = {
    "inhale": "Inhale", "top_up": "Top-up", "hold": "Hold", "exhale": "Exhale",
    "hold_out": "Hold",
}
LEAD_IN = 3.0  # seconds at speed 1; added before the breaths, never taken from them
LEAD_IN_TEXT = "Get ready…"


@record(eq=False, repr=False)
class Segment:
    """One timed stretch: a prompt (or one of its repeats), a breathing phase, a body area."""

    step: int  # index into practice.steps
    kind: Kind
    start: float  # seconds from the practice start, speed applied, questions excluded
    length: float
    step_end: float
    text: str = ""
    count: tuple[int, int] | None = None  # "2 of 3": repeat, breath or area; (0, n) lead-in
    phase: BreathPhase | None = None
    area: str | None = None
    lead: float = 0.0  # seconds of lead-ins on the timeline before this segment

    @property
    def end(self) -> float:
        """When the segment ends, from the practice start."""
        return self.start + self.length

    def practice_time(self, t: float) -> float:
        """The practice's own time at timeline time t: lead-ins are not counted in it."""
        return (min(t, self.start) if self.kind == "lead_in" else t) - self.lead


@record(eq=False, repr=False)
class Ask:
    """An untimed question between segments: a check-in step, or a track area's labels."""

    step: int
    at: float  # the practice time it sits at
    question: str
    labels: tuple[str, ...] = ()  # not empty: a track step's "what's there?"
    area: str | None = None


@record(eq=False, repr=False)
class Plan:
    """The whole timeline of a practice."""

    title: str
    steps: int
    items: tuple[Segment | Ask, ...]
    total: float  # timed seconds of the practice (lead-ins are not counted in it)

    def segments(self) -> list[Segment]:
        """The timed items only."""
        return [item for item in self.items if isinstance(item, Segment)]

    def practice_left(self, seg: Segment, t: float) -> float:
        """Seconds left in the practice at timeline time t (in segment `seg`)."""
        return self.total - seg.practice_time(t)


@record(eq=False, repr=False)
class Frame:
    """What the view shows at one moment."""

    title: str
    step: int  # 1-based
    steps: int
    segment: int  # index into the plan, so views can tell a new segment apart
    kind: Kind
    text: str
    count: tuple[int, int] | None
    phase: BreathPhase | None
    area: str | None
    length: float  # seconds of this segment (speed applied)
    left: float  # seconds left in the segment (the phase, for breathing)
    step_left: float
    practice_left: float
    bar: float | None  # 0..1 for breathing, else None
    paused: bool
    onset: bool  # the first frame of this segment


def breath_counts(practice: Practice, minutes: float | None = None) -> dict[int, int]:
    """Breaths per breathing step (by step index), scaled so breathing takes about `minutes`."""
    steps = {i: s for i, s in enumerate(practice.steps) if isinstance(s, BreatheStep)}
    counts = {i: s.breathe.count() for i, s in steps.items()}
    if minutes is None or not counts:
        return counts
    current = sum(s.duration() for s in steps.values())
    scaled = {}
    for i, step in steps.items():
        b = step.breathe
        share = minutes * 60 * step.duration() / current
        # The last breath ends on its exhale: n breaths last n * cycle - hold_out.
        scaled[i] = max(1, round((share + b.hold_out) / b.cycle))
    return scaled


def plan(practice: Practice, *, speed: float = 1.0, minutes: float | None = None) -> Plan:
    """The timeline: every segment's offset from the start, at this speed."""
    if not speed > 0:
        raise ValueError("speed must be above 0")
    counts = breath_counts(practice, minutes)
    items: list[Segment | Ask] = []
    at = lead = 0.0
    for index, step in enumerate(practice.steps):
        drafts = _drafts(index, step, counts.get(index, 0))
        step_end = at + sum(d.length for d in drafts if isinstance(d, Segment)) / speed
        for draft in drafts:
            if isinstance(draft, Ask):
                items.append(replace(draft, at=at))
                continue
            length = draft.length / speed
            items.append(replace(draft, start=at, length=length, step_end=step_end, lead=lead))
            at += length
            if draft.kind == "lead_in":
                lead += length
    title = clean(practice.title, single_line=True)
    return Plan(title, len(practice.steps), tuple(items), at - lead)


def _drafts(index: int, step: object, breaths: int) -> list[Segment | Ask]:
    """One step's segments (lengths at speed 1, not yet placed) and questions."""
    if isinstance(step, SayStep):
        n = step.repeat
        return [
            Segment(index, "say", 0, step.seconds, 0, step.say, (k, n) if n > 1 else None)
            for k in range(1, n + 1)
        ]
    if isinstance(step, BreatheStep):
        b = step.breathe
        phases: list[tuple[BreathPhase, float]] = [
            ("inhale", b.inhale), ("top_up", b.top_up), ("hold", b.hold), ("exhale", b.exhale),
            ("hold_out", b.hold_out),
        ]
        lead_in: list[Segment | Ask] = [
            Segment(index, "lead_in", 0, LEAD_IN, 0, LEAD_IN_TEXT, (0, breaths))
        ]
        return lead_in + [
            Segment(index, "breathe", 0, seconds, 0, "", (k, breaths), phase)
            for k in range(1, breaths + 1)
            for phase, seconds in phases
            # The last breath ends on its exhale.
            if seconds > 0 and not (phase == "hold_out" and k == breaths)
        ]
    if isinstance(step, TrackStep):
        track = step.track
        labels = tuple(clean(label, single_line=True) for label in track.ask)
        drafts: list[Segment | Ask] = []
        for k, raw in enumerate(track.areas, start=1):
            area = clean(raw, single_line=True)
            text = f"Bring attention to your {area}. What's there?"
            drafts.append(
                Segment(index, "track", 0, track.seconds, 0, text, (k, len(track.areas)),
                        area=area)
            )
            if labels:
                drafts.append(Ask(index, 0, f"{area}: what's there?", labels, area))
        return drafts
    if isinstance(step, CheckinStep):
        return [Ask(index, 0, clean(step.question, single_line=True))]
    raise TypeError(f"unknown step {step!r}")  # pragma: no cover - the model forbids it
