"""What Kafka checks of a client's record batch before it touches the log.

`UnifiedLog.analyzeAndValidateRecords` refuses a batch larger than `message.max.bytes`
(RecordTooLargeException: MESSAGE_TOO_LARGE); `LogValidator.validateBatch` refuses, for a batch from
a client (AppendOrigin.CLIENT), an offset range that disagrees with the record count, a count below
one, a control batch, and a producer id without a base sequence (InvalidRecordException:
INVALID_RECORD). The records' offset deltas must run 0..count-1, which is what Kafka's count check
and the records it serves assume. Either way nothing is appended and the producer state is untouched.

Timestamps are not refused: with CreateTime and Kafka's defaults for
`log.message.timestamp.before.max.ms` / `after.max.ms` (Long.MAX_VALUE) any timestamp is accepted,
and the batch's max timestamp is the records' own (a decoded batch computes it; a batch kept as
bytes was checked to match by the wire's decoder).
"""

from __future__ import annotations

from .errors import Errors
from .records import RecordBatch


def validate_client_batch(
    batch: RecordBatch, topic_partition: str, max_message_bytes: int
) -> tuple[Errors, str] | None:
    """None for a batch Kafka would append, else (error, Kafka's message)."""
    size = batch.size_in_bytes()
    if size > max_message_bytes:
        return (
            Errors.MESSAGE_TOO_LARGE,
            f"The record batch size in the append to {topic_partition} is {size} bytes which "
            f"exceeds the maximum configured value of {max_message_bytes}.",
        )
    count = batch.records_count
    last_offset = batch.base_offset + batch.last_offset_delta
    if last_offset < batch.base_offset:
        return (
            Errors.INVALID_RECORD,
            f"Batch has an invalid offset range: [{batch.base_offset}, {last_offset}] "
            f"in {topic_partition}",
        )
    if count <= 0:
        return (
            Errors.INVALID_RECORD,
            f"Invalid reported count for record batch: {count} in {topic_partition}",
        )
    if batch.last_offset_delta + 1 != count:
        return (
            Errors.INVALID_RECORD,
            f"Inconsistent batch offset range [{batch.base_offset}, {last_offset}] and count of "
            f"records {count} in {topic_partition}",
        )
    records = batch.writer_records  # columns and bytes have deltas 0..count-1 by construction
    if records is not None and any(
        r.offset != batch.base_offset + i for i, r in enumerate(records)
    ):
        return (
            Errors.INVALID_RECORD,
            f"Record offset deltas of the batch in {topic_partition} do not run 0..{count - 1}",
        )
    if batch.is_control:
        return (
            Errors.INVALID_RECORD,
            f"Clients are not allowed to write control records in {topic_partition}",
        )
    if batch.has_producer_id and batch.base_sequence < 0:
        return (
            Errors.INVALID_RECORD,
            f"Invalid sequence number {batch.base_sequence} in record batch with producerId "
            f"{batch.producer_id} in {topic_partition}",
        )
    return None
