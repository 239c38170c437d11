"""The transactional producer's state machine is one table of allowed calls and one of moves
(librdkafka's rd_kafka_txn_require_state / rd_kafka_txn_state_transition_is_valid)."""

from __future__ import annotations

import pytest

from eoslab import Cluster
from eoslab.client import KafkaError, KafkaException
from eoslab.client.transaction_manager import ALLOWED_CALLS, TRANSITIONS, TxnState
from tests.conftest import txn_producer


def states_of(cluster: Cluster, script) -> list[str]:
    p = txn_producer(cluster)
    seen: list[str] = []
    txn = p._transaction_manager()
    move = txn.move

    def recording(state: str) -> None:
        move(state)
        if not seen or seen[-1] != state:
            seen.append(state)

    txn.move = recording  # type: ignore[method-assign]
    script(p)
    return seen


def test_a_commit_and_an_abort_walk_the_table(cluster: Cluster) -> None:
    def script(p) -> None:
        p.init_transactions()
        p.begin_transaction()
        p.produce("t", value="a")
        p.commit_transaction()
        p.begin_transaction()
        p.produce("t", value="b")
        p.abort_transaction()

    assert states_of(cluster, script) == [
        TxnState.WAIT_PID,
        TxnState.READY,
        TxnState.IN_TRANSACTION,
        TxnState.BEGIN_COMMIT,
        TxnState.COMMITTING,
        TxnState.READY,
        TxnState.IN_TRANSACTION,
        TxnState.ABORTING,
        TxnState.READY,
    ]


def test_a_call_the_state_does_not_allow_is_a_state_error(cluster: Cluster) -> None:
    p = txn_producer(cluster)
    p.init_transactions()
    assert TxnState.READY not in ALLOWED_CALLS["commit_transaction"]
    with pytest.raises(KafkaException) as e:
        p.commit_transaction()
    assert e.value.args[0].code() == KafkaError._STATE
    assert e.value.args[0].str() == "Operation not valid in state Ready"


def test_a_move_outside_the_table_is_refused(cluster: Cluster) -> None:
    p = txn_producer(cluster)
    txn = p._transaction_manager()
    assert TxnState.COMMITTING not in TRANSITIONS[TxnState.INIT]
    with pytest.raises(AssertionError, match="Init cannot go to CommittingTransaction"):
        txn.move(TxnState.COMMITTING)
    assert txn.state == TxnState.INIT
    assert set(TRANSITIONS) == {v for k, v in vars(TxnState).items() if not k.startswith("_")}
