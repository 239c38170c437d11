"""Idempotent produce checks on the leader (reference §2.1-§2.3, golden scenario G9)."""

from __future__ import annotations

import pytest

from eoslab.broker import Errors

# G9, in order: (row, pid, epoch, seq, error, base_offset, LEO after).
# "five more batches (0, 2-2) ... (0, 6-6)" is expanded into one row per batch.
G9_ROWS = [
    ("(0, 0-0) a", 0, 0, 0, Errors.NONE, 0, 1),
    ("retry of (0, 0-0)", 0, 0, 0, Errors.NONE, 0, 1),
    ("(0, 2-2) gap", 0, 0, 2, Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, -1, 1),
    ("(0, 1-1)", 0, 0, 1, Errors.NONE, 1, 2),
    ("(0, 2-2)", 0, 0, 2, Errors.NONE, 2, 3),
    ("(0, 3-3)", 0, 0, 3, Errors.NONE, 3, 4),
    ("(0, 4-4)", 0, 0, 4, Errors.NONE, 4, 5),
    ("(0, 5-5)", 0, 0, 5, Errors.NONE, 5, 6),
    ("(0, 6-6)", 0, 0, 6, Errors.NONE, 6, 7),
    ("retry of (0, 3-3)", 0, 0, 3, Errors.NONE, 3, 7),
    ("retry of (0, 0-0) not cached", 0, 0, 0, Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, -1, 7),
    ("(1, 5-5) new epoch not at 0", 0, 1, 5, Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, -1, 7),
    ("(1, 0-0)", 0, 1, 0, Errors.NONE, 7, 8),
    ("(0, 7-7) old epoch", 0, 0, 7, Errors.INVALID_PRODUCER_EPOCH, -1, 8),
    ("unknown pid 42 (17-17)", 42, 0, 17, Errors.NONE, 8, 9),
]
DUPLICATE_ROWS = {"retry of (0, 0-0)", "retry of (0, 3-3)"}


def _g9_cluster(kit):
    cluster = kit.cluster()
    r = cluster.init_producer_id(None)  # idempotent: fresh pid, epoch 0, no coordinator
    assert (r.error, r.producer_id, r.producer_epoch) == (Errors.NONE, 0, 0)
    return cluster


def _send(kit, cluster, row):
    _, pid, epoch, seq, *_ = row
    return cluster.produce("t", 0, kit.batch(pid, epoch, seq, f"e{epoch}s{seq}"))


@pytest.mark.parametrize("row_index", range(len(G9_ROWS)), ids=[r[0] for r in G9_ROWS])
def test_g9_idempotent_produce_table_row(kit, row_index):
    """G9 / §2.3: duplicates answer NONE with the original offset; 45 / 47 otherwise."""
    cluster = _g9_cluster(kit)
    p = cluster.partition("t", 0)
    for row in G9_ROWS[:row_index]:  # replay the rows before this one
        r = _send(kit, cluster, row)
        assert (r.error, r.base_offset, p.log_end_offset) == (row[4], row[5], row[6]), row[0]

    row = G9_ROWS[row_index]
    name, _, _, _, error, base_offset, leo_after = row
    batches_before = len(p.batches)
    r = _send(kit, cluster, row)
    assert r.error == error
    assert r.base_offset == base_offset
    assert p.log_end_offset == leo_after
    appended = error == Errors.NONE and name not in DUPLICATE_ROWS
    assert len(p.batches) == batches_before + (1 if appended else 0)
    assert p.high_watermark == leo_after  # RF 1: HW = LEO after every append


def test_g9_cache_holds_the_last_five_batches(kit):
    """§2.3: NUM_BATCHES_TO_RETAIN = 5; after seq 0..6 the cache holds seq 2-6."""
    cluster = _g9_cluster(kit)
    for row in G9_ROWS[:9]:
        _send(kit, cluster, row)
    entry = cluster.partition("t", 0).producer_state.entry(0)
    assert [(m.first_seq, m.last_seq, m.first_offset) for m in entry.batch_metadata] == [
        (2, 2, 2),
        (3, 3, 3),
        (4, 4, 4),
        (5, 5, 5),
        (6, 6, 6),
    ]
    assert (entry.producer_epoch, entry.last_seq) == (0, 6)


def test_g9_duplicate_appends_nothing_and_is_journaled_as_duplicate(kit):
    """G9: a retried batch within the cache is answered NONE with the original offset, not 46."""
    cluster = _g9_cluster(kit)
    first = cluster.produce("t", 0, kit.batch(0, 0, 0, "a", "b", "c"))
    assert (first.error, first.base_offset) == (Errors.NONE, 0)
    retry = cluster.produce("t", 0, kit.batch(0, 0, 0, "a", "b", "c"))
    assert (retry.error, retry.base_offset) == (Errors.NONE, 0)
    p = cluster.partition("t", 0)
    assert kit.layout(p) == ["0-2: D(0,0,0..2)"]
    assert cluster.journal[-1].result == "NONE (offset 0)"
    assert tuple(map(str, cluster.journal[-1].effects)) == (
        "t-0: duplicate of the batch at offset 0, nothing appended",
    )


def test_multi_record_batch_sequence_must_follow_last_sequence(kit):
    """§2.2/§2.3: a batch of n records uses seq..seq+n-1; the next must start at lastSeq+1."""
    cluster = _g9_cluster(kit)
    assert cluster.produce("t", 0, kit.batch(0, 0, 0, "a", "b", "c")).base_offset == 0
    wrong = cluster.produce("t", 0, kit.batch(0, 0, 1, "d"))
    assert wrong.error == Errors.OUT_OF_ORDER_SEQUENCE_NUMBER
    right = cluster.produce("t", 0, kit.batch(0, 0, 3, "d"))
    assert (right.error, right.base_offset) == (Errors.NONE, 3)
    # a partial overlap is not a duplicate (ranges must match exactly)
    overlap = cluster.produce("t", 0, kit.batch(0, 0, 1, "b", "c"))
    assert overlap.error == Errors.OUT_OF_ORDER_SEQUENCE_NUMBER
    assert cluster.partition("t", 0).log_end_offset == 4


def test_sequence_wraps_from_int32_max_to_zero(kit):
    """§1.1/§2.3: lastSequence wraps after Integer.MAX_VALUE back to 0."""
    cluster = _g9_cluster(kit)
    int_max = 2**31 - 1
    # pid 9 is unknown, so any starting sequence is accepted
    r = cluster.produce("t", 0, kit.batch(9, 0, int_max - 1, "a", "b"))
    assert (r.error, r.base_offset) == (Errors.NONE, 0)
    assert cluster.partition("t", 0).batches[0].last_sequence == int_max
    r = cluster.produce("t", 0, kit.batch(9, 0, 0, "c"))
    assert (r.error, r.base_offset) == (Errors.NONE, 2)


def test_non_transactional_batch_from_pid_with_open_txn_is_invalid_txn_state(kit, raw_producer):
    """§2.3 step 5 / G9 footnote: a non-transactional batch while the pid's txn is open -> 48."""
    cluster = kit.cluster()
    tx = raw_producer(cluster, "tx")
    assert tx.init().error == Errors.NONE
    assert tx.add(("t", 0)) == {("t", 0): Errors.NONE}
    assert tx.send("t", 0, "a").base_offset == 0
    r = cluster.produce("t", 0, kit.batch(tx.producer_id, tx.producer_epoch, 1, "plain"))
    assert r.error == Errors.INVALID_TXN_STATE
    assert r.base_offset == -1
    p = cluster.partition("t", 0)
    assert kit.layout(p) == ['0: D tx(0,0,0) "a"']
    assert kit.offsets(p) == (1, 1, 0)


def test_idempotent_init_producer_id_always_gives_a_fresh_pid_with_epoch_0(kit):
    """§2.1: InitProducerId without a transactional id: a new pid from 0 upward, epoch 0."""
    cluster = kit.cluster()
    got = [cluster.init_producer_id(None) for _ in range(3)]
    assert [(r.error, r.producer_id, r.producer_epoch) for r in got] == [
        (Errors.NONE, 0, 0),
        (Errors.NONE, 1, 0),
        (Errors.NONE, 2, 0),
    ]
    # transactional ids draw from the same block, in request order (§12 conventions)
    r = cluster.init_producer_id("tx")
    assert (r.error, r.producer_id, r.producer_epoch) == (Errors.NONE, 3, 0)
    assert "__transaction_state" in cluster.topics  # only the transactional one needed it
    assert [e.result for e in cluster.journal.events(api="InitProducerId")] == [
        "NONE (pid 0, epoch 0)",
        "NONE (pid 1, epoch 0)",
        "NONE (pid 2, epoch 0)",
        "NONE (pid 3, epoch 0)",
    ]


def test_producer_state_expires_after_producer_id_expiration_ms(kit):
    """§2.3 producer-state lifetime: dropped after 86 400 000 ms idle, checked every 600 000 ms."""
    cluster = kit.cluster()
    assert cluster.produce("t", 0, kit.batch(0, 0, 0, "a", ts=0)).base_offset == 0
    p = cluster.partition("t", 0)
    cluster.advance(86_400_000 - 1)
    assert p.producer_state.entry(0) is not None
    assert cluster.produce("t", 0, kit.batch(0, 0, 5, "gap")).error == (
        Errors.OUT_OF_ORDER_SEQUENCE_NUMBER
    )
    cluster.advance(1)  # the check at t = 86 400 000 (144 x 600 000) finds it idle for a day
    assert p.producer_state.entry(0) is None
    removal = cluster.journal.events(api="removeExpiredProducers")
    assert [(e.time_ms, e.result, tuple(map(str, e.effects))) for e in removal] == [
        (86_400_000, "removed 1", ("producer state removed: t-0 pid 0",))
    ]
    # an unknown producer again: any sequence is accepted (KIP-360, brokers >= 2.5)
    r = cluster.produce("t", 0, kit.batch(0, 0, 5, "b"))
    assert (r.error, r.base_offset) == (Errors.NONE, 1)


def test_producer_state_with_open_transaction_never_expires(kit):
    """§2.3: an entry with an open transaction is never expired (a hanging txn keeps it)."""
    cluster = kit.cluster(config={"transaction.partition.verification.enable": False})
    # no coordinator knows this transaction, so nothing will ever time it out either
    r = cluster.produce("t", 0, kit.txn(5, 0, 0, "open"), transactional_id="ghost")
    assert (r.error, r.base_offset) == (Errors.NONE, 0)
    cluster.advance(2 * 86_400_000)
    p = cluster.partition("t", 0)
    entry = p.producer_state.entry(5)
    assert entry is not None
    assert entry.current_txn_first_offset == 0
    assert kit.offsets(p) == (1, 1, 0)
    assert cluster.journal.events(api="removeExpiredProducers") == []


def test_tv1_sequences_continue_across_transactions(kit, raw_producer):
    """§2.2 / G2: in TV1 txn 2 continues the sequence (seq 1), the marker keeps the cache."""
    cluster = kit.cluster()
    tx = raw_producer(cluster, "tx")
    tx.init()
    tx.add(("t", 0))
    tx.send("t", 0, "a")
    assert tx.commit() == Errors.NONE
    tx.add(("t", 0))
    restart = cluster.produce("t", 0, kit.txn(0, 0, 5, "b"), transactional_id="tx")
    assert restart.error == Errors.OUT_OF_ORDER_SEQUENCE_NUMBER
    assert tx.send("t", 0, "b").base_offset == 2
    assert tx.commit() == Errors.NONE
    p = cluster.partition("t", 0)
    assert kit.layout(p) == [
        '0: D tx(0,0,0) "a"',
        "1: COMMIT(0,0)",
        '2: D tx(0,0,1) "b"',
        "3: COMMIT(0,0)",
    ]
    assert kit.offsets(p) == (4, 4, 4)
