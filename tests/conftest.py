"""Shared fixtures: every test runs with its own QUIETWORK_HOME."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def quietwork_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point quietwork at an empty temporary home, and keep the environment neutral."""
    home = tmp_path / "qwhome"
    monkeypatch.setenv("QUIETWORK_HOME", str(home))
    for name in ("QUIETWORK_SPEED", "QUIETWORK_DEBUG", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    yield home
