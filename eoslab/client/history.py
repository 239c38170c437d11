"""What the clients did and saw, in order: the history an exactly-once checker reads.

The journal is the broker's story; this is the applications' story. Every client appends to the
history of its cluster: each record it sent and how that ended, each transaction's fate, each
record a consumer returned (with the offset and the position after it), each offset commit, and
each crash. A checker can then say, for example, that a record of an aborted transaction was read,
or that one input was processed into the output twice.
"""

from __future__ import annotations

import weakref
from typing import Any, NamedTuple

# kinds of operation
SEND = "send"  # produce() called: the application handed over a record
ACK = "ack"  # the delivery report: offset, or error
TXN = "txn"  # init / begin / commit / abort and its result
POLL = "poll"  # a consumer returned a record
COMMIT = "commit"  # a consumer's offset commit and its result
SEND_OFFSETS = "send_offsets"  # offsets added to a producer's transaction
CRASH = "crash"  # a client process died
SINK = "sink"  # an external sink wrote or skipped a row


class Op(NamedTuple):
    """One operation; a plain tuple, so a long history costs the garbage collector nothing."""

    index: int
    time_ms: int
    client_id: str
    kind: str
    topic: str | None = None
    partition: int | None = None
    offset: int | None = None
    key: bytes | None = None
    value: bytes | None = None
    error: str | None = None  # an error name, None for success
    info: tuple[tuple[str, Any], ...] = ()  # (name, value) pairs: ids, isolation, offsets

    @property
    def details(self) -> dict[str, Any]:
        return dict(self.info)


class History:
    """Off until someone asks for it (`record_history`), so plain labs and benchmarks pay nothing."""

    def __init__(self) -> None:
        self.ops: list[Op] = []
        self.recording = False

    def record(
        self,
        time_ms: int,
        client_id: str,
        kind: str,
        info: dict[str, Any] | None = None,
        **fields: Any,
    ) -> Op:
        op = Op(
            len(self.ops),
            time_ms,
            client_id,
            kind,
            info=tuple(info.items()) if info else (),
            **fields,
        )
        self.ops.append(op)
        return op

    def __len__(self) -> int:
        return len(self.ops)

    def __iter__(self):
        return iter(self.ops)

    def of(self, kind: str, client_id: str | None = None) -> list[Op]:
        return [o for o in self.ops if o.kind == kind and client_id in (None, o.client_id)]


_HISTORIES: weakref.WeakKeyDictionary[Any, History] = weakref.WeakKeyDictionary()


def history_of(cluster: Any) -> History:
    """The history of everything the clients of `cluster` did (empty unless recording)."""
    history = _HISTORIES.get(cluster)
    if history is None:
        history = _HISTORIES[cluster] = History()
    return history


def record_history(cluster: Any) -> History:
    """Start recording what the clients of `cluster` do from now on."""
    history = history_of(cluster)
    history.recording = True
    return history
