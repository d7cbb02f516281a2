"""The runner on a fake clock: the schedule, pause, speed, --minutes and the stop rules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest

from quietwork.practice import Practice
from quietwork.run.ports import SKIPPED, Skipped, StopRequested
from quietwork.run.runner import (
    AVOID_QUESTION,
    RISING_QUESTION,
    Outcome,
    RunOptions,
    run_practice,
)
from quietwork.run.timeline import LEAD_IN, LEAD_IN_TEXT, Frame, breath_counts, plan
from quietwork.schema import validate

from conftest import Rating

NS = 1_000_000_000


class FakeClock:
    """Whole nanoseconds, like time.monotonic_ns: no rounding surprises in the sums."""

    def __init__(self) -> None:
        self.ns = 0

    def monotonic(self) -> float:
        return self.ns / NS

    def now(self) -> datetime:
        return datetime(2026, 11, 22, tzinfo=UTC)

    def advance(self, seconds: float) -> None:
        self.ns += round(seconds * NS)


class FakeKeys:
    """Keys scripted at fake times; read() moves the clock instead of sleeping.

    `late` makes every timed-out wait overshoot, as a loaded machine would.
    """

    def __init__(
        self, clock: FakeClock, script: Sequence[tuple[float, str]] = (), late: float = 0.0
    ) -> None:
        self.clock = clock
        self.script = [(round(at * NS), key) for at, key in script]
        self.late = round(late * NS)
        self.reads = 0

    def read(self, timeout: float) -> str | None:
        self.reads += 1
        until = self.clock.ns + max(1, round(timeout * NS))
        if self.script and self.script[0][0] <= until:
            at, key = self.script.pop(0)
            self.clock.ns = max(self.clock.ns, at)
            return key
        self.clock.ns = until + self.late
        return None


@dataclass
class FakeView:
    clock: FakeClock
    cells: int = 0
    frames: list[tuple[float, Frame]] = field(default_factory=list)
    ended: list[float] = field(default_factory=list)
    suspended: list[float] = field(default_factory=list)

    def bar_cells(self) -> int:
        return self.cells

    def show(self, frame: Frame) -> None:
        self.frames.append((self.clock.monotonic(), frame))

    def suspend(self) -> None:
        self.suspended.append(self.clock.monotonic())

    def end(self) -> None:
        self.ended.append(self.clock.monotonic())

    def onsets(self) -> list[tuple[float, str]]:
        """When each segment began, with its phase word or text (lead-ins left out)."""
        return [(t, f.phase or f.area or f.text) for t, f in self.frames
                if f.onset and f.kind != "lead_in"]

    def lead_ins(self) -> list[float]:
        """When each lead-in ("Get ready… 3 2 1") began."""
        return [t for t, f in self.frames if f.onset and f.kind == "lead_in"]


class FakePrompter:
    """Scripted answers; each question takes `think` seconds of fake time.

    A rating (int or Rating) answers `distress`, and its fields answer the follow-ups
    that come after it. `raises` maps a question ("distress", "state", "body", "noticed",
    "note", "choose", "confirm"; "state@2" for its second time) to an exception to raise.
    """

    def __init__(
        self,
        clock: FakeClock,
        ratings: Sequence[int | Rating | Skipped | None] = (),
        confirms: Sequence[bool] = (),
        choices: Sequence[tuple[str, ...]] = (),
        think: float = 0.0,
        raises: Mapping[str, BaseException] | None = None,
        journal: list[tuple[Any, ...]] | None = None,
    ) -> None:
        self.clock = clock
        self.ratings = list(ratings)
        self.confirms = list(confirms)
        self.choices = list(choices)
        self.think = think
        self.raises = dict(raises or {})
        self.asked: list[tuple[str, Any]] = []
        self.journal = [] if journal is None else journal
        self.current = Rating(0)

    def _asked(self, kind: str, detail: Any) -> None:
        self.asked.append((kind, detail))
        self.journal.append(("ask", kind))
        self.clock.advance(self.think)
        nth = f"{kind}@{self.questions().count(kind)}"  # "state@2": the second time
        for key in (kind, nth):
            if key in self.raises:
                raise self.raises.pop(key)

    def distress(self, question: str, anchors: Mapping[int, str]) -> int | Skipped | None:
        self._asked("distress", question)
        answer = self.ratings.pop(0)
        if answer is None or answer == SKIPPED:
            self.current = Rating(0)  # no follow-up answers either
            return answer
        self.current = Rating(answer) if isinstance(answer, int) else answer
        return self.current.distress

    def state(self) -> str | None:
        self._asked("state", None)
        return self.current.state

    def body(self) -> tuple[str, ...]:
        self._asked("body", None)
        return self.current.body

    def noticed(self) -> tuple[str, ...]:
        self._asked("noticed", None)
        return self.current.noticed

    def note(self) -> str | None:
        self._asked("note", None)
        return self.current.note

    def choose(self, question: str, options: Sequence[str]) -> tuple[str, ...]:
        self._asked("choose", question)
        return self.choices.pop(0) if self.choices else ()

    def confirm(self, question: str, *, default: bool) -> bool:
        self._asked("confirm", (question, default))
        return self.confirms.pop(0) if self.confirms else default

    def questions(self) -> list[str]:
        """The kinds of question asked, in order."""
        return [kind for kind, _ in self.asked]


@dataclass
class FakeRecorder:
    calls: list[tuple[str, int | None, str | None, tuple[str, ...]]] = field(default_factory=list)
    updates: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    journal: list[tuple[Any, ...]] = field(default_factory=list)

    def checkin(
        self,
        phase: str,
        distress: int | None = None,
        *,
        area: str | None = None,
        noticed: Sequence[str] = (),
    ) -> str:
        self.calls.append((phase, distress, area, tuple(noticed)))
        self.journal.append(("record", phase, distress))
        return f"c{len(self.calls)}"

    def update(self, checkin_id: str, **fields: Any) -> None:
        given = {name: value for name, value in fields.items() if value is not None}
        self.updates.append((checkin_id, given))
        self.journal.append(("update", checkin_id, *sorted(given)))


def practice(*steps: dict[str, Any], **fields: Any) -> Practice:
    return validate({"title": "Test", "summary": "A test.", "steps": list(steps),
                                    **fields})


def breathe(**pattern: Any) -> dict[str, Any]:
    return {"breathe": pattern}


@dataclass
class Run:
    clock: FakeClock
    keys: FakeKeys
    view: FakeView
    prompter: FakePrompter
    recorder: FakeRecorder
    outcome: Outcome
    journal: list[tuple[Any, ...]]


def run(
    p: Practice,
    *,
    keys: Sequence[tuple[float, str]] = (),
    ratings: Sequence[int | Rating | Skipped | None] = (),
    confirms: Sequence[bool] = (),
    choices: Sequence[tuple[str, ...]] = (),
    think: float = 0.0,
    cells: int = 0,
    late: float = 0.0,
    raises: Mapping[str, BaseException] | None = None,
    **options: Any,
) -> Run:
    clock = FakeClock()
    fake_keys = FakeKeys(clock, keys, late)
    view = FakeView(clock, cells)
    journal: list[tuple[Any, ...]] = []
    prompter = FakePrompter(clock, ratings, confirms, choices, think, raises, journal)
    recorder = FakeRecorder(journal=journal)
    options.setdefault("checkins", False)
    # Most tests here follow the follow-up questions too (config checkin = "full"); the
    # default, a rating alone, has tests of its own.
    options.setdefault("full_checkin", True)
    outcome = run_practice(
        p, clock=clock, keys=fake_keys, view=view, prompter=prompter, recorder=recorder,
        options=RunOptions(**options),
    )
    return Run(clock, fake_keys, view, prompter, recorder, outcome, journal)


EXHALE3 = practice(breathe(inhale=4, exhale=6, breaths=3))


def test_phase_onsets_follow_the_schedule_exactly() -> None:
    # A 3 s lead-in comes before the first breath; the breaths keep all their time.
    r = run(EXHALE3)
    assert r.view.lead_ins() == [0.0] and r.view.frames[0][1].text == LEAD_IN_TEXT
    assert r.view.onsets() == [
        (3.0, "inhale"), (7.0, "exhale"), (13.0, "inhale"), (17.0, "exhale"),
        (23.0, "inhale"), (27.0, "exhale"),
    ]
    assert r.view.ended[0] == 33.0
    assert r.outcome == Outcome("completed")


def test_speed_two_halves_every_phase() -> None:
    r = run(EXHALE3, speed=2)
    assert [t for t, _ in r.view.onsets()] == [1.5, 3.5, 6.5, 8.5, 11.5, 13.5]
    assert r.view.ended[0] == 16.5
    assert r.view.frames[0][1].length == 1.5  # the lead-in too
    assert r.view.frames[-1][1].length == 3.0


def test_pause_keeps_the_rest_of_the_phase() -> None:
    # Paused 1 s into the first exhale for 3 s: 5 s of it are left afterwards.
    r = run(EXHALE3, keys=[(8, "pause"), (11, "pause")])
    assert [t for t, _ in r.view.onsets()] == [3, 7, 16, 20, 26, 30]
    assert r.view.ended[0] == 36.0
    paused = [(t, f) for t, f in r.view.frames if f.paused]
    assert [(t, f.phase, f.left) for t, f in paused] == [(8.0, "exhale", 5.0)]
    resumed = next((t, f) for t, f in r.view.frames if t == 11.0 and not f.paused)
    assert resumed[1].left == 5.0 and resumed[1].practice_left == 25.0


def test_the_stop_key_stops_at_once() -> None:
    r = run(EXHALE3, keys=[(7.25, "stop")], checkins=True, ratings=[4])
    assert r.outcome == Outcome("stopped", "user", before=4)
    assert r.view.ended == [7.25]
    assert r.prompter.questions() == ["distress", "state", "body"]  # no after check-in


def test_stop_while_paused() -> None:
    r = run(EXHALE3, keys=[(1, "pause"), (100, "stop")])
    assert r.outcome.stop_reason == "user"
    assert r.clock.monotonic() == 100.0


def test_minutes_scales_breathing_to_whole_breaths() -> None:
    p = practice({"say": "Hello.", "seconds": 5}, breathe(inhale=4, exhale=6, breaths=12))
    assert breath_counts(p) == {1: 12}
    assert breath_counts(p, minutes=5) == {1: 30}
    assert breath_counts(p, minutes=0.1) == {1: 1}  # never fewer than one breath
    timeline = plan(p, minutes=5)
    assert timeline.total == 5 + 300
    assert timeline.segments()[-1].phase == "exhale"


def test_minutes_ends_on_an_exhale_without_the_last_hold() -> None:
    box = practice(breathe(inhale=4, hold=4, exhale=4, hold_out=4, breaths=4))
    assert breath_counts(box, minutes=2) == {0: 8}  # 8 * 16 - 4 = 124 s, about 2 min
    timeline = plan(box, minutes=2)
    assert timeline.total == 124
    assert [s.phase for s in timeline.segments()[-4:]] == ["hold_out", "inhale", "hold", "exhale"]


def test_minutes_shares_time_between_breathing_steps() -> None:
    p = practice(breathe(inhale=4, exhale=6, breaths=6), breathe(inhale=5, exhale=5, breaths=18))
    counts = breath_counts(p, minutes=4)  # 60 s + 180 s now, 240 s wanted: unchanged
    assert counts == {0: 6, 1: 18}
    counts = breath_counts(p, minutes=8)
    assert counts == {0: 12, 1: 36}


def test_before_at_the_threshold_never_starts() -> None:
    r = run(EXHALE3, checkins=True, ratings=[8])
    assert r.outcome == Outcome("stopped", "overwhelm", before=8)
    assert r.view.frames == []
    assert r.recorder.calls == [("before", 8, None, ())]


def test_s_at_the_before_checkin_stops() -> None:
    r = run(EXHALE3, checkins=True, ratings=[None])
    assert r.outcome == Outcome("stopped", "user")
    assert r.view.frames == [] and r.recorder.calls == []


MID = practice({"say": "Look around.", "seconds": 4}, {"checkin": "How is it now?"},
               breathe(inhale=4, exhale=6, breaths=1))


def test_mid_at_the_threshold_stops() -> None:
    r = run(MID, checkins=True, ratings=[3, 9], stop_at=9)
    assert r.outcome == Outcome("stopped", "overwhelm", before=3)
    assert [c[:2] for c in r.recorder.calls] == [("before", 3), ("mid", 9)]
    assert not any(f.kind == "breathe" for _, f in r.view.frames)


def test_rising_by_three_asks_and_stops_by_default() -> None:
    r = run(MID, checkins=True, ratings=[2, 5])
    assert ("confirm", (RISING_QUESTION, False)) in r.prompter.asked
    assert r.outcome == Outcome("stopped", "rising", before=2)


def test_rising_by_three_can_go_on() -> None:
    r = run(MID, checkins=True, ratings=[2, 5, 3], confirms=[True])
    assert r.outcome == Outcome("completed", before=2, after=3)


def test_rising_by_two_does_not_ask() -> None:
    r = run(MID, checkins=True, ratings=[2, 4, 3])
    assert not any(kind == "confirm" for kind, _ in r.prompter.asked)
    assert r.outcome.status == "completed"


def test_mid_checkins_run_without_before_and_after() -> None:
    r = run(MID, checkins=False, ratings=[7])
    assert r.prompter.asked == [("distress", "How is it now?"), ("state", None), ("body", None)]
    assert r.outcome == Outcome("completed")  # no before rating: nothing to rise from


def test_s_at_a_mid_checkin_stops() -> None:
    r = run(MID, checkins=True, ratings=[3, None])
    assert r.outcome == Outcome("stopped", "user", before=3)


def test_a_question_takes_no_practice_time() -> None:
    # Each answer takes 7 s (a check-in asks three questions: the rating, which way it
    # leans, the body); the breathing after the mid check-in starts from where it was.
    r = run(MID, checkins=True, ratings=[3, 3, 3], think=7)
    onsets = r.view.onsets()
    assert onsets[0][0] == 21.0  # after the before check-in
    assert r.view.lead_ins() == [46.0]  # 21 + 4 s prompt + 21 s of questions
    assert [t for t, _ in onsets[1:]] == [49.0, 53.0]
    assert r.view.suspended == [25.0]


def test_every_answer_is_recorded_at_once_in_order() -> None:
    p = practice(
        {"track": {"areas": ["jaw", "hands"], "seconds": 5, "ask": ["tight", "warm"]}},
        {"checkin": None},
    )
    r = run(p, checkins=True, ratings=[4, 3, 2], choices=[("tight",), ()])
    assert r.recorder.calls == [
        ("before", 4, None, ()),
        ("track", None, "jaw", ("tight",)),  # a skipped area records nothing
        ("mid", 3, None, ()),
        ("after", 2, None, ()),
    ]
    assert ("choose", "jaw: what's there?") in r.prompter.asked
    assert r.outcome == Outcome("completed", before=4, after=2)


def test_a_rating_is_recorded_before_any_follow_up_and_each_answer_as_given() -> None:
    r = run(MID, checkins=True, ratings=[
        Rating(5, "activated", ("jaw",)), 4, Rating(3, "settled", (), ("sigh",), "ok"),
    ])
    assert r.journal == [
        ("ask", "distress"), ("record", "before", 5),
        ("ask", "state"), ("update", "c1", "state"),
        ("ask", "body"), ("update", "c1", "body"),
        ("ask", "distress"), ("record", "mid", 4),
        ("ask", "state"), ("ask", "body"),  # skipped answers write nothing
        ("ask", "distress"), ("record", "after", 3),
        ("ask", "state"), ("update", "c3", "state"),
        ("ask", "body"),
        ("ask", "noticed"), ("update", "c3", "noticed"),
        ("ask", "note"), ("update", "c3", "note"),
    ]
    assert r.recorder.updates == [
        ("c1", {"state": "activated"}), ("c1", {"body": ("jaw",)}),
        ("c3", {"state": "settled"}), ("c3", {"noticed": ("sigh",)}), ("c3", {"note": "ok"}),
    ]


@pytest.mark.parametrize("question", ["state", "body"])
def test_ctrl_c_at_a_follow_up_keeps_the_rating(question: str) -> None:
    clock = FakeClock()
    recorder = FakeRecorder()
    prompter = FakePrompter(clock, [Rating(6, "activated")],
                            raises={question: KeyboardInterrupt()})
    with pytest.raises(KeyboardInterrupt):
        run_practice(MID, clock=clock, keys=FakeKeys(clock), view=FakeView(clock),
                     prompter=prompter, recorder=recorder,
                     options=RunOptions(full_checkin=True))
    assert recorder.calls == [("before", 6, None, ())]
    assert recorder.updates == ([] if question == "state" else [("c1", {"state": "activated"})])


@pytest.mark.parametrize("phase", ["before", "mid"])
def test_a_rating_at_the_threshold_asks_no_follow_up(phase: str) -> None:
    ratings = [Rating(8, "activated", ("jaw",))] if phase == "before" else [
        3, Rating(8, "activated", ("jaw",))]
    r = run(MID, checkins=True, ratings=ratings)
    assert r.outcome.status == "stopped" and r.outcome.stop_reason == "overwhelm"
    assert r.prompter.questions()[-1] == "distress"  # straight to the stop
    assert r.recorder.calls[-1][:2] == (phase, 8)
    assert not any(checkin == f"c{len(r.recorder.calls)}" for checkin, _ in r.recorder.updates)


def test_an_after_rating_at_the_threshold_asks_no_follow_up() -> None:
    r = run(MID, checkins=True, ratings=[3, 3, Rating(9, "activated", (), ("tears",), "x")])
    assert r.outcome == Outcome("completed", before=3, after=9)
    assert r.prompter.questions()[-1] == "distress"
    assert r.recorder.calls[-1] == ("after", 9, None, ())


def test_rising_asks_go_on_right_after_the_rating() -> None:
    r = run(MID, checkins=True, ratings=[2, Rating(5, "activated"), 3], confirms=[True])
    assert r.prompter.questions() == [
        "distress", "state", "body",  # before
        "distress", "confirm", "state", "body",  # mid: go on? first, then the follow-ups
        "distress", "state", "body", "noticed", "note",  # after
    ]
    assert r.outcome == Outcome("completed", before=2, after=3)
    stopped = run(MID, checkins=True, ratings=[2, Rating(5, "activated")])
    assert stopped.prompter.questions()[3:] == ["distress", "confirm"]
    assert stopped.outcome == Outcome("stopped", "rising", before=2)


TRACKED = practice(
    {"say": "Look around.", "seconds": 1},
    {"track": {"areas": ["jaw"], "seconds": 1, "ask": ["tight", "warm"]}},
    {"checkin": "How is it now?"},
)


@pytest.mark.parametrize(
    ("question", "ratings", "kept"),
    [
        ("distress", [], []),  # Esc at the 0-10 prompt
        ("state", [4], [("before", 4)]),
        ("body", [4], [("before", 4)]),
        ("choose", [4], [("before", 4)]),  # the track step's "what's there?"
        ("confirm", [3, 7], [("before", 3), ("mid", 7)]),  # go on? after a rise
    ],
)
def test_s_or_esc_at_any_question_stops_and_keeps_what_was_answered(
    question: str, ratings: list[int], kept: list[tuple[str, int]]
) -> None:
    r = run(TRACKED, checkins=True, ratings=ratings, raises={question: StopRequested()})
    assert (r.outcome.status, r.outcome.stop_reason) == ("stopped", "user")
    assert r.outcome.suggest is None
    assert [c[:2] for c in r.recorder.calls] == kept
    assert r.prompter.questions()[-1] == question  # nothing asked after the stop


def test_s_at_the_avoid_question_stops() -> None:
    p = practice(breathe(inhale=4, exhale=6, breaths=1), avoid_when=["shut_down"])
    r = run(p, checkins=True, ratings=[Rating(4, state="shut_down")],
            raises={"confirm": StopRequested()})
    assert r.outcome == Outcome("stopped", "user", before=4)
    assert r.view.frames == []


@pytest.mark.parametrize("question", ["state@2", "body@2", "noticed", "note"])
def test_s_at_an_after_follow_up_ends_the_questions_and_keeps_the_rating(question: str) -> None:
    r = run(EXHALE3, checkins=True, ratings=[5, Rating(3, "settled", (), ("sigh",), "ok")],
            raises={question: StopRequested()})
    assert r.outcome == Outcome("completed", before=5, after=3)
    assert r.prompter.questions()[-1] == question.split("@")[0]
    assert r.recorder.calls[-1] == ("after", 3, None, ())


def test_avoid_when_asks_and_suggests_ground() -> None:
    p = practice(breathe(inhale=4, exhale=6, breaths=1), avoid_when=["shut_down"])
    r = run(p, checkins=True, ratings=[Rating(4, state="shut_down")])
    question = AVOID_QUESTION.format(state="shut down")
    assert r.prompter.asked[1:] == [("state", None), ("body", None), ("confirm", (question, False))]
    assert r.outcome == Outcome("stopped", "user", before=4, suggest="ground")
    assert r.view.frames == []


def test_frames_say_what_the_person_sees() -> None:
    p = practice(
        {"say": "Name something you can see.", "seconds": 6, "repeat": 3},
        {"track": {"areas": ["jaw", "chest"], "seconds": 4}},
    )
    r = run(p)
    onsets = [f for _, f in r.view.frames if f.onset]
    assert [(f.step, f.steps, f.count) for f in onsets] == [
        (1, 2, (1, 3)), (1, 2, (2, 3)), (1, 2, (3, 3)), (2, 2, (1, 2)), (2, 2, (2, 2)),
    ]
    assert onsets[3].area == "jaw"
    assert onsets[3].text == "Bring attention to your jaw. What's there?"
    first = onsets[0]
    assert (first.left, first.step_left, first.practice_left) == (6, 18, 26)


def test_countdowns_tick_once_a_second_and_the_bar_once_a_cell() -> None:
    r = run(practice(breathe(inhale=4, exhale=6, breaths=1)), cells=8)
    inhale = [(t, f.bar) for t, f in r.view.frames if f.phase == "inhale"]
    assert [t for t, _ in inhale] == [3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5]
    assert [b for _, b in inhale] == [i / 8 for i in range(8)]
    exhale = [(t, f.bar) for t, f in r.view.frames if f.phase == "exhale"]
    assert exhale[0] == (7.0, 1.0) and exhale[-1][1] == pytest.approx(1 / 8)
    lead_in = [t for t, f in r.view.frames if f.kind == "lead_in"]
    assert lead_in == [0, 1, 2]  # "3", "3 2", "3 2 1"
    # No frame without a visible change: 8 cells a phase plus whole seconds (some shared).
    assert len(r.view.frames) <= 3 + 8 + 8 + 10


def test_thirty_seconds_of_breathing_wakes_up_rarely() -> None:
    r = run(EXHALE3, cells=40)
    assert r.keys.reads < 300  # tens of frames a phase, never a busy loop


def test_no_drift_over_twenty_minutes() -> None:
    # Odd phase lengths and every wake-up 4 ms late: onsets never accumulate the lateness.
    p = practice(breathe(inhale=4.3, hold=1.1, exhale=6.7, minutes=20))
    n = p.steps[0].breathe.count()  # type: ignore[union-attr]
    cycle = 4.3 + 1.1 + 6.7
    expected = [LEAD_IN + k * cycle + off for k in range(n) for off in (0, 4.3, 5.4)]
    r = run(p, cells=30, late=0.004)
    onsets = [t for t, _ in r.view.onsets()]
    assert len(onsets) == len(expected)
    assert all(0 <= got - want <= 0.004 + 1e-6 for got, want in zip(onsets, expected, strict=True))
    assert r.view.ended[0] - (LEAD_IN + n * cycle) <= 0.004 + 1e-6
    exact = run(p, cells=30)
    assert [t for t, _ in exact.view.onsets()] == pytest.approx(expected, abs=1e-6)


def test_a_stopped_process_resumes_where_it_was() -> None:
    # Woken 60 s late (Ctrl-Z, a sleeping laptop): the phase goes on, nothing is skipped.
    r = run(EXHALE3, late=0)
    assert len(r.view.onsets()) == 6
    clock = FakeClock()

    class Suspended(FakeKeys):
        def read(self, timeout: float) -> str | None:
            key = super().read(timeout)
            if 5 * NS <= self.clock.ns < 6 * NS:
                self.clock.ns += 60 * NS
            return key

    view = FakeView(clock)
    run_practice(
        EXHALE3, clock=clock, keys=Suspended(clock), view=view,
        prompter=FakePrompter(clock), recorder=FakeRecorder(), options=RunOptions(checkins=False),
    )
    assert [p for _, p in view.onsets()] == [p for _, p in r.view.onsets()]
    assert view.ended[0] == pytest.approx(93.0, abs=1.0)


def test_a_lean_already_told_is_recorded_not_asked_again() -> None:
    p = practice(breathe(inhale=4, exhale=6, breaths=1), avoid_when=["shut_down"])
    r = run(p, checkins=True, ratings=[4, 3], state="shut_down")
    before_questions = r.prompter.questions()[:2]
    assert before_questions == ["distress", "body"]  # no state, no "go on anyway?"
    assert r.recorder.updates[0] == ("c1", {"state": "shut_down"})
    assert r.outcome.status == "completed"


def test_settle_starts_even_after_a_high_before_rating() -> None:
    r = run(EXHALE3, checkins=True, ratings=[9, 6], high_before_stops=False)
    assert r.outcome == Outcome("completed", None, before=9, after=6)
    assert r.view.onsets()  # the breathing ran
    assert r.prompter.questions()[:2] == ["distress", "distress"]  # no follow-ups after a 9


def test_back_from_ctrl_z_is_a_pause_and_the_time_away_does_not_count() -> None:
    clock = FakeClock()

    class Stopped(FakeKeys):
        def read(self, timeout: float) -> str | None:
            key = super().read(timeout)
            if key == "suspended":  # stopped at 5 s for 60 s, then `fg`
                self.clock.ns += 60 * NS
            return key

    view = FakeView(clock)
    outcome = run_practice(
        EXHALE3, clock=clock,
        keys=Stopped(clock, [(LEAD_IN + 5, "suspended"), (LEAD_IN + 70, "pause")]),
        view=view, prompter=FakePrompter(clock), recorder=FakeRecorder(),
        options=RunOptions(checkins=False),
    )
    assert outcome == Outcome("completed")
    paused = [(t, f.phase, f.left) for t, f in view.frames if f.paused]
    # Back paused where it left the exhale; the 60 s away are not practice time (the
    # lead-in before the first breath is not practice time either).
    assert paused == [(LEAD_IN + 65.0, "exhale", 5.0)]
    assert [t - LEAD_IN for t, _ in view.onsets()] == [0, 4, 75, 79, 85, 89]
    assert view.ended[0] == LEAD_IN + 95.0
