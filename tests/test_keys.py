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


def test_q_stops_as_s_and_esc_do(terminal: tuple[int, object]) -> None:
    main, stream = terminal
    with TerminalKeys(stream) as keys:  # type: ignore[arg-type]
        os.write(main, b"q")
        assert keys.read(1.0) == "stop"


def test_a_question_reads_the_bytes_typed_and_wakes_on_a_resize(
    terminal: tuple[int, object],
) -> None:
    main, stream = terminal
    with TerminalKeys(stream) as keys:  # type: ignore[arg-type]
        keys.start()  # cbreak before the first screen: nothing typed is echoed
        os.write(main, b"4\r")
        assert keys.read_bytes(1.0) == b"4\n"  # cbreak keeps ICRNL: Enter comes as a newline
        assert keys.read_bytes(0.01) is None
        os.kill(os.getpid(), signal.SIGWINCH)
        assert keys.read_bytes(1.0) == b""  # redraw at the new size
