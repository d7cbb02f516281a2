"""The support text: the person's own plan, their configured message, or a kind default."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from quietwork import output, paths
from quietwork.errors import QuietworkError
from quietwork.text import clean

if TYPE_CHECKING:
    from quietwork.config import Settings

DEFAULT_SUPPORT = (
    "If you are in danger or feel unable to keep yourself safe, contact your local "
    "emergency number. A crisis line or someone you trust can help too — you don't "
    "have to do this alone."
)
# Kept under the person's own plan on the stop screen: their plan may not cover danger.
EMERGENCY_LINE = "If you are in danger, contact your local emergency number."
# A support plan is a page or two; anything larger is not one, and is not read whole.
MAX_BYTES = 64 * 1024

Source = Literal["file", "config", "default"]


@dataclass(frozen=True)
class Support:
    """The text to show, and where it came from."""

    text: str
    source: Source


def find_support(settings: Settings | None = None) -> Support:
    """support.md when present, else config `support_message`, else the default.

    Never raises: this is read on the way out of a hard moment, so a broken file or
    config becomes a warning and the default.
    """
    plan = _read_plan()
    if plan:
        return Support(plan, "file")
    message = _configured(settings)
    if message:
        return Support(message, "config")
    return Support(DEFAULT_SUPPORT, "default")


def support_text(settings: Settings | None = None) -> str:
    """The support text for the stop screen (cleaned), always ending with the emergency line."""
    found = find_support(settings)
    if found.source == "default":
        return found.text
    return f"{found.text}\n\n{EMERGENCY_LINE}"


def _read_plan() -> str | None:
    from quietwork.files import Unreadable, read_regular

    path = paths.support_path()
    try:
        data = read_regular(path, MAX_BYTES, cut=True)
    except Unreadable as exc:
        if not exc.missing:
            output.warn(f"cannot read your support plan {path}: {exc.reason}")
        return None
    if len(data) > MAX_BYTES:
        output.warn(f"{path} is over {MAX_BYTES // 1024} KiB; showing its beginning")
        data = data[:MAX_BYTES]
    # A plan saved in another encoding is still the person's plan: show it, marked.
    text = data.decode("utf-8", errors="replace")
    return clean(text).strip() or None


def _configured(settings: Settings | None) -> str | None:
    if settings is None:
        from quietwork.config import load_settings

        try:
            settings = load_settings()
        except QuietworkError as exc:
            output.warn(f"{exc.message}; showing the default support text")
            return None
    message = clean(settings.support_message or "").strip()
    return message or None
