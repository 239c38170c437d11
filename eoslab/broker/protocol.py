"""Responses of the broker's request methods, and the API versions eoslab's client speaks.

Some answers depend on the request version (a fenced producer sees PRODUCER_FENCED on new versions
and INVALID_PRODUCER_EPOCH on old ones), so every transactional request carries `api_version`; the
defaults are the versions librdkafka (confluent_kafka) sends.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import Errors

# The highest versions librdkafka 2.16 sends (rdkafka_request.c, rdkafka_txnmgr.c, rdkafka_fetcher.c).
LIBRDKAFKA_API_VERSIONS = {
    "Produce": 10,
    "Fetch": 16,
    "ListOffsets": 7,
    "InitProducerId": 4,
    "AddPartitionsToTxn": 0,
    "AddOffsetsToTxn": 0,
    "EndTxn": 1,
    "TxnOffsetCommit": 3,
    "OffsetFetch": 9,
}

# The versions of a Java >= 4.0 client on a cluster with transaction.version=2 (KIP-890 part 2).
JAVA_TV2_API_VERSIONS = {
    **LIBRDKAFKA_API_VERSIONS,
    "Produce": 12,
    "InitProducerId": 5,
    "EndTxn": 5,
    "TxnOffsetCommit": 5,
}

# First versions with a given behaviour.
END_TXN_TV2_VERSION = 5  # EndTxn v5+: TV2, the epoch is bumped at every commit or abort
PRODUCE_IMPLICIT_ADD_VERSION = 12  # the leader enrols the partition on the client's behalf
TXN_OFFSET_COMMIT_IMPLICIT_ADD_VERSION = 5
PRODUCE_TRANSACTION_ABORTABLE_VERSION = 11  # KIP-890: verification errors become abortable
ADD_PARTITIONS_PRODUCER_FENCED_VERSION = 2  # older versions get INVALID_PRODUCER_EPOCH
END_TXN_PRODUCER_FENCED_VERSION = 2
INIT_PRODUCER_ID_PRODUCER_FENCED_VERSION = 4


def fenced_error(api_version: int, first_fenced_version: int) -> Errors:
    """PRODUCER_FENCED (90) for new request versions, INVALID_PRODUCER_EPOCH (47) before."""
    if api_version >= first_fenced_version:
        return Errors.PRODUCER_FENCED
    return Errors.INVALID_PRODUCER_EPOCH


@dataclass(frozen=True)
class ProduceResponse:
    error: Errors
    base_offset: int = -1
    log_append_time: int = -1
    log_start_offset: int = -1
    error_message: str | None = None


@dataclass(frozen=True)
class EndTxnResponse:
    """EndTxn's answer; v5+ (TV2) also names the producer id and epoch to use from now on
    (-1 on older versions, which answer with a code only)."""

    error: Errors
    producer_id: int = -1
    producer_epoch: int = -1


@dataclass(frozen=True)
class InitProducerIdResponse:
    error: Errors
    producer_id: int = -1
    producer_epoch: int = -1


@dataclass(frozen=True)
class ListOffsetsResponse:
    error: Errors
    offset: int = -1
    timestamp: int = -1
    leader_epoch: int = -1


@dataclass(frozen=True)
class FindCoordinatorResponse:
    error: Errors
    node_id: int = -1
    host: str = ""
    port: int = -1
    partition: int = -1  # the coordinator's internal partition, for the views


@dataclass(frozen=True)
class TopicResult:
    """One topic's result in CreateTopics / DeleteTopics."""

    error: Errors
    error_message: str | None = None
