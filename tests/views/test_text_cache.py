"""The text raster cache draws what Agg draws, and rasterizes each string once."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from eoslab.views import figure as figure_module
from eoslab.views import offset_timeline, protocol_timeline
from eoslab.views.figure import TextCachingCanvas
from tests.views.scenarios import g14


def pixels(fig, canvas_class) -> np.ndarray:
    canvas_class(fig)
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba())[..., :3].astype(int)


@pytest.mark.parametrize("view", [offset_timeline, protocol_timeline])
def test_cached_text_looks_like_agg_text(view) -> None:
    """Same pixels but for glyphs placed on whole pixels instead of fractions of one."""
    fig = view(g14())
    agg, cached = pixels(fig, FigureCanvasAgg), pixels(fig, TextCachingCanvas)
    assert agg.shape == cached.shape
    assert np.abs(agg - cached).mean() < 3.0
    ink = [(img.sum(axis=2) < 600).sum() for img in (agg, cached)]
    assert abs(ink[0] - ink[1]) < 0.1 * ink[0]


def test_each_string_is_rasterized_once(monkeypatch: pytest.MonkeyPatch) -> None:
    figure_module._TEXT_CACHE.clear()
    drawn: list[str] = []
    rasterize = figure_module._rasterize

    def spy(gc, s, prop, dpi):
        drawn.append(s)
        return rasterize(gc, s, prop, dpi)

    monkeypatch.setattr(figure_module, "_rasterize", spy)
    fig = offset_timeline(g14())
    fig.canvas.draw()
    first = len(drawn)
    assert first > 10 and len(set(drawn)) == first
    fig.canvas.draw()
    offset_timeline(g14()).canvas.draw()  # another figure with the same labels
    assert len(drawn) == first
