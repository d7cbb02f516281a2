"""How a practice begins: the `practice` command's body, and its common forms read without typer.

A person in distress waits through the start-up before the first cue. typer (and the
standard modules it brings) is about a third of that CPU, and it is only needed to
read the arguments. So `quietwork practice ID` with any of the command's plain flags
(no values, no help) is read here, and its body runs inside the CLI's error boundary
(`boundary.guarded`) without importing typer. Every other form, and completion, goes
through typer (`cli.run`); a test holds the two readings equal for every form read here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

MAX_MINUTES = 120

# The practice command's flags that take no value, and what each sets.
_FLAGS: dict[str, tuple[str, bool]] = {
    "--plain": ("plain", True),
    "--no-checkin": ("no_checkin", True),
    "--full-checkin": ("full_checkin", True),
    "--bell": ("bell", True), "--no-bell": ("bell", False),
    "--sound": ("sound", True), "--no-sound": ("sound", False),
    "--voice": ("voice", True), "--no-voice": ("voice", False),
    "--no-log": ("no_log", True),
}


def completing(environ: Mapping[str, str]) -> bool:
    """Whether the shell asks for completions (typer answers them)."""
    return any(name.startswith("_QUIETWORK_COMPLETE") for name in environ)


def quick_form(
    args: Sequence[str], environ: Mapping[str, str]
) -> tuple[bool, dict[str, Any]] | None:
    """(--debug given, the parameters of `practice` the form sets) for
    `[--debug] practice [ID] [FLAG]...`; the others keep `practice`'s defaults.

    None for anything else (an option with a value, help, `--`, two ids, completion):
    typer reads that. An id is taken only as a plain word, as typer would pass it on.
    """
    if completing(environ):
        return None
    debug = False
    rest = list(args)
    while rest and rest[0] == "--debug":
        debug = True
        rest.pop(0)
    if not rest or rest[0] != "practice":
        return None
    params: dict[str, Any] = {}
    for arg in rest[1:]:
        if arg in _FLAGS:
            name, value = _FLAGS[arg]
            params[name] = value
        elif "practice_id" not in params and _plain_word(arg):
            params["practice_id"] = arg
        else:
            return None
    return debug, params


def _plain_word(arg: str) -> bool:
    """A word typer passes on as it is: no option, no pattern a shell on Windows expands."""
    return arg[:1].isalnum() and arg.isascii() and all(c.isalnum() or c in "-_." for c in arg)


def practice(
    practice_id: str | None = None, *, speed: str | None = None, plain: bool = False,
    stop_at: int | None = None, no_checkin: bool = False, full_checkin: bool = False,
    bell: bool | None = None, sound: bool | None = None, voice: bool | None = None,
    minutes: float | None = None, no_log: bool = False,
) -> None:
    """The `practice` command: settings from the config and the flags, then the run."""
    from quietwork.boundary import Flags
    from quietwork.config import parse_speed
    from quietwork.errors import UsageError
    from quietwork.salvage import load_settings_leniently

    Flags.no_log = no_log

    if minutes is not None and not (0 < minutes <= MAX_MINUTES and math.isfinite(minutes)):
        raise UsageError(
            f"--minutes: {minutes:g} is out of range; give minutes above 0 and at most "
            f"{MAX_MINUTES}"
        )
    # A broken config or QUIETWORK_SPEED is a warning here: it never blocks the way back.
    found = load_settings_leniently(env_speed=True)
    settings = found.with_flags(
        speed=parse_speed(speed, "--speed") if speed is not None else None,
        stop_at=stop_at,
        bell=bell,
        sound=sound,
        voice=voice,
        plain=True if plain else None,
        checkin="full" if full_checkin else None,
    )
    from quietwork.run.session import practise
    from quietwork.run.terminal import facing_the_person

    # Signals, end of input and a closed pipe are the CLI boundary's, as for every command.
    # The settle offered after a stop runs at normal pace, whatever --speed (or config
    # speed) this practice has; QUIETWORK_SPEED still applies.
    settle_speed = found.speed if found.origin("speed") == "QUIETWORK_SPEED" else 1.0
    with facing_the_person():
        practise(practice_id, settings, checkins=not no_checkin, minutes=minutes,
                 log=not no_log, settle_speed=settle_speed)


def run_quick(args: Sequence[str], environ: Mapping[str, str]) -> int | None:
    """The exit code of a practice begun in a quick form; None when typer must read `args`."""
    form = quick_form(args, environ)
    if form is None:
        return None
    from quietwork.boundary import Flags, guarded

    debug, params = form
    Flags.set_debug(debug)
    return guarded(lambda: practice(**params))
