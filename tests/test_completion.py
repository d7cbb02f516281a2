"""Practice ids complete in bash, zsh and fish, through typer's completion protocol."""

from __future__ import annotations

from pathlib import Path

from conftest import run_subprocess


def complete(shell: str, words: str) -> str:
    env = {"_QUIETWORK_COMPLETE": f"complete_{shell}", "_TYPER_COMPLETE_ARGS": words,
           "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1),
           "_TYPER_COMPLETE_FISH_ACTION": "get-args"}
    result = run_subprocess(env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_bash_completes_builtin_ids() -> None:
    assert complete("bash", "quietwork show gr").split() == ["ground"]


def test_zsh_completes_builtin_ids() -> None:
    assert '"exhale"' in complete("zsh", "quietwork show ex")


def test_fish_completes_user_practices_too(quietwork_home: Path) -> None:
    folder = quietwork_home / "practices"
    folder.mkdir(parents=True)
    (folder / "river.yaml").write_text("title: R\nsummary: S\nsteps:\n  - say: x\n    seconds: 5\n")
    assert complete("fish", "quietwork show r").split() == ["resonance", "river"]


def test_the_completion_script_can_be_shown() -> None:
    result = run_subprocess("--show-completion", "bash")
    assert result.returncode == 0 and "_QUIETWORK_COMPLETE=complete_bash" in result.stdout
