"""Figures show themselves as images: in IPython's formatter, in a real kernel with and without
`%matplotlib inline`, once each; and nothing keeps a figure alive after it has been shown."""

from __future__ import annotations

import gc
import io
import weakref

import nbformat
import pytest
from IPython.core.formatters import DisplayFormatter
from matplotlib.artist import Artist
from nbclient import NotebookClient
from PIL import Image

from eoslab.views import (
    ViewFigure,
    at_step,
    offset_timeline,
    offset_timeline_png,
    protocol_timeline,
)
from eoslab.views.figure import DISPLAY_WIDTH_PX, RETINA
from tests.views.scenarios import g5, g14

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("view", [offset_timeline, protocol_timeline])
def test_the_formatter_gets_a_png_at_display_size(view) -> None:
    fig = view(g14())
    assert isinstance(fig, ViewFigure) and fig.canvas.manager is None  # no pyplot
    data, metadata = DisplayFormatter().format(fig)
    assert set(data) == {"text/plain", "image/png"}
    png = data["image/png"]
    assert png[:8] == PNG
    size = Image.open(io.BytesIO(png)).size
    shown = metadata["image/png"]
    # twice the pixels of the size it is shown at: sharp on HiDPI screens
    assert abs(size[0] - shown["width"] * RETINA) <= 1
    assert abs(size[1] - shown["height"] * RETINA) <= 1
    if view is offset_timeline:
        assert shown["width"] == DISPLAY_WIDTH_PX
    assert fig.get_dpi() == 80  # rendering for display left the figure as it was


CELLS = [
    "import sys\nsys.path.insert(0, {root!r})\n"
    "from tests.views.scenarios import g14\nfrom eoslab import views\ncluster = g14()",
    "views.offset_timeline(cluster)",
    "views.protocol_timeline(cluster, 10)",
    "%matplotlib inline",
    "views.offset_timeline(cluster)",
    "import matplotlib.pyplot as plt\nprint(plt.get_fignums())",
]


def test_a_kernel_shows_each_figure_once_with_and_without_the_inline_backend() -> None:
    """The cells a lab has: a figure as the last value, before and after `%matplotlib inline`
    (whose printer for Figure then takes precedence: still one image, and pyplot holds none)."""
    from pathlib import Path

    root = str(Path(__file__).resolve().parents[2])
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c.format(root=root)) for c in CELLS]
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    for i in (1, 2, 4):
        outputs = nb.cells[i].outputs
        assert [o.output_type for o in outputs] == ["execute_result"], outputs
        data = outputs[0].data
        assert data["text/plain"].startswith("<")  # the text beside the image, as for any figure
        assert "image/png" in data
    assert nb.cells[1].outputs[0].metadata["image/png"]["width"] == DISPLAY_WIDTH_PX
    assert nb.cells[5].outputs[0].text.strip() == "[]"  # nothing registered with pyplot


def test_shown_figures_are_not_kept() -> None:
    """A figure built, shown (what IPython does with a cell's last value) and dropped is freed."""
    cluster = g14()
    refs = []
    for _ in range(20):
        fig = offset_timeline(cluster)
        DisplayFormatter().format(fig)
        refs.append(weakref.ref(fig))
        del fig
    gc.collect()
    assert [r() for r in refs] == [None] * 20


def test_memory_is_flat_over_1000_redraws() -> None:
    """The dashboard's redraw path (one figure per layout, artists updated) over 1,000 redraws
    that each draw something new (two moments of a cluster in turn): no object is left behind
    (the count of live objects the collector tracks, and of matplotlib artists, stays put)."""
    cluster, *_ = g5()
    moments = [cluster, at_step(cluster, 4)]

    def redraw(i: int) -> None:
        png, width, _ = offset_timeline_png(moments[i % 2], detail=30)
        assert png[:8] == PNG and width == DISPLAY_WIDTH_PX

    def live() -> tuple[int, int]:
        gc.collect()
        objects = gc.get_objects()
        return len(objects), sum(isinstance(o, Artist) for o in objects)

    for i in range(100):  # caches fill up: fonts, text rasters, one figure per layout
        redraw(i)
    before = live()
    for i in range(100, 1_000):
        redraw(i)
    after = live()
    assert after[1] == before[1]  # not one artist more
    assert after[0] - before[0] < 50, (before, after)
