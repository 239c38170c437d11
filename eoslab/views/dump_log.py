"""A partition's log as `kafka-dump-log.sh --print-data-log` prints it (book p.179).

Batch lines, then one line per record; a control record shows `endTxnMarker` and the
coordinator epoch, which is how the book shows that a commit marker takes an offset.
"""

from __future__ import annotations

from ..broker.partition import Partition


def dump_log_lines(partition: Partition) -> list[str]:
    lines = [f"Dumping {partition.name} (log end offset {partition.log_end_offset})"]
    position = 0
    for batch in partition.batches:
        lines.append(
            f"baseOffset: {batch.base_offset} lastOffset: {batch.last_offset} "
            f"count: {batch.records_count} baseSequence: {batch.base_sequence} "
            f"lastSequence: {batch.last_sequence} producerId: {batch.producer_id} "
            f"producerEpoch: {batch.producer_epoch} "
            f"partitionLeaderEpoch: {batch.partition_leader_epoch} "
            f"isTransactional: {str(batch.is_transactional).lower()} "
            f"isControl: {str(batch.is_control).lower()} "
            f"deleteHorizonMs: OptionalLong.empty position: {position} "
            f"CreateTime: {batch.max_timestamp} size: {batch.size_in_bytes()} "
            f"magic: 2 compresscodec: none crc: {batch.crc} isvalid: true"
        )
        position += batch.size_in_bytes()
        for record in batch.records:
            seq = (
                -1
                if batch.base_sequence < 0
                else batch.base_sequence + record.offset - batch.base_offset
            )
            head = (
                f"| offset: {record.offset} CreateTime: {record.timestamp} "
                f"keySize: {len(record.key) if record.key is not None else -1} "
                f"valueSize: {len(record.value) if record.value is not None else -1} "
                f"sequence: {seq} headerKeys: [{','.join(k for k, _ in record.headers)}]"
            )
            if batch.is_control:
                lines.append(
                    f"{head} endTxnMarker: {batch.control_type.name} "
                    f"coordinatorEpoch: {batch.coordinator_epoch}"
                )
            else:
                value = (
                    record.value.decode(errors="replace") if record.value is not None else "null"
                )
                lines.append(f"{head} payload: {value}")
    return lines
