"""Settings: defaults, then config.toml, then the environment; flags are applied by the CLI."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Mapping
from dataclasses import field, replace
from pathlib import Path
from typing import Any, Literal

from quietwork import output, paths
from quietwork.errors import ConfigError, UsageError
from quietwork.records import record
from quietwork.text import clean

DEFAULT_STOP_AT = 8
# A few settings and a support message of at most 4,000 characters.
MAX_BYTES = 64 * 1024
DEFAULT_RISING_FROM = 5
KEYS = (
    "stop_at", "speed", "bell", "sound", "plain", "voice", "support_message", "practice_dirs",
    "checkin", "rising_from",
)
CHECKIN_MODES = ("rating", "full")  # the 0-10 alone; or also lean, body, noticed, note


@record(eq=False, repr=False)
class Settings:
    """The effective settings, and where each value came from."""

    stop_at: int = DEFAULT_STOP_AT
    speed: float = 1.0
    bell: bool = False
    sound: bool = False
    plain: bool = False
    voice: bool = False
    support_message: str | None = None
    practice_dirs: tuple[Path, ...] = ()
    checkin: str = "rating"
    rising_from: int = DEFAULT_RISING_FROM
    origins: Mapping[str, str] = field(default_factory=dict)
    config_file: Path | None = None
    # Read leniently (salvage.load_settings_leniently): the keys that could not be read, each at
    # its default; "*" when the file as a whole could not be read.
    unread: frozenset[str] = frozenset()

    def could_not_read(self, key: str) -> bool:
        """Whether the config file set `key` (or may have) but it could not be read.

        A line that names no key may have set any key, but not one read from another line.
        """
        return key in self.unread or ("*" in self.unread and key not in self.origins)

    def origin(self, key: str) -> str:
        """Where a setting came from: default, the config file and line, env or flag."""
        return self.origins.get(key, "default")

    def with_flags(self, **flags: Any) -> Settings:
        """These settings with the command line's values (None = not given) on top."""
        given = {key: value for key, value in flags.items() if value is not None}
        origins = dict(self.origins)
        origins.update({key: "command line" for key in given})
        return replace(self, **given, origins=origins)


# A pace a person can follow: a quarter of the written pace stretches a 4 s inhale to
# 16 s (slower than anyone breathes with a guide); 100 times runs a practice in seconds
# (for trying one out, and for tests). Outside them, a timeline overflows or stalls.
MIN_SPEED = 0.25
MAX_SPEED = 100.0
# A plain decimal, ASCII digits only: float() would also take "1_0" (10), "1e2", "inf"
# and other scripts' digits ("٣" is 3), none of which a person means by a speed. Compiled
# when first matched (re's cache): most starts read no speed as text.
_DECIMAL = r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+"


def parse_speed(text: str, where: str) -> float:
    """A pace multiplier from text (a flag, QUIETWORK_SPEED), or a UsageError naming where.

    The one reading of a speed typed as text: the message says what and where, so a
    caller that only warns can show `exc.message` as it is.
    """
    shown = clean(text, single_line=True)
    plain = text.strip(" \t")
    if not re.fullmatch(_DECIMAL, plain.removeprefix("-")):  # "-1" is below the range
        what = ("a plain decimal; write one" if _is_float(plain)  # 1e9, inf
                else "a number; write a plain decimal")
        raise UsageError(f"{where}: '{shown}' is not {what} like 1, 1.5 or 0.5")
    value = float(plain)
    check_speed(value, where)
    return value


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def check_speed(value: float, where: str) -> None:
    """Refuse a speed that is out of range (a UsageError naming where it came from)."""
    problem = speed_problem(value)
    if problem:
        raise UsageError(f"{where}: {problem}")


def speed_problem(value: float) -> str | None:
    """Why a speed cannot pace a practice, or None."""
    if not (MIN_SPEED <= value <= MAX_SPEED):  # NaN fails too
        return f"{value:g} is out of range; a speed is from {MIN_SPEED:g} to {MAX_SPEED:g}"
    return None


def load_settings(
    path: Path | None = None, env: Mapping[str, str] | None = None, *, env_speed: bool = False
) -> Settings:
    """Defaults, then config.toml when it exists, then QUIETWORK_SPEED (when `env_speed`).

    Only what paces a practice (and `config`, which shows it) asks for QUIETWORK_SPEED,
    so that a bad value never stops `list`, `log` or `checkin` from working.
    """
    env = os.environ if env is None else env
    path = path or paths.config_path()
    settings = Settings()
    try:
        # A folder or a dangling link in its place is a broken config, not a missing one:
        # a stop_at the person set must never quietly fall back to the default.
        exists = path.exists() or path.is_symlink()
    except OSError:
        exists = True  # there, but not ours to look at: reading it names the problem
    if exists:
        settings = _read_file(path)
    return with_env_speed(settings, env, env_speed, lenient=False)


def _read_file(path: Path) -> Settings:
    import tomllib

    from pydantic import ValidationError

    from quietwork.files import Unreadable, not_utf8, read_regular

    try:
        text = read_regular(path, MAX_BYTES).decode("utf-8-sig")  # a BOM is no error
    except Unreadable as exc:
        reason = exc.reason if exc.size is None else f"{exc.reason}; at most 64 KiB"
        raise ConfigError(f"{path}: cannot be read: {reason}") from None
    except UnicodeDecodeError as exc:  # said as for a practice file
        where, byte = not_utf8(exc)
        raise ConfigError(f"{path}:{where}: cannot be read: not UTF-8 text ({byte})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = toml_error_at(exc)
        where = f"{found[0]}:{found[1]}" if found else "1:1"
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise ConfigError(f"{path}:{where}: invalid TOML: {reason}") from None
    lines = {key: line_of(text, key) for key in data}
    try:
        model = config_model().model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        key = str(error["loc"][0]) if error["loc"] else ""
        message, _ = key_problem(error, key)
        if error["type"] == "extra_forbidden":
            message += f" (known keys: {', '.join(KEYS)})"
        raise ConfigError(f"{path}:{lines.get(key, 1)}: {key}: {message}") from None
    values = model.model_dump(exclude_unset=True)
    if "practice_dirs" in values:
        values["practice_dirs"] = tuple(folder(path.parent, p) for p in values["practice_dirs"])
    origins = {key: f"{path}:{lines[key]}" for key in values}
    return Settings(**values, origins=origins, config_file=path)


def key_problem(error: Mapping[str, Any], key: str) -> tuple[str, list[str]]:
    """What pydantic's error says of one key of config.toml, in quietwork's words, and the
    known key it may have meant (a misspelt one's nearest)."""
    if error["type"] != "extra_forbidden":
        return str(error["msg"]).removeprefix("Value error, "), []  # our own checks' words
    import difflib

    close = difflib.get_close_matches(key, KEYS, n=1)
    return "unknown key" + (f"; did you mean '{close[0]}'?" if close else ""), close


def toml_error_at(exc: Exception) -> tuple[int, int] | None:
    """The line and column a TOMLDecodeError names, if it names them."""
    found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
    return (int(found.group(1)), int(found.group(2))) if found else None


def folder(base: Path, text: str) -> Path:
    """A practice_dirs entry as an absolute path, resolved when it can be.

    Never raises: a folder that loops, has a NUL byte or names an unknown user's home
    is named (and skipped) by discovery, so that it cannot stop `practice`, `checkin` or
    `support` from working.
    """
    folder = Path(text)
    with contextlib.suppress(RuntimeError):  # "~nobody/x": no such user
        folder = folder.expanduser()
    folder = base / folder
    try:
        return folder.resolve()
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL byte
        return Path(os.path.normpath(folder))


def folder_problems(settings: Settings) -> list[str]:
    """A line for each practice_dirs entry that is not a folder practices can be read from.

    For `config`, which shows the entries: missing, a file, a loop, unreadable, a NUL
    byte. Discovery (`list`, `practice`) names the same entries as it skips them; nothing
    here refuses.
    """
    where = f" (from practice_dirs in {settings.config_file or 'config.toml'})"
    problems = []
    for folder in settings.practice_dirs:
        try:
            with os.scandir(folder):
                pass
        except FileNotFoundError:
            problems.append(f"{folder}: no such folder{where}")
        except NotADirectoryError:
            problems.append(f"{folder}: not a folder{where}")
        except OSError as exc:
            problems.append(f"{folder}: cannot list the folder: {exc.strerror or exc}{where}")
        except ValueError:  # a NUL byte: no file system has such a name
            shown = str(folder).replace("\0", "\\0")
            problems.append(f"{shown}: not a usable folder name (it has a NUL byte){where}")
    return problems


def line_of(text: str, key: str) -> int:
    """The line that sets top-level `key`: `key = …`, `key.x = …`, `[key]`, `[[key]]`, `[key.x]`."""
    quoted = rf"[\"']?{re.escape(key)}[\"']?\s*"
    pattern = re.compile(rf"^\s*(?:{quoted}[=.]|\[\[?\s*{quoted}[\].])")
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return number
    return 1


def _speed_in_range(value: float) -> float:
    problem = speed_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def config_model() -> Any:
    """The pydantic model of config.toml (built on first use: pydantic is slow to import)."""
    from typing import Annotated

    from pydantic import AfterValidator, BaseModel, ConfigDict, Field

    class ConfigFile(BaseModel):
        model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)

        stop_at: Annotated[int, Field(ge=1, le=10)] = DEFAULT_STOP_AT
        speed: Annotated[float, AfterValidator(_speed_in_range)] = 1.0
        bell: bool = False
        sound: bool = False
        plain: bool = False
        voice: bool = False
        support_message: Annotated[str, Field(max_length=4000)] | None = None
        practice_dirs: list[str] = []
        checkin: Literal["rating", "full"] = "rating"
        rising_from: Annotated[int, Field(ge=1, le=10)] = DEFAULT_RISING_FROM

    return ConfigFile


def with_env_speed(
    settings: Settings, env: Mapping[str, str], env_speed: bool, *, lenient: bool
) -> Settings:
    """QUIETWORK_SPEED over the config's speed; a bad value raises, or (lenient) is said and
    ignored."""
    speed = env.get("QUIETWORK_SPEED", "").strip(" \t") if env_speed else ""
    if not speed:
        return settings
    try:
        value = parse_speed(speed, "QUIETWORK_SPEED")
    except UsageError as exc:
        if not lenient:
            raise
        output.warn(f"{exc.message} — ignored")
        return settings
    origins = {**settings.origins, "speed": "QUIETWORK_SPEED"}
    return replace(settings, speed=value, origins=origins)
