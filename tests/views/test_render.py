"""Styled HTML uses the shared colours and glyphs."""

from __future__ import annotations

from eoslab.views import (
    fate_legend_html,
    html,
    html_table,
    journal_table,
    log_dump,
    style,
    styled,
)
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


def test_plain_html_table_has_the_styled_look_at_a_fraction_of_the_cost() -> None:
    """`html_table` (the dashboard's tables): rows in their fate's colour, markers with their
    glyph, aborted values struck through, results by outcome, no index, stable ids."""
    cluster = g14()
    page = html_table(log_dump(cluster, "t", 0), "log")
    rows = page.split("<tr ")[1:]
    assert len(rows) == 4  # "a" aborted, the ABORT marker, "b" committed, the COMMIT marker
    assert f"background-color: {style.FATE_COLOURS['aborted']}" in rows[0]
    assert "text-decoration: line-through" in rows[0] and ">a</td>" in rows[0]
    assert "\u2717 ABORT" in rows[1] and "font-weight: bold" in rows[1]
    assert f"background-color: {style.FATE_COLOURS['committed']}" in rows[2]
    assert "line-through" not in rows[2] and "\u2713 COMMIT" in rows[3]
    assert 'id="T_log_row0"' in rows[0] and "<th></th>" not in page  # no index column
    assert page == html_table(log_dump(cluster, "t", 0), "log")
    journal = html_table(journal_table(cluster), "j")
    assert f"color: {style.OUTCOME_COLOURS['error']}" in journal
    assert "&lt;NA&gt;" in html_table(log_dump(cluster, "t", 0)[["coordinator_epoch"]], "e")
    assert html_table(journal_table(cluster), "j", max_rows=3).count("<tr id=") == 3
