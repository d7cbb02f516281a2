"""Discovery: built-in practices, then the user's folder, then config's practice_dirs."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quietwork import __version__, paths
from quietwork.errors import PracticeFileError, UsageError
from quietwork.practice import Practice, dump
from quietwork.records import record

SUFFIXES = (".yaml", ".yml")


@record(eq=False, repr=False)
class Entry:
    """One practice file found on disk (not yet read)."""

    id: str
    path: Path
    origin: str  # "built-in" or "user"
    replaces: Path | None = None  # the file this one overrides, e.g. a built-in


@record(eq=False, repr=False)
class Summary:
    """What `list` shows of a valid practice."""

    entry: Entry
    title: str
    summary: str
    minutes: float
    tags: list[str]
    suits: list[str]
    avoid_when: list[str]

    @property
    def replaces_builtin(self) -> bool:
        """Whether this user file takes the place of a built-in practice."""
        replaced = self.entry.replaces
        return replaced is not None and replaced.parent == paths.builtin_practices_dir()

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
            "replaces_builtin": self.replaces_builtin,
        }


@dataclass(eq=False, repr=False)
class Catalog:
    """The practices that can be run, by id."""

    entries: dict[str, Entry] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # files that cannot have an id

    def ids(self) -> list[str]:
        """Every id, sorted."""
        return sorted(self.entries)

    def find(self, practice_id: str) -> Entry:
        """The entry for an id, or a usage error naming the practices that run."""
        entry = self.entries.get(practice_id)
        if entry is not None:
            return entry
        usable, broken = self.usable()
        close = difflib.get_close_matches(practice_id, usable, n=1)
        hints = [f"did you mean '{close[0]}'?"] if close else []
        raise UsageError(f"no practice '{practice_id}' (known: {', '.join(usable)})",
                         "\n  ".join(hints + broken_note(broken)) or None)

    def usable(self) -> tuple[list[str], list[Entry]]:
        """The ids whose files load (sorted), and the entries of the files that do not.

        For the messages that name the practices to choose from: a broken file is no
        choice, but a broken settle runs the built-in. Read through the `list` cache.
        """
        found, _ = self.summaries()
        usable = [summary.entry.id for summary in found]
        return usable, [self.entries[i] for i in self.ids() if i not in set(usable)]

    def load(self, practice_id: str) -> Practice:
        """Read and validate one practice (kept validated in the cache, by the file's stat).

        A cache hit reads neither YAML nor validates again: what starts a practice, the
        moment a person waits for the first cue, is a JSON read.
        """
        return _PracticeCache(self.find(practice_id).path).load()

    def summaries(self, tag: str | None = None) -> tuple[list[Summary], list[PracticeFileError]]:
        """The valid practices (optionally with a tag), and the problems of broken files.

        What each file says is cached by its size and modification time, so that `list`
        reads only the files changed since. A broken settle of the person's is a problem,
        and the built-in one is listed: it runs in its place (`load_settle`).
        """
        cache = _SummaryCache.load()
        found: list[Summary] = []
        broken: list[PracticeFileError] = []
        for practice_id in self.ids():
            entry = self.entries[practice_id]
            fields = cache.get(entry.path)
            if isinstance(fields, list):
                broken.append(PracticeFileError(fields))
                if practice_id != SETTLE_ID:
                    continue
                entry = _builtin_settle()  # it runs in the broken settle's place
                if isinstance(fields := cache.get(entry.path), list):
                    continue
            if tag is not None and tag.casefold() not in {t.casefold() for t in fields["tags"]}:
                continue
            found.append(Summary(entry=entry, **fields))
        cache.save()
        return found, broken


class _SummaryCache:
    """`list` data per file, keyed by path and checked against the file's stat."""

    def __init__(self, path: Path, files: dict[str, Any]) -> None:
        self.path = path
        self.files = files
        self.changed = False

    @classmethod
    def load(cls) -> _SummaryCache:
        path = paths.cache_dir() / "practices.json"
        try:
            data = json.loads(path.read_bytes())
            if data.get("version") == __version__ and isinstance(data.get("files"), dict):
                return cls(path, data["files"])
        except (OSError, ValueError, AttributeError):
            pass  # a missing or unreadable cache is rebuilt
        return cls(path, {})

    def get(self, file: Path) -> Any:
        """The summary fields of a valid file, or the problems (a list) of a broken one."""
        try:
            info = file.stat()
            stamp = [info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino]
        except OSError:
            stamp = None
        key = str(file)
        hit = self.files.get(key)
        if (
            stamp is not None
            and isinstance(hit, dict)
            and hit.get("stamp") == stamp
            and _well_formed(hit.get("value"))
        ):
            return hit["value"]
        value = _read_summary(file)
        self.changed = True
        if stamp is None:
            self.files.pop(key, None)
        else:
            self.files[key] = {"stamp": stamp, "value": value}
        return value

    def save(self) -> None:
        if not self.changed:
            return
        try:
            paths.make_private_dirs(self.path.parent)
            paths.replace_file(
                self.path, json.dumps({"version": __version__, "files": self.files})
            )
        except OSError:
            pass  # only a cache: the next run reads the files again


# What a cached summary holds, and of what type: anything else (an edited or damaged
# cache) is read again from the file. A cache is never trusted over the files.
_SUMMARY_FIELDS: dict[str, type | tuple[type, ...]] = {
    "title": str,
    "summary": str,
    "minutes": (int, float),
    "tags": list,
    "suits": list,
    "avoid_when": list,
}


def _well_formed(value: object) -> bool:
    """Whether a cached value is a summary's fields, or a broken file's problems."""
    if isinstance(value, list):
        return bool(value) and all(isinstance(problem, str) for problem in value)
    if not isinstance(value, dict) or value.keys() != _SUMMARY_FIELDS.keys():
        return False
    for name, kind in _SUMMARY_FIELDS.items():
        field = value[name]
        if not isinstance(field, kind) or isinstance(field, bool):
            return False
        if isinstance(field, list) and not all(isinstance(item, str) for item in field):
            return False
    return True


class _PracticeCache:
    """One validated practice, as JSON, keyed by its file's stat and checked by a digest."""

    def __init__(self, file: Path) -> None:
        self.file = file
        name = _checksum(str(file).encode("utf-8", "surrogatepass"))
        self.path = paths.cache_dir() / "validated" / f"{name}.json"

    def load(self) -> Practice:
        stamp = _stamp(self.file)
        cached = self._read(stamp) if stamp is not None else None
        if cached is not None:
            try:
                return Practice.from_validated(cached)
            except (KeyError, TypeError, ValueError, AttributeError):
                pass  # not what this version writes: read the file
        from quietwork.loader import load_practice

        practice = load_practice(self.file)
        if stamp is not None:
            self._write(stamp, dump(practice))
        return practice

    def _read(self, stamp: list[int]) -> dict[str, Any] | None:
        try:
            data = json.loads(self.path.read_bytes())
            fields = data["practice"]
            if (
                data.get("version") == __version__
                and data.get("stamp") == stamp
                and data.get("file") == str(self.file)
                and data.get("digest") == _digest(fields)
                and isinstance(fields, dict)
            ):
                return fields
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            pass  # missing, damaged or old: the file is read again
        return None

    def _write(self, stamp: list[int], fields: dict[str, Any]) -> None:
        data = {"version": __version__, "file": str(self.file), "stamp": stamp,
                "digest": _digest(fields), "practice": fields}
        _replace(self.path, json.dumps(data))


def _digest(fields: object) -> str:
    text = json.dumps(fields, sort_keys=True, ensure_ascii=True)
    return _checksum(text.encode("ascii"))


def _checksum(data: bytes) -> str:
    """64 bits of checksum (CRC-32 and Adler-32) as hex, for the cache's names and digests.

    Enough for a damaged or foreign entry never to match; zlib is built in, where hashlib
    would load OpenSSL (a few ms of every start).
    """
    import zlib

    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


def _stamp(file: Path) -> list[int] | None:
    try:
        info = file.stat()
    except OSError:
        return None
    return [info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino]


def _replace(path: Path, text: str) -> None:
    """Write a cache file whole, or not at all (only a cache: errors are let go)."""
    try:
        paths.make_private_dirs(path.parent)
        paths.replace_file(path, text)  # never through a symlink planted in the cache
    except (OSError, ValueError):
        pass


def _read_summary(file: Path) -> dict[str, Any] | list[str]:
    from quietwork.loader import load_practice

    try:
        practice = load_practice(file)
    except PracticeFileError as exc:
        return exc.problems
    return {
        "title": practice.title,
        "summary": practice.summary,
        "minutes": round(practice.duration() / 60, 1),
        "tags": list(practice.tags),
        "suits": list(practice.suits),
        "avoid_when": list(practice.avoid_when),
    }


def discover(extra_dirs: Iterable[Path] = ()) -> Catalog:
    """Every practice file, later folders replacing earlier ones with the same id."""
    catalog = Catalog()
    folders = [(paths.builtin_practices_dir(), "built-in"), (paths.user_practices_dir(), "user")]
    extra = [Path(folder) for folder in extra_dirs]
    folders += [(folder, "user") for folder in extra]
    for folder, origin in folders:
        from_config = " (from practice_dirs in config.toml)" if folder in extra else ""
        try:
            names = sorted(p for p in folder.iterdir() if p.suffix in SUFFIXES)
        except FileNotFoundError:
            if folder in extra:
                catalog.problems.append(f"{folder}: no such folder{from_config}")
            continue
        except OSError as exc:
            reason = exc.strerror or str(exc)
            catalog.problems.append(f"{folder}: cannot list the folder: {reason}{from_config}")
            continue
        except ValueError:  # a NUL byte: no file system has such a name
            shown = str(folder).replace("\0", "\\0")
            catalog.problems.append(f"{shown}: not a usable folder name (it has a NUL byte)"
                                    f"{from_config}")
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


def broken_note(broken: list[Entry]) -> list[str]:
    """A line naming the practice files left out as broken, with the command that says why."""
    if not broken:
        return []
    import shlex

    ids = ", ".join(entry.id for entry in broken)
    files = " ".join(shlex.quote(str(entry.path)) for entry in broken)
    they = "its file has" if len(broken) == 1 else "their files have"
    return [f"Left out, as {they} problems: {ids} (see `quietwork validate {files}`)"]


def is_plain_id(name: str) -> bool:
    """Whether an id is a plain name: ASCII letters, digits, - and _, not starting with - or _."""
    return (
        0 < len(name) <= 64
        and name.isascii()
        and name[0].isalnum()
        and all(ch.isalnum() or ch in "-_" for ch in name)
    )


SETTLE_ID = "settle"


def load_settle(catalog: Catalog) -> tuple[Practice, str]:
    """The settle practice and where it came from: the person's own when it loads, else built-in.

    The way back to calm never refuses to run: `practice settle` and the settle offered
    after a stop both come here, and a broken settle file of the person's is a warning.
    """
    from quietwork import output

    entry = catalog.entries.get(SETTLE_ID)
    if entry is not None:
        try:
            return _PracticeCache(entry.path).load(), entry.origin
        except PracticeFileError as exc:
            output.warn(f"{exc.message}; using the built-in settle")
    return _PracticeCache(_builtin_settle().path).load(), "built-in"


def _builtin_settle() -> Entry:
    return Entry(SETTLE_ID, paths.builtin_practices_dir() / "settle.yaml", "built-in")


def load_for_run(catalog: Catalog, practice_id: str) -> tuple[Practice, str]:
    """The practice to run for an id and where it came from (settle through `load_settle`)."""
    entry = catalog.find(practice_id)
    if entry.id == SETTLE_ID:
        return load_settle(catalog)
    return catalog.load(entry.id), entry.origin
