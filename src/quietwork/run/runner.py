"""The practice runner: check-ins, stop rules, and every timed phase paced from one clock.

Pure: no rich, questionary, typer or sqlite3. It talks to a clock, keys, a view, a
prompter and a recorder (run/ports.py). The timeline is planned up front
(run/timeline.py); deadlines are `base + offset` on the monotonic clock, never sums
of sleeps, so a long practice ends on time. Pausing and untimed questions only move `base`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import math
from collections.abc import Mapping
from dataclasses import field
from typing import Literal

from quietwork.practice import DEFAULT_CHECKIN_QUESTION, Practice
from quietwork.records import record
from quietwork.run.checkin import AFTER, DURING, FollowUps, ask_follow_ups
from quietwork.run.ports import SKIPPED, Clock, Keys, Prompter, Recorder, StopRequested, View
from quietwork.run.timeline import Ask, Frame, Segment, plan
from quietwork.vocabulary import CheckinPhase, StopReason

RISING = 3  # a mid rating this much above the before rating asks whether to go on,
RISING_FROM = 5  # when it is at least this high (config rising_from); else it goes on
AFTER_QUESTION = "That's the end. How is it now?"
RISING_QUESTION = "It has gone up since you began. Go on?"
AVOID_QUESTION = (
    "This practice may not suit how you are right now ({state}); grounding or settle "
    "may suit better. Go on with it anyway?"
)
SUGGESTION = "ground"
PAUSE_WAIT = 3600.0  # a pause has no deadline; wake up now and then anyway
LATE = 1.0  # woken this much after a deadline: the process was stopped (SIGSTOP, sleep)
_EPS = 1e-9


@record(eq=False, repr=False)
class RunOptions:
    """How to run: pace, stop threshold, check-ins, breathing length, personal anchors."""

    speed: float = 1.0
    stop_at: int = 8
    checkins: bool = True
    # The follow-ups after each rating (lean, body; after: noticed, note): config
    # `checkin = "full"` or the practice's --full-checkin. By default a rating is all.
    full_checkin: bool = False
    rising_from: int = RISING_FROM
    # The settle after a stop: no before rating, but one skippable rating at its end,
    # however it ends (completed or stopped), logged with it.
    closing_rating: bool = False
    minutes: float | None = None
    anchors: Mapping[int, str] = field(default_factory=dict)
    # Which way it leans, when the person already said so (choosing a practice): recorded
    # with the before rating instead of asked again.
    state: str | None = None
    # False for settle itself: it is what a high rating is offered, so it still starts.
    high_before_stops: bool = True


@record
class Outcome:
    """How a run ended; the caller records it and shows what comes next.

    A person who declines a practice that may not suit their state (avoid_when) gets
    status "stopped", reason "user" (they chose not to go on) and `suggest` = "ground".
    """

    status: Literal["completed", "stopped"]
    stop_reason: StopReason | None = None
    before: int | None = None
    after: int | None = None
    suggest: str | None = None
    took: float | None = None  # seconds from the first question to the end (run_logged's)


def run_practice(
    practice: Practice,
    *,
    clock: Clock,
    keys: Keys,
    view: View,
    prompter: Prompter,
    recorder: Recorder,
    options: RunOptions,
) -> Outcome:
    """Run one practice with its check-ins; return how it ended.

    Each rating is recorded the moment it is given, and each follow-up answer as an
    update of it, so nothing answered is lost however the run ends. A rating at or above
    `stop_at` stops at once (no follow-up questions); so does s or Esc at any question
    (StopRequested from the prompter). KeyboardInterrupt, EOFError and signal exceptions
    pass through: the caller records the session as interrupted.
    """
    return _Run(practice, clock, keys, view, prompter, recorder, options).run()


class _Run:
    """One run's state: the timeline, the monotonic base, the before rating."""

    def __init__(
        self,
        practice: Practice,
        clock: Clock,
        keys: Keys,
        view: View,
        prompter: Prompter,
        recorder: Recorder,
        options: RunOptions,
    ) -> None:
        self.practice = practice
        self.clock = clock
        self.keys = keys
        self.view = view
        self.prompter = prompter
        self.recorder = recorder
        self.options = options
        self.plan = plan(practice, speed=options.speed, minutes=options.minutes)
        self.base = 0.0  # the monotonic time at which practice time was 0
        self.before: int | None = None

    def run(self) -> Outcome:
        """Before check-in, the steps, after check-in."""
        if self.options.checkins:
            early = self._before()
            if early is not None:
                return early
        try:
            stopped = self._steps()
        finally:
            self.view.end()
        if stopped is not None:
            if self.options.closing_rating:
                return dataclasses.replace(stopped, after=self._after())
            return stopped
        after = self._after() if self.options.checkins or self.options.closing_rating else None
        return Outcome("completed", None, self.before, after)

    def _before(self) -> Outcome | None:
        answer = self._rate(DEFAULT_CHECKIN_QUESTION, "before")
        if answer is None:
            return Outcome("stopped", "user")
        self.before, checkin_id = answer
        if self.before is not None and self.before >= self.options.stop_at:
            if not self.options.high_before_stops:
                return None  # settle: straight into it, no more questions
            # At once: no follow-up questions, the practice never starts.
            return Outcome("stopped", "overwhelm", self.before)
        try:
            state = self._follow_ups(checkin_id, "before")
            if (
                self.options.state is None  # chosen from a list that marked it already
                and state is not None
                and state in self.practice.avoid_when
                and not self.prompter.confirm(
                    AVOID_QUESTION.format(state=state.replace("_", " ")), default=False
                )
            ):
                return Outcome("stopped", "user", self.before, suggest=SUGGESTION)
        except StopRequested:
            return Outcome("stopped", "user", self.before)
        return None

    def _after(self) -> int | None:
        """The after rating (None when skipped or the person stops instead), its follow-ups."""
        answer = self._rate(AFTER_QUESTION, "after")
        if answer is None:
            return None
        distress, checkin_id = answer
        # A high rating gets the stop screen at once (the caller's), not more questions;
        # s or Esc at a follow-up ends the questions: the practice itself is complete.
        if distress is None or distress < self.options.stop_at:
            with contextlib.suppress(StopRequested):
                self._follow_ups(checkin_id, "after")
        return distress

    def _rate(self, question: str, phase: CheckinPhase) -> tuple[int | None, str] | None:
        """Ask for the rating and record it at once: (rating, check-in id); None to stop.

        A skipped rating (Enter alone) is recorded as a check-in with no rating: (None, id).
        """
        try:
            distress = self.prompter.distress(question, self.options.anchors)
        except StopRequested:
            return None
        if distress is None:
            return None
        rating = None if distress == SKIPPED else distress
        return rating, self.recorder.checkin(phase, rating)

    def _follow_ups(self, checkin_id: str, phase: CheckinPhase) -> str | None:
        """The optional questions after a rating, each recorded as it is answered; the state."""
        known = self.options.state if phase == "before" else None
        if known is not None:
            self.recorder.update(checkin_id, state=known)
        if not self.options.full_checkin:
            return known
        answers = ask_follow_ups(
            self.prompter,
            functools.partial(self.recorder.update, checkin_id),
            FollowUps(state=known),
            AFTER if phase == "after" else DURING,
        )
        return answers.state

    def _steps(self) -> Outcome | None:
        self.base = self.clock.monotonic()
        for index, item in enumerate(self.plan.items):
            if isinstance(item, Segment):
                if self._segment(index, item) == "stop":
                    return Outcome("stopped", "user", self.before)
                continue
            self.view.suspend()
            try:
                stopped = self._ask(item)
            except StopRequested:
                return Outcome("stopped", "user", self.before)
            if stopped is not None:
                return stopped
            # A question takes no practice time: the timeline resumes where it was.
            self.base = self.clock.monotonic() - item.at
        return None

    def _ask(self, item: Ask) -> Outcome | None:
        if item.labels:
            noticed = self.prompter.choose(item.question, item.labels)
            if noticed:
                self.recorder.checkin("track", area=item.area, noticed=noticed)
            return None
        answer = self._rate(item.question, "mid")
        if answer is None:
            return Outcome("stopped", "user", self.before)
        distress, checkin_id = answer
        if distress is not None and distress >= self.options.stop_at:
            return Outcome("stopped", "overwhelm", self.before)
        if (
            distress is not None
            and self.before is not None
            # A rise that matters: 3 or more, to at least rising_from. A smaller one is
            # in the log and the practice goes on.
            and distress >= self.before + RISING
            and distress >= self.options.rising_from
            and not self.prompter.confirm(RISING_QUESTION, default=False)
        ):
            return Outcome("stopped", "rising", self.before)
        self._follow_ups(checkin_id, "mid")
        return None

    def _now(self) -> float:
        """Practice time: seconds since the start, pauses and questions left out."""
        return self.clock.monotonic() - self.base

    def _segment(self, index: int, seg: Segment) -> Literal["stop"] | None:
        self._show(index, seg, self._now(), onset=True)
        while True:
            t = self._now()
            if t >= seg.end:
                return None
            target = self._next_change(seg, t)
            key = self.keys.read(max(0.0, self.base + target - self.clock.monotonic()))
            if key == "stop":
                return "stop"
            if key == "suspended":
                # Stopped (Ctrl-Z) and back: the time away does not count, and the person
                # comes back to a pause, to go on when ready.
                self.base += max(0.0, self._now() - target)
                key = "pause"
            if key == "pause":
                if self._pause(index, seg) == "stop":
                    return "stop"
                continue
            late = self._now() - target
            if late > LATE:
                # The process was stopped (Ctrl-Z, a sleeping laptop): go on from where
                # it was instead of racing through what it missed.
                self.base += late
            t = self._now()
            if t < seg.end and (t >= target or key == "resize"):
                self._show(index, seg, t)

    def _pause(self, index: int, seg: Segment) -> Literal["stop"] | None:
        paused_at = self.clock.monotonic()
        t = paused_at - self.base
        self._show(index, seg, t, paused=True)
        while True:
            key = self.keys.read(PAUSE_WAIT)
            if key == "stop":
                return "stop"
            if key == "pause":
                break
            if key in ("resize", "suspended"):  # back from Ctrl-Z: draw it all again
                self._show(index, seg, t, paused=True)
        # The phase keeps its remaining time: the whole timeline moves by the pause.
        self.base += self.clock.monotonic() - paused_at
        self._show(index, seg, t)
        return None

    def _next_change(self, seg: Segment, t: float) -> float:
        """The next practice time at which something visible changes (at most seg.end)."""
        times = [seg.end, _tick(t, seg.end), _tick(t, seg.step_end),
                 _tick(t, self.plan.total + seg.lead)]
        if seg.phase in ("inhale", "top_up", "exhale"):
            cells = self.view.bar_cells()
            if cells > 0:
                j = math.floor((t - seg.start) / seg.length * cells + _EPS) + 1
                times.append(seg.start + seg.length * j / cells)
        return min(x for x in times if x > t)  # seg.end > t: the caller checked

    def _show(
        self, index: int, seg: Segment, t: float, *, onset: bool = False, paused: bool = False
    ) -> None:
        t = min(max(t, seg.start), seg.end)
        self.view.show(
            Frame(
                title=self.plan.title,
                step=seg.step + 1,
                steps=self.plan.steps,
                segment=index,
                kind=seg.kind,
                text=seg.text,
                count=seg.count,
                phase=seg.phase,
                area=seg.area,
                length=seg.length,
                left=seg.end - t,
                step_left=seg.step_end - t,
                practice_left=self.plan.practice_left(seg, t),
                bar=_bar(seg, t),
                paused=paused,
                onset=onset,
            )
        )


def _tick(t: float, end: float) -> float:
    """The next time after t at which a whole-second countdown to `end` changes."""
    k = math.ceil(end - t) - 1
    return end - k if k > 0 else end


def _bar(seg: Segment, t: float) -> float | None:
    """How full the breathing bar is: fills on the inhale, full on the hold, empties out."""
    if seg.phase is None:
        return None
    done = min(1.0, max(0.0, (t - seg.start) / seg.length))
    return {"inhale": done, "top_up": 1.0, "hold": 1.0, "exhale": 1.0 - done,
            "hold_out": 0.0}[seg.phase]
