"""`python -m quietwork` and the `quietwork` console script."""

from __future__ import annotations

import sys


def main() -> None:
    """Run the CLI and exit with its code."""
    import gc

    # Start-up builds many long-lived objects (typer, pydantic models, rich) that the
    # collector would scan again and again for no garbage: about 40 ms of CPU. A long
    # run turns it back on (run.terminal.wired) once everything it needs is loaded.
    gc.disable()
    _fill_closed_streams()
    from quietwork.output import safe_streams

    safe_streams()
    _exit_now(dispatch())


def dispatch(args: list[str] | None = None) -> int:
    """The exit code of the command that `args` (the command line's) name, run inside the
    CLI's error boundary.

    `quietwork practice ID` (with its plain flags) begins without typer, so the first cue
    comes sooner (quietwork.begin); typer reads everything else (quietwork.cli), and
    given the command line itself it expands wildcards on Windows as it always has.
    """
    import os

    from quietwork.begin import run_quick

    code = run_quick(sys.argv[1:] if args is None else args, os.environ)
    if code is None:
        from quietwork.cli import run

        code = run(args)
    return code


def _exit_now(code: int) -> None:
    """Exit without tearing the interpreter down.

    By now every file and the log are closed (each in its own `with`), so freeing
    hundreds of modules one by one is work nobody sees: about 70 ms of CPU after a
    practice. Only stdout and stderr still hold buffered text.
    """
    import contextlib
    import os

    for stream in (sys.stdout, sys.stderr):
        # a closed pipe: what is left goes nowhere
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


def _fill_closed_streams() -> None:
    """Give a closed stdin, stdout or stderr (`<&-`, `>&-`) /dev/null instead.

    Python leaves such a stream None, which every read or write trips over (reported as
    a bug). /dev/null reads as end of input and swallows output; opened in order, it also
    takes the free descriptor, so no file quietwork opens later lands on 0, 1 or 2.
    """
    import os

    for name, mode in (("stdin", "r"), ("stdout", "w"), ("stderr", "w")):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, mode, encoding="utf-8"))  # noqa: SIM115


if __name__ == "__main__":
    main()
