"""The wheel carries the built-in practices, so a non-editable install lists them all."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from quietwork import paths

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("uv") is None, reason="needs uv to build the wheel")
def test_the_wheel_ships_every_builtin_practice(tmp_path: Path) -> None:
    subprocess.run(["uv", "build", "--wheel", "--quiet", "--out-dir", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True, timeout=120)
    (wheel,) = tmp_path.glob("quietwork-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    builtins = {p.name for p in paths.builtin_practices_dir().glob("*.yaml")}
    assert len(builtins) >= 7
    assert {f"quietwork/practices/{name}" for name in builtins} <= names
    assert "quietwork/py.typed" in names
