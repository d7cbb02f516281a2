"""A practice begun in a quick form (no typer) is the practice typer would begin.

`quietwork practice ID` with the command's plain flags is read by quietwork.begin, so
that the first cue does not wait for typer (docs/performance.md). These tests hold the
two readings equal, form by form, and the two ways through the error boundary too.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from practices import add_practices
from quietwork import begin, boundary, cli

from conftest import Result, invoke_typer, run_subprocess

QUICK_FORMS = [
    ["practice", "ground"],
    ["practice"],
    ["practice", "my_own-2.v1"],
    ["--debug", "practice", "ground"],
    ["practice", "ground", "--plain", "--no-log"],
    ["practice", "--plain", "ground"],
    ["practice", "--no-bell", "ground", "--bell"],
    ["practice", "--bell", "--no-bell"],
    ["practice", "box", "--voice", "--no-voice", "--sound"],
    ["practice", "--no-sound", "--full-checkin", "--no-checkin", "exhale"],
    ["practice", "ground", "--plain", "--plain"],
]
TYPER_FORMS = [
    [],
    ["list"],
    ["practice", "ground", "--speed", "2"],
    ["practice", "ground", "--stop-at=5"],
    ["practice", "ground", "--minutes", "3"],
    ["practice", "--help"],
    ["practice", "ground", "-h"],
    ["practice", "ground", "exhale"],
    ["practice", "--", "ground"],
    ["practice", "--plain=yes", "ground"],
    ["practice", "--unknown", "ground"],
    ["practice", "gr*"],
    ["practice", "café"],
    ["--version", "practice", "ground"],
    ["practice", "ground", "--debug"],
]


def typer_reading(args: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[bool, dict[str, Any]]:
    """What the typer command passes on to the practice's body, and the --debug flag."""
    seen: dict[str, Any] = {}

    def body(practice_id: str | None = None, **params: Any) -> None:
        seen.update(practice_id=practice_id, **params)

    monkeypatch.setattr(begin, "practice", body)
    monkeypatch.setattr(boundary.Flags, "debug", False)
    assert cli.run(args) == 0
    return boundary.Flags.debug, seen


@pytest.mark.parametrize("args", QUICK_FORMS, ids=" ".join)
def test_a_quick_form_is_read_as_typer_reads_it(
    args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    form = begin.quick_form(args, {})
    assert form is not None
    debug, params = form
    assert (debug, {**defaults_of(begin.practice), **params}) == typer_reading(args, monkeypatch)


@pytest.mark.parametrize("args", TYPER_FORMS, ids=lambda args: " ".join(args) or "nothing")
def test_every_other_form_is_left_to_typer(args: list[str]) -> None:
    assert begin.quick_form(args, {}) is None


def test_completion_is_left_to_typer() -> None:
    assert begin.quick_form(["practice", "gr"], {"_QUIETWORK_COMPLETE": "complete_bash"}) is None


def test_every_parameter_of_the_command_has_its_default() -> None:
    """A parameter added to the typer command must be added to the body it calls too."""
    from quietwork.commands.practice import practice

    assert defaults_of(practice) == defaults_of(begin.practice)


def defaults_of(function: Callable[..., object]) -> dict[str, Any]:
    """Each parameter of `function` with its default, as a call that sets none of them."""
    import inspect

    return {name: p.default for name, p in inspect.signature(function).parameters.items()}


def both_ways(cli: Callable[..., Result], *args: str, input: str = "") -> tuple[Result, Result]:
    """The same command begun the quick way and through typer (each in-process)."""
    quick = cli(*args, input=input)
    assert begin.quick_form(list(args), {}) is not None
    return quick, invoke_typer(*args, input=input)


def test_an_unknown_practice_is_told_the_same_both_ways(cli: Callable[..., Result]) -> None:
    quick, typer_way = both_ways(cli, "practice", "nosuch", "--plain")
    assert quick.exit_code == typer_way.exit_code == 2
    assert quick.stderr == typer_way.stderr
    assert "nosuch" in quick.stderr


def test_a_broken_practice_file_is_told_the_same_both_ways(
    cli: Callable[..., Result], quietwork_home: Path
) -> None:
    add_practices(quietwork_home, broken="title: Broken\nsummary: x\nsteps: []\n")
    quick, typer_way = both_ways(cli, "practice", "broken")
    assert quick.exit_code == typer_way.exit_code == 2
    assert quick.stderr == typer_way.stderr
    assert "broken" in quick.stderr and "Traceback" not in quick.stderr


def test_input_ending_at_the_first_question_is_told_the_same_both_ways(
    cli: Callable[..., Result],
) -> None:
    quick, typer_way = both_ways(cli, "practice", "ground", "--plain")
    assert quick.exit_code == typer_way.exit_code == 1
    assert "input ended before the question was answered" in quick.stderr
    assert quick.stderr == typer_way.stderr


def test_a_practice_begins_as_a_command_without_typer(tmp_path: Path) -> None:
    """The console script's own way in: with typer made unimportable, a quick form still
    runs to its end and logs; a form that needs typer shows it was needed."""
    fake = tmp_path / "no_typer"
    (fake / "typer").mkdir(parents=True)
    (fake / "typer" / "__init__.py").write_text("raise ImportError('typer was imported')\n")
    source = Path(begin.__file__).parents[1]
    env = {"PYTHONPATH": os.pathsep.join((str(fake), str(source))), "QUIETWORK_SPEED": "50"}
    done = run_subprocess("practice", "exhale", "--plain", input="5\n3\n", env=env)
    assert done.returncode == 0, done.stderr
    assert "Exhale" in done.stdout or "exhale" in done.stdout.lower()
    logged = run_subprocess("log", "--json", env=env)
    assert "typer was imported" in logged.stderr
