"""The HTML report in a real headless Chromium: it renders, the chart shows, nothing is fetched.

Chromium comes from the system's packages (`.ci/run` installs it when it runs as root);
without one these tests skip and say why.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import browser
from histories import CLI, bring_in, checkin, hours_ago, session
from quietwork.display.report import AFTER_COLOR, BEFORE_COLOR

pytestmark = pytest.mark.skipif(
    browser.find() is None,
    reason="no Chromium installed (apt-get install chromium); the HTML report is not "
           "checked in a browser here",
)


def rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def near(pixel: tuple[int, int, int], color: tuple[int, int, int]) -> bool:
    return all(abs(a - b) <= 24 for a, b in zip(pixel, color, strict=True))


@pytest.fixture
def page(cli: CLI, tmp_path: Path) -> Path:
    ratings = [(6, 3), (5, 4), (7, 2), (4, 4), (6, 5), (8, 3), (5, 2), (6, 1)]
    bring_in(cli, tmp_path, [
        *(session("ground", hours_ago(24 * day + 2), [("before", b), ("after", a)])
          for day, (b, a) in enumerate(ratings)),
        checkin(hours_ago(5), 4, note="<b>not bold</b>"),
    ])
    path = tmp_path / "report.html"
    result = cli("report", "--notes", "--days", "10", "--html", str(path))
    assert result.exit_code == 0, result.output
    return path


def test_it_renders_with_the_chart_in_the_dom(page: Path, tmp_path: Path) -> None:
    result = browser.run(page, tmp_path, "--dump-dom")
    assert result.returncode == 0, result.stderr
    dom = result.stdout
    assert "quietwork report, " in dom and "Private." in dom
    assert "<svg" in dom and "<polyline" in dom
    assert "&lt;b&gt;not bold&lt;/b&gt;" in dom and "<b>not bold" not in dom


def test_the_chart_is_visible(page: Path, tmp_path: Path) -> None:
    # Drawn at half scale to keep the pixels few; the lines are the only things in these
    # colours apart from two small legend swatches.
    pixels = browser.screenshot(page, tmp_path, 1000, 2400)
    before, after = rgb(BEFORE_COLOR), rgb(AFTER_COLOR)
    counts = {"before": 0, "after": 0}
    for row in pixels:
        for pixel in row:
            if near(pixel, before):
                counts["before"] += 1
            elif near(pixel, after):
                counts["after"] += 1
    assert counts["before"] > 60 and counts["after"] > 60, counts  # a legend swatch is ~14


def test_nothing_is_fetched(page: Path, tmp_path: Path) -> None:
    assert browser.page_requests(page, tmp_path) == []


def test_the_fetch_check_would_see_a_request(tmp_path: Path) -> None:
    leaky = tmp_path / "leaky.html"
    leaky.write_text('<!DOCTYPE html><img src="http://tracker.invalid/p.png"><p>x</p>',
                     encoding="utf-8")
    assert browser.page_requests(leaky, tmp_path) == ["http://tracker.invalid/p.png"]


def test_it_prints(page: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    result = browser.run(page, tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    assert result.returncode == 0, result.stderr
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 10_000  # a page with the text and chart
