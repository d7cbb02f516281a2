"""Loading practice files: every error class names the file, line, column and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from quietwork import paths
from quietwork.errors import PracticeFileError
from quietwork.loader import load_practice, validate_file

GOOD = """\
title: Longer exhale
summary: Breathe out a little longer than you breathe in.
tags: [breath, calming]
suits: [activated, settled]
avoid_when: [shut_down]
steps:
  - say: Let your shoulders drop a little.
    seconds: 6
  - say: Name something you can see.
    seconds: 6
    repeat: 3
  - breathe: {inhale: 4, hold: 0, exhale: 6, hold_out: 0, breaths: 8}
  - checkin: How intense is it now?
  - track:
      areas: [jaw, shoulders]
      seconds: 10
      ask: [tight, warm]
"""


def write(tmp_path: Path, text: str | bytes, name: str = "p.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    return validate_file(path)


def test_a_valid_file_loads_with_its_steps_and_duration(tmp_path: Path) -> None:
    practice = load_practice(write(tmp_path, GOOD))
    assert practice.title == "Longer exhale"
    assert [type(s).__name__ for s in practice.steps] == [
        "SayStep", "SayStep", "BreatheStep", "CheckinStep", "TrackStep"]
    # 6 + 6*3 + (8 breaths of 10 s) + 2 areas * 10 s
    assert practice.duration() == 6 + 18 + 80 + 20


def test_every_builtin_practice_is_valid() -> None:
    files = sorted(paths.builtin_practices_dir().glob("*.yaml"))
    assert {f.stem for f in files} >= {
        "ground", "exhale", "track", "settle", "sigh", "box", "resonance"}
    for path in files:
        assert problems(path) == [], path
        assert load_practice(path).sources, f"{path.stem} cites no source"


def test_syntax_error_points_at_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "title: Calm\nsummary: [unclosed\nsteps: []\n")
    (problem,) = problems(path)
    assert problem.startswith(f"{path}:3:6: invalid YAML:"), problem


def test_wrong_type_names_the_field_at_its_value(tmp_path: Path) -> None:
    text = GOOD.replace("seconds: 6\n  - say: Name", 'seconds: "six"\n  - say: Name')
    path = write(tmp_path, text)
    (problem,) = problems(path)
    assert problem.startswith(f"{path}:8:14: steps[1].seconds: ")


def test_yes_as_a_title_explains_the_yaml_boolean(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("title: Longer exhale", "title: yes"))
    (problem,) = problems(path)
    assert problem.startswith(f"{path}:1:8: title: ")
    assert "quotes" in problem


def test_unknown_key_is_an_error_with_a_suggestion(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("    repeat: 3", "    repaet: 3"))
    assert problems(path) == [f"{path}:11:5: steps[2].repaet: unknown key; did you mean 'repeat'?"]


def test_unknown_top_level_key(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD + "colour: blue\n")
    (problem,) = problems(path)
    assert problem.startswith(f"{path}:18:1: colour: unknown key")


def test_unknown_step_kind(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD + "  - sing: la la\n")
    assert problems(path) == [
        f"{path}:18:5: steps[6]: unknown step kind 'sing'; "
        "a step is one of say, breathe, checkin, track"]


def test_bounds_zero_negative_huge_and_nan(tmp_path: Path) -> None:
    text = GOOD.replace("inhale: 4", "inhale: 0").replace("exhale: 6", "exhale: 600")
    text = text.replace("seconds: 10", "seconds: .nan").replace("seconds: 6\n  - say: Name",
                                                                  "seconds: -2\n  - say: Name")
    path = write(tmp_path, text)
    found = problems(path)
    # Each problem at its value, with its field and the bound (quietwork's); the words
    # around the bound are the validator's (pydantic's), so they are not pinned here.
    expected = [
        (f"{path}:8:14: steps[1].seconds: ", "0"),
        (f"{path}:12:23: steps[3].breathe.inhale: ", "0.5"),
        (f"{path}:12:43: steps[3].breathe.exhale: ", "60"),
        (f"{path}:16:16: steps[5].track.seconds: ", ""),
    ]
    assert len(found) == len(expected), found
    for problem, (prefix, bound) in zip(found, expected, strict=True):
        assert problem.startswith(prefix) and bound in problem[len(prefix):], problem


def test_forty_digit_numbers_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("repeat: 3", "repeat: " + "9" * 40))
    (problem,) = problems(path)
    assert problem.startswith(f"{path}:11:13: steps[2].repeat: ")


def test_a_practice_of_two_hours_or_more_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("breaths: 8", "breaths: 800"))
    (problem,) = problems(path)
    assert "keep it under 2 hours" in problem and problem.startswith(f"{path}:1:1: ")


def test_breaths_and_minutes_are_exclusive(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("breaths: 8", "breaths: 8, minutes: 2"))
    (problem,) = problems(path)
    assert problem == (f"{path}:12:14: steps[3].breathe: give either breaths or minutes"
                       " (one of them)")


def test_no_steps_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "title: T\nsummary: S\nsteps: []\n")
    (problem,) = problems(path)
    assert problem.startswith(f"{path}:3:8: steps: List should have at least 1 item")


def test_aliases_are_refused_before_anything_is_built(tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)},"
        f" *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(9))
    path = write(tmp_path, bomb)
    assert problems(path) == [
        f"{path}:1:4: YAML anchors and aliases (&name, *name) are not allowed in practice files"]


def test_unsafe_tags_are_never_constructed(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    path = write(tmp_path, f'title: !!python/object/apply:os.system ["touch {marker}"]\n')
    (problem,) = problems(path)
    assert problem.startswith(f"{path}:1:8: invalid YAML: unsupported YAML tag")
    assert not marker.exists()


def test_files_over_one_mebibyte_are_refused_unread(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "# " + "x" * (1024 * 1024) + "\n")
    opened: list[str] = []
    real_open = open
    monkeypatch.setattr("builtins.open", lambda *a, **k: opened.append(a[0]) or real_open(*a, **k))
    (problem,) = problems(path)
    assert problem == f"{path}: the file is 1,048,579 bytes; practice files are limited to 1 MiB"
    assert str(path) not in [str(p) for p in opened]


def test_non_utf8_is_refused_with_its_position(tmp_path: Path) -> None:
    path = write(tmp_path, b"title: Calm\nsummary: caf\xe9\n")
    assert problems(path) == [f"{path}:2:13: the file is not UTF-8 text (byte 0xe9)"]


def test_empty_file(tmp_path: Path) -> None:
    path = write(tmp_path, "")
    (problem,) = problems(path)
    assert problem.startswith(f"{path}:1:1: the file is empty")


def test_a_list_instead_of_a_mapping(tmp_path: Path) -> None:
    path = write(tmp_path, "- one\n- two\n")
    (problem,) = problems(path)
    assert problem.startswith(f"{path}:1:1: a practice file is a mapping of keys")


def test_a_folder_and_a_dangling_link_named_yaml(tmp_path: Path) -> None:
    (tmp_path / "dir.yaml").mkdir()
    (tmp_path / "gone.yaml").symlink_to(tmp_path / "nowhere")
    assert problems(tmp_path / "dir.yaml") == [
        f"{tmp_path}/dir.yaml: cannot be read: it is a folder"]
    assert problems(tmp_path / "gone.yaml") == [
        f"{tmp_path}/gone.yaml: cannot be read: a link to nothing"]


@pytest.mark.skipif(__import__("os").geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    path.chmod(0)
    assert problems(path) == [f"{path}: cannot be read: Permission denied"]


def test_several_problems_are_all_reported_in_file_order(tmp_path: Path) -> None:
    path = write(tmp_path, "title: T\nsumary: S\nsteps:\n  - say: Hi\n")
    assert problems(path) == [
        f"{path}:1:1: summary: required key missing",
        f"{path}:2:1: sumary: unknown key; did you mean 'summary'?",
        f"{path}:4:5: steps[1].seconds: required key missing",
    ]


def test_error_carries_every_problem(tmp_path: Path) -> None:
    path = write(tmp_path, "title: T\nsumary: S\nsteps:\n  - say: Hi\n")
    with pytest.raises(PracticeFileError) as caught:
        load_practice(path)
    assert len(caught.value.problems) == 3
