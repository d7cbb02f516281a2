"""stats counts every session: the change from the before rating to the last rating it got."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from histories import CLI, bring_in, hours_ago, session, words
from quietwork import tally


def test_the_last_rating_is_the_after_rating_or_the_one_that_stopped_it() -> None:
    assert tally.ratings([("before", 6), ("after", 5), ("after", 2)]) == (6, 2, "after")
    assert tally.ratings([("before", 4), ("mid", 9)]) == (4, 9, "mid")
    assert tally.ratings([("before", 7), ("before", 2), ("mid", 9), ("after", 5)]).change == -2
    assert tally.ratings([("before", 9)]) == (9, None, None)
    assert tally.ratings([("before", 9)]).final == 9  # a before rating that stopped it
    assert tally.ratings([("track", None), ("before", None), ("after", 3)]).change is None


def test_log_and_stats_agree_on_a_session_with_two_after_ratings(cli: CLI, tmp_path: Path) -> None:
    bring_in(cli, tmp_path, [
        session("ground", hours_ago(2), [("before", 6), ("after", 5), ("after", 2)])])
    (row,) = json.loads(cli("stats", "--json").stdout)["practices"]
    assert (row["mean_before"], row["mean_after"], row["mean_change"]) == (6.0, 2.0, -4.0)
    table = cli("log").stdout
    assert "6 → 2" in table and "6 → 5" not in table


def test_a_verdict_rests_on_most_sessions_not_on_a_mean_one_outlier_drags(
    cli: CLI, tmp_path: Path
) -> None:
    bring_in(cli, tmp_path, [
        session("ground", hours_ago(30), [("before", 5), ("after", 3)]),
        session("ground", hours_ago(20), [("before", 2), ("after", 9)]),
        session("ground", hours_ago(10), [("before", 6), ("after", 2)]),
    ])
    (row,) = json.loads(cli("stats", "--json").stdout)["practices"]
    assert row["mean_change"] == 0.33  # the mean says "rose"; most sessions came down
    assert (row["came_down"], row["stayed"], row["went_up"], row["median_change"]) == (
        2, 0, 1, -2.0)
    shown = words(cli("stats").stdout)
    assert "ground: came down in 2 of 3 rated sessions." in shown
    assert "rose" not in shown and "may suit you better" not in shown


def test_a_session_stopped_by_a_high_rating_counts_and_the_stop_is_named(
    cli: CLI, tmp_path: Path
) -> None:
    bring_in(cli, tmp_path, [
        session("box", hours_ago(30), [("before", 4), ("mid", 9)], status="stopped",
                stop_reason="overwhelm"),
        session("box", hours_ago(20), [("before", 3), ("after", 6)]),
        session("box", hours_ago(10), [("before", 5), ("after", 2)]),
    ])
    (row,) = json.loads(cli("stats", "--json").stdout)["practices"]
    assert row["rated"] == 3 and row["stopped_by_rating"] == 1 and row["stop_ratings"] == [9]
    assert row["mean_change"] == round((5 + 3 - 3) / 3, 2)  # the stop at 9 from 4 is +5
    shown = words(cli("stats").stdout)
    assert ("box: went up in 2 of 3 rated sessions — other practices may suit you better; "
            "stopped once when it reached 9, at or above your stop-at.") in shown


def test_every_kind_of_ending_is_counted(cli: CLI, tmp_path: Path) -> None:
    bring_in(cli, tmp_path, [
        session("exhale", hours_ago(5), [("before", 5), ("after", 5)]),
        session("exhale", hours_ago(4), [("before", 5)], status="stopped", stop_reason="user"),
        session("exhale", hours_ago(3), [("before", 9)], status="stopped",
                stop_reason="overwhelm"),
        session("exhale", hours_ago(2), [("before", 3), ("mid", 8)], status="stopped",
                stop_reason="rising"),
        session("exhale", hours_ago(1), [("before", 4), ("mid", 3)], status="interrupted"),
    ])
    (row,) = json.loads(cli("stats", "--json").stdout)["practices"]
    counts = {key: row[key] for key in (
        "sessions", "completed", "stopped", "interrupted", "stopped_by_choice",
        "stopped_by_rating", "stop_ratings", "rated", "came_down", "stayed", "went_up")}
    assert counts == {
        "sessions": 5, "completed": 1, "stopped": 3, "interrupted": 1, "stopped_by_choice": 1,
        "stopped_by_rating": 2, "stop_ratings": [8, 9], "rated": 3, "came_down": 1,
        "stayed": 1, "went_up": 1}
    shown = words(cli("stats").stdout)
    # The 9 was the before rating: that practice never started, and is named apart.
    assert "exhale: mixed: came down in 1, stayed the same in 1, went up in 1 of 3 rated " \
        "sessions (5 in all); " \
        "came in at 9 once, at or above your stop-at, and did not start; stopped once when " \
        "it rose to 8." in shown


def test_fewer_than_three_rated_sessions_give_no_verdict(cli: CLI, tmp_path: Path) -> None:
    bring_in(cli, tmp_path, [
        session("sigh", hours_ago(3), [("before", 7), ("after", 2)]),
        session("sigh", hours_ago(2), [("before", 6), ("after", 3)]),
    ])
    shown = words(cli("stats").stdout)
    assert "sigh: 2 rated sessions so far — too few to say what it does for you yet." in shown
    assert "came down in" not in shown


def test_suggestions_rank_what_came_down_most_often_in_the_same_state() -> None:
    def s(practice: str, before: int, last: int, state: str = "activated") -> dict[str, object]:
        return session(practice, hours_ago(1), [("before", before), ("after", last)], state=state)

    history = [
        *(s("exhale", 6, 3) for _ in range(4)), s("exhale", 5, 6),     # 4 of 5
        *(s("ground", 7, 4) for _ in range(3)),                          # 3 of 3
        s("box", 6, 2), s("box", 6, 2),                                  # only 2 rated
        *(s("sigh", 4, 7) for _ in range(3)),                            # went up
        *(s("track", 7, 2, state="shut_down") for _ in range(3)),       # another state
        *(s("resonance", 7, 2) for _ in range(3)),                       # in avoid
    ]
    found = tally.suggestions(history, "activated", avoid={"resonance"})
    assert [(f.practice, f.reason) for f in found] == [
        ("ground", "came down in 3 of 3 rated sessions when activated"),
        ("exhale", "came down in 4 of 5 rated sessions when activated"),
    ]
    assert [f.practice for f in tally.suggestions(history, "shut_down")] == ["track"]
    assert tally.suggestions(history, "settled") == []


def test_the_settle_after_a_stop_counts_in_the_state_of_the_session_it_followed() -> None:
    def stopped_then_settled(hours: float, came_to: int) -> list[dict[str, object]]:
        start = hours_ago(hours)
        stop = session("exhale", start, [("before", 5), ("mid", 9)], status="stopped",
                       stop_reason="overwhelm", state="activated")
        # The settle offered after it: no before rating, its closing rating only.
        settled = session("settle", start + timedelta(minutes=5), [("after", came_to)])
        return [stop, settled]

    history = [*stopped_then_settled(30, 6), *stopped_then_settled(20, 4),
               *stopped_then_settled(10, 9)]
    (found,) = tally.suggestions(reversed(history), "activated")  # newest first, as log gives
    assert found == ("settle", 2, 3, "came down in 2 of 3 rated sessions when activated")
    assert tally.suggestions(history, "shut_down") == []


def test_a_settle_long_after_another_session_did_not_follow_it() -> None:
    history = []
    for hours in (30, 20, 10):
        start = hours_ago(hours)
        history.append(session("box", start, [("before", 6), ("mid", 9)], status="stopped",
                               stop_reason="overwhelm", state="activated"))
        history.append(session("settle", start + timedelta(hours=2), [("after", 3)]))
    assert [s.practice for s in tally.suggestions(history, "activated")] == []


def test_the_verdict_says_rated_sessions_and_how_many_in_all(cli: CLI, tmp_path: Path) -> None:
    high = [session("ground", hours_ago(9 - i), [("before", 9)], status="stopped",
                    stop_reason="overwhelm") for i in range(3)]
    bring_in(cli, tmp_path, [
        *high,
        session("ground", hours_ago(5), [("before", 5), ("after", 3)]),
        session("ground", hours_ago(4), [("before", 6), ("after", 2)]),
        session("ground", hours_ago(3), [("before", 2), ("after", 4)]),
    ])
    for command in ("stats", "report"):
        shown = words(cli(command).stdout)
        assert ("ground: came down in 2 of 3 rated sessions (6 in all); came in at 9 three "
                "times,") in shown, command
        assert "9 3 times" not in shown
