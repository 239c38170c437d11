"""Styled HTML uses the shared colours and glyphs."""

from __future__ import annotations

from eoslab.views import fate_legend_html, html, journal_table, log_dump, style, styled
from tests.views.scenarios import g14


def test_log_dump_html_colours_rows_by_fate_and_marks_markers() -> None:
    cluster = g14()
    page = html(log_dump(cluster, "t", 0))
    for fate in ("aborted", "committed", "marker"):
        assert style.FATE_COLOURS[fate].lower() in page.lower()
    assert "\u2713 COMMIT" in page and "\u2717 ABORT" in page
    assert "line-through" in page  # the aborted value is struck through
    assert page.count("font-weight: bold") >= 1


def test_styled_keeps_the_frame_and_handles_other_tables() -> None:
    cluster = g14()
    df = journal_table(cluster)
    page = styled(df).to_html()
    assert style.OUTCOME_COLOURS["error"].lower() in page.lower()
    assert len(styled(log_dump(cluster, "t", 0)).data) == 4


def test_html_limits_rows() -> None:
    page = html(journal_table(g14()), max_rows=3)
    assert page.count("<tr>") <= 6


def test_legend_names_every_fate() -> None:
    legend = fate_legend_html()
    assert all(f in legend for f in style.FATES)
