"""Client-side partition assignment, as the group leader computes it (librdkafka's assignors).

The broker only relays bytes: each member's subscription (ConsumerProtocolSubscription v0) goes to
the leader in JoinGroup, and the leader's assignments (ConsumerProtocolAssignment v0) come back to
every member in SyncGroup.
"""

from __future__ import annotations

import struct
from collections.abc import Callable

TopicPartitionKey = tuple[str, int]


def _string(s: str) -> bytes:
    raw = s.encode()
    return struct.pack(">h", len(raw)) + raw


def encode_subscription(topics: list[str]) -> bytes:
    out = struct.pack(">hi", 0, len(topics)) + b"".join(_string(t) for t in sorted(topics))
    return out + struct.pack(">i", -1)  # no user data


def decode_subscription(data: bytes) -> list[str]:
    _version, count = struct.unpack_from(">hi", data)
    pos, topics = 6, []
    for _ in range(count):
        (n,) = struct.unpack_from(">h", data, pos)
        topics.append(data[pos + 2 : pos + 2 + n].decode())
        pos += 2 + n
    return topics


def encode_assignment(partitions: list[TopicPartitionKey]) -> bytes:
    by_topic: dict[str, list[int]] = {}
    for topic, p in sorted(partitions):
        by_topic.setdefault(topic, []).append(p)
    out = bytearray(struct.pack(">hi", 0, len(by_topic)))
    for topic, ps in by_topic.items():
        out += _string(topic) + struct.pack(f">i{len(ps)}i", len(ps), *ps)
    return bytes(out) + struct.pack(">i", -1)


def decode_assignment(data: bytes) -> list[TopicPartitionKey]:
    if not data:
        return []
    _version, count = struct.unpack_from(">hi", data)
    pos, out = 6, []
    for _ in range(count):
        (n,) = struct.unpack_from(">h", data, pos)
        topic = data[pos + 2 : pos + 2 + n].decode()
        pos += 2 + n
        (k,) = struct.unpack_from(">i", data, pos)
        ids = struct.unpack_from(f">{k}i", data, pos + 4)
        pos += 4 + 4 * k
        out.extend((topic, p) for p in ids)
    return out


Assignor = Callable[[dict[str, list[str]], dict[str, int]], dict[str, list[TopicPartitionKey]]]


def range_assignor(
    subscriptions: dict[str, list[str]], partition_counts: dict[str, int]
) -> dict[str, list[TopicPartitionKey]]:
    """Per topic: partitions in order, members sorted by id, the first ones get one extra."""
    out: dict[str, list[TopicPartitionKey]] = {m: [] for m in subscriptions}
    for topic in sorted(partition_counts):
        members = sorted(m for m, topics in subscriptions.items() if topic in topics)
        if not members:
            continue
        n = partition_counts[topic]
        per, extra = divmod(n, len(members))
        start = 0
        for i, member in enumerate(members):
            count = per + (1 if i < extra else 0)
            out[member].extend((topic, p) for p in range(start, start + count))
            start += count
    return out


def roundrobin_assignor(
    subscriptions: dict[str, list[str]], partition_counts: dict[str, int]
) -> dict[str, list[TopicPartitionKey]]:
    """All subscribed partitions in order, dealt to the sorted members in turn."""
    out: dict[str, list[TopicPartitionKey]] = {m: [] for m in subscriptions}
    members = sorted(subscriptions)
    i = 0
    for topic in sorted(partition_counts):
        for p in range(partition_counts[topic]):
            for _ in range(len(members)):
                member = members[i % len(members)]
                i += 1
                if topic in subscriptions[member]:
                    out[member].append((topic, p))
                    break
    return out


ASSIGNORS: dict[str, Assignor] = {"range": range_assignor, "roundrobin": roundrobin_assignor}
