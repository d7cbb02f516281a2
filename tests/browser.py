"""A system Chromium driven from its command line: a screenshot's pixels, and what it fetched."""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find() -> str | None:
    """The path of an installed Chromium, or None."""
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def run(page: Path, work: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Chromium, headless, on `page`, with its own profile and no name resolution at all."""
    browser = find()
    assert browser is not None
    return subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--hide-scrollbars", f"--user-data-dir={work / 'profile'}",
         "--host-resolver-rules=MAP * ~NOTFOUND", *args, page.resolve().as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )


def page_requests(page: Path, work: Path) -> list[str]:
    """The URLs the page itself asked for while loading (Chromium's own traffic left out)."""
    log = work / "net.json"
    result = run(page, work, f"--log-net-log={log}", "--dump-dom")
    assert result.returncode == 0, result.stderr
    data = json.loads(log.read_text(encoding="utf-8"))
    start = data["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    return [
        event["params"]["url"]
        for event in data["events"]
        if event["type"] == start and "file://" in event["params"].get("network_isolation_key", "")
    ]


def screenshot(page: Path, work: Path, width: int, height: int) -> list[list[tuple[int, int, int]]]:
    """The page laid out at width x height and drawn at half scale, as rows of RGB pixels."""
    shot = work / "shot.png"
    result = run(page, work, f"--window-size={width},{height}", "--force-device-scale-factor=0.5",
                 f"--screenshot={shot}")
    assert result.returncode == 0 and shot.exists(), result.stderr
    return decode_png(shot.read_bytes())


def decode_png(data: bytes) -> list[list[tuple[int, int, int]]]:
    """An 8-bit RGB or RGBA PNG as rows of RGB pixels (the little a screenshot needs)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    width = height = channels = 0
    while pos < len(data):
        (length,), kind = struct.unpack(">I", data[pos:pos + 4]), data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color in (2, 6), (depth, color)
            channels = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[list[tuple[int, int, int]]] = []
    previous = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                guess = left + up - corner
                pa, pb, pc = abs(guess - left), abs(guess - up), abs(guess - corner)
                best = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + best) & 0xFF
        rows.append([tuple(line[x * channels:x * channels + 3]) for x in range(width)])
        previous = line
    return rows
