"""Java's `String.hashCode()`, for the exercises that place an id the way a Java broker does.

The book asks for `abs(transactionalId.hashCode()) % 50`; Python's `hash()` is not that hash (and
is salted per process), so the labs compute it with the broker's own implementation.
"""

from __future__ import annotations

from ..broker.hashing import java_string_hash, kafka_abs


def java_hashcode(s: str) -> int:
    """`s.hashCode()` in Java: a signed 32-bit int, e.g. -622368463 for "peter-transaction-01"."""
    return java_string_hash(s)


def coordinator_partition(id_: str, partitions: int = 50) -> int:
    """`Utils.abs(id.hashCode()) % partitions`: the `__transaction_state` (or
    `__consumer_offsets`) partition whose leader coordinates this id."""
    return kafka_abs(java_string_hash(id_)) % partitions
