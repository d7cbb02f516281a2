"""`python -m quietwork` and the `quietwork` console script."""

from __future__ import annotations

import sys


def main() -> None:
    """Run the CLI and exit with its code."""
    _fill_closed_streams()
    from quietwork.cli import run

    sys.exit(run())


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
