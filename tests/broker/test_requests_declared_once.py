"""Every request the cluster answers is declared once (`@request`): its Kafka API, journal line,
timeout answer and replay; requests a client retries on a timeout are the ones faults can hit."""

from __future__ import annotations

import pytest

from eoslab import Cluster
from eoslab.broker.errors import Errors
from eoslab.broker.protocol import EndTxnResponse, InitProducerIdResponse
from eoslab.broker.requests import REQUESTS

FAULTABLE = {  # a lost response or a held request makes the client time out and retry
    "produce": "Produce",
    "init_producer_id": "InitProducerId",
    "add_partitions_to_txn": "AddPartitionsToTxn",
    "add_offsets_to_txn": "AddOffsetsToTxn",
    "end_txn": "EndTxn",
    "offset_commit": "OffsetCommit",
    "txn_offset_commit": "TxnOffsetCommit",
}


def test_each_request_method_is_declared_once_with_its_kafka_api() -> None:
    assert len(REQUESTS) == 28
    assert len({spec.api for spec in REQUESTS.values()}) == 28  # one method per API
    for method, spec in REQUESTS.items():
        assert getattr(Cluster, method).request is spec
    assert {m: s.api for m, s in REQUESTS.items() if s.timed_out is not None} == FAULTABLE


@pytest.mark.parametrize(
    ("method", "args", "answer"),
    [
        ("init_producer_id", ("tx",), InitProducerIdResponse(Errors.REQUEST_TIMED_OUT)),
        ("end_txn", ("tx", 0, 0, True), EndTxnResponse(Errors.REQUEST_TIMED_OUT)),
    ],
)
def test_a_lost_response_answers_the_declared_timeout(method: str, args: tuple, answer) -> None:
    cluster = Cluster()
    cluster.init_producer_id("tx")
    cluster.lose_response(REQUESTS[method].api)
    assert getattr(cluster, method)(*args) == answer
    assert str(cluster.journal[-1].effects[-1]) == "the response is lost: the client times out"
    assert cluster.journal[-1].api == REQUESTS[method].api
