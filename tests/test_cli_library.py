"""list, show, validate, schema, paths and --version through the real CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from quietwork import __version__

from conftest import Result, run_subprocess

BUILTINS = {"ground", "exhale", "track", "settle", "sigh", "box", "resonance"}
MINE = """\
title: My ground
summary: A shorter grounding of my own.
tags: [grounding, mine]
steps:
  - say: Feel your feet.
    seconds: 5
"""
CLI = Callable[..., Result]


def user_practice(home: Path, name: str, text: str) -> Path:
    folder = home / "practices"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_list_shows_every_builtin(cli: CLI) -> None:
    result = cli("list")
    assert result.exit_code == 0, result.output
    for practice_id in BUILTINS:
        assert practice_id in result.stdout
    assert "built-in" in result.stdout
    assert "\x1b[" not in result.stdout  # a pipe gets no escape codes


def test_list_json_fields(cli: CLI) -> None:
    result = cli("list", "--json")
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)
    assert {item["id"] for item in items} == BUILTINS
    ground = next(item for item in items if item["id"] == "ground")
    assert {"id", "title", "summary", "minutes", "tags", "source"} <= set(ground)
    assert ground["source"] == "built-in"
    assert 2 <= ground["minutes"] <= 3


def test_list_by_tag(cli: CLI) -> None:
    items = json.loads(cli("list", "--tag", "calming", "--json").stdout)
    assert items and all("calming" in item["tags"] for item in items)
    assert "ground" not in {item["id"] for item in items}


def test_a_user_file_replaces_a_builtin_and_list_says_so(cli: CLI, quietwork_home: Path) -> None:
    user_practice(quietwork_home, "ground.yaml", MINE)
    result = cli("list")
    line = next(line for line in result.stdout.splitlines() if line.startswith("ground"))
    assert "My ground" in line and "replaces built-in" in line
    item = next(i for i in json.loads(cli("list", "--json").stdout) if i["id"] == "ground")
    assert item["source"] == "user" and item["replaces_builtin"] is True


def test_a_broken_user_file_never_hides_the_others(cli: CLI, quietwork_home: Path) -> None:
    user_practice(quietwork_home, "mine.yaml", MINE)
    broken = user_practice(quietwork_home, "broken.yaml", "title: [\n")
    result = cli("list", "--json")
    assert result.exit_code == 0, result.output
    ids = {item["id"] for item in json.loads(result.stdout)}
    assert ids == BUILTINS | {"mine"}
    assert f"{broken}:2:1: invalid YAML" in result.stderr


def test_practice_refuses_only_the_broken_one(cli: CLI, quietwork_home: Path) -> None:
    broken = user_practice(quietwork_home, "broken.yaml", "title: x\n")
    result = cli("show", "broken")
    assert result.exit_code == 2
    assert f"Error: {broken}:1:1: summary: required key missing" in result.stderr
    assert cli("show", "ground").exit_code == 0


def test_show_lists_steps_timings_safety_and_source(cli: CLI) -> None:
    result = cli("show", "box")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Box breathing" in out and "Safety:" in out and "Source:" in out
    assert "in 4 s, hold 4 s, out 4 s, hold 4 s" in out
    assert "Total: about" in out and "box.yaml" in out


def test_show_json_includes_the_source_file(cli: CLI) -> None:
    data = json.loads(cli("show", "exhale", "--json").stdout)
    assert data["id"] == "exhale" and data["path"].endswith("exhale.yaml")
    assert data["steps"][0]["kind"] in {"say", "breathe", "checkin", "track"}
    assert data["seconds"] > 60


def test_unknown_id_suggests_the_closest(cli: CLI) -> None:
    result = cli("show", "grund")
    assert result.exit_code == 2
    assert "Error: no practice 'grund'" in result.stderr
    assert "did you mean 'ground'?" in result.stderr
    assert "Traceback" not in result.output


def test_unknown_id_never_suggests_a_broken_file(cli: CLI, quietwork_home: Path) -> None:
    broken = user_practice(quietwork_home, "grounded.yaml", "title: [unclosed\n")
    result = cli("show", "grounde")
    assert result.exit_code == 2
    error = result.stderr.splitlines()[0]
    assert error.startswith("Error: no practice 'grounde'") and "grounded" not in error, error
    assert "did you mean 'ground'?" in result.stderr  # the closest that runs
    assert f"grounded (see `quietwork validate {broken}`)" in result.stderr


def test_validate_good_and_bad(cli: CLI, tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(MINE)
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINE.replace("seconds: 5", "seconds: 0"))
    assert cli("validate", str(good)).exit_code == 0
    result = cli("validate", str(good), str(bad))
    assert result.exit_code == 1
    assert f"{bad}:6:14: steps[1].seconds: " in result.stdout  # the message after it is pydantic's
    assert f"{good}: ok" in result.stdout
    quiet = cli("validate", "--quiet", str(good), str(bad))
    assert f"{good}: ok" not in quiet.stdout


def test_validate_warns_on_unsafe_breathing_but_passes(cli: CLI, tmp_path: Path) -> None:
    path = tmp_path / "holdy.yaml"
    path.write_text(
        "title: Holdy\nsummary: Long holds.\ntags: [calming]\nsteps:\n"
        "  - breathe: {inhale: 6, hold: 10, exhale: 4, breaths: 3}\n"
    )
    result = cli("validate", str(path))
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stdout.splitlines() if ": warning: " in line]
    assert len(warnings) == 3
    assert warnings[0].startswith(f"{path}:5:14: warning: steps[1].breathe: the exhale (4 s)")
    assert "hold is 10 s" in warnings[1]
    assert "no `safety` note" in warnings[2]


def test_validate_a_missing_file(cli: CLI, tmp_path: Path) -> None:
    result = cli("validate", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 1
    assert f"{tmp_path}/nope.yaml: cannot be read: no such file" in result.stdout


def test_schema_is_json_schema_for_practice_files(cli: CLI) -> None:
    schema = json.loads(cli("schema").stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert set(schema["required"]) == {"title", "summary", "steps"}
    assert schema["additionalProperties"] is False


def test_paths_follow_quietwork_home(cli: CLI, quietwork_home: Path) -> None:
    data = json.loads(cli("paths", "--json").stdout)
    assert data["database"] == str(quietwork_home / "quietwork.db")
    assert data["config"] == str(quietwork_home / "config.toml")
    assert data["practices"] == str(quietwork_home / "practices")


def test_version_and_help_as_a_separate_process() -> None:
    version = run_subprocess("--version")
    assert version.returncode == 0 and version.stdout.strip() == f"quietwork {__version__}"
    helped = run_subprocess("--help")
    assert helped.returncode == 0
    assert "not therapy" in helped.stdout
    assert "\x1b[" not in helped.stdout


def test_an_unknown_option_is_a_one_line_usage_error(cli: CLI) -> None:
    result = cli("list", "--colour")
    assert result.exit_code == 2
    [line, *_] = result.stderr.splitlines()
    assert line.startswith("Error: ") and "--colour" in line, result.stderr


def test_list_sees_an_edited_file_at_once(cli: CLI, quietwork_home: Path) -> None:
    path = user_practice(quietwork_home, "mine.yaml", MINE)
    assert "My ground" in cli("list").stdout
    path.write_text(MINE.replace("My ground", "My feet!!"))  # same size, new content
    assert "My feet!!" in cli("list").stdout
    path.write_text("title: [\n")
    result = cli("list")
    assert "mine" not in result.stdout and f"{path}:2:1: invalid YAML" in result.stderr


def test_a_corrupt_list_cache_is_rebuilt(cli: CLI, quietwork_home: Path) -> None:
    assert cli("list").exit_code == 0
    cache = quietwork_home / "cache" / "practices.json"
    assert cache.is_file()
    cache.write_text("{not json")
    result = cli("list", "--json")
    assert result.exit_code == 0 and len(json.loads(result.stdout)) == len(BUILTINS)
    assert json.loads(cache.read_text())["files"]


@pytest.mark.parametrize(
    "damage",
    [
        lambda value: "a string",
        lambda value: {**value, "tags": "calming"},
        lambda value: {k: v for k, v in value.items() if k != "title"},
        lambda value: {**value, "minutes": None},
        lambda value: {**value, "extra": 1},
        lambda value: [1, 2],
        lambda value: [],
        lambda value: None,
    ],
)
def test_a_malformed_cache_entry_is_read_again_from_the_file(
    cli: CLI, quietwork_home: Path, damage: Any
) -> None:
    assert cli("list").exit_code == 0
    cache = quietwork_home / "cache" / "practices.json"
    data = json.loads(cache.read_text())
    for entry in data["files"].values():
        entry["value"] = damage(entry["value"])
    cache.write_text(json.dumps(data))
    for _ in range(2):  # rebuilt, and read back
        result = cli("list", "--json")
        assert result.exit_code == 0, result.output
        assert len(json.loads(result.stdout)) == len(BUILTINS) and not result.stderr
    rebuilt = json.loads(cache.read_text())["files"].values()
    assert all(isinstance(entry["value"], dict) for entry in rebuilt)


def test_tags_match_whatever_the_case(cli: CLI) -> None:
    upper = {item["id"] for item in json.loads(cli("list", "--tag", "CALMING", "--json").stdout)}
    lower = {item["id"] for item in json.loads(cli("list", "--tag", "calming", "--json").stdout)}
    assert upper == lower and upper


def test_a_missing_practice_dirs_folder_is_named(
    cli: CLI, quietwork_home: Path, tmp_path: Path
) -> None:
    quietwork_home.mkdir(parents=True, exist_ok=True)
    (quietwork_home / "config.toml").write_text(f'practice_dirs = ["{tmp_path}/gone"]\n')
    result = cli("list")
    assert result.exit_code == 0
    assert f"{tmp_path}/gone: no such folder (from practice_dirs in config.toml)" in result.stderr


def test_an_unclosed_quote_names_where_it_starts(cli: CLI, tmp_path: Path) -> None:
    path = tmp_path / "q.yaml"
    path.write_text('title: T\nsummary: S\nsteps:\n  - say: "unclosed\n    seconds: 5\n\n')
    result = cli("validate", str(path))
    assert result.exit_code == 1
    assert (f"{path}:7:1: invalid YAML: found unexpected end of stream"
            " (while scanning a quoted scalar at 4:10)") in result.stdout


def test_a_line_break_in_a_one_line_field(cli: CLI, tmp_path: Path) -> None:
    path = tmp_path / "nl.yaml"
    path.write_text('title: T\nsummary: "a\\nb"\nsteps:\n  - say: x\n    seconds: 5\n')
    result = cli("validate", str(path))
    assert f"{path}:2:10: summary: must be a single line (no line breaks)" in result.stdout


def test_validate_warns_when_shut_down_meets_slow_breathing_or_a_body_scan(
    cli: CLI, tmp_path: Path
) -> None:
    path = tmp_path / "numb.yaml"
    path.write_text(
        "title: Numb\nsummary: For shut down.\nsuits: [shut_down]\nsteps:\n"
        "  - breathe: {inhale: 4, exhale: 6, breaths: 3}\n"
        "  - track: {areas: [jaw], seconds: 5}\n"
    )
    result = cli("validate", str(path))
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stdout.splitlines() if ": warning: " in line]
    assert warnings[0].startswith(f"{path}:5:14: warning: steps[1].breathe: the practice suits"
                                  " shut_down but has slow breathing")
    assert warnings[1].startswith(f"{path}:6:12: warning: steps[2].track: the practice suits"
                                  " shut_down but has a body scan")
    builtins = cli("validate", *[str(p) for p in sorted(
        (Path(__file__).resolve().parents[1] / "practices").glob("*.yaml"))])
    assert ": warning: " not in builtins.stdout


# Several problems in one step, each a line of its own, said for the step it is in.
CROWDED = """\
title: Crowded
summary: Problems on every side.
steps:
  - say: Feel your feet.
    seconds: 5
  - breathe:
    inhale: 4
    exhale: 6
    bogus: 1
  - say: Look around.
    seconds: 5
    breathe: {inhale: 4, exhale: 6, breaths: 2}
  - checkin: How is it now?
    seconds: 3
"""


def test_validate_names_each_problem_of_a_step_and_what_the_step_holds(
    cli: CLI, tmp_path: Path
) -> None:
    path = tmp_path / "crowded.yaml"
    path.write_text(CROWDED)
    result = cli("validate", str(path))
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{path}:6:")  # the empty breathe:
    assert "steps[2].breathe: is empty" in lines[0], lines[0]
    assert lines[1:4] == [
        f"{path}:7:5: steps[2].inhale: unknown key ('inhale' belongs under 'breathe:', indented)",
        f"{path}:8:5: steps[2].exhale: unknown key ('exhale' belongs under 'breathe:', indented)",
        f"{path}:9:5: steps[2].bogus: unknown key"
        " (a breathe step has only 'breathe:', its settings indented under it)",
    ]
    assert lines[4:] == [
        f"{path}:12:5: steps[3].breathe: unknown key"
        " ('breathe' starts another step: give it a line of its own, '- breathe:')",
        f"{path}:14:5: steps[4].seconds: unknown key (a checkin step has only 'checkin:')",
    ]
    assert "expected one of" not in result.stdout


def test_a_broken_practice_lists_its_first_ten_problems_and_how_many_more(
    cli: CLI, quietwork_home: Path
) -> None:
    steps = "".join(f"  - say: Step {k}.\n    seconds: 5\n    colour: red\n" for k in range(14))
    path = user_practice(quietwork_home, "many.yaml", f"title: Many\nsummary: S.\nsteps:\n{steps}")
    for command in ("practice", "show"):
        result = cli(command, "many")
        assert result.exit_code == 2, result.output
        lines = result.stderr.splitlines()
        assert lines[0] == (f"Error: {path}:6:5: steps[1].colour: unknown key"
                            " (a say step has say, seconds and repeat)")
        assert [line.split(": ", 1)[0] for line in lines[1:10]] == [
            f"  {path}:{6 + 3 * k}:5" for k in range(1, 10)]  # one a line, in order
        assert lines[10:] == [f"  and 4 more: `quietwork validate {path}` lists every one"]


def test_a_key_given_twice_is_an_error_naming_the_line_and_the_key(
    cli: CLI, quietwork_home: Path
) -> None:
    twice = user_practice(quietwork_home, "twice.yaml", (
        "title: A\ntitle: B\nsummary: s\nsteps:\n"
        "  - say: x\n    seconds: 1\n    seconds: 2\n"
        "  - breathe: {inhale: 4, exhale: 6, breaths: 2, exhale: 3}\n"))
    validated = cli("validate", str(twice))
    assert validated.exit_code != 0, validated.output
    assert f"{twice}:2:1: title: set twice (first on line 1)" in validated.stdout
    assert f"{twice}:7:5: steps[1].seconds: set twice (first on line 6)" in validated.stdout
    assert f"{twice}:8:" in validated.stdout and "steps[2].breathe.exhale: set twice" in (
        validated.stdout)
    for args in (("show", "twice"), ("practice", "twice")):
        refused = cli(*args)
        assert refused.exit_code == 2, refused.output
        assert f"Error: {twice}:2:1: title: set twice" in refused.stderr
        assert "Traceback" not in refused.output
    listed = cli("list")
    assert listed.exit_code == 0 and "twice" not in listed.stdout
    assert "title: set twice" in listed.stderr
    # The same key in two mappings, or in two steps, is no repeat.
    fine = user_practice(quietwork_home, "fine.yaml", (
        "title: A\nsummary: s\nsteps:\n  - say: x\n    seconds: 1\n  - say: y\n    seconds: 1\n"
        "  - track: {areas: [jaw], seconds: 1}\n"))
    assert cli("validate", str(fine)).exit_code == 0


def test_a_key_given_twice_is_listed_with_the_other_problems_of_the_file(
    cli: CLI, quietwork_home: Path
) -> None:
    path = user_practice(quietwork_home, "many.yaml", (
        "title: One\ntitle: Two\nsummary: 3\ntags: breath\nsteps:\n"
        "  - say: Hello\n    seconds: -4\n  - wiggle: now\n"
        "  - track:\n      areas: []\n      seconds: 5\n"))
    validated = cli("validate", str(path))
    assert validated.exit_code != 0, validated.output
    places = [line.split(": ", 1)[0] for line in validated.stdout.splitlines()
              if line.startswith(str(path))]
    assert places == [f"{path}:{where}" for where in ("2:1", "3:10", "4:7", "7:14", "8:5",
                                                       "10:14")]  # every one, in file order
    assert f"{path}:2:1: title: set twice (first on line 1)" in validated.stdout
    assert "unknown step kind 'wiggle'" in validated.stdout
    refused = cli("show", "many")
    assert refused.exit_code == 2
    assert refused.stderr.startswith(f"Error: {path}:2:1: title: set twice")
    assert f"{path}:8:5:" in refused.stderr  # the next problems, in the hint


def test_exit_codes_for_one_broken_file_are_the_ones_the_contract_and_help_give(
    cli: CLI, quietwork_home: Path
) -> None:
    broken = user_practice(quietwork_home, "broken.yaml", MINE.replace("seconds: 5", "seconds: 0"))
    # validate ran its check and the file failed it: 1; it is usage that is 2.
    assert cli("validate", str(broken)).exit_code == 1
    assert cli("validate").exit_code == 2
    # show and practice could not do what was asked with it: 2, as for any invalid file.
    assert cli("show", "broken").exit_code == 2
    assert cli("practice", "broken").exit_code == 2
    helped = cli("validate", "--help")
    assert helped.exit_code == 0
    words = " ".join(helped.stdout.split())
    assert "1 when any file has a problem" in words and "2 for a usage error" in words
    contract = (Path(__file__).resolve().parents[1] / "docs" / "contract.md").read_text()
    assert "1 when any has a problem (2 for a usage error)" in contract
