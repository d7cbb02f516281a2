"""Settings and your own practices: config, new."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from quietwork import output, paths
from quietwork.commands.options import JsonFlag
from quietwork.config import KEYS, folder_problems, load_settings
from quietwork.errors import QuietworkError, UsageError


def show_config(*, json_: JsonFlag = False) -> None:
    """Show the effective settings and where each came from.

    Settings come from defaults, then config.toml, then the environment
    (QUIETWORK_SPEED); flags on a command win over all of them.
    """
    try:
        settings = load_settings(env_speed=True)
    except UsageError as exc:  # a bad QUIETWORK_SPEED: show everything else all the same
        output.warn(f"{exc.message}; ignored: practice runs at the speed shown")
        settings = load_settings()
    for problem in folder_problems(settings):
        output.warn(problem)
    values: dict[str, Any] = {
        key: getattr(settings, key) for key in KEYS
    }
    values["practice_dirs"] = [str(p) for p in settings.practice_dirs]
    if json_:
        output.print_json(
            {
                "config_file": str(paths.config_path()),
                "settings": {
                    key: {"value": value, "from": settings.origin(key)}
                    for key, value in values.items()
                },
            }
        )
        return
    exists = "" if paths.config_path().is_file() else "  (not there: all defaults)"
    output.echo(f"config file: {paths.config_path()}{exists}")
    rows = [[key, _shown(value), f"from {settings.origin(key)}"] for key, value in values.items()]
    output.echo(output.columns(rows))


def _shown(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(value) or "(none)"
    if isinstance(value, float):
        return f"{value:g}"
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def new(
    practice_id: Annotated[
        str, typer.Argument(help="The new practice's id (its file name).", show_default=False)
    ],
) -> None:
    """Write a starter practice to edit.

    A commented file with one step of each kind, in your practices folder.

    \b
    Example:
      quietwork new evening-ground
      quietwork practice evening-ground
    """
    from quietwork.catalog import is_plain_id
    from quietwork.schema import json_schema
    from quietwork.starter import starter_text

    if not is_plain_id(practice_id):
        raise UsageError(
            f"'{practice_id}' is not a usable id: use letters, digits, - and _"
            " (no slashes, no leading dot)"
        )
    if paths.windows_reserved(practice_id):
        raise UsageError(
            f"'{practice_id}' is not a usable id: Windows keeps that name for a device"
            " (CON, PRN, AUX, NUL, COM0-9, LPT0-9); choose another"
        )
    folder = paths.user_practices_dir()
    path = folder / f"{practice_id}.yaml"
    try:
        paths.make_private_dirs(folder)
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(starter_text(practice_id, str(path)))
        schema = folder / "practice.schema.json"
        import json

        paths.replace_file(schema, json.dumps(json_schema(), indent=2) + "\n")
    except FileExistsError:
        raise UsageError(
            f"{path} already exists; quietwork will not overwrite it",
            f"Edit it, or choose another id. Check it with: quietwork validate {path}",
        ) from None
    except OSError as exc:
        raise QuietworkError(f"cannot write {path}: {exc.strerror}") from None
    output.echo(f"Wrote {path}")
    if (paths.builtin_practices_dir() / path.name).is_file():
        output.note(f"Note: '{practice_id}' is also a built-in practice; yours replaces it.")
    output.echo(f"Edit it, check it with `quietwork validate {path}`,")
    output.echo(f"and run it with `quietwork practice {practice_id}`.")


def register(app: typer.Typer) -> None:
    """Add these commands to the app."""
    app.command("config")(show_config)
    app.command("new")(new)
