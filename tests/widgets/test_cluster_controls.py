"""The cluster controls: the clock, step pacing, faults, TV1/TV2 and reset."""

from __future__ import annotations

from eoslab.widgets import Dashboard, transactional_producer_and_two_consumers
from tests.conftest import log_layout, offsets, state_snapshot, txn_log
from tests.widgets.conftest import banner, replayed_journal, shown


def transaction(d: Dashboard, commit: bool = True) -> None:
    p = d.producers.panels[0]
    if p.producer.transaction_state == "Init":
        p.buttons["init"].click()
    p.buttons["begin"].click()
    p.buttons["produce"].click()
    p.buttons["commit" if commit else "abort"].click()


def test_advance_moves_the_clock_and_times_out_an_open_transaction(dashboard: Dashboard) -> None:
    cc = dashboard.cluster_controls
    p = dashboard.producers.panels[0]
    for name in ("init", "begin", "produce"):
        p.buttons[name].click()
    cc.ms.value = 59_000
    cc.buttons["advance"].click()
    assert dashboard.cluster.now_ms == 59_000
    assert "59000 ms" in cc.info.value
    assert log_layout(dashboard.cluster)[-1][1] == "tx"
    cc.ms.value = 11_000
    cc.buttons["advance"].click()  # past transaction.timeout.ms: the coordinator aborts
    assert dashboard.cluster.now_ms == 70_000
    assert log_layout(dashboard.cluster)[-1] == (1, "ABORT", 0, 1)
    assert dashboard.session.code.lines[-2:] == ["cluster.advance(59000)", "cluster.advance(11000)"]


def test_step_pacing_release_one_step_at_a_time(dashboard: Dashboard) -> None:
    cc = dashboard.cluster_controls
    cc.pacing.value = "step"
    assert dashboard.cluster.pacing == "step"
    assert dashboard.session.code.lines[-1] == 'cluster.pacing = "step"'
    transaction(dashboard)
    assert dashboard.cluster.pending_steps == ["WriteTxnMarkers COMMIT(pid 0, epoch 0) -> t-0"]
    assert [label for label, _ in cc.pending.options] == [
        "0: WriteTxnMarkers COMMIT(pid 0, epoch 0) -> t-0"
    ]
    assert offsets(dashboard.cluster) == (1, 1, 0)  # commit returned, nothing readable yet
    log = shown(dashboard, "log dump")
    cc.buttons["step"].click()
    assert offsets(dashboard.cluster) == (2, 2, 2)
    assert shown(dashboard, "log dump") != log
    assert dashboard.cluster.pending_steps == ["tx-1: write CompleteCommit to __transaction_state"]
    cc.pending.index = 0
    cc.buttons["step selected"].click()
    assert dashboard.cluster.pending_steps == []
    assert txn_log(dashboard.cluster, "tx-1")[-1] == ("CompleteCommit", 0)
    before = state_snapshot(dashboard.cluster)
    cc.buttons["step"].click()
    assert banner(dashboard) == "IndexError"
    assert state_snapshot(dashboard.cluster) == before
    cc.pacing.value = "auto"
    assert dashboard.cluster.pacing == "auto"
    assert replayed_journal(dashboard) == dashboard.cluster.journal.lines()


def test_drop_duplicate_and_release_all(dashboard: Dashboard) -> None:
    cc = dashboard.cluster_controls
    cc.pacing.value = "step"
    transaction(dashboard)
    cc.pending.index = 0
    cc.buttons["duplicate"].click()
    assert dashboard.cluster.pending_steps == [
        "WriteTxnMarkers COMMIT(pid 0, epoch 0) -> t-0",
        "WriteTxnMarkers COMMIT(pid 0, epoch 0) -> t-0 (duplicate)",
    ]
    cc.pending.index = 0
    cc.buttons["drop"].click()
    assert dashboard.cluster.pending_steps == [
        "WriteTxnMarkers COMMIT(pid 0, epoch 0) -> t-0 (duplicate)"
    ]
    cc.buttons["run pending"].click()
    assert dashboard.cluster.pending_steps == []
    assert [row[1] for row in log_layout(dashboard.cluster)] == ["tx", "COMMIT"]
    assert "cluster.run_pending()" in dashboard.session.code.lines


def test_faults_lost_response_and_held_request(dashboard: Dashboard) -> None:
    cc = dashboard.cluster_controls
    p = dashboard.producers.panels[0]
    p.buttons["init"].click()
    cc.fault_api.value = "Produce"
    cc.fault_client.value = "producer1"
    cc.buttons["lose response"].click()
    assert dashboard.session.code.lines[-1] == (
        'cluster.lose_response("Produce", client_id="producer1")  # eoslab fault'
    )
    p.buttons["begin"].click()
    p.buttons["produce"].click()  # the response is lost; the idempotent retry is a duplicate
    assert [row[1:] for row in log_layout(dashboard.cluster)] == [("tx", 0, 0, 0, "a")]
    p.buttons["commit"].click()
    cc.fault_api.value = "EndTxn"
    cc.fault_client.value = "any client"
    cc.buttons["delay request"].click()
    p.buttons["begin"].click()
    p.buttons["produce"].click()
    p.buttons["abort"].click()
    assert dashboard.cluster.held_requests == [
        "EndTxn from producer1 (transactional_id=tx-1, producer_id=0, producer_epoch=0, "
        "result=ABORT)"
    ]
    assert len(cc.held.options) == 1
    cc.buttons["release held"].click()
    assert dashboard.cluster.held_requests == []
    assert cc.held.options == ()
    assert replayed_journal(dashboard) == dashboard.cluster.journal.lines()


def test_coordinator_failover_and_held_high_watermark(dashboard: Dashboard) -> None:
    cc = dashboard.cluster_controls
    transaction(dashboard)
    cc.keep_stale.value = True
    cc.buttons["restart coordinator"].click()
    assert dashboard.session.code.lines[-1] == (
        "cluster.restart_transaction_coordinator(keep_stale_markers=True)  # eoslab fault"
    )
    assert dashboard.cluster.txn_coordinator.coordinator_epoch_for("tx-1") == 1
    cc.hw_partition.value = ("t", 0)
    cc.buttons["hold hw"].click()
    assert "HW held on t-0" in cc.info.value
    p = dashboard.producers.panels[0]
    p.buttons["begin"].click()
    p.buttons["produce"].click()
    assert offsets(dashboard.cluster) == (3, 2, 2)
    cc.buttons["release hw"].click()
    assert offsets(dashboard.cluster) == (3, 3, 2)
    assert "HW held" not in cc.info.value


def switch_tv(d: Dashboard, version: int) -> None:
    """Click TV1/TV2, then confirm the rebuild the dashboard asks about."""
    cc = d.cluster_controls
    old, events = d.cluster, len(d.cluster.journal)
    cc.tv.value = version
    assert cc.confirm.layout.display is None  # asked, not switched yet
    assert f"Switch to TV{version}?" in cc.confirm_text.value
    assert "rebuilds the cluster" in cc.confirm_text.value
    assert f"its {events} journal events" in cc.confirm_text.value
    assert d.cluster is old and len(d.cluster.journal) == events
    assert cc.tv.value == d.session.transaction_version != version
    cc.confirm_yes.click()
    assert cc.confirm.layout.display == "none"
    assert cc.tv.value == version
    assert f"rebuilt with transaction.version={version}" in d.session.banner.value


def test_tv2_asks_first_and_keep_this_cluster_changes_nothing() -> None:
    d = transactional_producer_and_two_consumers()
    cc = d.cluster_controls
    transaction(d)
    old, lines = d.cluster, d.cluster.journal.lines()
    cc.tv.value = 2
    assert cc.confirm.layout.display is None
    cc.confirm_no.click()
    assert cc.confirm.layout.display == "none"
    assert d.cluster is old and d.cluster.journal.lines() == lines
    assert cc.tv.value == 1 and d.session.transaction_version == 1


def test_tv2_switch_and_reset_make_a_fresh_cluster() -> None:
    d = transactional_producer_and_two_consumers()
    cc = d.cluster_controls
    old = d.cluster
    transaction(d)
    switch_tv(d, 2)
    assert d.cluster is not old
    assert d.cluster.config["transaction.version"] == 2
    assert d.session.code.lines[4] == 'cluster = Cluster(config={"transaction.version": 2})'
    p = d.producers.panels[0]
    assert [panel.name for panel in d.producers.panels] == ["producer1"]
    assert p.config["eoslab.protocol"] == "java-4"
    assert "Java 4 protocol (TV2)" in p.header.value
    assert log_layout(d.cluster) == []
    transaction(d)
    assert log_layout(d.cluster) == [(0, "tx", 0, 0, 0, "a"), (1, "COMMIT", 0, 1)]  # e+1
    assert replayed_journal(d) == d.cluster.journal.lines()
    cc.buttons["reset"].click()
    assert d.cluster.config["transaction.version"] == 2  # reset keeps the version
    assert log_layout(d.cluster) == []
    assert [panel.name for panel in d.consumers.panels] == ["consumer_rc", "consumer_ru"]
    assert "t-0 is empty" in shown(d, "log dump")
    switch_tv(d, 1)
    assert "transaction.version" not in d.cluster.init_args["config"]
    assert d.session.code.lines[4] == "cluster = Cluster()"


def test_a_fault_with_a_count_applies_to_that_many_requests(dashboard: Dashboard) -> None:
    cc = dashboard.cluster_controls
    p = dashboard.producers.panels[0]
    p.buttons["init"].click()
    cc.fault_api.value, cc.fault_count.value = "Produce", 2
    cc.buttons["lose response"].click()
    assert dashboard.session.code.lines[-1] == (
        'cluster.lose_response("Produce", count=2)  # eoslab fault'
    )
    p.buttons["begin"].click()
    p.buttons["produce"].click()  # lost twice, retried, written once
    lost = [e for e in dashboard.cluster.journal if "the response is lost" in " ".join(e.effects)]
    assert len(lost) == 2
    assert [row[1:] for row in log_layout(dashboard.cluster)] == [("tx", 0, 0, 0, "a")]
