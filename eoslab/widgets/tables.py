"""A view's table as the dashboard shows it: the chosen columns (or all), newest row in view,
every header with its meaning as hover text, results in words.

History tables (the journal, `__transaction_state`) are shown newest first; a table in offset
order (the log dump) stays newest last and is scrolled to its end (a `column-reverse` box starts
at the bottom), so the newest row is always in view without a script.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

import pandas as pd

from .glossary import column_help
from .render import table_html

MAX_HEIGHT = "16em"
_HEADER = re.compile(r"(<th(?: [^>]*)?)>([^<]*)</th>")  # a column heading of `table_html`


def words(df: pd.DataFrame) -> pd.DataFrame:
    """Kafka's error code NONE is shown as `ok` (per-topic results too: "t: ok")."""
    if "result" not in df.columns or df.empty:
        return df
    df = df.copy()
    df["result"] = df["result"].astype(str).str.replace(r"\bNONE\b", "ok", regex=True)
    return df


def show(
    df: pd.DataFrame,
    uid: str,
    *,
    columns: Sequence[str] | None = None,
    all_columns: bool = False,
    newest: str = "",  # "first": reverse the rows; "last": scroll to the end
    empty: str = "",
    max_height: str = MAX_HEIGHT,
) -> str:
    if columns is not None and not all_columns:
        df = df[[c for c in columns if c in df.columns]]
    df = words(df)
    if newest == "first":
        df = df.iloc[::-1]
    body = _header_titles(table_html(df, uid, max_height="none", empty=empty))
    flow = "display: flex; flex-direction: column-reverse; " if newest == "last" else ""
    return (
        f'<div class="eoslab-table-box" style="{flow}max-height: {max_height}; '
        f'overflow: auto"><div style="flex: none">{body}</div></div>'
    )


def _header_titles(body: str) -> str:
    def titled(match: re.Match[str]) -> str:
        name = match.group(2)
        wrappable = name.replace("_", "_<wbr>")  # long identifiers wrap at their underscores
        help_text = column_help(html.unescape(name))
        if help_text is None:
            return f"{match.group(1)}>{wrappable}</th>"
        return f'{match.group(1)} title="{html.escape(help_text)}">{wrappable}</th>'

    return _HEADER.sub(titled, body)


def note(lines: Sequence[str]) -> str:
    """Explanations of values in the table above that would mislead without them."""
    if not lines:
        return ""
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    return (
        '<ul class="eoslab-table-note" style="font-size: 12px; color: #333; margin: 0.2em 0; '
        f'padding-left: 1.2em">{items}</ul>'
    )
