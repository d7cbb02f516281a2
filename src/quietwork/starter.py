"""The commented starter practice that `quietwork new` writes."""

from __future__ import annotations

STARTER = """\
# yaml-language-server: $schema=./practice.schema.json
# A quietwork practice. The file name is its id: run it with `quietwork practice {id}`.
# Check it with `quietwork validate {path}`; `quietwork show {id}` shows the timings.
# Texts are shown literally. Write invitations, not instructions: "you might",
# "if it feels okay", "you may notice". Promise nothing.

# Required: a short title and a one-line summary.
title: {title}
summary: A few moments to notice where you are.

# Optional: words to find it by (`quietwork list --tag grounding`).
tags: [grounding, mine]

# Optional: which way a person leans when this suits them: activated, settled, shut_down.
# A person who reports a state listed in avoid_when is gently offered grounding instead.
# Paced breathing and body scans are not for someone who feels shut down: this starter
# has both, so it says so. Eyes-open orienting and grounding may suit shut_down.
suits: [activated, settled]
avoid_when: [shut_down]

# Optional: shown by `quietwork show`. Say when to skip or stop.
safety: If anything here feels like too much, open your eyes, look around, and stop.

# Optional: where the idea comes from.
sources: ["Your own words, or a book or paper you learned it from"]

# Required: at least one step. Four kinds: say, breathe, checkin, track.
steps:
  # say: a prompt shown for `seconds` (0 < seconds <= 600), optionally `repeat`ed (1 of 3 ...).
  - say: Let your eyes move slowly around the room. You can keep them open.
    seconds: 8
  - say: Name something you can see.
    seconds: 6
    repeat: 3

  # checkin: the 0-10 question in the middle of a practice (a high rating stops it).
  - checkin: How intense is it now?

  # breathe: seconds for each phase (under 60), holds may be 0, and either
  # `breaths: N` or `minutes: M`. A longer exhale than inhale tends to calm.
  - breathe: {{inhale: 4, hold: 0, exhale: 6, hold_out: 0, breaths: 5}}

  # track: attention moving through body areas, `seconds` on each; `ask` is optional:
  # words the person may pick for what they noticed there.
  - track:
      areas: [hands, feet]
      seconds: 8
      ask: [warm, cool, heavy, tingling, nothing]

  - say: That's it. Notice anything that feels a little more okay, if anything does.
    seconds: 6
"""


def starter_text(practice_id: str, path: str) -> str:
    """The starter file for an id."""
    title = practice_id.replace("-", " ").replace("_", " ").capitalize()
    return STARTER.format(id=practice_id, path=path, title=title)
