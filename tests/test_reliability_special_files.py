"""Reliability: FIFOs and devices where files belong (issue 16, item 10).

A FIFO as support.md hung the stop screen after a high rating; a FIFO as config.toml
hung every command; /dev/zero as config.toml or as an import file read until memory ran
out. Each case runs the real CLI in a subprocess with a timeout and a memory cap, so
that the old behaviour fails the test instead of hanging or swapping the machine.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

MEMORY_CAP = 1024 * 1024 * 1024  # 1 GiB of address space: /dev/zero read whole hits it


def run(*args: str, input: str = "") -> subprocess.CompletedProcess[str]:
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))

    return subprocess.run([sys.executable, "-m", "quietwork", *args], input=input,
                          capture_output=True, text=True, timeout=20, preexec_fn=cap)


@pytest.fixture
def home(quietwork_home: Path) -> Path:
    quietwork_home.mkdir()
    return quietwork_home


@pytest.mark.parametrize(
    ("args", "input"),
    [(("practice", "exhale"), "9\n"), (("checkin", "--distress", "9"), ""), (("support",), "")],
    ids=["stop screen", "checkin 9", "support"],
)
def test_a_fifo_as_the_support_plan_shows_the_default_text(
    home: Path, args: tuple[str, ...], input: str
) -> None:
    os.mkfifo(home / "support.md")
    result = run(*args, input=input)
    assert result.returncode == 0, result.stderr
    assert "contact your local" in result.stdout  # the default support text, all of it
    assert "you don't have to do this alone" in result.stdout
    [warning] = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
    assert str(home / "support.md") in warning and "FIFO" in warning


@pytest.mark.parametrize("kind", ["a FIFO", "/dev/zero"])
@pytest.mark.parametrize(
    "args", [("list",), ("checkin", "--distress", "3"), ("practice", "exhale"), ("config",)]
)
def test_a_fifo_or_a_device_as_config_is_one_error(
    home: Path, kind: str, args: tuple[str, ...]
) -> None:
    config = home / "config.toml"
    if kind == "a FIFO":
        os.mkfifo(config)
    else:
        config.symlink_to("/dev/zero")
    result = run(*args, input="s\n")
    lines = result.stderr.splitlines()
    if args[0] in ("checkin", "practice"):
        # The way back is never blocked: one warning naming the file, and it goes on.
        assert result.returncode == 0, result.stderr
        assert lines[0].startswith(f"Warning: {config}: cannot be read: it is "), lines
    else:
        assert result.returncode == 2, result.stderr
        assert lines[0].startswith(f"Error: {config}: cannot be read: it is "), lines
        assert len(lines) <= 2
    assert "not a regular file" in lines[0] and "bug" not in result.stderr


@pytest.mark.parametrize("kind", ["/dev/zero", "a FIFO", "a folder"])
def test_an_import_that_is_not_a_regular_file_is_refused_unread(
    home: Path, tmp_path: Path, kind: str
) -> None:
    source = tmp_path / "laptop.json"
    if kind == "/dev/zero":
        source = Path("/dev/zero")
    elif kind == "a FIFO":
        os.mkfifo(source)
    else:
        source.mkdir()
    result = run("import", str(source))
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"Error: {source}: cannot be read: it is "), result.stderr
    assert "bug" not in result.stderr
    assert json.loads(run("log", "--json").stdout) == []


def test_a_regular_import_still_works(home: Path, tmp_path: Path) -> None:
    assert run("checkin", "--distress", "4", "--note", "mine").returncode == 0
    backup = tmp_path / "backup.json"
    backup.write_text(run("log", "--json").stdout)
    elsewhere = subprocess.run(
        [sys.executable, "-m", "quietwork", "import", str(backup)], capture_output=True,
        text=True, timeout=60, env={**os.environ, "QUIETWORK_HOME": str(tmp_path / "other")},
    )
    assert elsewhere.returncode == 0, elsewhere.stderr
    assert "Imported 1 entry" in elsewhere.stdout


def test_a_support_plan_over_the_limit_shows_its_beginning(home: Path) -> None:
    (home / "support.md").write_text("Call Sam: 555 0100.\n" + "x" * (70 * 1024))
    result = run("support")
    assert result.returncode == 0, result.stderr
    assert "Call Sam: 555 0100." in result.stdout
    assert "is over 64 KiB; showing its beginning" in result.stderr
