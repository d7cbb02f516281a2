"""Eyes-closed cues in-process: the tones, the players and speech programs chosen per
platform, the voice's order of speaking, the spoken questions, and the mute key."""

from __future__ import annotations

import array
import io
import itertools
import subprocess
import sys
import threading
import time
import types
import wave
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from quietwork.run.keys import decode
from quietwork.run.plain_prompts import PlainPrompter
from quietwork.run.spoken import SpokenPrompter, stop_words
from quietwork.run.views.cues import MuteKeys
from quietwork.run.views.live import FOOTER, LiveView
from quietwork.run.views.plain import PlainView
from quietwork.run.views.sound import (
    ProcessPlayer,
    Sound,
    WinsoundPlayer,
    find_player,
    player_names,
    tone_for,
)
from quietwork.run.views.tones import RATE, TONES, tone_files, wav_bytes
from quietwork.run.views.voice import (
    POWERSHELL_SPEAK,
    SPEECH_VARIABLE,
    Program,
    Voice,
    find_program,
    spoken_form,
    voice_names,
)
from quietwork.support import EMERGENCY_LINE, NO_PLAN, Support

# -- the tones ------------------------------------------------------------------------------


def read_wav(data: bytes) -> tuple[Any, list[int]]:
    with wave.open(io.BytesIO(data)) as wav:
        params = wav.getparams()
        frames = array.array("h", wav.readframes(params.nframes))
    if sys.byteorder == "big":
        frames.byteswap()
    return params, list(frames)


def frequency(samples: Sequence[int]) -> float:
    """Hz, from the rising zero crossings of a stretch of samples."""
    rising = sum(1 for a, b in itertools.pairwise(samples) if a < 0 <= b)
    return rising * RATE / len(samples)


def middle(samples: Sequence[int], start: float, end: float) -> Sequence[int]:
    return samples[int(len(samples) * start): int(len(samples) * end)]


@pytest.mark.parametrize("name", list(TONES))
def test_each_tone_is_a_short_soft_mono_wav_that_starts_and_ends_in_silence(name: str) -> None:
    params, samples = read_wav(wav_bytes(TONES[name]))
    assert (params.nchannels, params.sampwidth, params.framerate) == (1, 2, RATE)
    assert 0.1 < params.nframes / RATE < 1.0  # short: over well before the next phase
    peak = max(abs(s) for s in samples)
    assert 0.05 * 32767 < peak < 0.3 * 32767  # heard, but soft
    # No click: the first and last few samples are near zero, and nothing jumps.
    assert all(abs(s) < 0.01 * peak for s in samples[:3] + samples[-3:])
    assert max(abs(b - a) for a, b in itertools.pairwise(samples)) < 0.25 * peak


def test_the_tones_differ_rising_in_falling_out_low_hold_high_top_up() -> None:
    sampled = {name: read_wav(wav_bytes(tone))[1] for name, tone in TONES.items()}
    early = {name: frequency(middle(s, 0.1, 0.4)) for name, s in sampled.items()}
    late = {name: frequency(middle(s, 0.6, 0.9)) for name, s in sampled.items()}
    assert late["inhale"] > early["inhale"] * 1.15  # rising
    assert early["exhale"] > late["exhale"] * 1.15  # falling
    assert abs(early["hold"] - late["hold"]) < 0.1 * early["hold"]  # steady
    whole = {name: frequency(middle(s, 0.2, 0.8)) for name, s in sampled.items()}
    assert whole["hold"] < min(whole["inhale"], whole["exhale"])  # low
    assert whole["top-up"] > max(whole["inhale"], whole["exhale"])  # higher
    assert abs(whole["hold"] - 196) < 15
    assert len({bytes(array.array("h", s)) for s in sampled.values()}) == len(TONES)


def test_the_tones_are_written_once_into_the_cache(tmp_path: Path) -> None:
    folder = tmp_path / "cache" / "tones"
    files = tone_files(folder)
    assert set(files) == set(TONES)
    assert files["inhale"].read_bytes() == wav_bytes(TONES["inhale"])
    stamps = {name: path.stat().st_mtime_ns for name, path in files.items()}
    assert tone_files(folder) == files
    assert {name: path.stat().st_mtime_ns for name, path in files.items()} == stamps
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in files.values())


def test_a_missing_tone_is_written_again(tmp_path: Path) -> None:
    files = tone_files(tmp_path)
    files["exhale"].unlink()
    assert tone_files(tmp_path)["exhale"].read_bytes() == wav_bytes(TONES["exhale"])


@pytest.mark.parametrize(
    ("phase", "tone"),
    [("inhale", "inhale"), ("exhale", "exhale"), ("hold", "hold"), ("hold_out", "hold"),
     ("top-up", "top-up"), ("top_up", "top-up"), ("Top-up inhale", "top-up"),
     ("something new", "hold")],
)
def test_each_phase_gets_its_tone(phase: str, tone: str) -> None:
    assert tone_for(phase) == tone


# -- players, per platform ------------------------------------------------------------------


def only(*names: str) -> Callable[[str], str | None]:
    """A shutil.which that finds just these programs, in /opt/bin."""
    return lambda name: f"/opt/bin/{name}" if name in names else None


def test_linux_takes_the_first_player_in_order_with_its_quiet_options() -> None:
    player = find_player("linux", only("aplay", "ffplay"))
    assert isinstance(player, ProcessPlayer)
    assert player.command == ("/opt/bin/aplay", "-q")
    player = find_player("linux", only("ffplay"))
    assert isinstance(player, ProcessPlayer)
    assert player.command == ("/opt/bin/ffplay", "-nodisp", "-autoexit", "-loglevel", "quiet")
    assert find_player("linux", only("paplay", "aplay")).name == "paplay"  # type: ignore[union-attr]
    assert find_player("linux", only()) is None


def test_macos_plays_through_afplay_first() -> None:
    player = find_player("darwin", only("paplay", "afplay"))
    assert isinstance(player, ProcessPlayer) and player.command == ("/opt/bin/afplay",)
    assert player_names("darwin")[0] == "afplay"


def test_windows_plays_through_winsound_asynchronously(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls: list[tuple[object, int]] = []
    fake = types.SimpleNamespace(
        SND_FILENAME=0x20000, SND_ASYNC=0x1, SND_NODEFAULT=0x2,
        PlaySound=lambda sound, flags: calls.append((sound, flags)),
    )
    monkeypatch.setitem(sys.modules, "winsound", fake)
    monkeypatch.setattr(sys, "platform", "win32")
    player = find_player(which=only())  # no other player is looked for
    assert isinstance(player, WinsoundPlayer) and player_names() == ("winsound",)
    player.play(tmp_path / "inhale-1.wav")
    player.stop()
    assert calls == [(str(tmp_path / "inhale-1.wav"), 0x20000 | 0x1 | 0x2), (None, 0)]


class FakePlayer:
    name = "fake"

    def __init__(self) -> None:
        self.played: list[str] = []
        self.stops = 0

    def play(self, path: Path) -> None:
        self.played.append(path.name)

    def stop(self) -> None:
        self.stops += 1

    def close(self) -> None:
        pass


def test_muted_sound_plays_nothing_until_unmuted() -> None:
    player = FakePlayer()
    sound = Sound(player, {"inhale": Path("in.wav"), "exhale": Path("out.wav")})
    sound.cue("inhale")
    assert sound.toggle_mute() is True and player.stops == 1  # a tone still sounding is cut
    sound.cue("exhale")
    assert sound.toggle_mute() is False
    sound.cue("exhale")
    assert player.played == ["in.wav", "out.wav"]


def test_m_toggles_the_mute_and_redraws_other_keys_pass() -> None:
    assert decode(b"mM")[0] == ["mute", "mute"]
    pressed = iter(["mute", "pause", None])
    toggled: list[bool] = []
    keys = MuteKeys(types.SimpleNamespace(read=lambda timeout: next(pressed)),
                    lambda: toggled.append(True))
    assert [keys.read(1.0) for _ in range(3)] == ["resize", "pause", None]
    assert toggled == [True]


def test_the_mute_key_is_in_the_footer_only_when_it_fits() -> None:
    from test_live_view import frame, texts

    view = LiveView(io.StringIO())
    view.keys_note = "m mute"
    running = frame(paused=False)  # paused, the footer says how to resume instead
    assert texts(view.layout(running, 80, 24))[-1] == f"{FOOTER} · q also stops · m mute"
    assert texts(view.layout(running, 46, 24))[-1] == FOOTER
    out = io.StringIO()
    PlainView(out, keys=True, keys_note="m mute").show(frame(onset=True, paused=False))
    assert "Keys: s stop, p pause, m mute, Ctrl-C quit." in out.getvalue().splitlines()


# -- speech programs, per platform ----------------------------------------------------------


def test_espeak_comes_first_everywhere() -> None:
    for platform in ("linux", "darwin", "win32"):
        program = find_program(platform, only("espeak", "espeak-ng", "say", "powershell"))
        assert program == Program("espeak-ng", ("/opt/bin/espeak-ng",))
    assert find_program("linux", only("espeak")) == Program("espeak", ("/opt/bin/espeak",))


def test_say_speaks_on_macos_only() -> None:
    assert find_program("darwin", only("say")) == Program("say", ("/opt/bin/say",), "stdin")
    assert find_program("linux", only("say")) is None  # another program of that name
    assert voice_names("darwin") == ("espeak-ng", "espeak", "say")


def test_windows_speaks_through_powershell_with_the_text_outside_the_command_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    program = find_program("win32", only("powershell", "pwsh"))
    assert program is not None and program.via == "env"
    assert program.command == (
        "/opt/bin/powershell", "-NoProfile", "-NonInteractive", "-Command", POWERSHELL_SPEAK,
    )
    assert "System.Speech" in POWERSHELL_SPEAK and f"$env:{SPEECH_VARIABLE}" in POWERSHELL_SPEAK
    started: list[dict[str, Any]] = []

    class Proc:
        stdin = None

        def __init__(self, args: list[str], **kwargs: Any) -> None:
            started.append({"args": args, **kwargs})

        def poll(self) -> int:
            return 0

        def wait(self, timeout: float | None = None) -> int:
            return 0

    monkeypatch.setattr(subprocess, "Popen", Proc)
    voice = Voice(program, env={"PATH": "x"})
    text = "'); Remove-Item -Recurse C:\\ #"
    voice.say(text)
    voice.close()
    [call] = started
    assert call["args"] == list(program.command)  # the same command whatever is said
    assert call["env"][SPEECH_VARIABLE] == text
    assert call["stdin"] == subprocess.DEVNULL
    assert voice_names("win32")[-1] == "PowerShell System.Speech"


def test_text_is_spoken_as_words() -> None:
    assert spoken_form("Distress 6 → 3") == "Distress 6 to 3"
    assert spoken_form("0 = calm, 10 = overwhelmed") == "0 is calm, 10 is overwhelmed"
    assert spoken_form("a\x1b[2J\nb") == "a[2J b"


# -- the voice's order ----------------------------------------------------------------------


class Speaking:
    """Stand-in processes: each 'speaks' until finished or terminated."""

    def __init__(self) -> None:
        self.started: list[str] = []
        self.cut: list[str] = []
        self.running: dict[str, threading.Event] = {}

    def popen(self, args: list[str], **kwargs: Any) -> Any:
        owner = self
        done = threading.Event()

        class Stdin:
            def write(self, data: bytes) -> None:
                text = data.decode()
                owner.started.append(text)
                owner.running[text] = done
                proc.text = text

            def close(self) -> None:
                pass

        class Proc:
            stdin = Stdin()
            text = ""

            def poll(self) -> int | None:
                return 0 if done.is_set() else None

            def terminate(self) -> None:
                owner.cut.append(self.text)
                done.set()

            def wait(self, timeout: float | None = None) -> int:
                done.wait(timeout)
                return 0

        proc = Proc()
        return proc

    def finish(self, text: str) -> None:
        wait_for(lambda: text in self.running)
        self.running[text].set()


def wait_for(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 5
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


@pytest.fixture
def speaking(monkeypatch: pytest.MonkeyPatch) -> Speaking:
    fake = Speaking()
    monkeypatch.setattr(subprocess, "Popen", fake.popen)
    return fake


def test_questions_are_never_cut_and_a_new_cue_replaces_a_stale_one(speaking: Speaking) -> None:
    voice = Voice(Program("espeak-ng", ("espeak-ng",)))
    voice.say("How intense is it?")
    wait_for(lambda: speaking.started == ["How intense is it?"])
    voice.cue("Inhale")
    voice.cue("Exhale")  # Inhale, still waiting, is stale now
    assert speaking.cut == []
    speaking.finish("How intense is it?")
    wait_for(lambda: speaking.started[-1:] == ["Exhale"])
    voice.cue("Hold")  # cuts Exhale: a phase word is over when the next phase starts
    wait_for(lambda: speaking.started[-1:] == ["Hold"])
    voice.say("Go on?")
    voice.cue("Inhale")  # cuts Hold, but waits behind the question
    speaking.finish("Hold")
    speaking.finish("Go on?")
    wait_for(lambda: speaking.started[-1:] == ["Inhale"])
    assert speaking.started == ["How intense is it?", "Exhale", "Hold", "Go on?", "Inhale"]
    assert speaking.cut == ["Exhale", "Hold"]
    voice.close(cut=True)


def test_at_the_end_what_is_still_to_be_said_is_said(speaking: Speaking) -> None:
    voice = Voice(Program("espeak-ng", ("espeak-ng",)))
    voice.say("Stopping here.")
    voice.cue("Exhale")
    voice.say("Settle for a minute?")
    wait_for(lambda: speaking.started == ["Stopping here."])
    # close() waits for the words still to come to start (not for them to finish).
    closer = threading.Thread(target=voice.close)
    closer.start()
    wait_for(lambda: voice._closed)
    speaking.finish("Stopping here.")
    closer.join(5)
    assert not closer.is_alive()
    assert speaking.started == ["Stopping here.", "Settle for a minute?"]
    assert speaking.cut == []
    voice.say("too late")
    assert speaking.started[-1] == "Settle for a minute?"


def test_ctrl_c_silences_everything(speaking: Speaking) -> None:
    voice = Voice(Program("espeak-ng", ("espeak-ng",)))
    voice.say("one")
    voice.say("two")
    wait_for(lambda: speaking.started == ["one"])
    voice.close(cut=True)
    assert speaking.started == ["one"] and speaking.cut == ["one"]


# -- the spoken questions -------------------------------------------------------------------


class Said:
    def __init__(self, log: list[str]) -> None:
        self.log = log

    def say(self, text: str) -> None:
        self.log.append("said: " + text)


class Asking:
    """A prompter that notes each question asked (after whatever was said before it)."""

    unasked: frozenset[str] = frozenset()

    def __init__(self, log: list[str]) -> None:
        self.log = log

    def __getattr__(self, name: str) -> Callable[..., Any]:
        def ask(*args: Any, **kwargs: Any) -> Any:
            self.log.append("asked: " + name)
            return {"distress": 4, "confirm": True, "select": "", "ask_text": ""}.get(name)

        return ask


def test_every_question_is_said_before_it_is_asked() -> None:
    log: list[str] = []
    prompter = SpokenPrompter(Asking(log), Said(log))  # type: ignore[arg-type]
    prompter.distress("How is it now?", {0: "soft belly", 10: "can't think"})
    prompter.state()
    prompter.body()
    prompter.choose("jaw: what's there?", ["tight", "warm"])
    prompter.confirm("It has gone up since you began. Go on? [y/N]", default=False)
    assert log == [
        "said: How is it now? 0 = calm, 10 = overwhelmed. "
        "In your words: 0 = soft belly · 10 = can't think. "
        "Type a number from 0 to 10, then Enter.",
        "asked: distress",
        "said: Which way does it lean? activated (too much: racing, braced, flooded); "
        "settled (okay, present); shut down (too little: numb, foggy, far away).",
        "asked: state",
        "said: Where do you notice it in your body? head; jaw; throat; shoulders; chest; "
        "belly; back; arms; hands; legs; feet.",
        "asked: body",
        "said: jaw: what's there? tight; warm.",
        "asked: choose",
        "said: It has gone up since you began. Go on? y for yes, n for no.",
        "asked: confirm",
    ]


def test_what_the_plain_prompter_does_not_ask_is_not_said() -> None:
    log: list[str] = []
    prompter = SpokenPrompter(PlainPrompter(io.StringIO("y\n"), io.StringIO()),
                              Said(log))  # type: ignore[arg-type]
    assert prompter.state() is None and prompter.body() == () and prompter.note() is None
    assert prompter.choose("jaw: what's there?", ["tight"]) == ()
    assert prompter.confirm("Settle for a minute?", default=False) is True
    assert log == ["said: Settle for a minute? y for yes, n for no."]


def test_the_stop_text_said_is_the_opening_its_calm_line_and_the_plan() -> None:
    assert stop_words(NO_PLAN).startswith(
        "Stopping here. It is okay to stop. Noticing that it is enough is part of the "
        "practice. If you are in danger"
    )
    plan = "# My plan\n\n- Call Sam: 555 0100\n- Walk round the block\n- Tea"
    said = stop_words(Support(plan, "file"))
    assert said.endswith(f"My plan. Call Sam: 555 0100. {EMERGENCY_LINE}")
    assert "Walk round" not in said


def test_sighs_top_up_gets_its_own_tone_and_word_even_before_the_timeline_names_it() -> None:
    from quietwork.run.views.cues import CuedView
    from test_live_view import frame

    cues: list[str] = []
    player = FakePlayer()
    files = {name: Path(f"{name}.wav") for name in TONES}
    shown = types.SimpleNamespace(show=lambda frame: None)  # the view is the timeline's affair
    view = CuedView(
        shown, bell=None, sound=Sound(player, files),  # type: ignore[arg-type]
        voice=types.SimpleNamespace(cue=cues.append, drop_cues=lambda: None),  # type: ignore[arg-type]
    )
    for phase in ("inhale", "top-up", "exhale"):
        view.show(frame(phase=phase, onset=True, paused=False))
    view.show(frame(phase="exhale", onset=False, paused=False))  # not a new phase: no cue
    assert player.played == ["inhale.wav", "top-up.wav", "exhale.wav"]
    assert cues == ["Inhale", "Top up", "Exhale"]
