"""The report's own SVG line chart: well-formed, escaped, gaps where a day has no value."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from quietwork.display.svg import HEIGHT, TOP, Series, line_chart


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # raises on anything not well-formed


def test_one_polyline_per_run_of_days_with_a_value() -> None:
    svg = parse(line_chart([Series("before", [5, 6, None, 4, 3, None, 2], "#123456")],
                           [f"d{i}" for i in range(7)], title="t"))
    lines = svg.findall("polyline")
    assert [len(line.get("points", "").split()) for line in lines] == [2, 2]  # d6 stands alone
    assert len(svg.findall("circle")) == 5


def test_values_run_from_the_bottom_up_and_stay_inside() -> None:
    svg = parse(line_chart([Series("s", [0, 10, 12, -3], "#000000")], ["a", "b", "c", "d"],
                           title="t"))
    ys = [float(c.get("cy", "nan")) for c in svg.findall("circle")]
    assert ys[0] > ys[1] and ys[1] == TOP and ys[2] == TOP and ys[3] == ys[0] < HEIGHT


def test_every_text_is_escaped() -> None:
    hostile = '<script>alert(1)</script>&"'
    svg_text = line_chart([Series(hostile, [1], "#000000")], [hostile], title=hostile)
    assert "<script" not in svg_text
    root = parse(svg_text)
    assert root.find("title") is not None and root.find("title").text == hostile  # type: ignore[union-attr]
    assert hostile in [t.text for t in root.iter("text")]


def test_no_days_draws_an_empty_frame() -> None:
    svg = parse(line_chart([Series("s", [], "#000000")], [], title="nothing"))
    assert svg.findall("polyline") == [] and svg.findall("circle") == []
