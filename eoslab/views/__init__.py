"""Pure functions from the cluster's state to what a learner sees: text, tables, figures.

Every view takes a cluster (or `at_step(cluster, n)`, the cluster as it was after journal event n)
and returns a value: a list of lines, a pandas DataFrame, an HTML string, or a matplotlib Figure
built without pyplot that shows itself as an image in a notebook (`ViewFigure`). Nothing here
keeps state or draws on screen by itself; the `*_png` variants, for redrawing at every click,
reuse a figure and its artists and return PNG bytes. Colours, glyphs and
words come from `style`, the same in every view.
"""

from .._lazy import lazy_exports

__all__ = lazy_exports(
    __name__,
    {
        ".aborted_index": ["aborted_index"],
        ".consumer_groups": ["consumer_groups"],
        ".consumers": ["consumers"],
        ".dump_log": ["dump_log_lines"],
        ".fates": ["batch_fates"],
        ".figure": ["ViewFigure"],
        ".journal": ["journal_table"],
        ".log_dump": ["log_dump"],
        ".offset_timeline": ["offset_timeline", "offset_timeline_png", "png"],
        ".partitions": ["partitions"],
        ".producers": ["producers"],
        ".protocol_timeline": ["protocol_timeline", "protocol_timeline_png"],
        ".render": ["fate_legend_html", "html", "html_table", "styled"],
        ".time_travel": ["at_step"],
        ".transaction_log": ["transaction_log"],
        ".transactions": ["hanging_transactions", "transactions"],
    },
    submodules=["style"],
)
