"""Safety lint for valid practice files: warnings, never errors."""

from __future__ import annotations

from pathlib import Path

import yaml

from quietwork.loader import _Loader, _walk, read_text, where_of
from quietwork.practice import BreatheStep, Practice, TrackStep

MAX_HOLD = 7
SLOW_CYCLE = 7.5  # seconds a breath: under 8 breaths a minute
CALMING_TAGS = {"calming", "calm", "downregulation", "relaxation"}


def lint(practice: Practice) -> list[tuple[int, str]]:
    """(step index, warning) pairs for breathing that may not suit the person it is meant for."""
    calming = bool(CALMING_TAGS & set(practice.tags)) or "activated" in practice.suits
    found: list[tuple[int, str]] = []
    any_hold = False
    for index, step in enumerate(practice.steps):
        if not isinstance(step, BreatheStep):
            continue
        b = step.breathe
        if calming and b.exhale < b.inhale:
            found.append((index, f"the exhale ({b.exhale:g} s) is shorter than the inhale"
                                 f" ({b.inhale:g} s) in a calming practice; a longer exhale"
                                 " tends to calm, a shorter one to energise"))
        for name, value in (("hold", b.hold), ("hold_out", b.hold_out)):
            if value > MAX_HOLD:
                found.append((index, f"{name} is {value:g} s; holds over {MAX_HOLD} s can"
                                     " bring on light-headedness or panic"))
        any_hold = any_hold or b.hold > 0 or b.hold_out > 0
    if "shut_down" in practice.suits:
        for index, step in enumerate(practice.steps):
            slow = isinstance(step, BreatheStep) and step.breathe.cycle > SLOW_CYCLE
            if slow or isinstance(step, TrackStep):
                what = "slow breathing" if slow else "a body scan"
                found.append((index, f"the practice suits shut_down but has {what}; eyes-open"
                                     " orienting and grounding suit that state better"
                                     " (consider avoid_when: [shut_down])"))
    if any_hold and not practice.safety:
        first = next(i for i, s in enumerate(practice.steps)
                     if isinstance(s, BreatheStep) and (s.breathe.hold or s.breathe.hold_out))
        found.append((first, "the practice holds the breath but has no `safety` note"
                             " (e.g. skip the holds if they feel uncomfortable)"))
    return found


def lint_file(path: Path, practice: Practice) -> list[str]:
    """Warnings for a file already loaded as `practice`: `path:line:col: warning: field: …`."""
    warnings = lint(practice)
    if not warnings:
        return []
    root = yaml.compose(read_text(path), Loader=_Loader)
    lines = []
    for index, message in warnings:
        # the first key is the step-kind tag pydantic puts in locations
        kind = "track" if isinstance(practice.steps[index], TrackStep) else "breathe"
        node, parts = _walk(root, ("steps", index, kind, kind))
        mark = node.start_mark if node is not None else None
        lines.append(f"{path}:{where_of(mark)}: warning: {''.join(parts).lstrip('.')}: {message}")
    return lines
