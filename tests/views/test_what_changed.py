"""The "what changed" line: the records, offsets, states and positions one action moved."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from eoslab import Cluster
from eoslab.client import Consumer, KafkaException, Producer, TopicPartition
from eoslab.views.what_changed import (
    Appended,
    LsoHeld,
    OffsetCommitted,
    OffsetMoved,
    PendingSteps,
    PositionMoved,
    TransactionChanged,
    line,
    snapshot,
    what_changed,
)


def setup(pacing: str = "auto") -> tuple[Cluster, Producer, Consumer, Consumer]:
    cluster = Cluster(pacing=pacing)
    cluster.create_topics([("t", 1, 1)])
    p = Producer(
        {
            "bootstrap.servers": cluster.bootstrap_servers,
            "transactional.id": "tx-1",
            "client.id": "producer1",
        }
    )

    def consumer(name: str, isolation: str) -> Consumer:
        c = Consumer(
            {
                "bootstrap.servers": cluster.bootstrap_servers,
                "group.id": name,
                "client.id": name,
                "isolation.level": isolation,
                "auto.offset.reset": "earliest",
                "enable.auto.commit": False,
            }
        )
        c.assign([TopicPartition("t", 0)])
        return c

    return (
        cluster,
        p,
        consumer("consumer_rc", "read_committed"),
        consumer("consumer_ru", "read_uncommitted"),
    )


def change(cluster: Cluster, action: Callable[[], Any]) -> list[Any]:
    before = snapshot(cluster)
    action()
    return what_changed(before, cluster)


def produce(p: Producer, *values: str) -> Callable[[], None]:
    def call() -> None:
        for v in values:
            p.produce("t", value=v)
        p.flush()

    return call


def test_produce_in_a_transaction_appends_moves_the_hw_and_the_lso_stays_held_by_the_txn() -> None:
    cluster, p, _rc, _ru = setup()
    p.init_transactions()
    p.begin_transaction()
    changes = change(cluster, produce(p, "a", "b"))
    assert changes == [
        Appended("t", 0, (0, 1), (), True),
        OffsetMoved("t", 0, "HW", 0, 2),
        LsoHeld("t", 0, 0, "tx-1"),
        TransactionChanged("tx-1", ("Empty", "Ongoing"), 0, 0),
    ]
    assert line(changes) == (
        "t-0: +2 transactional records at offsets 0..1 \u00b7 HW 0\u21922 \u00b7 "
        "LSO 0 (held by tx-1) \u00b7 tx-1 Empty\u2192Ongoing"
    )


def test_commit_writes_the_marker_moves_the_lso_and_passes_through_prepare_commit() -> None:
    """EndTxn(COMMIT): PrepareCommit is written to __transaction_state, then the COMMIT marker,
    then CompleteCommit (TransactionCoordinator.endTransaction); the LSO jumps past the marker."""
    cluster, p, _rc, _ru = setup()
    p.init_transactions()
    p.begin_transaction()
    produce(p, "a")()
    changes = change(cluster, p.commit_transaction)
    assert changes == [
        Appended("t", 0, (), ((1, "COMMIT"),), False),
        OffsetMoved("t", 0, "HW", 1, 2),
        OffsetMoved("t", 0, "LSO", 0, 2),
        TransactionChanged("tx-1", ("Ongoing", "PrepareCommit", "CompleteCommit"), 0, 0),
    ]
    assert line(changes) == (
        "t-0: COMMIT marker at offset 1 \u00b7 HW 1\u21922 \u00b7 LSO 0\u21922 \u00b7 "
        "tx-1 Ongoing\u2192PrepareCommit\u2192CompleteCommit"
    )


def test_poll_moves_only_the_consumer_that_read_and_no_position_is_minus_1001() -> None:
    cluster, p, rc, ru = setup()
    p.init_transactions()
    p.begin_transaction()
    produce(p, "a")()
    # read_committed waits at the LSO: its position stays -1001 (no message returned yet)
    assert change(cluster, lambda: rc.poll(1.0)) == []
    changes = change(cluster, lambda: ru.poll(1.0))
    assert changes == [PositionMoved("consumer_ru", "t", 0, -1001, 1)]
    assert line(changes) == "consumer_ru t-0 position none\u21921"


def test_consumer_commit_is_a_committed_offset_of_its_group() -> None:
    cluster, p, rc, _ru = setup()
    p.init_transactions()
    p.begin_transaction()
    produce(p, "a")()
    p.commit_transaction()
    rc.poll(1.0)
    changes = change(cluster, lambda: rc.commit(asynchronous=False))
    assert changes == [OffsetCommitted("consumer_rc", "t", 0, None, 1)]
    assert line(changes) == "group consumer_rc committed t-0 none\u21921"


def test_init_transactions_of_a_new_id_and_the_epoch_bump_of_a_second_instance() -> None:
    cluster, p, _rc, _ru = setup()
    changes = change(cluster, p.init_transactions)
    assert changes == [TransactionChanged("tx-1", ("new", "Empty"), None, 0)]
    p.begin_transaction()
    produce(p, "a")()
    zombie_killer = Producer(
        {"bootstrap.servers": cluster.bootstrap_servers, "transactional.id": "tx-1"}
    )
    changes = change(cluster, zombie_killer.init_transactions)
    # the open transaction is aborted at a bumped epoch (PrepareEpochFence in Kafka 2.5+ is
    # not written; the abort is), then the new instance gets the next epoch
    assert changes[0] == Appended("t", 0, (), ((1, "ABORT"),), False)
    assert changes[1:3] == [OffsetMoved("t", 0, "HW", 1, 2), OffsetMoved("t", 0, "LSO", 0, 2)]
    txn = changes[3]
    assert isinstance(txn, TransactionChanged)
    assert txn.states == ("Ongoing", "PrepareAbort", "CompleteAbort", "Empty")
    assert (txn.old_epoch, txn.new_epoch) == (0, 2)


def test_a_refused_call_changes_nothing() -> None:
    cluster, p, _rc, _ru = setup()

    def refused() -> None:
        with contextlib.suppress(KafkaException):
            p.commit_transaction()  # before init_transactions: _STATE

    changes = change(cluster, refused)
    assert changes == []
    assert line(changes) == "no change in the cluster"


def test_step_pacing_shows_the_pending_steps_and_the_lso_held_until_the_marker_is_released() -> (
    None
):
    cluster, p, _rc, _ru = setup(pacing="step")
    p.init_transactions()
    p.begin_transaction()
    produce(p, "a")()
    changes = change(cluster, p.commit_transaction)
    assert changes == [
        TransactionChanged("tx-1", ("Ongoing", "PrepareCommit"), 0, 0),
        PendingSteps(0, 1, "WriteTxnMarkers COMMIT(pid 0, epoch 0) -> t-0"),
    ]
    changes = change(cluster, cluster.step)
    assert changes == [
        Appended("t", 0, (), ((1, "COMMIT"),), False),
        OffsetMoved("t", 0, "HW", 1, 2),
        OffsetMoved("t", 0, "LSO", 0, 2),
        PendingSteps(1, 1, "tx-1: write CompleteCommit to __transaction_state"),
    ]
    changes = change(cluster, cluster.step)
    assert changes == [
        TransactionChanged("tx-1", ("PrepareCommit", "CompleteCommit"), 0, 0),
        PendingSteps(1, 0, None),
    ]
    assert line(changes) == ("tx-1 PrepareCommit\u2192CompleteCommit \u00b7 pending steps 1\u21920")
