"""TerminalKeys on a real pseudo-terminal: keys, and resizes after a question."""

from __future__ import annotations

import os
import pty
import signal
from collections.abc import Iterator

import pytest

from quietwork.run.keys import TerminalKeys


@pytest.fixture
def terminal() -> Iterator[tuple[int, object]]:
    main, secondary = pty.openpty()
    stream = os.fdopen(secondary, "r")
    try:
        yield main, stream
    finally:
        stream.close()
        os.close(main)


def test_keys_are_read_at_once(terminal: tuple[int, object]) -> None:
    main, stream = terminal
    with TerminalKeys(stream) as keys:  # type: ignore[arg-type]
        os.write(main, b"p")
        assert keys.read(1.0) == "pause"
        os.write(main, b"s")
        assert keys.read(1.0) == "stop"
        assert keys.read(0.01) is None


def test_a_resize_after_a_question_still_wakes_the_reader(terminal: tuple[int, object]) -> None:
    _, stream = terminal
    with TerminalKeys(stream) as keys:  # type: ignore[arg-type]
        assert keys.read(0.01) is None
        keys.restore()  # a question is asked in line mode ...
        signal.signal(signal.SIGWINCH, signal.SIG_DFL)  # ... and prompt_toolkit resets this
        assert keys.read(0.01) is None  # back to the timed part
        os.kill(os.getpid(), signal.SIGWINCH)
        assert keys.read(1.0) == "resize"
    assert signal.getsignal(signal.SIGWINCH) is signal.SIG_DFL
