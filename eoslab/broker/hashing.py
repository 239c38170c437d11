"""Java's `String.hashCode` and Kafka's `Utils.abs`, which place ids on coordinator partitions.

`__transaction_state` and `__consumer_offsets` partitions are chosen by
`Utils.abs(id.hashCode()) % partitions`, so the same transactional id lands on the same partition
number as on a real cluster ("peter-transaction-01" -> 13).
"""

from __future__ import annotations

import functools


@functools.lru_cache(maxsize=4096)  # coordinators hash the same ids on every request
def java_string_hash(s: str) -> int:
    """int32 hash over UTF-16 code units, h = 31*h + c."""
    h = 0
    data = s.encode("utf-16-be")
    for i in range(0, len(data), 2):
        h = (31 * h + ((data[i] << 8) | data[i + 1])) & 0xFFFFFFFF
    return h - 0x100000000 if h >= 0x80000000 else h


def kafka_abs(n: int) -> int:
    """Utils.abs: Integer.MIN_VALUE maps to 0 rather than overflowing."""
    return 0 if n == -(2**31) else abs(n)


def partition_for(key: str, num_partitions: int) -> int:
    return kafka_abs(java_string_hash(key)) % num_partitions
