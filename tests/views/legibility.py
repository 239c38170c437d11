"""What a reader of a figure at its display size can and cannot read: text smaller than 10 px, and
texts drawn over each other. Measured from the artists' window extents after a draw at the
display resolution; used by the view tests and, inside the lab notebooks' own kernels, by the
lab tests."""

from __future__ import annotations

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

MIN_FONT_PX = 10.0
DISPLAY_DPI = 80  # the figures are laid out for 880 px at 80 dpi (eoslab.views.figure)


def texts(fig: Figure) -> list[Text]:
    """Every visible, non-empty text of the figure (axes texts, annotations, legends, titles)."""
    return [
        t
        for t in fig.findobj(Text)  # the figure's children: axes no longer in it are not searched
        if t.get_visible() and t.get_text().strip() and (t.axes is None or t.axes.get_visible())
    ]


def problems(fig: Figure, display_px: float | None = None) -> list[str]:
    """Texts under `MIN_FONT_PX` when the figure is shown `display_px` wide (default: its natural
    width at the display resolution), and pairs of texts whose extents overlap."""
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    fig.set_dpi(DISPLAY_DPI)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    natural = fig.get_figwidth() * DISPLAY_DPI
    scale = (display_px or natural) / natural
    found = []
    boxes = []
    for t in texts(fig):
        px = t.get_fontsize() * DISPLAY_DPI / 72 * scale
        if px < MIN_FONT_PX - 1e-9:
            found.append(f"{t.get_text()!r} is {px:.1f} px")
        box = Text.get_window_extent(t, renderer)  # the text only, not an annotation's arrow
        for other, other_box in boxes:
            if box.overlaps(other_box) and box.intersection(box, other_box).width > 0.5:
                overlap = box.intersection(box, other_box)
                if overlap.height > 0.5:
                    found.append(f"{t.get_text()!r} overlaps {other.get_text()!r}")
        boxes.append((t, box))
    return found
