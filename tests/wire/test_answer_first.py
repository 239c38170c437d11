"""EndTxn is answered once PrepareCommit is in the log, before the markers are written.

Kafka's TransactionCoordinator.endTransaction sends the client its response once the
PrepareCommit (PrepareAbort) record is appended to __transaction_state; the markers and the
Complete record follow. The served cluster does the same in auto pacing: the response leaves
before the coordinator's queued work runs, and the journal is the one an in-process client gets.
"""

from __future__ import annotations

import struct

from eoslab import Cluster
from eoslab.broker.errors import Errors
from eoslab.broker.records import Record, RecordBatch
from eoslab.wire import WireServer, codec
from eoslab.wire.handlers import ANSWERED

TID = "answer-first"


def open_transaction(cluster: Cluster) -> tuple[int, int]:
    """A transaction with one record on t-0, opened in-process; (producer id, epoch)."""
    r = cluster.init_producer_id(TID, 60_000, client_id="p")
    assert (r.error, r.producer_id, r.producer_epoch) == (Errors.NONE, 0, 0)
    assert cluster.add_partitions_to_txn(TID, 0, 0, [("t", 0)], client_id="p") == {
        ("t", 0): Errors.NONE
    }
    batch = RecordBatch(
        [Record(0, 0, None, b"v")],
        producer_id=0,
        producer_epoch=0,
        base_sequence=0,
        is_transactional=True,
    )
    assert cluster.produce("t", 0, batch, TID, client_id="p").error == Errors.NONE
    return 0, 0


def served(pacing: str = "auto") -> tuple[Cluster, WireServer]:
    cluster = Cluster(pacing=pacing)
    cluster.create_topics([("t", 1, 1)])
    open_transaction(cluster)
    return cluster, WireServer(cluster, clock="manual")


def end_txn_frame(corr: int, committed: bool = True) -> memoryview:
    body = {"transactional_id": TID, "producer_id": 0, "producer_epoch": 0, "committed": committed}
    frame = codec.encode_request(26, 1, corr, "p", body)
    return memoryview(frame[4:]).toreadonly()


def state(cluster: Cluster) -> tuple[str, int, int]:
    """(transaction state, t-0 log end offset, t-0 last stable offset)."""
    metadata = cluster.txn_coordinator.transactions[TID]
    p = cluster.partition("t", 0)
    return metadata.state.name, p.log_end_offset, p.last_stable_offset


def test_end_txn_is_answered_before_the_markers_are_written() -> None:
    cluster, server = served()
    sent: list[tuple[bytes, tuple[str, int, int], list[str]]] = []
    _, result = server._dispatch(
        end_txn_frame(7),
        1,
        lambda frame: sent.append((frame, state(cluster), list(cluster.pending_steps))),
    )
    assert result is ANSWERED
    assert len(sent) == 1
    frame, at_answer, pending = sent[0]
    # size, correlation id 7, EndTxn v1: throttle 0 ms, error NONE
    assert frame == struct.pack(">iiih", 10, 7, 0, 0)
    assert at_answer == ("PrepareCommit", 1, 0)  # no marker yet: the record is not stable
    assert pending == ["WriteTxnMarkers COMMIT(pid 0, epoch 0) -> t-0"]
    assert state(cluster) == ("CompleteCommit", 2, 2)  # then the marker, before dispatch returns
    assert cluster.pending_steps == []


def test_the_journal_is_the_in_process_one() -> None:
    cluster, server = served()
    _, result = server._dispatch(end_txn_frame(1, committed=False), 1, lambda frame: None)
    assert result is ANSWERED
    in_process = Cluster()
    in_process.create_topics([("t", 1, 1)])
    open_transaction(in_process)
    assert in_process.end_txn(TID, 0, 0, False, client_id="p").error == Errors.NONE
    assert cluster.journal.lines() == in_process.journal.lines()
    assert state(cluster) == state(in_process) == ("CompleteAbort", 2, 2)
    assert cluster.replay().journal.lines() == cluster.journal.lines()


def test_step_pacing_answers_after_the_request_as_before() -> None:
    """Nothing runs after the answer in step pacing: the usual response, markers pending."""
    cluster, server = served(pacing="step")
    sent: list[bytes] = []
    _, result = server._dispatch(end_txn_frame(3), 1, sent.append)
    assert sent == []
    assert result == {"error_code": 0}
    assert state(cluster) == ("PrepareCommit", 1, 0)
    assert cluster.pending_steps == ["WriteTxnMarkers COMMIT(pid 0, epoch 0) -> t-0"]


def test_an_error_answer_is_sent_the_usual_way() -> None:
    """A fenced EndTxn queues no work: answered after the request, error code and all."""
    cluster, server = served()
    body = {"transactional_id": TID, "producer_id": 0, "producer_epoch": 5, "committed": True}
    frame = memoryview(codec.encode_request(26, 1, 4, "p", body)[4:]).toreadonly()
    sent: list[bytes] = []
    _, result = server._dispatch(frame, 1, sent.append)
    assert sent == []
    assert result == {"error_code": int(Errors.INVALID_PRODUCER_EPOCH)}  # v1: 47, not 90
    assert state(cluster) == ("Ongoing", 1, 0)
