"""The settings for the way back to calm: a config.toml that `config.load_settings`
refused, read for every key that is fine on its own.

`practice`, `settle` and `checkin` never stop at a broken file: they go on with what
can be read. `config` and `validate` read it strictly (`quietwork.config`).
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from quietwork import output, paths
from quietwork.config import (
    DEFAULT_STOP_AT,
    KEYS,
    Settings,
    config_model,
    folder,
    key_problem,
    line_of,
    load_settings,
    toml_error_at,
    with_env_speed,
)
from quietwork.errors import ConfigError
from quietwork.text import clean


def load_settings_leniently(
    env: Mapping[str, str] | None = None, *, env_speed: bool = False
) -> Settings:
    """The settings for the way back to calm (`practice`, `settle`, `checkin`): never refused.

    What `load_settings` would refuse becomes a warning naming the file, line and key,
    and the command goes on with every value that could be read (the others at their
    defaults, listed in `Settings.unread`). `config` and `validate` stay strict.
    """
    env = os.environ if env is None else env
    try:
        settings = load_settings(env={})
    except ConfigError as exc:
        settings = salvage(paths.config_path(), exc.message)
    return with_env_speed(settings, env, env_speed, lenient=True)


def salvage(path: Path, refused: str) -> Settings:
    """Every key of a config file that `load_settings` refused that is fine on its own.

    When the file as a whole is not TOML, its top-level lines are read one by one (a
    value over several lines with the lines after it), up to the first table header:
    a syntax error anywhere never drops the stop_at the person set on a line of its own.
    """
    import tomllib

    from pydantic import ValidationError

    text, mended = None, False
    with contextlib.suppress(OSError):
        # Only a regular file is read again: a FIFO in its place would never answer.
        if path.is_file():
            raw = path.read_bytes()
            try:
                text = raw.decode("utf-8-sig")  # Notepad's byte order mark is no error
            except UnicodeDecodeError:
                # A byte that is not UTF-8 (an editor saved "José" as Latin-1) costs only
                # the text around it, shown as U+FFFD: never a stop_at on a line of its own.
                text, mended = raw.decode("utf-8-sig", errors="replace"), True
    if text is None:  # nothing in it could be read: every value at its default
        output.warn(f"{refused} — going on with the default settings")
        return Settings(unread=frozenset({"*"}), config_file=path)
    whole = True
    try:
        found = {key: (value, line_of(text, key)) for key, value in tomllib.loads(text).items()}
        problems: list[tuple[int, str]] = []
        unread: set[str] = set()
    except tomllib.TOMLDecodeError as exc:
        whole = False
        at = toml_error_at(exc)
        found, problems, unread = _line_by_line(text, at[0] if at else None)
    model = config_model()
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for key, (value, line) in found.items():
        try:
            checked = model.model_validate({key: value}).model_dump(exclude_unset=True)
        except ValidationError as exc:
            message, close = key_problem(exc.errors()[0], key)
            # "stopat = 6" meant a threshold: the one in force is said on screen.
            unread.update(close)
            problems.append((line, f"{key}: {message} — going on without it"))
            unread.add(key)
            continue
        values.update(checked)
        lines[key] = line
    if "stop_at" not in values and (meant := _stop_at_meant(text)) is not None:
        # However it is written, a threshold the person lowered stays lowered; it is still
        # said on screen (unread), as one that could not be read as written.
        values["stop_at"], lines["stop_at"] = meant
        unread.add("stop_at")
        said = f" — going on with stop_at = {meant[0]}, the number it gives"
        problems = [(line, message.removesuffix(" — going on without it") + said
                     if line == meant[1] else message) for line, message in problems]
    if not whole or mended:  # what is in force, said first: the rest are details
        kept = ", ".join(f"{key} = {_shown(values[key])} (line {lines[key]})" for key in values)
        output.warn(f"{refused} — going on with {kept or 'the default settings'}"
                    f"{' and the defaults' if kept else ''}")
    for line, message in sorted(problems):
        output.warn(f"{path}:{line}: {message}")
    if "practice_dirs" in values:  # resolved as the strict reading does: never raises
        values["practice_dirs"] = tuple(folder(path.parent, p) for p in values["practice_dirs"])
    origins = {key: f"{path}:{line}" for key, line in lines.items()}
    return Settings(**values, origins=origins, config_file=path, unread=frozenset(unread))


# A value written over several lines (a list, a multi-line string) is read whole when it
# ends within this many lines.
_MAX_VALUE_LINES = 50
# A line's key, matched (through re's cache) only when a file is read line by line: not
# compiled at import, on every start's way to the first cue.
_KEY = r"""^\s*["']?([A-Za-z0-9_-]+)["']?\s*[=.]"""


def _line_by_line(
    text: str, error_line: int | None
) -> tuple[dict[str, tuple[Any, int]], list[tuple[int, str]], set[str]]:
    """The top-level keys of a file that is not TOML as a whole, each read on its own.

    (key → (value, line), problems as (line, message), the keys that could not be read;
    "*" when a line that could not be read names no key.) A key set twice keeps its
    first value, but stop_at its lowest: a threshold the person lowered stays lowered.
    """
    import tomllib

    found: dict[str, tuple[Any, int]] = {}
    problems: list[tuple[int, str]] = []
    unread: set[str] = set()
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        number, stripped = index + 1, lines[index].strip()
        if not stripped or stripped.startswith("#"):
            index += 1
            continue
        if stripped.startswith("["):  # a table: quietwork's settings are all top-level
            rest = [re.match(_KEY, line) for line in lines[index + 1:]]
            unread |= {m.group(1) for m in rest if m and m.group(1) in KEYS}
            if number != error_line:
                problems.append((number, f"{stripped}: a table; settings are top-level keys"
                                 " — going on without it and the lines after it"))
            break
        data = None
        for end in range(index + 1, min(len(lines), index + _MAX_VALUE_LINES) + 1):
            with contextlib.suppress(tomllib.TOMLDecodeError):
                data = tomllib.loads("\n".join(lines[index:end]))
                break
        if data is None:
            match = re.match(_KEY, lines[index])
            unread.add(match.group(1) if match else "*")
            if number != error_line:
                problems.append((number, f"{match.group(1) if match else 'this line'}:"
                                 " cannot be read — going on without it"))
            index += 1
            continue
        for key, value in data.items():
            if key not in found:
                found[key] = (value, number)
                continue
            first, line = found[key]
            if key == "stop_at" and isinstance(value, int) and isinstance(first, int):
                kept = (value, number) if value < first else (first, line)
                found[key] = kept
                said = f"going on with the lower, {kept[0]}"
            else:
                said = f"going on with line {line}'s"
            problems.append((number, f"{key}: set again (first on line {line}) — {said}"))
        index = end
    return found, problems, unread


# A line that sets something like stop_at however it is written ("stop-at = 6", "Stop_at: 6",
# 'stop_at = "6"', "stop_at = 6.5", "stop_at = 06", "stopat = 6"); looked for only when
# stop_at itself could not be read.
_STOP_AT_MEANT = r"""^\s*["']?stop[\s_-]*at["']?\s*[=:]\s*["']?\s*([0-9]+(?:\.[0-9]*)?)"""


def _stop_at_meant(text: str) -> tuple[int, int] | None:
    """The lowest threshold below the default that a line seems to set, and its line."""
    seen = []
    for number, line in enumerate(text.splitlines(), 1):
        found = re.match(_STOP_AT_MEANT, line, re.IGNORECASE)
        if found:
            value = int(float(found.group(1)))  # 6.5 stops at 6: the lower is kept
            if 1 <= value < DEFAULT_STOP_AT:
                seen.append((value, number))
    return min(seen) if seen else None


def _shown(value: object) -> str:
    """A setting's value as it would be written in config.toml, short."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"…"' if len(value) > 20 else f'"{clean(value, single_line=True)}"'
    if isinstance(value, list):
        return "[…]"
    return f"{value:g}" if isinstance(value, float) else str(value)
