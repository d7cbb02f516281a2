"""The stop rules on a fake clock (issue 13): a rating alone by default, a skipped rating,
the rising rule that asks only about a rise that matters, and settle's closing rating."""

from __future__ import annotations

import pytest

from quietwork.run.ports import SKIPPED
from quietwork.run.runner import AFTER_QUESTION, RISING_QUESTION, Outcome
from test_session import MID, run

from conftest import Rating


def test_by_default_a_checkin_is_the_rating_alone() -> None:
    r = run(MID, checkins=True, full_checkin=False,
            ratings=[Rating(4, "activated"), Rating(3, "settled"), 2])
    assert r.prompter.questions() == ["distress", "distress", "distress"]
    assert r.recorder.updates == []
    assert r.outcome == Outcome("completed", before=4, after=2)


def test_the_after_question_says_the_practice_has_ended() -> None:
    r = run(MID, checkins=True, ratings=[4, 3, 2])
    assert r.prompter.asked[-1 - 4] == ("distress", AFTER_QUESTION)  # then its follow-ups


def test_a_skipped_rating_is_recorded_without_a_number_and_the_practice_goes_on() -> None:
    r = run(MID, checkins=True, full_checkin=False, ratings=[SKIPPED, SKIPPED, SKIPPED])
    assert [c[:2] for c in r.recorder.calls] == [("before", None), ("mid", None), ("after", None)]
    assert any(f.kind == "breathe" for _, f in r.view.frames)
    assert r.outcome == Outcome("completed", before=None, after=None)


def test_a_skipped_before_rating_has_nothing_to_rise_from() -> None:
    r = run(MID, checkins=True, full_checkin=False, ratings=[SKIPPED, 7, 3])
    assert "confirm" not in r.prompter.questions()
    assert r.outcome.status == "completed"


@pytest.mark.parametrize(
    ("before", "mid", "asks"),
    [
        (1, 4, False),  # +3, but calm: goes on quietly
        (2, 4, False),
        (3, 7, True),
        (2, 5, True),  # +3 to rising_from itself
        (4, 6, False),  # high enough, but only +2
        (0, 4, False),
    ],
)
def test_the_rising_rule_asks_only_about_a_rise_that_matters(
    before: int, mid: int, asks: bool
) -> None:
    r = run(MID, checkins=True, full_checkin=False, ratings=[before, mid, 2])
    assert (("confirm", (RISING_QUESTION, False)) in r.prompter.asked) is asks
    assert [c[:2] for c in r.recorder.calls][:2] == [("before", before), ("mid", mid)]
    if asks:
        assert r.outcome == Outcome("stopped", "rising", before=before)
    else:
        assert r.outcome == Outcome("completed", before=before, after=2)


def test_rising_from_comes_from_the_options() -> None:
    r = run(MID, checkins=True, full_checkin=False, ratings=[1, 4], rising_from=4)
    assert r.outcome == Outcome("stopped", "rising", before=1)


def test_a_closing_rating_is_asked_after_a_completed_run() -> None:
    r = run(MID, checkins=False, closing_rating=True, full_checkin=False, ratings=[3, 2])
    assert r.prompter.asked[-1] == ("distress", AFTER_QUESTION)
    assert r.outcome == Outcome("completed", after=2)
    assert [c[:2] for c in r.recorder.calls] == [("mid", 3), ("after", 2)]


def test_a_closing_rating_is_asked_after_a_stopped_run_too() -> None:
    r = run(MID, checkins=False, closing_rating=True, full_checkin=False, keys=[(0.1, "stop")],
            ratings=[SKIPPED])
    assert r.outcome == Outcome("stopped", "user", after=None)
    assert [c[:2] for c in r.recorder.calls] == [("after", None)]


def test_the_settle_after_a_stop_is_planned_at_normal_pace_whatever_the_practice_speed() -> None:
    from quietwork.catalog import discover, load_settle
    from quietwork.run.runner import RunOptions
    from quietwork.run.session import Setup, settle_options
    from quietwork.run.terminal import Wiring
    from quietwork.run.timeline import plan

    practice_options = RunOptions(speed=20, stop_at=6, checkins=True, full_checkin=True,
                                  minutes=3, state="activated")
    from quietwork.run.spoken import narrator
    from quietwork.support import NO_PLAN

    setup = Setup(store=None, catalog=discover(()), options=practice_options,  # type: ignore[arg-type]
                  wiring=Wiring(terminal=False), prompter=None, support=NO_PLAN,  # type: ignore[arg-type]
                  narrator=narrator(None))
    options = settle_options(setup)
    assert (options.speed, options.minutes, options.checkins, options.closing_rating) == (
        1.0, None, False, True)
    assert options.stop_at == 6 and not options.full_checkin and options.state is None
    settle, _ = load_settle(setup.catalog)
    assert 55 <= plan(settle, speed=options.speed).total <= 65  # "a minute of settling"
    fast = settle_options(Setup(setup.store, setup.catalog, practice_options, setup.wiring,
                                setup.prompter, NO_PLAN, setup.narrator, settle_speed=50))
    assert fast.speed == 50  # QUIETWORK_SPEED's pace, passed in by the practice command
