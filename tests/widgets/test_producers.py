"""The producers dashboard: every control clicked, the cluster and every shown view checked."""

from __future__ import annotations

from eoslab.client import TopicPartition
from eoslab.widgets import Dashboard
from tests.conftest import log_layout, offsets, state_snapshot, txn_log
from tests.widgets.conftest import action_number, banner, replayed_journal, shown


def producer(dashboard: Dashboard, index: int = 0):
    return dashboard.producers.panels[index]


def test_init_begin_produce_commit_change_the_cluster_and_the_views(dashboard: Dashboard) -> None:
    p = producer(dashboard)
    timeline0, log0 = shown(dashboard, "offset timeline"), shown(dashboard, "log dump")
    assert "t-0 is empty" in log0
    assert "state <b class='eoslab-txn-state'>no" not in p.header.value

    p.buttons["init"].click()
    assert txn_log(dashboard.cluster, "tx-1") == [("Empty", 0)]
    assert "state <b class='eoslab-txn-state'>Ready</b>" in p.header.value
    assert "producer id 0, epoch 0" in p.header.value
    assert shown(dashboard, "offset timeline") == timeline0  # the log did not change

    p.buttons["begin"].click()
    assert "InTransaction" in p.header.value
    assert log_layout(dashboard.cluster) == []

    p.buttons["produce"].click()
    assert log_layout(dashboard.cluster) == [(0, "tx", 0, 0, 0, "a")]
    assert offsets(dashboard.cluster) == (1, 1, 0)  # LEO, HW, LSO: the open record holds the LSO
    timeline1, log1 = shown(dashboard, "offset timeline"), shown(dashboard, "log dump")
    assert timeline1 != timeline0 and timeline1[:8] == b"\x89PNG\r\n\x1a\n"
    assert ">open<" in log1 and "log end offset 1, HW 1, LSO 0" in log1

    p.buttons["commit"].click()
    assert log_layout(dashboard.cluster) == [(0, "tx", 0, 0, 0, "a"), (1, "COMMIT", 0, 0)]
    assert offsets(dashboard.cluster) == (2, 2, 2)
    assert txn_log(dashboard.cluster, "tx-1") == [
        ("Empty", 0),
        ("Ongoing", 0),
        ("PrepareCommit", 0),
        ("CompleteCommit", 0),
    ]
    log2 = shown(dashboard, "log dump")
    assert ">committed<" in log2 and "\u2713 COMMIT" in log2 and ">open<" not in log2
    assert shown(dashboard, "offset timeline") != timeline1
    dashboard.views.tabs.selected_index = 1
    assert "CompleteCommit" in shown(dashboard, "transactions")
    assert banner(dashboard) is None
    assert dashboard.session.code.lines[-5:] == [
        "producer1.init_transactions()",
        "producer1.begin_transaction()",
        'producer1.produce("t", value="a")',
        "producer1.flush()",
        "producer1.commit_transaction()",
    ]


def test_abort_writes_an_abort_marker_and_fills_the_aborted_index(dashboard: Dashboard) -> None:
    p = producer(dashboard)
    for name in ("init", "begin", "produce", "abort"):
        p.buttons[name].click()
    assert log_layout(dashboard.cluster) == [(0, "tx", 0, 0, 0, "a"), (1, "ABORT", 0, 0)]
    assert ">aborted<" in shown(dashboard, "log dump")
    dashboard.views.tabs.selected_index = 1
    assert ">1<" in shown(dashboard, "aborted index")  # last offset of the aborted range
    assert "CompleteAbort" in shown(dashboard, "__transaction_state")


def test_produce_n_records_with_key_and_partition(dashboard: Dashboard) -> None:
    p = producer(dashboard)
    p.buttons["init"].click()
    p.buttons["begin"].click()
    p.key.value, p.value.value, p.count.value, p.partition.value = "k", "v", 3, 0
    p.buttons["produce"].click()
    assert log_layout(dashboard.cluster) == [
        (0, "tx", 0, 0, 0, "v-0"),
        (1, "tx", 0, 0, 1, "v-1"),
        (2, "tx", 0, 0, 2, "v-2"),
    ]
    keys = [r.key for b in dashboard.cluster.partition("t", 0).batches for r in b.records]
    assert keys == [b"k", b"k", b"k"]
    assert dashboard.session.code.lines[-2:] == [
        'for i in range(3):\n    producer1.produce("t", value="v-" + str(i), key="k", partition=0)',
        "producer1.flush()",
    ]
    assert replayed_journal(dashboard) == dashboard.cluster.journal.lines()


def test_produce_without_flush_queues_until_flush(dashboard: Dashboard) -> None:
    p = producer(dashboard)
    p.buttons["init"].click()
    p.buttons["begin"].click()
    p.flush_after.value = False
    timeline = shown(dashboard, "offset timeline")
    p.buttons["produce"].click()
    assert log_layout(dashboard.cluster) == []
    assert "1 queued" in p.header.value
    assert shown(dashboard, "offset timeline") == timeline
    p.buttons["flush"].click()
    assert log_layout(dashboard.cluster) == [(0, "tx", 0, 0, 0, "a")]
    assert "0 queued" in p.header.value
    assert shown(dashboard, "offset timeline") != timeline


def test_send_offsets_commits_the_consumers_position_with_the_transaction(
    dashboard: Dashboard,
) -> None:
    p = producer(dashboard)
    rc = dashboard.consumers.panel("consumer_rc")
    for name in ("init", "begin", "produce", "commit"):
        p.buttons[name].click()
    rc.buttons["poll"].click()
    assert "t-0 offset 0: a" in rc.messages.value
    position = rc.consumer.position([TopicPartition("t", 0)])[0].offset
    assert position == 1
    p.buttons["begin"].click()
    p.offsets_of.value = "consumer_rc"
    p.buttons["send offsets"].click()
    coordinator = dashboard.cluster.group_coordinator
    assert coordinator.committed("consumer_rc", "t", 0) is None  # pending until the marker
    p.buttons["commit"].click()
    assert coordinator.committed("consumer_rc", "t", 0) == 1
    assert "AddOffsetsToTxn" in "".join(dashboard.cluster.journal.lines()[-8:])
    assert dashboard.session.code.lines[-2] == (
        "producer1.send_offsets_to_transaction(\n"
        "    consumer_rc.position(consumer_rc.assignment()), consumer_rc.consumer_group_metadata()\n"
        ")"
    )
    table = shown(dashboard, "consumers")
    assert "consumer_rc" in table
    assert replayed_journal(dashboard) == dashboard.cluster.journal.lines()


def test_crash_then_every_call_shows_the_closed_banner(dashboard: Dashboard) -> None:
    p = producer(dashboard)
    p.buttons["init"].click()
    p.buttons["begin"].click()
    p.buttons["produce"].click()
    p.buttons["crash"].click()
    assert "crashed" in p.header.value
    before = state_snapshot(dashboard.cluster)
    for name in ("init", "begin", "produce", "flush", "commit", "abort"):
        p.buttons[name].click()
        assert banner(dashboard) == "RuntimeError"
        assert "Producer has been closed" in dashboard.session.banner.value
    assert state_snapshot(dashboard.cluster) == before
    assert offsets(dashboard.cluster) == (1, 1, 0)  # the open transaction stays open


def test_new_instance_fences_the_zombie(dashboard: Dashboard) -> None:
    p1 = producer(dashboard)
    for name in ("init", "begin", "produce"):
        p1.buttons[name].click()
    p1.buttons["new instance"].click()
    assert [panel.name for panel in dashboard.producers.panels] == ["producer1", "producer2"]
    p2 = producer(dashboard, 1)
    assert p2.config == {**p1.config, "client.id": "producer2"}  # one name per client
    assert p2.producer.transactional_id == "tx-1"
    p2.buttons["init"].click()
    assert log_layout(dashboard.cluster) == [(0, "tx", 0, 0, 0, "a"), (1, "ABORT", 0, 1)]
    assert "producer id 0, epoch 2" in p2.header.value
    before = state_snapshot(dashboard.cluster)
    p1.buttons["commit"].click()
    assert banner(dashboard) == "_FENCED"
    assert "fatal: close this producer" in dashboard.session.banner.value
    assert state_snapshot(dashboard.cluster) == before
    assert "FatalError" in p1.header.value
    assert dashboard.session.code.lines[-4:] == [
        "try:",
        "    producer1.commit_transaction()",
        "except KafkaException as e:",
        "    print(e)  # _FENCED",
    ]
    assert replayed_journal(dashboard) == dashboard.cluster.journal.lines()


def test_create_producer_from_the_form(dashboard: Dashboard) -> None:
    d = dashboard.producers
    d.transactional_id.value = "other"
    d.create_button.click()
    assert [p.name for p in d.panels] == ["producer1", "producer2"]
    assert d.panels[1].producer.transactional_id == "other"
    d.transactional_id.value = ""
    d.idempotence.value = False
    d.create_button.click()
    plain = d.panels[2]
    assert plain.producer.transactional_id is None
    assert "no transactional.id" in plain.header.value
    plain.buttons["produce"].click()
    assert log_layout(dashboard.cluster) == [(0, "D", -1, -1, -1, "a")]
    plain.buttons["init"].click()
    assert banner(dashboard) == "_NOT_CONFIGURED"


def test_an_invalid_configuration_is_a_banner_and_no_panel(dashboard: Dashboard) -> None:
    d = dashboard.producers
    d.transactional_id.value = "needs-idempotence"
    d.idempotence.value = False
    before = action_number(dashboard)
    d.create_button.click()
    assert banner(dashboard) == "_INVALID_ARG"
    assert "requires `enable.idempotence=true`" in dashboard.session.banner.value
    assert len(d.panels) == 1
    assert action_number(dashboard) == before + 1
