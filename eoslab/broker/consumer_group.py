"""A classic consumer group as the group coordinator keeps it (Kafka's `ClassicGroup`).

Members join with JoinGroup, the group moves through PreparingRebalance and CompletingRebalance to
Stable, and every completed rebalance starts a new generation. Transactional offset commits are
checked against the generation and member id the producer carries (KIP-447), which is how a
consumer-process-produce app that lost its partitions is stopped from committing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class GroupState(Enum):
    Empty = "Empty"
    PreparingRebalance = "PreparingRebalance"
    CompletingRebalance = "CompletingRebalance"
    Stable = "Stable"
    Dead = "Dead"


@dataclass
class JoinGroupResponse:
    error: object  # Errors
    generation_id: int = -1
    protocol_name: str | None = None
    leader: str = ""
    member_id: str = ""
    members: list[tuple[str, str | None, bytes]] = field(default_factory=list)
    pending: bool = False  # the coordinator holds the response until every member has joined


@dataclass
class SyncGroupResponse:
    error: object  # Errors
    assignment: bytes = b""
    pending: bool = False  # followers wait for the leader's SyncGroup


@dataclass
class Member:
    member_id: str
    group_instance_id: str | None
    client_id: str
    session_timeout_ms: int
    rebalance_timeout_ms: int
    protocols: list[tuple[str, bytes]]
    assignment: bytes = b""
    joined: bool = False  # has sent JoinGroup for the current rebalance
    join_response: JoinGroupResponse | None = None
    sync_response: SyncGroupResponse | None = None
    last_heartbeat_ms: int = 0
    heartbeats_stopped: bool = False  # its process is gone (a crash fault)


@dataclass
class ClassicGroup:
    group_id: str
    state: GroupState = GroupState.Empty
    generation_id: int = 0
    protocol_type: str = "consumer"
    protocol_name: str | None = None
    leader_id: str | None = None
    members: dict[str, Member] = field(default_factory=dict)
    state_timestamp: int = 0

    def member_by_instance(self, instance_id: str) -> Member | None:
        for m in self.members.values():
            if m.group_instance_id == instance_id:
                return m
        return None

    def select_protocol(self) -> str | None:
        """The leader's first assignment strategy that every member supports."""
        if not self.members:
            return None
        leader = self.members.get(self.leader_id or "") or next(iter(self.members.values()))
        supported = [{name for name, _ in m.protocols} for m in self.members.values()]
        for name, _ in leader.protocols:
            if all(name in s for s in supported):
                return name
        return None

    def metadata_for(self, member: Member) -> bytes:
        for name, metadata in member.protocols:
            if name == self.protocol_name:
                return metadata
        return b""
