"""Reliability: every kind of bad practice file, through the real CLI, and a mutation property.

Each bad file is put in the user practices folder beside a good one. `validate` names it
as `path:line:col: message` (or `path: message` where there is no position) and exits 1;
`practice` and `show` refuse only it (exit 2, one line, no traceback); `list` still lists
the good practices and names the broken file on stderr.
"""

from __future__ import annotations

import copy
import os
import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quietwork.errors import PracticeFileError
from quietwork.loader import load_practice
from quietwork.practice import Practice

from conftest import Result

CLI = Callable[..., Result]

GOOD = """\
title: Good one
summary: A good practice beside the broken ones.
tags: [test]
steps:
  - say: Feel your feet.
    seconds: 0.01
"""

VALID = """\
title: Longer exhale
summary: Breathe out a little longer than you breathe in.
tags: [breath, calming]
suits: [activated, settled]
avoid_when: [shut_down]
safety: If slow breathing makes you light-headed, breathe normally.
sources: ["Balban et al. 2023"]
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

HEAD = "title: T\nsummary: S\nsteps:\n"


def steps(body: str) -> str:
    return HEAD + body


ANY_POSITION = r"\d+:\d+"  # a line and a column, wherever the parser placed them


def deep(levels: int) -> str:
    return f"title: {'[' * levels}{']' * levels}\nsummary: S\nsteps: [{{say: x, seconds: 1}}]\n"


# name -> (file text, or a callable making the file; where: "line:col" or "" for no position;
#          a fragment of the message)
BAD: dict[str, tuple[Any, str, str]] = {
    "broken yaml": ("title: Calm\nsummary: [unclosed\nsteps: []\n", "3:6", "invalid YAML"),
    "tab indentation": ("title: T\nsummary: S\nsteps:\n\t- say: x\n", "4:1", "invalid YAML"),
    "wrong type": (steps('  - say: Hi\n    seconds: "six"\n'), "5:14",
                   "steps[1].seconds: "),
    "title is yes": ("title: yes\nsummary: S\nsteps: [{say: x, seconds: 1}]\n", "1:8",
                     "put the text in quotes"),
    "unknown key": (GOOD + "colour: blue\n", "7:1", "colour: unknown key"),
    "unknown step kind": (steps("  - sing: la la\n"), "4:5", "unknown step kind 'sing'"),
    "zero seconds": (steps("  - say: Hi\n    seconds: 0\n"), "5:14", "steps[1].seconds: "),
    "negative seconds": (steps("  - say: Hi\n    seconds: -5\n"), "5:14", "steps[1].seconds: "),
    "huge seconds": (steps("  - say: Hi\n    seconds: 99999.5\n"), "5:14", "steps[1].seconds: "),
    "nan seconds": (steps("  - say: Hi\n    seconds: .nan\n"), "5:14", "steps[1].seconds: "),
    "inf seconds": (steps("  - say: Hi\n    seconds: .inf\n"), "5:14", "steps[1].seconds: "),
    "forty digits": (steps(f"  - say: Hi\n    seconds: 1\n    repeat: {'9' * 40}\n"), "6:13",
                     "steps[1].repeat: "),
    "forty digit breaths": (steps(f"  - breathe: {{inhale: 4, exhale: 6, breaths: {'9' * 40}}}\n"),
                            "4:46", "steps[1].breathe.breaths: "),
    "too long a practice": (steps("  - say: Hi\n    seconds: 600\n    repeat: 20\n"), "1:1",
                            "keep it under 2 hours"),
    "unsafe tag": ('title: !!python/object/apply:os.system ["touch {marker}"]\n'
                   "summary: S\nsteps: [{say: x, seconds: 1}]\n", "1:8", "unsupported YAML tag"),
    "unsafe name tag": ("title: !!python/name:os.system\nsummary: S\n"
                        "steps: [{say: x, seconds: 1}]\n", "1:8", "unsupported YAML tag"),
    "alias bomb": ("a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)},"
        f" *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(9)), "1:4",
        "anchors and aliases"),
    # Who notices first (quietwork's count at depth 50, or the parser's own limit, as in
    # libyaml 0.2.6) is the library's business: the person gets one message with a position.
    "deep nesting": (deep(100_000), ANY_POSITION, "invalid YAML: nested too deeply"),
    "nesting just past the limit": (deep(60), ANY_POSITION, "invalid YAML: nested too deeply"),
    "deep block nesting": ("title: T\nsummary: S\nsteps:\n" + "- " * 2_000 + "x\n",
                           ANY_POSITION, "invalid YAML: nested too deeply"),
    "non-utf8": (b"title: Calm\nsummary: caf\xe9\nsteps: []\n", "2:13", "not UTF-8"),
    "nul byte": (b"title: T\nsummary: Ca\x00lm\nsteps: [{say: x, seconds: 1}]\n", "2:12",
                 "invalid YAML: control characters are not allowed (U+0000)"),
    "raw escape": (b"title: T\nsummary: \x1b[2J\nsteps: [{say: x, seconds: 1}]\n", "2:10",
                   "invalid YAML: control characters are not allowed (U+001B)"),
    "empty": ("", "1:1", "the file is empty"),
    "only a comment": ("# nothing here\n", "1:1", "the file is empty"),
    "a list": ("- one\n- two\n", "1:1", "is a mapping of keys"),
    "two documents": (GOOD + "---\n" + GOOD, "7:1", "invalid YAML"),
    "over 1 MiB (sparse, 2 GiB)": (lambda path: _sparse(path, 2 * 1024**3), "",
                                   "practice files are limited to 1 MiB"),
    "a folder": (lambda path: path.mkdir(), "", "cannot be read: it is a folder"),
    "a dangling link": (lambda path: path.symlink_to(path.parent / "nowhere"), "",
                        "cannot be read: a link to nothing"),
    "a fifo": (lambda path: os.mkfifo(path), "", "cannot be read: it is not a regular file"),
}


def _sparse(path: Path, size: int) -> None:
    with open(path, "wb") as handle:
        handle.truncate(size)  # no data written: reading it whole would take seconds


def make(folder: Path, name: str, content: Any, marker: Path) -> Path:
    path = folder / name
    if callable(content):
        content(path)
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content.replace("{marker}", str(marker)), encoding="utf-8")
    return path


@pytest.fixture
def folder(quietwork_home: Path) -> Path:
    practices = quietwork_home / "practices"
    practices.mkdir(parents=True)
    (practices / "good.yaml").write_text(GOOD)
    return practices


def one_line_error(result: Result, path: Path) -> str:
    assert "Traceback" not in result.output
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"Error: {path}"), result.stderr
    return first


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_a_bad_file_is_named_and_hides_nothing(
    cli: CLI, folder: Path, tmp_path: Path, case: str
) -> None:
    content, where, fragment = BAD[case]
    marker = tmp_path / "ran"
    path = make(folder, "bad.yaml", content, marker)
    prefix = re.escape(f"{path}:") + (where if where == ANY_POSITION else re.escape(where))
    if not where:
        prefix = re.escape(f"{path}: ")

    checked = cli("validate", str(folder))
    assert checked.exit_code == 1, checked.output
    [problem] = [line for line in checked.stdout.splitlines() if "bad.yaml" in line]
    assert re.match(prefix, problem) and fragment in problem, checked.stdout
    assert f"{folder / 'good.yaml'}: ok" in checked.stdout
    assert "Traceback" not in checked.output

    listed = cli("list")
    assert listed.exit_code == 0, listed.output
    assert "good" in listed.stdout and "exhale" in listed.stdout
    assert "bad" not in listed.stdout
    assert re.search("Warning: skipped " + prefix, listed.stderr), listed.stderr
    as_json = cli("list", "--json")
    assert as_json.exit_code == 0 and '"id": "good"' in as_json.stdout

    for command in (("practice", "bad", "--no-checkin"), ("show", "bad")):
        refused = cli(*command)
        assert refused.exit_code == 2, refused.output
        assert fragment in one_line_error(refused, path)
        assert refused.stdout == ""
    assert not marker.exists()  # never constructed, never run


def test_with_every_bad_file_at_once_the_good_ones_still_run(
    cli: CLI, folder: Path, tmp_path: Path
) -> None:
    for number, (content, _, _) in enumerate(BAD.values()):
        make(folder, f"bad{number}.yaml", content, tmp_path / "ran")
    (folder / "not an id.yaml").write_text(GOOD)
    listed = cli("list")
    assert listed.exit_code == 0
    assert "good" in listed.stdout and "settle" in listed.stdout
    assert listed.stderr.count("Warning: skipped") == len(BAD)
    assert "not an id.yaml: the file name is not a usable practice id" in listed.stderr
    ran = cli("practice", "good", "--no-checkin")
    assert ran.exit_code == 0, ran.output
    assert "Feel your feet." in ran.stdout
    checked = cli("validate", str(folder))
    assert checked.exit_code == 1
    assert f"{folder / 'good.yaml'}: ok" in checked.stdout
    assert not (tmp_path / "ran").exists()


def test_an_unreadable_file_is_named(
    cli: CLI, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests run as root, which reads any file: permission denied is injected at open().
    path = folder / "locked.yaml"
    path.write_text(GOOD)
    real_open = os.open

    def denying_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("quietwork.files.os.open", denying_open)
    problem = f"{path}: cannot be read: Permission denied"
    listed = cli("list")
    assert listed.exit_code == 0 and "good" in listed.stdout
    assert f"Warning: skipped {problem}" in listed.stderr
    refused = cli("practice", "locked")
    assert refused.exit_code == 2
    assert one_line_error(refused, path) == f"Error: {problem}"
    checked = cli("validate", str(path))
    assert (checked.exit_code, checked.stdout) == (1, problem + "\n")


def test_an_unlistable_practices_folder_is_a_warning(cli: CLI, quietwork_home: Path) -> None:
    quietwork_home.mkdir()
    (quietwork_home / "practices").write_text("a file where the folder should be")
    listed = cli("list")
    assert listed.exit_code == 0 and "exhale" in listed.stdout
    assert f"{quietwork_home / 'practices'}: cannot list the folder" in listed.stderr


# The property: whatever a mutated file says, the loader gives a Practice or a clean error.

ODD_SCALARS = st.sampled_from([
    None, True, False, 0, -1, 1.5, 1e308, float("nan"), float("inf"), -float("inf"), 10**40,
    -(10**40), "", " ", "yes", "\x1b[2J", "[red]x[/red]", "\u202e", "a" * 3000, [], {}, [[]],
    {"say": None}, "2026-01-01", "!!python/object:os.system", "~",
])
KEYS = st.sampled_from(["title", "summary", "steps", "say", "seconds", "repeat", "breathe",
                        "inhale", "exhale", "hold", "hold_out", "breaths", "minutes", "track",
                        "areas", "ask", "checkin", "tags", "suits", "safety", "sources", "x"])


def _containers(data: Any, found: list[Any]) -> list[Any]:
    if isinstance(data, (dict, list)):
        found.append(data)
        for child in data.values() if isinstance(data, dict) else data:
            _containers(child, found)
    return found


def _mutate_data(data: Any, rng: random.Random, value: Any, key: str) -> None:
    """One structural change somewhere in the loaded document."""
    target = rng.choice(_containers(data, []))
    if isinstance(target, dict):
        if not target or rng.random() < 0.2:
            target[key] = value
            return
        name = rng.choice(list(target))
        how = rng.choice(["delete", "retype", "rename", "wrap"])
        if how == "delete":
            del target[name]
        elif how == "retype":
            target[name] = value
        elif how == "rename":
            target[key] = target.pop(name)
        else:
            target[name] = [target[name]]
    else:
        if not target or rng.random() < 0.2:
            target.append(value)
            return
        index = rng.randrange(len(target))
        how = rng.choice(["delete", "retype", "duplicate"])
        if how == "delete":
            del target[index]
        elif how == "retype":
            target[index] = value
        else:
            target.insert(index, target[index])


def _mutate_text(text: bytes, rng: random.Random, noise: bytes) -> bytes:
    """One textual change: truncate, insert bytes, duplicate or drop a line."""
    how = rng.choice(["truncate", "insert", "duplicate line", "drop line"])
    if how == "truncate":
        return text[: rng.randrange(len(text) + 1)]
    if how == "insert":
        at = rng.randrange(len(text) + 1)
        return text[:at] + noise + text[at:]
    lines = text.splitlines(keepends=True)
    if not lines:
        return noise
    index = rng.randrange(len(lines))
    if how == "duplicate line":  # duplicate keys included
        return b"".join(lines[: index + 1] + lines[index:])
    return b"".join(lines[:index] + lines[index + 1:])


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 2**32),
    structural=st.integers(0, 3),
    textual=st.integers(0, 2),
    value=ODD_SCALARS,
    key=KEYS,
    noise=st.binary(min_size=1, max_size=8) | st.sampled_from(
        [b"&a ", b"*a", b"!!python/object/apply:os.system ['true'] ", b"[" * 60, b"\t", b"\xff",
         b": ", b"- ", b"{", b"\x00", b"\x1b", b"%YAML 1.1\n", b"? "]),
)
def test_any_mutated_file_loads_or_is_a_clean_error(
    tmp_path: Path, seed: int, structural: int, textual: int, value: Any, key: str, noise: bytes
) -> None:
    rng = random.Random(seed)
    data = yaml.safe_load(VALID)
    for _ in range(structural):
        _mutate_data(data, rng, copy.deepcopy(value), key)  # a fresh copy: no cycles
    text = yaml.safe_dump(data, allow_unicode=rng.random() < 0.5, sort_keys=False).encode()
    for _ in range(textual):
        text = _mutate_text(text, rng, noise)
    path = tmp_path / "mutated.yaml"
    path.write_bytes(text)
    try:
        practice = load_practice(path)
    except PracticeFileError as error:
        assert error.problems
        assert all(problem.startswith(f"{path}:") for problem in error.problems), error.problems
        assert all("\n" not in problem for problem in error.problems)
    else:
        assert isinstance(practice, Practice)
