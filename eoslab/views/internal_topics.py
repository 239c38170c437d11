"""Readable records of the internal topics `__transaction_state` and `__consumer_offsets`.

Their keys and values are binary structs. Kafka ships formatters that print them
(`TransactionLogMessageFormatter`, `OffsetsMessageFormatter`, book p.177); these decoders do the
same for the log dump and the transaction log table, and give structured columns beside the text.
Both are decoded with the broker's own functions (Kafka's layouts: TransactionLogValue,
OffsetCommitKey/Value, GroupMetadataKey/Value); a record that does not decode is shown as plain
bytes rather than failing the whole table.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Any

from ..broker.offsets_log import (
    OffsetCommitKey,
    decode_group_metadata_value,
    decode_key,
    decode_offset_commit_value,
)
from ..broker.transaction_log import key_from_bytes, value_from_bytes
from ..broker.transaction_metadata import TransactionState

TRANSACTION_STATE = "__transaction_state"
CONSUMER_OFFSETS = "__consumer_offsets"


@dataclass(frozen=True)
class TxnLogEntry:
    """One `__transaction_state` record; `state` is "Dead" and the rest None for a tombstone."""

    transactional_id: str
    state: str
    producer_id: int | None
    producer_epoch: int | None
    partitions: tuple[str, ...] | None  # None when Kafka writes null (Empty), () when complete
    timeout_ms: int | None
    start_ms: int | None
    last_update_ms: int | None


def decode_txn_log(key: bytes, value: bytes | None) -> TxnLogEntry:
    tid = key_from_bytes(key)
    v = value_from_bytes(value)
    if v is None:
        return TxnLogEntry(tid, TransactionState.Dead.name, None, None, None, None, None, None)
    partitions = (
        None
        if v.transaction_partitions is None
        else tuple(f"{t}-{p}" for t, ps in v.transaction_partitions for p in ps)
    )
    return TxnLogEntry(
        tid,
        TransactionState(v.transaction_status).name,
        v.producer_id,
        v.producer_epoch,
        partitions,
        v.transaction_timeout_ms,
        v.transaction_start_timestamp_ms,
        v.transaction_last_update_timestamp_ms,
    )


def format_txn_log(e: TxnLogEntry) -> str:
    """The value as the book's TransactionLogMessageFormatter prints it; <DELETE> for a tombstone."""
    if e.producer_id is None:
        return "<DELETE>"
    partitions = "null" if e.partitions is None else f"Set({', '.join(e.partitions)})"
    return (
        f"TransactionMetadata(transactionalId={e.transactional_id}, producerId={e.producer_id}, "
        f"producerEpoch={e.producer_epoch}, txnTimeoutMs={e.timeout_ms}, state={e.state}, "
        f"pendingState=None, topicPartitions={partitions}, txnStartTimestamp={e.start_ms}, "
        f"txnLastUpdateTimestamp={e.last_update_ms})"
    )


def decode_record(topic: str, key: bytes | None, value: bytes | None) -> tuple[Any, Any, dict]:
    """(key text, value text, extra columns) for one record of an internal topic."""
    try:
        if topic == TRANSACTION_STATE and key is not None:
            e = decode_txn_log(key, value)
            extra = {
                "transactional_id": e.transactional_id,
                "txn_state": e.state,
                "txn_producer_id": e.producer_id,
                "txn_producer_epoch": e.producer_epoch,
                "txn_partitions": e.partitions,
            }
            return e.transactional_id, format_txn_log(e), extra
        if topic == CONSUMER_OFFSETS and key is not None:
            return _decode_offsets(key, value)
    except (struct.error, ValueError, UnicodeDecodeError, IndexError):
        pass
    return text(key), text(value), {}


def text(data: bytes | None) -> str | None:
    """Bytes as text when they are UTF-8, else Python's escaped form (b'\\x00...')."""
    if data is None:
        return None
    try:
        return data.decode()
    except UnicodeDecodeError:
        return repr(data)


# -- __consumer_offsets (the group coordinator's records, decoded by the broker's own functions) --
def _decode_offsets(key: bytes, value: bytes | None) -> tuple[str, str | None, dict]:
    decoded = decode_key(key)
    if isinstance(decoded, OffsetCommitKey):
        group, topic, partition = decoded.group, decoded.topic, decoded.partition
        extra: dict[str, Any] = {
            "group": group,
            "topic_partition": f"{topic}-{partition}",
            "committed_offset": None,
        }
        key_text = f"[{group},{topic},{partition}]"
        v = decode_offset_commit_value(value)
        if v is None:
            return key_text, "<DELETE>", extra
        extra["committed_offset"] = v.offset
        epoch = "Optional.empty" if v.leader_epoch < 0 else f"Optional[{v.leader_epoch}]"
        return (
            key_text,
            f"OffsetAndMetadata(offset={v.offset}, leaderEpoch={epoch}, metadata={v.metadata}, "
            f"commitTimestamp={v.commit_timestamp}, expireTimestamp=None)",
            extra,
        )
    extra = {"group": decoded, "topic_partition": None, "committed_offset": None}
    g = decode_group_metadata_value(value)
    if g is None:
        return decoded, "<DELETE>", extra
    members = ", ".join(f"{m.client_id}:{m.member_id}" for m in g.members)
    return (
        decoded,
        f"GroupMetadata(protocolType={g.protocol_type}, generation={g.generation}, "
        f"protocol={g.protocol}, leader={g.leader}, members=[{members}])",
        extra,
    )
