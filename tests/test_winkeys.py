"""The Windows console key reader (run/winkeys.py) with a fake console and a fake clock."""

from __future__ import annotations

import pytest

from quietwork.run.winkeys import STEP, ConsoleKeys


class FakeConsole:
    """msvcrt's kbhit/getwch over a string of typed characters."""

    def __init__(self, typed: str = "") -> None:
        self.typed = typed

    def kbhit(self) -> bool:
        return bool(self.typed)

    def getwch(self) -> str:
        char, self.typed = self.typed[0], self.typed[1:]
        return char


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def reader(typed: str = "", size: list[tuple[int, int]] | None = None) -> tuple[ConsoleKeys,
                                                                              FakeTime]:
    fake = FakeTime()
    sizes = size or [(80, 24)]
    keys = ConsoleKeys(FakeConsole(typed), clock=fake.clock, sleep=fake.sleep,
                       size=lambda: sizes[0])
    return keys, fake


@pytest.mark.parametrize(("typed", "key"), [
    ("s", "stop"), ("S", "stop"), ("\x1b", "stop"), ("p", "pause"), (" ", "pause"),
])
def test_the_same_keys_as_on_posix(typed: str, key: str) -> None:
    keys, _ = reader(typed)
    assert keys.read(1.0) == key


def test_arrow_and_function_keys_do_not_stop() -> None:
    # Up arrow, F1, down arrow, right arrow: each a prefix and a code; the code of the
    # down arrow is "P", which must not read as pause.
    keys, fake = reader("\xe0H\x00;\xe0P\xe0M")
    assert keys.read(0.5) is None
    assert fake.now == pytest.approx(100.5)


def test_the_wait_ends_on_the_deadline_in_short_sleeps() -> None:
    keys, fake = reader()
    assert keys.read(0.123) is None
    assert fake.now == pytest.approx(100.123)  # not a step later: pacing stays exact
    assert max(fake.sleeps) <= STEP
    assert len(fake.sleeps) == 7  # 6 steps of 20 ms and the 3 ms left


def test_a_key_typed_later_waits_for_the_next_read() -> None:
    keys, _ = reader("ps")
    assert keys.read(1.0) == "pause"
    assert keys.read(1.0) == "stop"


def test_a_resized_console_wakes_the_reader() -> None:
    sizes = [(80, 24)]
    keys, _ = reader(size=sizes)
    sizes[0] = (60, 20)
    assert keys.read(10.0) == "resize"
    assert keys.read(0.05) is None


def test_ctrl_c_passed_as_a_key_interrupts() -> None:
    keys, _ = reader("\x03")
    with pytest.raises(KeyboardInterrupt):
        keys.read(1.0)
