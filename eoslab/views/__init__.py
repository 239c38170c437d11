"""Pure functions from the cluster's state to what a learner sees: text, tables, figures.

Every view takes a cluster (or `at_step(cluster, n)`, the cluster as it was after journal event n)
and returns a value: a list of lines, a pandas DataFrame, an HTML string, or a matplotlib Figure
built without pyplot that shows itself as an image in a notebook (`ViewFigure`). Nothing here
keeps state or draws on screen by itself; the `*_png` variants, for redrawing at every click,
reuse a figure and its artists and return PNG bytes. Colours, glyphs and
words come from `style`, the same in every view.
"""

from . import style
from .aborted_index import aborted_index
from .consumer_groups import consumer_groups
from .consumers import consumers
from .dump_log import dump_log_lines
from .fates import batch_fates
from .figure import ViewFigure
from .journal import journal_table
from .log_dump import log_dump
from .offset_timeline import offset_timeline, offset_timeline_png, png
from .partitions import partitions
from .producers import producers
from .protocol_timeline import protocol_timeline, protocol_timeline_png
from .render import fate_legend_html, html, html_table, styled
from .time_travel import at_step
from .transaction_log import transaction_log
from .transactions import hanging_transactions, transactions

__all__ = [
    "ViewFigure",
    "aborted_index",
    "at_step",
    "batch_fates",
    "consumer_groups",
    "consumers",
    "dump_log_lines",
    "fate_legend_html",
    "hanging_transactions",
    "html",
    "html_table",
    "journal_table",
    "log_dump",
    "offset_timeline",
    "offset_timeline_png",
    "partitions",
    "png",
    "producers",
    "protocol_timeline",
    "protocol_timeline_png",
    "style",
    "styled",
    "transaction_log",
    "transactions",
]
