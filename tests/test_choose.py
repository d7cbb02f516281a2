"""The chooser ranks by what came down for this person in the same state, with the reason."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from histories import CLI, bring_in, hours_ago, session, stamp
from quietwork.catalog import discover
from quietwork.run import choose as choose_module
from quietwork.run.choose import choose_practice, logged_history

OTHERS = "…all the other practices"


class MenuPrompter:
    """Answers the chooser's two menus; keeps what each offered."""

    def __init__(self, lean: str, pick: int = 0) -> None:
        self.lean = lean
        self.pick = pick
        self.menus: list[tuple[str, list[tuple[str, str]]]] = []

    def select(self, question: str, options: Sequence[tuple[str, str]]) -> str:
        self.menus.append((question, list(options)))
        if len(self.menus) == 1:
            return self.lean
        return options[self.pick][1]

    def offered(self) -> list[str]:
        """The ids the second menu offered, in order."""
        return [value for _, value in self.menus[1][1] if value]

    def label(self, practice: str) -> str:
        return next(label for label, value in self.menus[1][1] if value == practice)


def rated(practice: str, before: int, after: int, state: str = "activated") -> dict[str, Any]:
    return session(practice, hours_ago(1), [("before", before), ("after", after)], state=state)


def choose(lean: str, history: Sequence[Mapping[str, Any]] | None) -> MenuPrompter:
    prompter = MenuPrompter(lean)
    reads: list[int] = []

    def read() -> Sequence[Mapping[str, Any]]:
        reads.append(1)
        return history or []

    chosen, state = choose_practice(discover(), prompter,  # type: ignore[arg-type]
                                    None if history is None else read)
    assert (chosen, state) == (prompter.offered()[0], lean or None)
    assert len(reads) == (1 if history is not None and lean else 0)
    return prompter


TODAY_ACTIVATED = ["box", "exhale", "ground", "resonance", "settle", "sigh", "track"]


def test_without_history_the_order_is_the_practices_own() -> None:
    assert choose("activated", None).offered() == TODAY_ACTIVATED
    assert choose("activated", []).offered() == TODAY_ACTIVATED
    assert choose("shut_down", []).offered()[:2] == ["ground", "settle"]


def test_three_rated_sessions_that_came_down_put_a_practice_first_with_the_reason() -> None:
    prompter = choose("activated", [rated("exhale", 6, 3) for _ in range(3)])
    assert prompter.offered() == ["exhale", "box", "ground", "resonance", "settle", "sigh",
                                  "track"]
    assert prompter.label("exhale").endswith("came down in 3 of 3 rated sessions when activated")
    assert "came down" not in prompter.label("box")


def test_what_came_down_most_often_comes_first() -> None:
    history = [
        *(rated("sigh", 6, 3) for _ in range(4)), rated("sigh", 5, 6),      # 4 of 5
        *(rated("track", 7, 4) for _ in range(3)),                          # 3 of 3
    ]
    prompter = choose("activated", history)
    assert prompter.offered()[:3] == ["track", "sigh", "box"]
    assert prompter.label("sigh").endswith("came down in 4 of 5 rated sessions when activated")


@pytest.mark.parametrize("history", [
    [rated("exhale", 6, 3), rated("exhale", 6, 3)],                          # only 2 rated
    [rated("exhale", 6, 3, state="settled") for _ in range(3)],             # another state
    [rated("exhale", 4, 7) for _ in range(3)],                              # went up
    [session("exhale", hours_ago(1), [("before", 6)], state="activated")] * 3,  # no after
], ids=["two", "other-state", "went-up", "unrated"])
def test_too_little_history_falls_back_to_the_practices_own_order(
    history: list[dict[str, Any]]
) -> None:
    prompter = choose("activated", history)
    assert prompter.offered() == TODAY_ACTIVATED
    assert not any("came down" in label for label, _ in prompter.menus[1][1])


def test_a_practice_to_avoid_in_that_state_is_never_first_whatever_the_log_says() -> None:
    history = [rated(name, 6, 2, state="shut_down") for name in ("exhale", "track")
               for _ in range(3)]
    prompter = choose("shut_down", history)
    assert prompter.offered() == ["ground", "settle"]  # exhale and track: one step away
    assert prompter.menus[1][1][-1] == (OTHERS, "")
    assert not any("came down" in label for label, _ in prompter.menus[1][1])


WALK = """\
title: Walk
summary: Walk around the room.
suits: [settled]
steps:
  - say: Walk slowly around the room.
    seconds: 5
"""


def test_a_practice_whose_file_does_not_list_the_state_comes_first_when_it_helped(
    quietwork_home: Path,
) -> None:
    (quietwork_home / "practices").mkdir(parents=True)
    (quietwork_home / "practices" / "walk.yaml").write_text(WALK)
    assert "walk" not in choose("activated", []).offered()
    prompter = choose("activated", [rated("walk", 7, 3) for _ in range(3)])
    assert prompter.offered()[:2] == ["walk", "box"]
    assert prompter.label("walk").endswith("came down in 3 of 3 rated sessions when activated")


def test_a_suggestion_for_a_practice_no_longer_there_is_left_out() -> None:
    prompter = choose("activated", [rated("gone", 7, 3) for _ in range(3)])
    assert prompter.offered() == TODAY_ACTIVATED


def test_not_sure_reads_no_history() -> None:
    prompter = choose("", [rated("exhale", 6, 3) for _ in range(3)])
    assert prompter.menus[1][0] == "Which practice?"
    assert prompter.offered() == sorted(TODAY_ACTIVATED)


def test_the_chooser_reads_the_last_90_days_and_at_most_its_limit(
    cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = [rated("exhale", 6, 3) | {"started_at": stamp(hours_ago(24 * 91 + h))}
           for h in range(3)]
    recent = [rated("ground", 6, 3) | {"started_at": stamp(hours_ago(h))} for h in range(5)]
    bring_in(cli, tmp_path, old + recent)
    assert [e["practice"] for e in logged_history()] == ["ground"] * 5
    monkeypatch.setattr(choose_module, "HISTORY_ENTRIES", 2)
    assert [e["started_at"] for e in logged_history()] == [
        e["started_at"] for e in recent[:2]]
