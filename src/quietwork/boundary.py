"""The one boundary where errors become messages and exit codes (docs/contract.md).

`cli.run` puts every command inside it, around typer's own errors; a practice started
the quick way (`quietwork.begin`) is put inside it with no typer at all. No typer here.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable

from quietwork import output
from quietwork.errors import ExitCode, QuietworkError


class Flags:
    """Set once per run: --debug (or QUIETWORK_DEBUG) shows the whole traceback; a practice
    with --no-log writes nothing, which a bug's message must not deny."""

    debug = False
    no_log = False

    @classmethod
    def set_debug(cls, flag: bool) -> None:
        cls.debug = flag or os.environ.get("QUIETWORK_DEBUG", "") not in ("", "0")


class InputEnded(Exception):
    """End of input at a question (Ctrl-D, a pipe); its args say what was kept."""


def guarded(command: Callable[[], object]) -> int:
    """Run a command; its exit code, every error told in words (never a traceback).

    SIGTERM / SIGHUP unwind through every `finally` in every command: a question on
    screen (checkin, anchors) leaves the terminal as it found it, not raw.
    """
    from quietwork.signals import SignalReceived, signals_raise

    Flags.no_log = False  # until the command says so
    try:
        with signals_raise():
            result = command()
    except SignalReceived as exc:
        return 128 + exc.signum
    except SystemExit as exc:
        # typer turns a closed pipe inside a command (`list | head -1`) into exit 1;
        # the contract for a closed pipe is a quiet exit 0, as below.
        if isinstance(exc.__context__, BrokenPipeError):
            output.silence_stdout()
            return ExitCode.OK
        raise
    except QuietworkError as exc:
        if Flags.debug:
            _print_traceback()
        told(exc.message, exc.hint)
        return exc.exit_code
    except (InputEnded, EOFError) as exc:
        # Not Ctrl-C (130 is the person's own interrupt): a runtime error. What was kept
        # comes as the EOFError's notes ("the session is saved as interrupted").
        notes = exc.args if isinstance(exc, InputEnded) else getattr(exc, "__notes__", ())
        kept = "".join(f"; {note}" for note in notes)
        told(f"input ended before the question was answered{kept}.")
        return ExitCode.ERROR
    except KeyboardInterrupt:
        return ExitCode.CTRL_C
    except BrokenPipeError:
        output.silence_stdout()
        return ExitCode.OK
    except OSError as exc:  # the machine's, not ours: a full disk or device, an I/O error
        if Flags.debug:
            _print_traceback()
        where = f": {exc.filename}" if exc.filename else " (writing the output)"
        told(f"{exc.strerror or exc}{where}")
        return ExitCode.ERROR
    except Exception as exc:
        if Flags.debug:
            _print_traceback()
        told(
            f"unexpected problem, a bug in quietwork: {type(exc).__name__}: {exc}",
            f"{_kept()} Run the command again with --debug "
            "(or QUIETWORK_DEBUG=1) for the details, and please report them to the "
            "quietwork maintainers.",
        )
        return ExitCode.ERROR
    return result if isinstance(result, int) else ExitCode.OK


def told(message: str, hint: str | None = None) -> None:
    """An error said on stderr; where stderr is a closed pipe (`2>&1 | head -1`), unsaid:
    the exit code still says what happened."""
    with contextlib.suppress(OSError):
        output.error(message, hint)


def _print_traceback() -> None:
    """--debug: the whole traceback of the exception being handled (imported only then)."""
    import traceback

    with contextlib.suppress(OSError):
        traceback.print_exc()


def _kept() -> str:
    """Where what the person logged is kept, said when quietwork has a bug."""
    if Flags.no_log:
        return "Nothing of this practice was logged (--no-log)."
    try:
        from quietwork import paths

        path = paths.db_path()
        if not path.exists():
            return "Nothing has been logged yet."
    except Exception:  # the bug may be in paths itself
        return "What you logged is kept in the quietwork database (see `quietwork paths`)."
    return f"What you logged is kept in {path}."
