"""Tables as styled HTML, in the shared colours: what a notebook cell or a widget displays.

A row's background is its fate's colour (the same as in the offset timeline); markers are bold and
carry their glyph (✓ COMMIT, ✗ ABORT); aborted values are struck through, so they stand out even
in black and white. Journal results are coloured by outcome. Works on any table of this package:
columns it does not know are left alone.
"""

from __future__ import annotations

from html import escape
from typing import Any

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from ..i18n import tr
from .style import (
    ABORTED,
    FATE_COLOURS,
    FATE_HELP,
    FATE_LABELS,
    FATES,
    MARKER,
    MARKER_SYMBOLS,
    OUTCOME_COLOURS,
    text_colour,
)

MAX_ROWS = 500  # styling a 100k-row frame would freeze a notebook; slice first to see more

_ROW_CSS = {
    fate: f"background-color: {c}; color: {text_colour(c)}" for fate, c in FATE_COLOURS.items()
}
_ROW_CSS[MARKER] += "; font-weight: bold"


def styled(df: pd.DataFrame) -> Styler:
    """A pandas Styler with the shared colours (rows by fate, results by outcome)."""
    styler = df.style
    if "fate" in df.columns:
        styler = styler.apply(_fate_css, axis=None)
    if "marker" in df.columns:
        styler = styler.format(_marker_text, subset=["marker"])
    if "outcome" in df.columns:
        styler = styler.apply(_outcome_css, axis=None, subset=["result", "outcome"])
    if "offset" in df.columns:
        styler = styler.hide(axis="index")
    return styler


def html(df: pd.DataFrame, max_rows: int = MAX_ROWS) -> str:
    """Styled HTML of at most `max_rows` rows (pandas shows the first ones and an ellipsis)."""
    return styled(df).to_html(max_rows=max_rows)


def html_table(df: pd.DataFrame, uid: str = "eoslab", max_rows: int = MAX_ROWS) -> str:
    """The table as `styled(df)` shows it (rows by fate, markers bold with their glyph, aborted
    values struck through, results by outcome, no index), as plain HTML: no Styler, whose
    per-cell CSS machinery costs ten times more. The first `max_rows` rows; ids are
    `T_{uid}` and `T_{uid}_row{i}`, stable, so an unchanged table is an unchanged string."""
    df = df.head(max_rows)
    columns = list(df.columns)
    head = "".join(f"<th>{escape(str(c))}</th>" for c in columns)
    fates = df["fate"].astype(object).tolist() if "fate" in df.columns else None
    outcomes = df["outcome"].tolist() if "outcome" in df.columns else None
    coloured = {"result", "outcome"}
    cells = [df[c].tolist() for c in columns]
    body = []
    for i in range(len(df)):
        row_css = _ROW_CSS.get(fates[i], "") if fates is not None else ""
        out_css = f"color: {OUTCOME_COLOURS.get(outcomes[i], '')}" if outcomes is not None else ""
        tds = []
        for name, values in zip(columns, cells, strict=True):
            v = values[i]
            text = _marker_text(v) if name == "marker" else _cell_text(v)
            css = ""
            if name == "value" and fates is not None and fates[i] == ABORTED:
                css = "text-decoration: line-through"
            elif outcomes is not None and name in coloured:
                css = out_css
            tds.append(
                f'<td style="{css}">{escape(text)}</td>' if css else f"<td>{escape(text)}</td>"
            )
        style = f' style="{row_css}"' if row_css else ""
        body.append(f'<tr id="T_{uid}_row{i}"{style}>{"".join(tds)}</tr>')
    return (
        f'<table id="T_{uid}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
    )


def _cell_text(v: Any) -> str:
    if v is None:
        return "None"
    if v is pd.NA:
        return "<NA>"
    if isinstance(v, float):
        return "nan" if v != v else f"{v:.6f}"
    return str(v)


def fate_legend_html() -> str:
    """A one-line legend of the fate colours, for placing above a styled table."""
    cells = "".join(
        f'<span style="{_ROW_CSS[f]}; padding: 0 0.5em; margin-right: 0.3em" '
        f'title="{escape(tr(FATE_HELP[f]))}">{escape(fate_name(f))}</span>'
        for f in FATES
    )
    glyphs = " ".join(f"{s} {kind}" for kind, s in MARKER_SYMBOLS.items())
    return f"<div>{cells} {escape(tr('markers:'))} {glyphs}</div>"


def fate_name(fate: str) -> str:
    """The fate in the current language, with the `fate` column's word beside a translation."""
    word = tr(FATE_LABELS[fate])
    return fate if word == fate else f"{word} ({fate})"


def _fate_css(df: pd.DataFrame) -> pd.DataFrame:
    row = df["fate"].astype(object).map(_ROW_CSS).fillna("").to_numpy(dtype=object)
    css = np.repeat(row[:, None], df.shape[1], axis=1)
    if "value" in df.columns:
        j = df.columns.get_loc("value")
        aborted = (df["fate"] == ABORTED).to_numpy()
        css[aborted, j] = css[aborted, j] + "; text-decoration: line-through"
    return pd.DataFrame(css, index=df.index, columns=df.columns)


def _marker_text(marker: Any) -> str:
    if not marker or pd.isna(marker):
        return ""
    return f"{MARKER_SYMBOLS.get(marker, '')} {marker}".strip()


def _outcome_css(df: pd.DataFrame) -> pd.DataFrame:
    colours = df["outcome"].map(lambda o: f"color: {OUTCOME_COLOURS.get(o, '')}")
    return pd.DataFrame({c: colours for c in df.columns}, index=df.index)
