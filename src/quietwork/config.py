"""Settings: defaults, then config.toml, then the environment; flags are applied by the CLI."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from quietwork import paths
from quietwork.errors import ConfigError, UsageError

DEFAULT_STOP_AT = 8
KEYS = (
    "stop_at", "speed", "bell", "sound", "plain", "voice", "support_message", "practice_dirs",
)


@dataclass(frozen=True)
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
    origins: Mapping[str, str] = field(default_factory=dict)
    config_file: Path | None = None

    def origin(self, key: str) -> str:
        """Where a setting came from: default, the config file and line, env or flag."""
        return self.origins.get(key, "default")

    def with_flags(self, **flags: Any) -> Settings:
        """These settings with the command line's values (None = not given) on top."""
        given = {key: value for key, value in flags.items() if value is not None}
        origins = dict(self.origins)
        origins.update({key: "command line" for key in given})
        return replace(self, **given, origins=origins)


def parse_speed(text: str, where: str) -> float:
    """A pace multiplier from text, or a UsageError naming where it came from."""
    try:
        value = float(text)
    except ValueError:
        raise UsageError(f"{where}: '{text}' is not a number (try 1, 1.5 or 2)") from None
    check_speed(value, where)
    return value


def check_speed(value: float, where: str) -> None:
    """Refuse a speed that is zero, negative, not finite or absurd."""
    if not (0 < value <= 100):
        raise UsageError(f"{where}: {value:g} is out of range; a speed is above 0 and at most 100")


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
    speed = env.get("QUIETWORK_SPEED", "").strip() if env_speed else ""
    if speed:
        origins = {**settings.origins, "speed": "QUIETWORK_SPEED"}
        settings = replace(settings, speed=parse_speed(speed, "QUIETWORK_SPEED"), origins=origins)
    return settings


def _read_file(path: Path) -> Settings:
    import tomllib

    from pydantic import ValidationError

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        where = f"byte {exc.start + 1}"
        raise ConfigError(f"{path}: cannot be read: not UTF-8 text ({where})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        where = f"{found.group(1)}:{found.group(2)}" if found else "1:1"
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise ConfigError(f"{path}:{where}: invalid TOML: {reason}") from None
    lines = {key: _line_of(text, key) for key in data}
    try:
        model = _model().model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        key = str(error["loc"][0]) if error["loc"] else ""
        message = "unknown key" if error["type"] == "extra_forbidden" else error["msg"]
        if error["type"] == "extra_forbidden":
            import difflib

            close = difflib.get_close_matches(key, KEYS, n=1)
            message += f"; did you mean '{close[0]}'?" if close else ""
            message += f" (known keys: {', '.join(KEYS)})"
        raise ConfigError(f"{path}:{lines.get(key, 1)}: {key}: {message}") from None
    values = model.model_dump(exclude_unset=True)
    if "practice_dirs" in values:
        values["practice_dirs"] = tuple(
            (path.parent / Path(p).expanduser()).resolve() for p in values["practice_dirs"]
        )
    origins = {key: f"{path}:{lines[key]}" for key in values}
    return Settings(**values, origins=origins, config_file=path)


def _line_of(text: str, key: str) -> int:
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return number
    return 1


def _model() -> Any:
    """The pydantic model of config.toml (built on first use: pydantic is slow to import)."""
    from typing import Annotated

    from pydantic import BaseModel, ConfigDict, Field

    class ConfigFile(BaseModel):
        model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)

        stop_at: Annotated[int, Field(ge=1, le=10)] = DEFAULT_STOP_AT
        speed: Annotated[float, Field(gt=0, le=100)] = 1.0
        bell: bool = False
        sound: bool = False
        plain: bool = False
        voice: bool = False
        support_message: Annotated[str, Field(max_length=4000)] | None = None
        practice_dirs: list[str] = []

    return ConfigFile
