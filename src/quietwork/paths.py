"""Where quietwork keeps things: QUIETWORK_HOME when set, else the platform's user dirs."""

from __future__ import annotations

import contextlib
import errno
import functools
import os
from pathlib import Path

APP = "quietwork"


def home() -> Path | None:
    """The QUIETWORK_HOME folder (always absolute), when the person set one."""
    value = os.environ.get("QUIETWORK_HOME", "").strip()
    return _absolute_home(value) if value else None


@functools.cache
def _absolute_home(value: str) -> Path:
    """QUIETWORK_HOME resolved once per process; a relative one is named on stderr.

    A relative home would name another folder (another log) in every folder quietwork
    runs from, and change under a process that changes folder. It is not refused: the
    support text and a check-in must work whatever the setting. The person is told where
    the log is instead, on every command, until the setting is absolute.
    """
    folder = Path(value).expanduser()
    if folder.is_absolute():
        return folder
    try:
        folder = Path.cwd() / folder
    except OSError:  # the current folder was removed: nothing to resolve against
        return folder
    from quietwork import output

    output.warn(
        f"QUIETWORK_HOME {value!r} is relative: using {folder} (the log is there);"
        " set it to an absolute path to keep one log whichever folder you are in"
    )
    return folder


def data_dir() -> Path:
    """The folder of the log database."""
    base = home()
    if base is not None:
        return base
    import platformdirs  # only paid for when QUIETWORK_HOME is not set

    return Path(platformdirs.user_data_dir(APP, appauthor=False))


def config_dir() -> Path:
    """The folder of config.toml, support.md and the user practices folder."""
    base = home()
    if base is not None:
        return base
    import platformdirs

    return Path(platformdirs.user_config_dir(APP, appauthor=False))


def cache_dir() -> Path:
    """The folder of caches that can always be rebuilt."""
    base = home()
    if base is not None:
        return base / "cache"
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP, appauthor=False))


def db_path() -> Path:
    """The SQLite log."""
    return data_dir() / "quietwork.db"


def config_path() -> Path:
    """The optional settings file."""
    return config_dir() / "config.toml"


def support_path() -> Path:
    """The person's own support plan."""
    return config_dir() / "support.md"


def user_practices_dir() -> Path:
    """Practice files the person wrote or adapted."""
    return config_dir() / "practices"


def make_private_dirs(folder: Path) -> None:
    """Create `folder` and its missing parents, readable by the owner only (0700).

    Every folder quietwork creates goes through here, whichever command runs first: the
    home holds the log, the support plan and the person's own practices.
    """
    missing = []
    for candidate in (folder, *folder.parents):
        if candidate.is_dir():
            break
        missing.append(candidate)
    for candidate in reversed(missing):
        try:
            candidate.mkdir(mode=0o700)
        except FileExistsError:
            if not candidate.is_dir():  # a file where a folder should be
                raise NotADirectoryError(
                    errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(candidate)
                ) from None


def replace_file(path: Path, text: str) -> None:
    """Write `text` (UTF-8) as the file `path`, owner-only, never through a symlink.

    It is written to a new file with a random name in the same folder (created
    exclusively: no symlink or file planted there is followed), then renamed over
    `path`: a rename replaces a symlink at `path` itself, never its target, and a
    reader sees the old file or the new one, not half of one.
    """
    import secrets

    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    fd = os.open(temporary, flags | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def builtin_practices_dir() -> Path:
    """The practices that ship with quietwork (inside the wheel, or the repo's practices/)."""
    packaged = Path(__file__).resolve().parent / "practices"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "practices"
