"""The command line: the Typer app, its commands, and the one boundary that maps errors to exits.

Commands live in `quietwork.commands.*`; each is glue (parse, call the core, render).
Heavy imports (pydantic, rich, questionary, sqlite3) happen inside the commands that
need them, so `--help` and `list` start fast.
"""

# No `from __future__ import annotations` (nor in commands/practice.py): typer reads the
# annotations of the root callback and of the command several times while it builds the
# command, and compiles and evaluates string annotations each time.

import functools
import importlib
import os
import re
import sys
from collections.abc import Iterable, Sequence
from typing import Annotated, Any

import typer

# typer vendors click; its exception classes are only reachable through the vendored copy.
from typer._click.core import Context as ClickContext
from typer._click.exceptions import ClickException, NoArgsIsHelpError
from typer._click.exceptions import UsageError as ClickUsageError
from typer._click.formatting import HelpFormatter, wrap_text

from quietwork import __version__, output
from quietwork.begin import completing
from quietwork.boundary import Flags, InputEnded, guarded, told
from quietwork.errors import ExitCode

HELP_EPILOG = (
    "quietwork is not therapy or medical care. If you are in danger or crisis, "
    "contact local emergency services or a crisis line."
)

class _Help(HelpFormatter):
    """Help wrapped at words to the terminal's own width, however narrow.

    click floors its help width at 50 columns (a 40-column terminal cuts every long line
    mid-word), keeps the options' first column up to 30 wide, and writes the examples'
    no-rewrap lines as they are. Here the width is the terminal's (up to 80) less 2, the
    first column leaves the help beside it room, and an example too long for the line
    goes on in the next line after a shell continuation (`\\`), so it still copies whole.
    """

    def __init__(
        self, indent_increment: int = 2, width: int | None = None,
        max_width: int | None = None,
    ) -> None:
        if width is None:
            columns = output.terminal_width()
            width = max(min(columns, max_width or 80) - 2, 20)
        super().__init__(indent_increment, width, max_width)

    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2,
    ) -> None:
        super().write_dl(rows, min(col_max, max(self.width - 24, 8)), col_spacing)

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        wrapped = wrap_text(text, self.width, initial_indent=indent,
                            subsequent_indent=indent, preserve_paragraphs=True)
        self.write("\n".join(self._fit(line) for line in wrapped.splitlines()) + "\n")

    def _fit(self, line: str) -> str:
        """A no-rewrap line (an example) longer than the width, broken between words.

        A quoted argument stays whole, and with its option when both fit; each line but
        the last ends in ` \\`.
        """
        if len(line) <= self.width:
            return line
        indent = " " * (len(line) - len(line.lstrip()))
        room = self.width - len(indent) - 4  # the next lines' 2 more, and " \\"
        parts = [""]
        for word in re.findall(r"""(?:"[^"]*"|'[^']*'|\S)+""", line):
            if parts[-1] and len(parts[-1]) + 1 + len(word) > room:
                head, _, last = parts[-1].rpartition(" ")
                keep = (head and last.startswith("-") and not word.startswith("-")
                        and len(last) + 1 + len(word) <= room)
                parts[-1:] = [head, last] if keep else [parts[-1], ""]
            parts[-1] = f"{parts[-1]} {word}".lstrip()
        return " \\\n".join(indent + ("  " if k else "") + part
                             for k, part in enumerate(parts))


class _Context(ClickContext):
    formatter_class = _Help


class _Group(typer.core.TyperGroup):
    """The app's group: end of input in any command goes to cli.run as InputEnded.

    It and each of its commands (built afresh on every run) write help through _Help.
    """

    context_class = _Context

    def get_command(self, ctx: ClickContext, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            command.context_class = _Context
        return command

    def resolve_command(
        self, ctx: ClickContext, args: list[str]
    ) -> tuple[str | None, Any, list[str]]:
        """A command, or a usage error that points at `practice` when the name is a practice's
        (`quietwork settle`: the way back to calm is one word away)."""
        try:
            return super().resolve_command(ctx, args)
        except ClickUsageError as exc:
            if args and _is_practice(args[0]):
                exc.message = (f"{exc.message.rstrip('.')}. Did you mean "
                               f"'quietwork practice {args[0]}'?")
            raise

    def format_commands(self, ctx: ClickContext, formatter: HelpFormatter) -> None:
        """The commands, each beside the first sentence of its help, whole.

        click cuts that sentence to fit the line, mid-sentence, with "..."; here it wraps
        in its column instead.
        """
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=10_000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def invoke(self, ctx: ClickContext) -> Any:
        try:
            return super().invoke(ctx)
        except EOFError as exc:
            raise InputEnded(*getattr(exc, "__notes__", ())) from None


def _new_app() -> typer.Typer:
    """The app's root (its options, help and group), with no commands yet."""
    new = typer.Typer(
        name="quietwork",
        cls=_Group,
        help=(
            "Guided self-regulation practices for the terminal: grounding, a longer exhale, "
            "sensation tracking. Every prompt can be skipped and every practice stopped with "
            "one key (s or Esc).\n\n"
            "\b\n"
            "Examples:\n"
            "  quietwork practice ground\n"
            "  quietwork practice exhale --plain\n"
            "  quietwork list\n"
            "  quietwork stats\n"
            "  quietwork support"
        ),
        epilog=HELP_EPILOG,
        # Plain help: rich-formatted help roughly doubles the start-up of `--help`.
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        no_args_is_help=True,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    new.callback()(root)
    return new


def _version(value: bool) -> None:
    if value:
        output.echo(f"quietwork {__version__}")
        raise typer.Exit()


def root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
    debug: Annotated[
        bool,
        typer.Option("--debug", help="Show a full traceback when something goes wrong."),
    ] = False,
) -> None:
    """Guided self-regulation practices for the terminal."""
    Flags.set_debug(debug)


# Each command and the module of quietwork.commands that registers it, in the order the
# help lists them: a start loads only the module of the command it names.
COMMANDS = {
    "list": "library", "show": "library", "validate": "library", "schema": "library",
    "paths": "library",
    "practice": "practice",
    "log": "history", "stats": "history", "import": "history", "forget": "history",
    "report": "report",
    "config": "settings", "new": "settings",
    "checkin": "checkin", "anchors": "personal", "support": "personal",
}


def _with(modules: Iterable[str]) -> typer.Typer:
    """The app with the commands of these modules of quietwork.commands."""
    new = _new_app()
    for name in dict.fromkeys(modules):
        importlib.import_module(f"quietwork.commands.{name}").register(new)
    return new


@functools.cache
def _whole() -> typer.Typer:
    return _with(COMMANDS.values())


def __getattr__(name: str) -> typer.Typer:
    """`app`: the whole app, every command registered (built on first use)."""
    if name == "app":
        return _whole()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return the exit code; typer's errors become messages here, the rest
    in `boundary.guarded`."""
    command = typer.main.get_command(_app_for(sys.argv[1:] if argv is None else argv))

    def invoked() -> object:
        try:
            return command.main(args=argv, prog_name="quietwork", standalone_mode=False)
        except NoArgsIsHelpError as exc:
            output.echo(exc.ctx.get_help() if exc.ctx else "")
            return ExitCode.OK
        except ClickUsageError as exc:
            told(exc.format_message(), _usage_hint(exc))
            return ExitCode.USAGE
        except ClickException as exc:
            told(exc.format_message())
            return exc.exit_code
        except typer.Abort:  # end of input that typer caught itself
            raise InputEnded() from None

    return guarded(invoked)


def _app_for(args: Sequence[str]) -> typer.Typer:
    """The app with only the command the arguments name, when they name one.

    typer builds each command from its function's annotations on every start (about 10 ms
    for all of them, the time a practice's first cue waits), and the other commands'
    modules about 1 ms more to import; one command is under 3 ms. The whole app serves
    help, --version, completion and a name it does not know (the error names the commands).
    """
    if completing(os.environ):
        return _whole()
    for arg in args:
        if arg in ("-h", "--help", "--version"):
            return _whole()
        if arg.startswith("-"):  # the root's other options are flags (--debug)
            continue
        module = COMMANDS.get(arg)
        if module is None:
            return _whole()
        one = _with([module])
        one.registered_commands = [info for info in one.registered_commands if info.name == arg]
        return one
    return _whole()


def _is_practice(name: str) -> bool:
    """Whether `name` is the id of a built-in practice or one in the practices folder."""
    from quietwork.catalog import discover, is_plain_id

    return is_plain_id(name) and name in discover().entries


def _usage_hint(exc: ClickUsageError) -> str:
    path = exc.ctx.command_path if exc.ctx else "quietwork"
    return f"Try '{path} --help' for help."

