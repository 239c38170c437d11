"""A matplotlib Figure that shows itself as a PNG image in any notebook, without pyplot or magics.

eoslab builds figures without pyplot, so that no figure is ever registered in pyplot's global list
(which keeps every figure alive until `plt.close`). The price is that IPython knows no image
formatter for a bare `Figure` unless `%matplotlib inline` has run: the cell prints
`<Figure size 1100x245 with 1 Axes>`. `ViewFigure` fixes that with `_repr_png_`:

- `_repr_png_` (not `_repr_svg_`/`_repr_html_`) because PNG is the one rich format every
  IPython-based front end renders from a kernel's display data (JupyterLab, Notebook, nbclient and
  nbconvert, VS Code, Colab) and stores compactly in a saved notebook; an offset timeline has
  thousands of cells, which as SVG would be megabytes of paths for the browser to lay out, and
  HTML output is sanitized in untrusted notebooks.
- The image is rendered at twice the display resolution with `width`/`height` metadata of the
  display size, so text is crisp on high-density screens and the figure is shown at exactly
  `DISPLAY_DPI`, the scale its font sizes are chosen for (see `MIN_FONT_PX`).
- With `%matplotlib inline` active, IPython has a PNG printer registered for `Figure`; a printer
  registered for a type takes precedence over `_repr_png_`, so the cell still carries exactly
  one image. The inline backend's end-of-cell flush only shows pyplot's figures, which these
  are not: no double display.
- Nothing is kept after rendering: the PNG is encoded into a fresh buffer and returned; the
  figure holds no reference to it, and no module keeps the figure.
"""

from __future__ import annotations

import io
from collections import OrderedDict
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.figure import Figure
from PIL import Image

from ..i18n import fonts, language

DISPLAY_DPI = 80  # figures are laid out for 11 in = 880 px: the dashboard's and a notebook's width
DISPLAY_WIDTH_PX = 880
MIN_FONT_PX = 10  # no text smaller than this at the display size
FONT_PT = 9.0  # 9 pt at 80 dpi = 10 px
TITLE_PT = 10.0
RETINA = 2  # notebook images are rendered at this multiple of the display resolution


TEXT_CACHE_SIZE = 1024  # rendered strings kept (a few kB each)
_TEXT_CACHE: OrderedDict[tuple, tuple[np.ndarray, int, int]] = OrderedDict()
_METRICS: dict[tuple, tuple[float, float, float]] = {}


class ArtistPool:
    """Artists kept across redraws, by kind: a paint takes them in order (making one only when
    the pool runs out) and then hides what it did not take, instead of building a new figure."""

    def __init__(self) -> None:
        self.pools: dict[Any, list[Any]] = {}
        self.used: dict[Any, int] = {}

    def take(self, kind: Any, make: Any) -> Any:
        pool = self.pools.setdefault(kind, [])
        i = self.used.get(kind, 0)
        self.used[kind] = i + 1
        if i == len(pool):
            pool.append(make())
        artist = pool[i]
        artist.set_visible(True)
        return artist

    def hide_unused(self) -> None:
        for kind, pool in self.pools.items():
            for artist in pool[self.used.get(kind, 0) :]:
                artist.set_visible(False)
        self.used = {}


class ViewFigure(Figure):
    """A Figure with an Agg canvas that displays itself as a PNG (see the module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("dpi", DISPLAY_DPI)
        if language() != "en":  # texts take their font family when created: Hangul fallback first
            fonts.configure()
        super().__init__(*args, **kwargs)
        TextCachingCanvas(self)

    def _repr_png_(self) -> tuple[bytes, dict[str, int]]:
        dpi = self.get_dpi()
        try:
            data, width, height = render_png(self, dpi=DISPLAY_DPI * RETINA, compress_level=6)
        finally:
            self.set_dpi(dpi)
        return data, {"width": round(width / RETINA), "height": round(height / RETINA)}


def render_png(
    fig: Figure, dpi: float = DISPLAY_DPI, compress_level: int = 1
) -> tuple[bytes, int, int]:
    """(PNG bytes, width px, height px) of `fig` drawn once with the Agg canvas at `dpi`.

    One draw (where `savefig` draws twice under a layout engine), RGB rather than RGBA (the
    figures are opaque), and a fast zlib level by default: the dashboard re-renders at every click.
    """
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    if fig.get_dpi() != dpi:
        fig.set_dpi(dpi)
    canvas.draw()
    width, height = canvas.get_width_height()
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    out = io.BytesIO()
    image.convert("RGB").save(out, format="PNG", compress_level=compress_level)
    return out.getvalue(), width, height


class TextCachingRenderer(RendererAgg):
    """Agg, drawing each distinct string once and blitting its pixels after that.

    matplotlib 3.11 lays out and rasterizes every glyph of every string at every draw (about
    1.5 ms per label), which made text most of a redraw's cost, although from one click to the
    next almost every label is the same string at the same size and colour. Here a horizontal,
    non-math string is drawn once, by Agg itself, onto a small transparent canvas, and that
    image is composited at the text's position (rounded to whole pixels) from then on: the same
    pixels, in a few microseconds. The cache is bounded (least recently used strings go first).
    """

    def get_text_width_height_descent(self, s: str, prop: Any, ismath: Any) -> Any:
        if ismath:
            return super().get_text_width_height_descent(s, prop, ismath)
        return _metrics(s, prop, self.dpi)

    def draw_text(
        self,
        gc: Any,
        x: float,
        y: float,
        s: str,
        prop: Any,
        angle: float,
        ismath: Any = False,
        mtext: Any = None,
    ) -> None:
        if ismath or angle:
            super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
            return
        key = (
            s,
            hash(prop),
            self.dpi,
            gc.get_rgb(),
            gc.get_alpha(),
            gc.get_antialiased(),
            get_hinting_flag(),
        )
        cache = _TEXT_CACHE
        hit = cache.get(key)
        if hit is None:
            hit = cache[key] = _rasterize(gc, s, prop, self.dpi)
            while len(cache) > TEXT_CACHE_SIZE:
                cache.popitem(last=False)
        else:
            cache.move_to_end(key)
        image, dx, dy = hit  # y is downwards here, as in RendererAgg.draw_text
        self.draw_image(gc, round(x) - dx, self.height - (round(y) - dy) - image.shape[0], image)


def _metrics(s: str, prop: Any, dpi: float) -> tuple[float, float, float]:
    """Agg's (width, height, descent) of `s`, computed once per string, size and resolution
    (matplotlib caches them per renderer, so a new figure would measure every label again)."""
    key = (s, hash(prop), dpi, get_hinting_flag())
    hit = _METRICS.get(key)
    if hit is None:
        probe = _PROBES.get(dpi) or _PROBES.setdefault(dpi, RendererAgg(1, 1, dpi))
        hit = _METRICS[key] = RendererAgg.get_text_width_height_descent(probe, s, prop, False)
        while len(_METRICS) > TEXT_CACHE_SIZE:
            _METRICS.pop(next(iter(_METRICS)))
    return hit


def _rasterize(gc: Any, s: str, prop: Any, dpi: float) -> tuple[np.ndarray, int, int]:
    """`s` drawn by Agg on a transparent canvas just big enough: (RGBA, the baseline's x and
    y from the canvas's top-left corner)."""
    size = prop.get_size_in_points() * dpi / 72
    width, height, descent = _metrics(s, prop, dpi)
    margin = int(size / 2) + 2  # glyphs may overhang their advance box
    w, h = int(width) + 2 * margin, int(height) + 2 * margin
    canvas = RendererAgg(w, h, dpi)
    dx, dy = margin, margin + int(np.ceil(height - descent))  # the baseline, from the top
    RendererAgg.draw_text(canvas, gc, dx, dy, s, prop, 0)
    # draw_image takes rows bottom up (as AxesImage hands them over)
    return np.ascontiguousarray(np.asarray(canvas.buffer_rgba())[::-1]), dx, dy


_PROBES: dict[float, RendererAgg] = {}  # one tiny renderer per resolution, to measure text


class TextCachingCanvas(FigureCanvasAgg):
    """The Agg canvas with `TextCachingRenderer`."""

    def get_renderer(self) -> RendererAgg:
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if self._lastKey != key:
            self.renderer = TextCachingRenderer(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer
