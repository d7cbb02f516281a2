"""The log's vocabulary, named once: states, statuses, stop reasons, check-in phases, labels.

The store, import, export, the practice model and the run all use these words; see
docs/cli.md for how they appear in `log --json`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

State = Literal["activated", "settled", "shut_down"]
Status = Literal["running", "completed", "stopped", "interrupted"]
StopReason = Literal["overwhelm", "rising", "user"]
CheckinPhase = Literal["before", "mid", "after"]
RecordedPhase = Literal["before", "mid", "after", "track"]  # check-ins inside a session

# The words a person sees; the stored values are activated, settled, shut_down.
STATE_LABELS: Mapping[str, str] = {
    "activated": "activated (too much: racing, braced, flooded)",
    "settled": "settled (okay, present)",
    "shut_down": "shut down (too little: numb, foggy, far away)",
}
NOTICED = (
    "longer exhale", "sigh", "yawn", "softening", "warmth", "heaviness", "tears",
    "trembling", "nothing in particular",
)
BODY_AREAS = (
    "head", "jaw", "throat", "shoulders", "chest", "belly", "back", "arms", "hands",
    "legs", "feet",
)
SCALE = "0 = calm, 10 = overwhelmed"
