"""What a consumer knows about each assigned partition, and the queue of what it fetched.

A fetched data batch is queued whole and turned into messages as the application polls, as
librdkafka hands a fetched message set to the application a slice at a time; control records and
errors are queued as events in the same order, so `position()` moves past a marker only when a
later poll reaches it (reference §5.4.1).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..broker.records import RecordBatch
from .message import OFFSET_INVALID, Message

TopicPartitionKey = tuple[str, int]


@dataclass
class FetchState:
    """What the consumer knows about one assigned partition."""

    fetch_position: int  # next offset to fetch; OFFSET_INVALID until resolved
    app_position: int = OFFSET_INVALID  # what position() reports
    requested: int = OFFSET_INVALID  # the offset asked for in assign() / seek()
    assigned: int = OFFSET_INVALID  # the offset given to assign()
    hi_offset: int = OFFSET_INVALID  # HW from the last fetch response (cached watermark)
    ls_offset: int = OFFSET_INVALID  # LSO from the last fetch response
    lo_offset: int = OFFSET_INVALID  # log start offset from the last fetch response
    eof_offset: int = OFFSET_INVALID  # where _PARTITION_EOF was last reported
    version: int = 0  # bumped by seek/assign so stale queued events are dropped


class FetchedEvent:
    """A queued event: a fetched data batch (read lazily), a control record, or an error."""

    __slots__ = ("batch", "index", "kind", "message", "offset", "tp", "version")

    def __init__(
        self,
        kind: str,
        tp: TopicPartitionKey,
        version: int,
        offset: int = OFFSET_INVALID,
        message: Message | None = None,
        batch: RecordBatch | None = None,
        index: int = 0,
    ) -> None:
        self.kind = kind  # "batch", "ctrl", "error"
        self.tp = tp
        self.version = version
        self.offset = offset
        self.message = message
        self.batch = batch
        self.index = index
