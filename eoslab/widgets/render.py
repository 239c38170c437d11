"""Views into widget values: figures to PNG bytes for `ipywidgets.Image`, tables to HTML.

Figures come from `eoslab.views` as matplotlib `Figure`s built without pyplot; they are drawn once
with the Agg canvas (one draw, where `savefig` draws twice under a layout engine) and encoded with
a fast PNG setting, since a click re-renders them. Tables are the views' plain HTML in the shared
colours (`views.html_table`: the Styler's look at a tenth of its cost), with a stable element id
so that an unchanged table is an unchanged string (and nothing is sent).
"""

from __future__ import annotations

import html as html_lib

import pandas as pd
from matplotlib.figure import Figure

from ..i18n import tr
from ..views import ViewFigure, fate_legend_html, html_table
from ..views.figure import render_png
from ..views.style import ABORTED_BRACKET_COLOUR, ISOLATION, LINE_HELP, LINE_STYLES

DPI = 80  # 11 in wide figures become 880 px images


def figure_png(
    fig: Figure, *, dpi: int = DPI, legend: bool = True, fixed_margins: bool = False
) -> tuple[bytes, int, int]:
    """(PNG bytes, width, height) of `fig`.

    `legend=False` drops figure legends (the dashboard shows the offset timeline's legend once,
    as HTML, instead of drawing it at every click). `fixed_margins` replaces the constrained
    layout by `stack_with_fixed_margins` (no layout pass at every click, and the lanes stay put
    from one click to the next); eoslab's own figures (`ViewFigure`) are laid out with fixed
    margins already and keep their layout. For redrawing at every click, prefer
    `views.offset_timeline_png` / `views.protocol_timeline_png`: they reuse one figure.
    """
    if not legend:
        for item in list(fig.legends):
            item.remove()
    if fixed_margins and not isinstance(fig, ViewFigure):
        stack_with_fixed_margins(fig)
    return render_png(fig, dpi=dpi)


def stack_with_fixed_margins(
    fig: Figure,
    *,
    left: float = 0.75,
    right: float = 1.0,
    top: float = 0.3,
    bottom: float = 0.45,
    gap: float = 0.6,
) -> None:
    """Lay out a figure of axes stacked in one column (as the offset timeline's overview and
    detail panels are) with fixed margins in inches: room for lane names on the left, for HW,
    LSO and consumer labels on the right, for a title above and tick labels below each panel.
    The panels keep the height ratios the view gave them."""
    axes = fig.axes
    if not axes:
        return
    width, height = fig.get_size_inches()
    names = [label.get_text() for ax in axes for label in ax.get_yticklabels()]
    left = max(left, 0.2 + 0.075 * max((len(n) for n in names), default=0))
    fig.set_layout_engine("none")
    spec = axes[0].get_subplotspec()
    ratios = list(spec.get_gridspec().get_height_ratios() or [1] * len(axes)) if spec else []
    if len(ratios) != len(axes):
        ratios = [1.0] * len(axes)
    inner = height - top - bottom - gap * (len(axes) - 1)
    y = height - top
    for ax, ratio in zip(axes, ratios, strict=True):
        h = inner * ratio / sum(ratios)
        y -= h
        ax.set_position([left / width, y / height, 1 - (left + right) / width, h / height])
        y -= gap


def table_html(df: pd.DataFrame, uid: str, *, max_height: str = "16em", empty: str = "") -> str:
    """The view's styled table (shared colours), scrollable, with a stable id."""
    if df.empty:
        text = html_lib.escape(empty or "(empty)")
        return f'<div class="eoslab-empty" style="color: #666"><i>{text}</i></div>'
    body = html_table(df, uid)
    return (
        f'<div style="max-height: {max_height}; overflow: auto; font-size: 12px; '
        f'line-height: 1.3">{body}</div>'
    )


def unavailable_html(what: str, error: BaseException) -> str:
    return (
        f'<div style="color: #666"><i>{html_lib.escape(tr("{what} unavailable here:", what=what))} '
        f"{html_lib.escape(type(error).__name__)} {html_lib.escape(str(error))}</i></div>"
    )


def timeline_legend_html() -> str:
    """The offset timeline's legend in the shared colours, drawn once."""

    def line(name: str) -> str:
        s = LINE_STYLES[name]
        dash = {"-": "solid", "--": "dashed", ":": "dotted"}[s["linestyle"]]
        return (
            f'<span title="{html_lib.escape(tr(LINE_HELP[name]))}" style="margin-right: 0.8em">'
            f'<span style="display: inline-block; width: 0; height: 1em; vertical-align: middle; '
            f'border-left: 2px {dash} {s["color"]}; margin-right: 0.3em"></span>{name}</span>'
        )

    sides = "".join(
        f'<span style="color: {s["color"]}; margin-right: 0.8em">'
        f"{'&#9660;' if s['side'] == 'above' else '&#9650;'} "
        + html_lib.escape(
            tr("{isolation} (above the lane)", isolation=iso)
            if s["side"] == "above"
            else tr("{isolation} (below the lane)", isolation=iso)
        )
        + "</span>"
        for iso, s in ISOLATION.items()
    )
    bracket = (
        f'<span style="border-bottom: 2px solid {ABORTED_BRACKET_COLOUR}; margin-right: 0.8em">'
        f"{html_lib.escape(tr('aborted transaction'))}</span>"
    )
    return (
        '<div style="font-size: 12px; line-height: 1.8">'
        f"{fate_legend_html()}<div>{line('HW')}{line('LSO')}{line('LEO')}{bracket}{sides}</div></div>"
    )
