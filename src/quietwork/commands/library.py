"""The practice library: list, show, validate, schema, paths."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from quietwork import output, paths
from quietwork.catalog import Catalog, discover
from quietwork.commands.options import JsonFlag, PracticeId
from quietwork.config import load_settings
from quietwork.text import clean


def _catalog() -> Catalog:
    catalog = discover(load_settings().practice_dirs)
    for problem in catalog.problems:
        output.warn(problem)
    return catalog


def list_practices(
    *,
    tag: Annotated[
        str | None, typer.Option("--tag", help="Only practices with this tag.", show_default=False)
    ] = None,
    json_: JsonFlag = False,
) -> None:
    """List the practices you can run.

    \b
    Examples:
      quietwork list
      quietwork list --tag breath
      quietwork list --json
    """
    found, broken = _catalog().summaries(tag)
    for exc in broken:
        for problem in exc.problems:
            output.warn(f"skipped {problem}")
    if json_:
        output.print_json([summary.as_json() for summary in found])
        return
    if not found:
        output.echo(f"No practices tagged '{clean(tag)}'." if tag else "No practices found.")
        return
    rows = []
    for item in found:
        origin = item.entry.origin
        if item.entry.replaces is not None:
            origin += " (replaces built-in)" if item.replaces_builtin else " (replaces another)"
        rows.append([item.entry.id, item.title, f"{item.minutes:.1f}", ", ".join(item.tags),
                     origin])
    output.echo(output.columns(rows, ["id", "title", "min", "tags", "from"]))
    output.echo()
    output.say("Run one with `quietwork practice ID`; see its steps with `quietwork show ID`.")


def show(practice_id: PracticeId, *, json_: JsonFlag = False) -> None:
    """Show one practice: steps, timings, notes.

    Shows the summary, safety notes, sources, each step with its timing, the
    total duration and the file it comes from.

    \b
    Examples:
      quietwork show ground
      quietwork show exhale --json
    """
    from quietwork.practice import dump, fmt_duration

    catalog = _catalog()
    entry = catalog.find(practice_id)
    practice = catalog.load(practice_id)
    if json_:
        data: dict[str, Any] = {
            "id": entry.id,
            **dump(practice, exclude_none=True),
            "seconds": round(practice.duration(), 1),
            "minutes": round(practice.duration() / 60, 1),
            "source": entry.origin,
            "path": str(entry.path),
        }
        data["steps"] = [
            {"kind": _kind(step), "seconds": round(step.duration(), 1), **dump(step)}
            for step in practice.steps
        ]
        output.print_json(data)
        return
    from quietwork.display.library import practice_detail

    practice_detail(entry, practice, fmt_duration(practice.duration()))


def _kind(step: Any) -> str:
    return str(type(step).__name__.removesuffix("Step").lower())


def validate(
    files: Annotated[
        list[Path],
        typer.Argument(help="Practice files, or folders of them.", show_default=False),
    ],
    *,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print only problems, not 'ok' lines.")
    ] = False,
) -> None:
    """Check practice files for problems.

    Prints each problem as file:line:col: field: message, and safety warnings
    for breathing that may not suit. Exits 0 when every file is valid (warnings
    included), 1 when any file has a problem, 2 for a usage error (show and
    practice refuse a broken file with 2).

    \b
    Examples:
      quietwork validate my-practice.yaml
      quietwork validate ~/.config/quietwork/practices
    """
    from quietwork.catalog import SUFFIXES
    from quietwork.errors import PracticeFileError
    from quietwork.lint import lint_file
    from quietwork.loader import load_practice

    targets: list[Path] = []
    for path in files:
        if path.is_dir():
            targets += sorted(p for p in path.iterdir() if p.suffix in SUFFIXES)
        else:
            targets.append(path)
    failed = 0
    for path in targets:
        try:
            practice = load_practice(path)
        except PracticeFileError as exc:
            failed += 1
            for problem in exc.problems:
                output.echo(problem)
            continue
        for warning in lint_file(path, practice):
            output.echo(warning)
        if not quiet:
            output.echo(f"{path}: ok")
    if not targets:
        output.warn("no practice files (*.yaml) found there")
    if failed:
        noun = "file has" if failed == 1 else "files have"
        output.note(f"{failed} of {len(targets)} {noun} problems")
        raise typer.Exit(1)


def schema() -> None:
    """Print the JSON Schema of practice files.

    For your editor's YAML language server (completion and checks as you type).

    \b
    Example:
      quietwork schema > practice.schema.json
      then put at the top of a practice file:
      # yaml-language-server: $schema=practice.schema.json
    """
    from quietwork.schema import json_schema

    output.print_json(json_schema())


def show_paths(*, json_: JsonFlag = False) -> None:
    """Show where quietwork keeps its files.

    The log database, config.toml, your support plan and your practices folder
    (all under $QUIETWORK_HOME when it is set).
    """
    places = {
        "database": paths.db_path(),
        "config": paths.config_path(),
        "support": paths.support_path(),
        "practices": paths.user_practices_dir(),
        "built_in_practices": paths.builtin_practices_dir(),
    }
    if json_:
        output.print_json({key: str(value) for key, value in places.items()})
        return
    output.echo(output.columns([[key.replace("_", " "), str(value)]
                                for key, value in places.items()]))


def register(app: typer.Typer) -> None:
    """Add these commands to the app."""
    app.command("list")(list_practices)
    app.command("show")(show)
    app.command("validate")(validate)
    app.command("schema")(schema)
    app.command("paths")(show_paths)
