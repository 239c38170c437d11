"""Records of `__consumer_offsets`: offset commits and group metadata, in Kafka's key/value formats.

OffsetCommitKey v1 (group, topic, partition) with OffsetCommitValue v3 (offset, leader epoch,
metadata, commit time), and GroupMetadataKey v2 (group) with GroupMetadataValue v3 (generation,
protocol, leader, members). A transactional offset commit is the same record inside the producer's
transactional batch, which is why a COMMIT or ABORT marker lands in this topic too.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

OFFSET_COMMIT_KEY_VERSION = 1
OFFSET_COMMIT_VALUE_VERSION = 3
GROUP_METADATA_KEY_VERSION = 2
GROUP_METADATA_VALUE_VERSION = 3


def _string(s: str | None) -> bytes:
    if s is None:
        return struct.pack(">h", -1)
    raw = s.encode()
    return struct.pack(">h", len(raw)) + raw


def _bytes(b: bytes) -> bytes:
    return struct.pack(">i", len(b)) + b


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def unpack(self, fmt: str) -> tuple:
        values = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += struct.calcsize(fmt)
        return values

    def string(self) -> str | None:
        (n,) = self.unpack(">h")
        if n < 0:
            return None
        s = self.data[self.pos : self.pos + n].decode()
        self.pos += n
        return s

    def bytes(self) -> bytes:
        (n,) = self.unpack(">i")
        b = self.data[self.pos : self.pos + n]
        self.pos += n
        return b


@dataclass(frozen=True)
class OffsetCommitKey:
    group: str
    topic: str
    partition: int


@dataclass(frozen=True)
class OffsetCommitValue:
    offset: int
    leader_epoch: int
    metadata: str
    commit_timestamp: int


@dataclass(frozen=True)
class GroupMember:
    member_id: str
    group_instance_id: str | None
    client_id: str
    rebalance_timeout: int
    session_timeout: int
    subscription: bytes
    assignment: bytes


@dataclass(frozen=True)
class GroupMetadataValue:
    protocol_type: str
    generation: int
    protocol: str | None
    leader: str | None
    current_state_timestamp: int
    members: tuple[GroupMember, ...]


def offset_commit_key(group: str, topic: str, partition: int) -> bytes:
    return (
        struct.pack(">h", OFFSET_COMMIT_KEY_VERSION)
        + _string(group)
        + _string(topic)
        + struct.pack(">i", partition)
    )


def offset_commit_value(offset: int, metadata: str, commit_timestamp: int) -> bytes:
    return (
        struct.pack(">hqi", OFFSET_COMMIT_VALUE_VERSION, offset, -1)
        + _string(metadata)
        + struct.pack(">q", commit_timestamp)
    )


def group_metadata_key(group: str) -> bytes:
    return struct.pack(">h", GROUP_METADATA_KEY_VERSION) + _string(group)


def group_metadata_value(value: GroupMetadataValue) -> bytes:
    out = bytearray(struct.pack(">h", GROUP_METADATA_VALUE_VERSION))
    out += _string(value.protocol_type)
    out += struct.pack(">i", value.generation)
    out += _string(value.protocol)
    out += _string(value.leader)
    out += struct.pack(">q", value.current_state_timestamp)
    out += struct.pack(">i", len(value.members))
    for m in value.members:
        out += _string(m.member_id) + _string(m.group_instance_id) + _string(m.client_id)
        out += _string("/127.0.0.1")
        out += struct.pack(">ii", m.rebalance_timeout, m.session_timeout)
        out += _bytes(m.subscription) + _bytes(m.assignment)
    return bytes(out)


def decode_key(data: bytes) -> OffsetCommitKey | str:
    """An offset commit key, or the group id of a group metadata key."""
    r = _Reader(data)
    (version,) = r.unpack(">h")
    if version in (0, 1):
        group, topic = r.string(), r.string()
        (partition,) = r.unpack(">i")
        return OffsetCommitKey(group or "", topic or "", partition)
    return r.string() or ""


def decode_offset_commit_value(data: bytes | None) -> OffsetCommitValue | None:
    if data is None:
        return None
    r = _Reader(data)
    _version, offset, leader_epoch = r.unpack(">hqi")
    metadata = r.string() or ""
    (timestamp,) = r.unpack(">q")
    return OffsetCommitValue(offset, leader_epoch, metadata, timestamp)


def decode_group_metadata_value(data: bytes | None) -> GroupMetadataValue | None:
    if data is None:
        return None
    r = _Reader(data)
    r.unpack(">h")
    protocol_type = r.string() or ""
    (generation,) = r.unpack(">i")
    protocol, leader = r.string(), r.string()
    (timestamp,) = r.unpack(">q")
    (count,) = r.unpack(">i")
    members = []
    for _ in range(count):
        member_id, instance, client_id, _host = r.string(), r.string(), r.string(), r.string()
        rebalance_timeout, session_timeout = r.unpack(">ii")
        subscription, assignment = r.bytes(), r.bytes()
        members.append(
            GroupMember(
                member_id or "",
                instance,
                client_id or "",
                rebalance_timeout,
                session_timeout,
                subscription,
                assignment,
            )
        )
    return GroupMetadataValue(
        protocol_type, generation, protocol, leader, timestamp, tuple(members)
    )
