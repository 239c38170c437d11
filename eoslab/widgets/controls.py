"""Small building blocks shared by the dashboards: buttons with stable CSS classes, inputs."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from ..i18n import tr
from ..views.style import ISOLATION, text_colour


def button(
    description: str,
    css: str,
    on_click: Callable[[], Any],
    *,
    tooltip: str = "",
    style: str = "",
) -> widgets.Button:
    """A button whose click runs `on_click()`; `css` (e.g. eoslab-commit) is its stable class."""
    b = widgets.Button(
        description=description,
        tooltip=tooltip or description,
        button_style=style,
        layout=widgets.Layout(width="auto"),
    )
    b.add_class(css)
    b.on_click(lambda _button: on_click())
    return b


def text(description: str, value: str, css: str, width: str = "11em") -> widgets.Text:
    w = widgets.Text(
        value=value,
        description=description,
        layout=widgets.Layout(width=width),
        style={"description_width": "initial"},
    )
    w.add_class(css)
    return w


def number(
    description: str, value: int, css: str, lo: int = 0, hi: int = 10**9, width: str = "9em"
) -> widgets.BoundedIntText:
    w = widgets.BoundedIntText(
        value=value,
        min=lo,
        max=hi,
        description=description,
        layout=widgets.Layout(width=width),
        style={"description_width": "initial"},
    )
    w.add_class(css)
    return w


def dropdown(description: str, options: Any, css: str, width: str = "auto") -> widgets.Dropdown:
    w = widgets.Dropdown(
        options=options,
        description=description,
        layout=widgets.Layout(width=width),
        style={"description_width": "initial"},
    )
    w.add_class(css)
    return w


def set_options(w: widgets.Dropdown | widgets.Select, options: list[Any]) -> None:
    """Replace a selector's options only when they changed, keeping the selection if possible."""
    values = [o[1] if isinstance(o, tuple) else o for o in options]
    current = [o[1] if isinstance(o, tuple) else o for o in w.options]
    if values == current and [str(o) for o in options] == [str(o) for o in w.options]:
        return
    keep = w.value
    w.options = options
    if keep in values:
        w.value = keep
    elif values and isinstance(w, widgets.Dropdown):
        w.value = values[0]


def row(*children: widgets.Widget) -> widgets.HBox:
    return widgets.HBox(
        list(children), layout=widgets.Layout(flex_flow="row wrap", align_items="center")
    )


def _same_name(name: str) -> str:
    """Hover text of a client's name (already HTML-escaped)."""
    return html.escape(
        tr(
            "{name} is also its client.id: the same name in the timeline, the tables and the "
            "code log",
            name=name,
        )
    )


def heading(title: str, note: str = "") -> widgets.HTML:
    extra = (
        f' <span style="font-weight: normal; color: #555">{html.escape(tr(note))}</span>'
        if note
        else ""
    )
    return widgets.HTML(
        f'<div style="font-weight: bold; font-size: 14px; margin-top: 0.5em">'
        f"{html.escape(tr(title))}{extra}</div>"
    )


def isolation_badge(isolation: str) -> str:
    style = ISOLATION.get(isolation)
    if style is None:
        return html.escape(isolation)
    return (
        f'<span style="background: {style["color"]}; color: {text_colour(style["color"])}; padding: 0 0.4em; '
        f'border-radius: 3px" title="{isolation}">{style["short"]}</span>'
    )


def box(children: list[widgets.Widget], css: str, border: str = "1px solid #CCC") -> widgets.VBox:
    b = widgets.VBox(children, layout=widgets.Layout(border=border, padding="4px", margin="2px"))
    for name in css.split():  # one class per call: the page's classList refuses spaces
        b.add_class(name)
    return b
