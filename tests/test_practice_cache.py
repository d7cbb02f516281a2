"""The validated practice is cached by its file's stat: a start reads JSON, never a stale file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from quietwork import paths
from quietwork.catalog import discover

MINE = """\
title: Mine
summary: A breath of my own.
steps:
  - say: Feet on the floor.
    seconds: 3
  - breathe: {inhale: 4, exhale: 6, breaths: 2}
  - checkin: How is it?
  - track: {areas: [jaw, hands], seconds: 2, ask: [warm]}
"""


def write_mine(text: str = MINE) -> Path:
    folder = paths.user_practices_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def cached_files() -> list[Path]:
    return sorted((paths.cache_dir() / "validated").glob("*.json"))


def test_a_cached_practice_is_the_validated_one() -> None:
    write_mine()
    first = discover().load("mine")
    (cache,) = cached_files()
    again = discover().load("mine")
    assert again == first and again.duration() == first.duration()
    assert json.loads(cache.read_text())["practice"]["title"] == "Mine"


def test_an_edited_file_is_read_again() -> None:
    path = write_mine()
    discover().load("mine")
    path.write_text(MINE.replace("Mine", "Ours"), encoding="utf-8")
    assert discover().load("mine").title == "Ours"


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data["practice"].update(title="Forged"),  # digest no longer matches
        lambda data: data["practice"]["steps"].append({"nothing": 1}),
        lambda data: data.update(practice=[]),
        lambda data: data.update(version="0"),
    ],
)
def test_a_damaged_cache_is_never_trusted(damage: Any) -> None:
    write_mine()
    discover().load("mine")
    (cache,) = cached_files()
    data = json.loads(cache.read_text())
    damage(data)
    cache.write_text(json.dumps(data))
    assert discover().load("mine").title == "Mine"


def test_a_cache_whose_fields_do_not_fit_is_read_from_the_file() -> None:
    write_mine()
    discover().load("mine")
    (cache,) = cached_files()
    data = json.loads(cache.read_text())
    del data["practice"]["steps"][0]["seconds"]
    from quietwork.catalog import _digest

    data["digest"] = _digest(data["practice"])  # intact, but not of this shape
    cache.write_text(json.dumps(data))
    assert discover().load("mine").steps[0].duration() == 3


def test_a_start_from_the_cache_reads_no_yaml(quietwork_home: Path) -> None:
    write_mine()
    code = (
        "import sys\n"
        "from quietwork.catalog import discover\n"
        "practice = discover().load('mine')\n"
        "print('yaml' in sys.modules, practice.title)\n"
    )
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True).stdout.split() for _ in range(2)]
    assert runs == [["True", "Mine"], ["False", "Mine"]]
