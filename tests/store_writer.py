"""A separate process writing to the log, for test_store.py.

    python store_writer.py DB write N   # print "ready", wait for a line, then N whole sessions
    python store_writer.py DB checkin   # one session and one check-in, print "ok", then block
    python store_writer.py DB start     # start a session and exit without finishing it
"""

from __future__ import annotations

import sys
from pathlib import Path

from quietwork.store import Store


def write_sessions(db: Path, count: int) -> None:
    print("ready", flush=True)
    sys.stdin.readline()  # every writer starts at once, on a fresh database
    with Store.open(db) as store:
        for number in range(count):
            session = store.start_session("ground")
            store.add_checkin(session, "before", distress=number % 11)
            store.finish_session(session, "completed")


def checkin_then_block(db: Path) -> None:
    store = Store.open(db)
    session = store.start_session("exhale")
    store.add_checkin(session, "before", distress=7, note="still here")
    print("ok", flush=True)
    sys.stdin.read()  # the test kills us here


def start_and_leave(db: Path) -> None:
    with Store.open(db) as store:
        print(store.start_session("box"), flush=True)


if __name__ == "__main__":
    path, mode = Path(sys.argv[1]), sys.argv[2]
    if mode == "write":
        write_sessions(path, int(sys.argv[3]))
    elif mode == "checkin":
        checkin_then_block(path)
    else:
        start_and_leave(path)
