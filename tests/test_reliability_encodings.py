"""Reliability: every text reaches a terminal in any encoding (issue 16, item 5).

In an ISO-8859-1 locale, or with PYTHONIOENCODING=ascii, "—" or "→" raised
UnicodeEncodeError: the stop screen crashed before the support text. Each case runs the
real CLI in a subprocess with that encoding, and reads its output in that encoding.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import invoke

LATIN1_LOCALE = "en_US.ISO-8859-1"


def _latin1_locale(folder: Path) -> dict[str, str] | None:
    """Environment for a real ISO-8859-1 locale: installed, or compiled into `folder`."""
    listed = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False)
    names = {name.lower().replace("-", "") for name in listed.stdout.split()}
    if "en_us.iso88591" in names:
        return {"LANG": LATIN1_LOCALE, "LC_ALL": LATIN1_LOCALE}
    if shutil.which("localedef") is None:
        return None
    made = subprocess.run(
        ["localedef", "-i", "en_US", "-f", "ISO-8859-1", str(folder / LATIN1_LOCALE)],
        capture_output=True, check=False,
    )
    if made.returncode != 0:
        return None
    return {"LOCPATH": str(folder), "LANG": LATIN1_LOCALE, "LC_ALL": LATIN1_LOCALE}


@pytest.fixture(scope="session")
def latin1_locale(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str] | None:
    return _latin1_locale(tmp_path_factory.mktemp("locales"))


ENCODINGS = ["ascii", "latin-1", "locale"]


@pytest.fixture(params=ENCODINGS)
def encoding_env(
    request: pytest.FixtureRequest, latin1_locale: dict[str, str] | None
) -> Iterator[tuple[str, dict[str, str]]]:
    """(the encoding the output is in, the environment that makes it so)."""
    base = {key: value for key, value in os.environ.items()
            if key not in ("LANG", "LC_ALL", "LC_CTYPE", "PYTHONIOENCODING", "PYTHONUTF8")}
    if request.param == "locale":
        if latin1_locale is None:
            pytest.skip(f"no {LATIN1_LOCALE} locale here (PYTHONIOENCODING covers it)")
        yield "latin-1", {**base, **latin1_locale}
    else:
        yield request.param, {**base, "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": request.param}


def run(env: dict[str, str], *args: str, input: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "quietwork", *args], input=input,
                          capture_output=True, env=env, timeout=60)


def shown(result: subprocess.CompletedProcess[bytes], encoding: str) -> tuple[str, str]:
    """stdout and stderr, decoded strictly in the terminal's encoding (it must fit)."""
    return result.stdout.decode(encoding), result.stderr.decode(encoding)


def seed_texts() -> None:
    """A log and words with the characters that crashed (in-process: only what is read
    back afterwards, in each encoding, needs a process of its own)."""
    for args in (("anchors", "--set0", "ruhig — weit", "--set10", "zu viel…"),
                 ("checkin", "--distress", "4", "--note", "café → “ok”")):
        result = invoke(*args)
        assert result.exit_code == 0, result.output


def test_the_stop_screen_shows_the_support_text(encoding_env: tuple[str, dict[str, str]]) -> None:
    encoding, env = encoding_env
    result = run(env, "practice", "exhale", input=b"9\n")
    out, err = shown(result, encoding)
    assert result.returncode == 0, out + err
    assert "Stopping here." in out
    assert "another day - whenever it suits you" in out  # "—", in the plain form
    assert "contact your local emergency number" in out
    assert "can help too - you don't have to do this alone" in out
    assert "bug" not in err


@pytest.mark.parametrize(
    "args",
    [("checkin", "--distress", "9"), ("stats",), ("support",), ("anchors",),
     ("list",), ("show", "exhale"), ("config",), ("--help",)],
    ids=lambda args: " ".join(args),
)
def test_every_command_writes_in_the_terminals_encoding(
    encoding_env: tuple[str, dict[str, str]], args: tuple[str, ...]
) -> None:
    encoding, env = encoding_env
    seed_texts()
    result = run(env, *args)
    out, err = shown(result, encoding)
    assert result.returncode == 0, out + err
    assert "bug" not in err and "Error" not in err
    if args[0] == "checkin":
        assert "contact your local emergency number" in out
    if args[0] == "anchors":
        assert "ruhig - weit" in out and "zu viel..." in out


@pytest.mark.parametrize("args", [("log", "--csv"), ("report", "--notes"), ("log",)],
                         ids=lambda args: " ".join(args))
def test_csv_the_report_and_the_log_to_a_file_keep_every_character_outside_utf8(
    encoding_env: tuple[str, dict[str, str]], args: tuple[str, ...]
) -> None:
    _, env = encoding_env
    seed_texts()
    result = run(env, *args)
    assert result.returncode == 0, result.stderr
    assert "café → “ok”" in result.stdout.decode("utf-8")  # as typed, not "cafe -> "ok""


def test_csv_and_the_log_under_the_posix_locale_keep_the_note_as_typed(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items()
           if key not in ("LANG", "LC_CTYPE", "PYTHONIOENCODING")}
    env.update(LC_ALL="POSIX", PYTHONUTF8="0", PYTHONCOERCECLOCALE="0")
    assert invoke("checkin", "--distress", "4", "--note", "café — ok").exit_code == 0
    result = run(env, "log", "--csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode("utf-8").splitlines()[1].endswith(",café — ok,")
    # The table too, to a pipe and to a file: what `log` writes may be kept.
    table = run(env, "log")
    assert table.returncode == 0, table.stderr
    assert "café — ok" in table.stdout.decode("utf-8")
    kept = tmp_path / "log.txt"
    with kept.open("wb") as file:
        written = subprocess.run([sys.executable, "-m", "quietwork", "log"], stdout=file,
                                 stderr=subprocess.PIPE, env=env, timeout=60, check=False)
    assert written.returncode == 0, written.stderr
    assert "café — ok" in kept.read_text(encoding="utf-8")
    # At a terminal it is read, not kept: what that terminal can show.
    child = spawn(env, "ascii", "log")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert "cafe - ok" in child.before


def test_json_outside_utf8_is_the_same_data_in_ascii(
    encoding_env: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    encoding, env = encoding_env
    seed_texts()
    result = run(env, "log", "--json")
    assert result.returncode == 0, result.stderr
    assert result.stdout.isascii()  # readable in any encoding, UTF-8 included
    [entry] = json.loads(result.stdout)
    assert entry["note"] == "café → “ok”"
    # ... and `import` (which reads UTF-8) takes it back.
    backup = tmp_path / "backup.json"
    backup.write_bytes(result.stdout)
    again = run({**env, "QUIETWORK_HOME": str(tmp_path / "elsewhere")}, "import", str(backup))
    assert again.returncode == 0, again.stderr
    assert "Imported 1 entry" in again.stdout.decode(encoding)


def test_typed_bytes_that_are_not_in_the_encoding_are_asked_again(
    encoding_env: tuple[str, dict[str, str]]
) -> None:
    encoding, env = encoding_env
    result = run(env, "practice", "exhale", input="\u00e9\xff\n9\n".encode("utf-8") + b"\xff\n")
    out, err = shown(result, encoding)
    assert result.returncode == 0, out + err
    assert "Please type a number from 0 to 10" in out
    assert "contact your local emergency number" in out


pexpect = pytest.importorskip("pexpect")


def spawn(env: dict[str, str], encoding: str, *args: str) -> Any:
    env = {**env, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm-256color"}
    return pexpect.spawn(sys.executable, ["-m", "quietwork", *args], env=env,
                         encoding=encoding, timeout=20, dimensions=(30, 100))


def test_at_a_terminal_the_live_view_prompts_and_stop_screen_show(
    encoding_env: tuple[str, dict[str, str]]
) -> None:
    encoding, env = encoding_env
    seed_texts()
    child = spawn(env, encoding, "practice", "exhale", "--speed", "20")
    child.expect_exact("How intense is it right now?")
    child.expect_exact("10 = zu viel...")  # the anchors, beside the scale
    child.send("3\r")
    while child.expect_exact(["Ctrl-C quit", "Which way", "Where do you", "A note"]) != 0:
        child.send("\r")  # the follow-ups: skipped
    child.expect_exact("Inhale")  # the live view, drawing the guide
    child.send("s")
    child.expect_exact("Stopping here.")  # by choice: the short, kind ending
    child.expect_exact("It is okay to stop. You can come back")
    child.expect_exact("quietwork support")
    child.expect_exact("Settle for a minute?")
    child.send("n")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert "bug" not in child.before


def test_the_log_at_a_terminal_is_written_in_its_encoding(
    encoding_env: tuple[str, dict[str, str]]
) -> None:
    encoding, env = encoding_env
    seed_texts()
    child = spawn(env, encoding, "log")  # read strictly in the terminal's encoding
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    # Read, not kept: "→" and the quotes as the terminal can show them.
    assert ("café -> \"ok\"" if encoding == "latin-1" else "cafe -> \"ok\"") in child.before


def test_a_note_typed_at_any_terminal_is_kept(encoding_env: tuple[str, dict[str, str]]) -> None:
    encoding, env = encoding_env
    child = spawn(env, encoding, "checkin", "--distress", "3", "--state", "settled")
    child.expect_exact("Where do you notice it in your body?")
    child.send(" \r")  # the first area
    child.expect_exact("A note, if you like:")
    # A terminal that sends UTF-8 whatever the locale says (the usual mismatch), and one
    # that sends what its locale says. Bytes outside the encoding were lone surrogates
    # that the log could not store: "a bug", with the note lost.
    os.write(child.child_fd, "café\r".encode("utf-8" if encoding == "ascii" else encoding))
    child.expect_exact("Logged: distress 3, settled")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    logged = run({**env, "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}, "log", "--json")
    [entry] = json.loads(logged.stdout)
    assert entry["note"] == "café"
