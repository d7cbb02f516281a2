"""The errors quietwork reports to a person, and the exit codes of the contract."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Exit codes, as docs/contract.md defines them."""

    OK = 0
    ERROR = 1
    USAGE = 2
    CTRL_C = 130


class QuietworkError(Exception):
    """An error a person can act on: a one-line message, an optional hint, an exit code."""

    exit_code: ExitCode = ExitCode.ERROR

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(QuietworkError):
    """A flag, argument or id the person gave is not usable."""

    exit_code = ExitCode.USAGE


class ConfigError(QuietworkError):
    """config.toml is broken; the message names the file and line."""

    exit_code = ExitCode.USAGE


SHOWN_PROBLEMS = 10  # an error lists this many of a file's problems; validate lists all


class PracticeFileError(QuietworkError):
    """One practice file is invalid; `problems` holds every `path:line:col: field: message`.

    The message is the first problem (a warning shows it alone); the hint lists the next
    ones, one a line, up to SHOWN_PROBLEMS in all, and how many more there are. `file`
    names the file for the `quietwork validate` that lists them all.
    """

    exit_code = ExitCode.USAGE

    def __init__(self, problems: list[str], *, file: str | None = None) -> None:
        from quietwork.text import clean

        # Problems quote keys, step kinds and file names from the file: never a raw escape.
        problems = [clean(problem, single_line=True) for problem in problems]
        more = problems[1:SHOWN_PROBLEMS]
        left = len(problems) - SHOWN_PROBLEMS
        if left > 0:
            import shlex

            command = "quietwork validate" + (f" {shlex.quote(file)}" if file else "")
            more.append(f"and {left} more: `{command}` lists every one")
        super().__init__(problems[0] if problems else "invalid practice file",
                         "\n  ".join(more) or None)
        self.problems = problems


class StoreError(QuietworkError):
    """The log database cannot be opened, read or written."""

    exit_code = ExitCode.ERROR


class StopRequested(Exception):
    """The person pressed s or Esc at a question: stop now (what was answered is kept).

    Not a QuietworkError: stopping is a choice, never an error. Raised by the prompters of
    the run wing (run.ports re-exports it) and caught wherever a question is asked.
    """
