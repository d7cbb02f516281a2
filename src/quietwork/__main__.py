"""`python -m quietwork` and the `quietwork` console script."""

from __future__ import annotations

import sys


def main() -> None:
    """Run the CLI and exit with its code."""
    from quietwork.cli import run

    sys.exit(run())


if __name__ == "__main__":
    main()
