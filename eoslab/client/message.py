"""`TopicPartition` and `Message`, with confluent_kafka's constructors, accessors and constants."""

from __future__ import annotations

from collections.abc import Sequence
from functools import total_ordering
from itertools import repeat
from typing import Any

from .errors import KafkaError

OFFSET_BEGINNING = -2
OFFSET_END = -1
OFFSET_STORED = -1000
OFFSET_INVALID = -1001

TIMESTAMP_NOT_AVAILABLE = 0
TIMESTAMP_CREATE_TIME = 1
TIMESTAMP_LOG_APPEND_TIME = 2

INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)


def c_int(value: Any, bounds: tuple[int, int] = INT32) -> int:
    """An argument the C extension parses as a C int ("i") or int64 ("L"): the TypeError and
    OverflowError of CPython's argument parser, raised at the call (a float or a str never gets
    as far as the broker)."""
    if not isinstance(value, int):
        raise TypeError(f"'{type(value).__name__}' object cannot be interpreted as an integer")
    lo, hi = bounds
    if bounds == INT64 and not lo <= value <= hi:
        raise OverflowError("int too big to convert")
    if value > hi:
        raise OverflowError("signed integer is greater than maximum")
    if value < lo:
        raise OverflowError("signed integer is less than minimum")
    return int(value)


def c_timeout(value: Any) -> float | None:
    """A timeout in seconds as confluent_kafka parses it ("d"): a real number, or None."""
    if value is None:
        return None
    if not isinstance(value, int | float):
        raise TypeError(f"must be real number, not {type(value).__name__}")
    return float(value)


@total_ordering
class TopicPartition:
    """confluent_kafka's TopicPartition: its fields are type-checked when it is made and when
    partition or offset is set later; topic and metadata are read-only."""

    def __init__(
        self,
        topic: str,
        partition: int = -1,
        offset: int = OFFSET_INVALID,
        metadata: str | None = None,
        leader_epoch: int | None = None,
    ) -> None:
        if not isinstance(topic, str):
            raise TypeError(f"argument 1 must be str, not {_type_name(topic)}")
        if metadata is not None and not isinstance(metadata, str):
            raise TypeError(f"argument 4 must be str, not {_type_name(metadata)}")
        object.__setattr__(self, "topic", topic)
        self.partition = partition
        self.offset = offset
        object.__setattr__(self, "metadata", metadata)
        object.__setattr__(
            self, "leader_epoch", None if leader_epoch is None else c_int(leader_epoch)
        )
        self.error: KafkaError | None = None

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "partition":
            value = c_int(value)
        elif name == "offset":
            value = c_int(value, INT64)
        elif name in ("topic", "metadata"):
            raise AttributeError("readonly attribute")
        elif name == "leader_epoch":
            raise AttributeError(
                "attribute 'leader_epoch' of 'cimpl.TopicPartition' objects is not writable"
            )
        object.__setattr__(self, name, value)

    def _key(self) -> tuple[str, int]:
        return (self.topic, self.partition)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TopicPartition):
            return NotImplemented
        return self._key() == other._key()

    def __lt__(self, other: TopicPartition) -> bool:
        return self._key() < other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"TopicPartition{{topic={self.topic},partition={self.partition},offset={self.offset},"
            f"leader_epoch={self.leader_epoch},error={self.error}}}"
        )

    __str__ = __repr__


def _type_name(value: Any) -> str:
    return "None" if value is None else type(value).__name__


class Message:
    """A consumed record, a delivery report, or an event such as partition EOF (`error()` set)."""

    __slots__ = (
        "_error",
        "_headers",
        "_key",
        "_latency",
        "_leader_epoch",
        "_offset",
        "_partition",
        "_timestamp",
        "_topic",
        "_value",
    )

    def __init__(
        self,
        topic: str | None = None,
        partition: int = -1,
        offset: int = OFFSET_INVALID,
        key: Any = None,
        value: Any = None,
        headers: list[tuple[str, bytes | None]] | None = None,
        error: KafkaError | None = None,
        timestamp: tuple[int, int] = (TIMESTAMP_NOT_AVAILABLE, 0),
        latency: float | None = None,
        leader_epoch: int | None = None,
    ) -> None:
        self._topic = topic
        self._partition = partition
        self._offset = offset
        self._key = key
        self._value = value
        self._headers = headers
        self._error = error
        self._timestamp = timestamp
        self._latency = latency
        self._leader_epoch = leader_epoch

    def topic(self) -> str | None:
        return self._topic

    def partition(self) -> int | None:
        return None if self._partition is None or self._partition < 0 else self._partition

    def offset(self) -> int | None:
        """None for a message that has no offset (a failed delivery), as confluent_kafka."""
        return None if self._offset is None or self._offset < 0 else self._offset

    def key(self) -> Any:
        return self._key

    def value(self) -> Any:
        return self._value

    def headers(self) -> list[tuple[str, bytes | None]] | None:
        return self._headers

    def error(self) -> KafkaError | None:
        return self._error

    def timestamp(self) -> tuple[int, int]:
        return self._timestamp

    def latency(self) -> float | None:
        return self._latency

    def leader_epoch(self) -> int | None:
        return self._leader_epoch

    def set_key(self, key: Any) -> None:
        self._key = key

    def set_value(self, value: Any) -> None:
        self._value = value

    def set_headers(self, headers: list[tuple[str, bytes | None]]) -> None:
        self._headers = headers

    def __len__(self) -> int:
        return len(self._value) if self._value is not None else 0

    @classmethod
    def fetched(
        cls,
        topic: str,
        partition: int,
        base_offset: int,
        timestamps: Sequence[int],
        keys: Sequence[bytes | None] | None,
        values: Sequence[bytes | None],
        headers: Sequence[tuple[tuple[str, bytes | None], ...]] | None,
        leader_epoch: int,
    ) -> list[Message]:
        """The Messages of consecutive fetched records of one batch, from the batch's columns
        (`RecordBatch.columns()`: keys None when all are null, headers None when none has any),
        offsets from `base_offset` on, as a consumer hands them out a batch at a time: slots set
        directly (no argument defaults per message) and one timestamp tuple per distinct
        timestamp, so a batch costs about one object per record for the collector."""
        new = cls.__new__
        out: list[Message] = []
        append = out.append
        n = len(values)
        if keys is None and headers is None and timestamps.count(timestamps[0]) == n:
            # the common batch: no keys, no headers, one timestamp (a producer's linger window)
            stamp = (TIMESTAMP_CREATE_TIME, timestamps[0])
            for offset, value in zip(range(base_offset, base_offset + n), values, strict=True):
                m = new(cls)
                m._topic = topic
                m._partition = partition
                m._offset = offset
                m._key = None
                m._value = value
                m._headers = None
                m._error = None
                m._timestamp = stamp
                m._latency = None
                m._leader_epoch = leader_epoch
                append(m)
            return out
        last = stamp = None
        for offset, timestamp, key, value, hdrs in zip(
            range(base_offset, base_offset + n),
            timestamps,
            repeat(None, n) if keys is None else keys,
            values,
            repeat(None, n) if headers is None else headers,
            strict=True,
        ):
            m = new(cls)
            m._topic = topic
            m._partition = partition
            m._offset = offset
            m._key = key
            m._value = value
            m._headers = list(hdrs) if hdrs else None
            m._error = None
            if timestamp != last:
                last = timestamp
                stamp = (TIMESTAMP_CREATE_TIME, last)
            m._timestamp = stamp
            m._latency = None
            m._leader_epoch = leader_epoch
            append(m)
        return out

    def __repr__(self) -> str:
        if self._error is not None:
            return f"<Message {self._topic}[{self._partition}]@{self._offset} error={self._error.name()}>"
        return f"<Message {self._topic}[{self._partition}]@{self._offset} key={self._key!r} value={self._value!r}>"
