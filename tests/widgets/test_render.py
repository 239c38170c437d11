"""Figures to PNG and tables to HTML, as the dashboards show them."""

from __future__ import annotations

import io

import pandas as pd
from matplotlib.layout_engine import ConstrainedLayoutEngine
from PIL import Image

from eoslab.views import offset_timeline, protocol_timeline, style
from eoslab.widgets.render import figure_png, table_html, timeline_legend_html


def test_the_offset_timeline_is_an_880_px_png_without_its_legend(dashboard) -> None:
    p = dashboard.producers.panels[0]
    for name in ("init", "begin", "produce", "commit"):
        p.buttons[name].click()
    fig = offset_timeline(dashboard.cluster, detail=30)
    assert fig.legends
    png, width, height = figure_png(fig, legend=False, fixed_margins=True)
    assert not fig.legends
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (width, height) and width == 880
    for ax in fig.axes:  # fixed margins: every panel inside the figure, lanes left of 1 in
        x0, y0, x1, y1 = ax.get_position().extents
        assert 0 < x0 < x1 <= 1 - 1.0 / 11 + 1e-9 and 0 < y0 < y1 < 1
    assert not isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine)


def test_fixed_margins_keep_the_lanes_in_place_between_clicks(dashboard) -> None:
    p = dashboard.producers.panels[0]
    p.buttons["init"].click()
    p.buttons["begin"].click()
    positions = []
    for _ in range(3):
        p.buttons["produce"].click()
        dashboard.consumers.panels[1].buttons["poll"].click()
        fig = offset_timeline(dashboard.cluster, detail=30)
        figure_png(fig, legend=False, fixed_margins=True)
        positions.append([tuple(ax.get_position().bounds) for ax in fig.axes])
    assert positions[0] == positions[1] == positions[2]


def test_protocol_timeline_keeps_its_own_layout(dashboard) -> None:
    png, width, height = figure_png(protocol_timeline(dashboard.cluster))
    assert Image.open(io.BytesIO(png)).size == (width, height)


def test_tables_are_stable_strings_and_empty_ones_say_so() -> None:
    df = pd.DataFrame({"offset": [0, 1], "fate": ["committed", "marker"], "value": ["a", None]})
    first, second = table_html(df, "x"), table_html(df, "x")
    assert first == second and "T_x_row0" in first
    assert style.FATE_COLOURS["committed"] in first
    assert "nothing here" in table_html(df.iloc[:0], "x", empty="nothing here")


def test_the_timeline_legend_names_every_fate_line_and_side() -> None:
    legend = timeline_legend_html()
    for word in (*style.FATES, "HW", "LSO", "LEO", "read_committed", "read_uncommitted"):
        assert word in legend
    for colour in (*style.FATE_COLOURS.values(), style.LINE_STYLES["LSO"]["color"]):
        assert colour in legend
