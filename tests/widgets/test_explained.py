"""Every word explained, every banner right, controls that only work when they can: what the
dashboard says to a learner, checked as values (the browser tests check that it is in view)."""

from __future__ import annotations

import html

import pytest

from eoslab.widgets import Dashboard, transactional_producer_and_two_consumers, zombie
from eoslab.widgets.banner import FENCED_BY_CALL
from eoslab.widgets.glossary import COLUMN_HELP, TERMS
from eoslab.widgets.views_panel import COLUMNS
from tests.conftest import state_snapshot
from tests.widgets.conftest import banner, shown


def click(panel, *keys: str) -> None:
    for key in keys:
        panel.buttons[key].click()


def test_the_what_changed_line_follows_every_action(dashboard: Dashboard) -> None:
    p = dashboard.producers.panels[0]
    click(p, "init")
    assert "producer1.init_transactions</b>: tx-1 new\u2192Empty (epoch none\u21920)" in (
        dashboard.session.changed.value
    )
    click(p, "begin", "produce")
    assert (
        "t-0: +1 transactional record at offset 0 \u00b7 HW 0\u21921 \u00b7 LSO 0 (held by tx-1)"
        in dashboard.session.changed.value
    )
    click(p, "commit")
    click(p, "commit")  # outside a transaction: refused
    assert (
        "\u2717 producer1.commit_transaction</b>: refused (_STATE): no change in the cluster"
        in (html.unescape(dashboard.session.changed.value))
    )


@pytest.mark.parametrize(
    ("first", "then", "repeated"),
    [
        ("commit", "begin", True),
        ("commit", "abort", False),  # EndTxn's text, and abort is an EndTxn
        ("abort", "begin", True),
        ("abort", "commit", False),
        ("produce", "begin", True),  # the refused ProduceRequest's text
        ("produce", "commit", True),
    ],
)
def test_each_transactional_call_of_a_fenced_producer_has_its_own_banner(
    first: str, then: str, repeated: bool
) -> None:
    """librdkafka repeats the first fatal error's text for every later call
    (rd_kafka_txn_require_state); the banner explains the call that was made."""
    d = zombie()
    zombie_panel = d.producers.panels[0]
    zombie_panel.buttons["new instance"].click()
    d.producers.panels[1].buttons["init"].click()  # fences producer1
    zombie_panel.buttons[first].click()
    assert banner(d) == ("_FENCED" if first != "produce" else None)  # the send fails later
    before = state_snapshot(d.cluster)
    zombie_panel.buttons[then].click()
    assert banner(d) == "_FENCED"
    report = d.session.banner.report
    method = {
        "begin": "begin_transaction",
        "commit": "commit_transaction",
        "abort": "abort_transaction",
    }[then]
    assert report.explanation == FENCED_BY_CALL[method]
    assert report.repeated is repeated
    text = d.session.banner.value
    assert ("librdkafka repeats the text of the error" in text) is repeated
    assert state_snapshot(d.cluster) == before


def test_begin_after_a_fenced_commit_no_longer_says_only_end_transaction() -> None:
    d = zombie()
    z = d.producers.panels[0]
    z.buttons["new instance"].click()
    d.producers.panels[1].buttons["init"].click()
    z.buttons["commit"].click()
    assert d.session.banner.report.repeated is False  # commit's own text
    z.buttons["begin"].click()
    report = d.session.banner.report
    assert report.detail.startswith("Failed to end transaction")  # librdkafka's stored text
    assert report.repeated is True
    assert report.explanation.startswith("begin_transaction() is refused")


def test_step_controls_only_in_step_pacing_and_the_pending_list_is_labelled(
    dashboard: Dashboard,
) -> None:
    cc = dashboard.cluster_controls
    assert all(b.disabled for b in cc.step_buttons)
    assert cc.pending.layout.display == "none"
    assert "only in step pacing" in cc.pending_label.value
    cc.pacing.value = "step"
    assert not any(b.disabled for b in cc.step_buttons)
    assert cc.pending.layout.display is None
    assert "<b>Pending steps</b> (0)" in cc.pending_label.value
    click(dashboard.producers.panels[0], "init", "begin", "produce", "commit")
    assert "<b>Pending steps</b> (1)" in cc.pending_label.value
    assert cc.pending.options == (("0: WriteTxnMarkers COMMIT(pid 0, epoch 0) -> t-0", 0),)
    cc.buttons["run pending"].click()
    cc.pacing.value = "auto"
    assert all(b.disabled for b in cc.step_buttons)


def test_tables_show_their_chosen_columns_with_hover_text_and_all_on_request(
    dashboard: Dashboard,
) -> None:
    click(dashboard.producers.panels[0], "init", "begin", "produce")
    dashboard.consumers.panel("consumer_ru").buttons["poll"].click()
    table = shown(dashboard, "consumers")
    for name in COLUMNS["consumers"]:
        assert f'title="{html.escape(COLUMN_HELP[name])}">{name.replace("_", "_<wbr>")}</th>' in (
            table
        )
    assert "fetch_position" not in table and "records_returned" not in table
    # the negative lag of a read_uncommitted consumer past the LSO, shown and explained
    assert ">-1<" in table
    assert (
        "consumer_ru lag_lso -1: this read_uncommitted consumer has fetched 1 record(s) past"
        in (table)
    )
    assert "-1001: no position yet" in table  # consumer_rc has returned nothing
    dashboard.views.all_columns.value = True
    table = shown(dashboard, "consumers")
    assert "fetch_<wbr>position" in table and "records_<wbr>returned" in table


def test_history_tables_are_newest_first_and_say_ok_for_none(dashboard: Dashboard) -> None:
    click(dashboard.producers.panels[0], "init", "begin", "produce", "commit")
    dashboard.views.tabs.selected_index = 1
    txn_log = shown(dashboard, "__transaction_state")
    states = [f">{s}<" for s in ("CompleteCommit", "PrepareCommit", "Ongoing", "Empty")]
    assert all(s in txn_log for s in states)
    assert [txn_log.index(s) for s in states] == sorted(txn_log.index(s) for s in states)
    dashboard.views.tabs.selected_index = 2
    journal = shown(dashboard, "journal")
    assert journal.index(">EndTxn<") < journal.index(">InitProducerId<")  # newest first
    assert ">ok<" in journal and ">NONE<" not in journal


def test_one_name_per_client_in_tables_and_journal(dashboard: Dashboard) -> None:
    click(dashboard.producers.panels[0], "init")
    dashboard.consumers.panel("consumer_rc").buttons["poll"].click()
    actors = {e.actor for e in dashboard.cluster.journal}
    assert {"producer1", "consumer_rc"} <= actors
    assert not any(a.startswith(("producer-", "consumer-")) for a in actors)
    assert dashboard.consumers.panel("consumer_rc").consumer.group_id == "consumer_rc"


def test_the_glossary_explains_every_term_the_issue_names() -> None:
    d = transactional_producer_and_two_consumers()
    text = d.glossary.children[0].value
    for term in ("HW", "LSO", "LEO", "-1001", "lag_lso", "lag_hw", "TV1 / TV2", "pacing", "ok"):
        assert f">{html.escape(term)}</dt>" in text
    for fate in ("committed", "aborted", "open", "non-transactional", "marker"):
        assert f">{fate}</span></dt>" in text
    assert [t for t, _ in TERMS][:4] == ["HW", "LSO", "LEO", "-1001"]
