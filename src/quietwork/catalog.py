"""Discovery: built-in practices, then the user's folder, then config's practice_dirs."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quietwork import paths
from quietwork.errors import PracticeFileError, UsageError

if TYPE_CHECKING:
    from quietwork.practice import Practice

SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Entry:
    """One practice file found on disk (not yet read)."""

    id: str
    path: Path
    origin: str  # "built-in" or "user"
    replaces: Path | None = None  # the file this one overrides, e.g. a built-in


@dataclass(frozen=True)
class Summary:
    """What `list` shows of a valid practice."""

    entry: Entry
    title: str
    summary: str
    minutes: float
    tags: tuple[str, ...]
    suits: tuple[str, ...]
    avoid_when: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        """The `list --json` object."""
        return {
            "id": self.entry.id,
            "title": self.title,
            "summary": self.summary,
            "minutes": self.minutes,
            "tags": list(self.tags),
            "suits": list(self.suits),
            "avoid_when": list(self.avoid_when),
            "source": self.entry.origin,
            "path": str(self.entry.path),
            "replaces_builtin": self.entry.replaces is not None
            and self.entry.replaces.parent == paths.builtin_practices_dir(),
        }


@dataclass
class Catalog:
    """The practices that can be run, by id."""

    entries: dict[str, Entry] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # files that cannot have an id

    def ids(self) -> list[str]:
        """Every id, sorted."""
        return sorted(self.entries)

    def find(self, practice_id: str) -> Entry:
        """The entry for an id, or a usage error with a suggestion."""
        entry = self.entries.get(practice_id)
        if entry is not None:
            return entry
        close = difflib.get_close_matches(practice_id, self.ids(), n=1)
        hint = f"did you mean '{close[0]}'?" if close else None
        known = ", ".join(self.ids())
        raise UsageError(f"no practice '{practice_id}' (known: {known})", hint)

    def load(self, practice_id: str) -> Practice:
        """Read and validate one practice."""
        from quietwork.loader import load_practice

        return load_practice(self.find(practice_id).path)

    def summaries(self, tag: str | None = None) -> tuple[list[Summary], list[PracticeFileError]]:
        """The valid practices (optionally with a tag), and the problems of broken files."""
        from quietwork.loader import load_practice

        found: list[Summary] = []
        broken: list[PracticeFileError] = []
        for practice_id in self.ids():
            entry = self.entries[practice_id]
            try:
                practice = load_practice(entry.path)
            except PracticeFileError as exc:
                broken.append(exc)
                continue
            if tag is not None and tag not in practice.tags:
                continue
            found.append(
                Summary(
                    entry=entry,
                    title=practice.title,
                    summary=practice.summary,
                    minutes=round(practice.duration() / 60, 1),
                    tags=tuple(practice.tags),
                    suits=tuple(practice.suits),
                    avoid_when=tuple(practice.avoid_when),
                )
            )
        return found, broken


def discover(extra_dirs: Iterable[Path] = ()) -> Catalog:
    """Every practice file, later folders replacing earlier ones with the same id."""
    catalog = Catalog()
    folders = [(paths.builtin_practices_dir(), "built-in"), (paths.user_practices_dir(), "user")]
    folders += [(Path(folder), "user") for folder in extra_dirs]
    for folder, origin in folders:
        try:
            names = sorted(p for p in folder.iterdir() if p.suffix in SUFFIXES)
        except FileNotFoundError:
            continue
        except OSError as exc:
            catalog.problems.append(f"{folder}: cannot list the folder: {exc.strerror}")
            continue
        for path in names:
            practice_id = path.stem
            if not is_plain_id(practice_id):
                catalog.problems.append(
                    f"{path}: the file name is not a usable practice id"
                    " (letters, digits, - and _ only)"
                )
                continue
            previous = catalog.entries.get(practice_id)
            catalog.entries[practice_id] = Entry(
                practice_id, path, origin, previous.path if previous else None
            )
    return catalog


def is_plain_id(name: str) -> bool:
    """Whether an id is a plain name: ASCII letters, digits, - and _, not starting with - or _."""
    return (
        0 < len(name) <= 64
        and name.isascii()
        and name[0].isalnum()
        and all(ch.isalnum() or ch in "-_" for ch in name)
    )
