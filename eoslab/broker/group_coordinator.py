"""The group coordinator: consumer groups, committed offsets and offsets committed in transactions.

Offsets live in `__consumer_offsets` (partition = abs(group.hashCode) % 50) as a real log. A plain
OffsetCommit is visible at once. A TxnOffsetCommit is appended inside the producer's transaction
and held as *pending* for that producer id: OffsetFetch with RequireStable answers
UNSTABLE_OFFSET_COMMIT until the transaction's marker reaches this partition; COMMIT then makes the
offsets the group's committed offsets, ABORT throws them away (reference §6).
"""

from __future__ import annotations

from dataclasses import dataclass

from .consumer_group import (
    ClassicGroup,
    GroupState,
    JoinGroupResponse,
    Member,
    SyncGroupResponse,
)
from .context import CoordinatorContext
from .effects import (
    GroupChanged,
    GroupMetadataWritten,
    OffsetCommitted,
    TxnOffsetDecided,
    TxnOffsetsAppended,
)
from .errors import Errors
from .hashing import partition_for
from .internal_topics import CONSUMER_OFFSETS_TOPIC
from .offsets_log import (
    GroupMember,
    GroupMetadataValue,
    group_metadata_key,
    group_metadata_value,
    offset_commit_key,
    offset_commit_value,
)
from .protocol import LIBRDKAFKA_API_VERSIONS, TXN_OFFSET_COMMIT_IMPLICIT_ADD_VERSION
from .records import RecordBatch
from .txn_coordinator import TransactionCoordinator

ACTOR = "group-coordinator"
TopicPartition = tuple[str, int]


@dataclass(frozen=True)
class CommittedOffset:
    offset: int
    metadata: str
    record_offset: int  # where the commit sits in __consumer_offsets; the newer one wins


class GroupCoordinator:
    def __init__(self, context: CoordinatorContext, transactions: TransactionCoordinator) -> None:
        self.cluster = context
        self.transactions = transactions  # verifies a transactional offset commit (KIP-890)
        self.classic_groups: dict[str, ClassicGroup] = {}
        self.offsets: dict[str, dict[TopicPartition, CommittedOffset]] = {}
        # producer id -> (group, partition) -> offset committed in its open transaction
        self.pending: dict[int, dict[tuple[str, TopicPartition], CommittedOffset]] = {}
        self._rebalance_round: dict[str, int] = {}

    # -- placement and reads (views use these) --------------------------------------------------
    @property
    def num_partitions(self) -> int:
        return self.cluster.config["offsets.topic.num.partitions"]

    def partition_for(self, group_id: str) -> int:
        return partition_for(group_id, self.num_partitions)

    def groups(self) -> list[str]:
        return sorted(set(self.classic_groups) | set(self.offsets))

    def group(self, group_id: str) -> ClassicGroup | None:
        return self.classic_groups.get(group_id)

    def committed(self, group_id: str, topic: str, partition: int) -> int | None:
        c = self.offsets.get(group_id, {}).get((topic, partition))
        return None if c is None else c.offset

    def pending_offsets(self, group_id: str) -> dict[TopicPartition, tuple[int, int]]:
        """(topic, partition) -> (producer id, offset) of transactional commits not yet decided."""
        out = {}
        for pid, entries in sorted(self.pending.items()):
            for (group, tp), c in entries.items():
                if group == group_id:
                    out[tp] = (pid, c.offset)
        return out

    def _now(self) -> int:
        return self.cluster.clock.milliseconds()

    # -- membership -----------------------------------------------------------------------------
    def _new_member_id(self, client_id: str) -> str:
        bits = self.cluster.rng.getrandbits(128)
        h = f"{bits:032x}"
        return f"{client_id}-{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def handle_join_group(
        self,
        group_id: str,
        member_id: str,
        group_instance_id: str | None,
        client_id: str,
        session_timeout_ms: int,
        rebalance_timeout_ms: int,
        protocol_type: str,
        protocols: list[tuple[str, bytes]],
    ) -> JoinGroupResponse:
        if not group_id:
            return JoinGroupResponse(Errors.INVALID_GROUP_ID, member_id=member_id)
        config = self.cluster.config
        if not (
            config["group.min.session.timeout.ms"]
            <= session_timeout_ms
            <= config["group.max.session.timeout.ms"]
        ):  # GroupCoordinator.handleJoinGroup, before the group is created
            return JoinGroupResponse(Errors.INVALID_SESSION_TIMEOUT, member_id=member_id)
        group = self.classic_groups.get(group_id)
        if group is None:
            group = self.classic_groups[group_id] = ClassicGroup(
                group_id, state_timestamp=self._now()
            )
        if group.members and protocol_type != group.protocol_type:
            return JoinGroupResponse(Errors.INCONSISTENT_GROUP_PROTOCOL)
        if not member_id and group_instance_id is not None:
            old = group.member_by_instance(group_instance_id)
            if old is not None:  # a static member restarting takes over its old slot
                self.cluster.effect(
                    GroupChanged(
                        group_id, f"static member {group_instance_id} replaces {old.member_id}"
                    )
                )
                del group.members[old.member_id]
                if group.leader_id == old.member_id:
                    group.leader_id = None
        if not member_id:
            member = Member(
                self._new_member_id(client_id),
                group_instance_id,
                client_id,
                session_timeout_ms,
                rebalance_timeout_ms,
                list(protocols),
                last_heartbeat_ms=self._now(),
            )
            group.members[member.member_id] = member
            if group.leader_id is None:
                group.leader_id = member.member_id
            self.cluster.effect(GroupChanged(group_id, f"{member.member_id} joins"))
        else:
            member = group.members.get(member_id)
            if member is None:
                return JoinGroupResponse(Errors.UNKNOWN_MEMBER_ID, member_id=member_id)
            # GroupMetadataManager.classicGroupJoinExistingMember: with the same metadata, a
            # member rejoining in CompletingRebalance (it lost the join answer; the leader too)
            # or a follower in Stable gets the current generation's answer and nothing changes;
            # the leader in Stable, changed metadata, or PreparingRebalance go through a rebalance
            if member.protocols == list(protocols) and (
                group.state == GroupState.CompletingRebalance
                or (group.state == GroupState.Stable and member_id != group.leader_id)
            ):
                member.join_response = self._join_response_for(group, member)
                return member.join_response
            member.protocols = list(protocols)
            member.last_heartbeat_ms = self._now()
        member.joined = True
        member.join_response = None
        member.sync_response = None
        if group.state != GroupState.PreparingRebalance:
            self._prepare_rebalance(group, f"{member.member_id} joined")
        self._maybe_complete_join(group)
        return member.join_response or JoinGroupResponse(
            Errors.NONE, member_id=member.member_id, pending=True
        )

    def join_group_result(self, group_id: str, member_id: str) -> JoinGroupResponse:
        """The answer to a JoinGroup the coordinator was holding, once the join phase is over."""
        group = self.classic_groups.get(group_id)
        member = group.members.get(member_id) if group else None
        if member is None:
            return JoinGroupResponse(Errors.UNKNOWN_MEMBER_ID, member_id=member_id)
        return member.join_response or JoinGroupResponse(
            Errors.NONE, member_id=member_id, pending=True
        )

    def _prepare_rebalance(self, group: ClassicGroup, reason: str) -> None:
        group.state = GroupState.PreparingRebalance
        group.state_timestamp = self._now()
        for m in group.members.values():
            m.sync_response = None
        self.cluster.effect(
            GroupChanged(group.group_id, f"PreparingRebalance ({reason})", "PreparingRebalance")
        )
        round_ = self._rebalance_round.get(group.group_id, 0) + 1
        self._rebalance_round[group.group_id] = round_
        timeout = max((m.rebalance_timeout_ms for m in group.members.values()), default=0)
        self.cluster.clock.schedule(
            f"rebalance timeout {group.group_id}",
            timeout,
            lambda: self.cluster.run_internal(
                ACTOR,
                "rebalanceTimeout",
                {"group_id": group.group_id},
                lambda: self._on_rebalance_timeout(group, round_),
            ),
        )

    def _on_rebalance_timeout(self, group: ClassicGroup, round_: int) -> str | None:
        if (
            self._rebalance_round.get(group.group_id) != round_
            or group.state != GroupState.PreparingRebalance
        ):
            return None
        for m in [m for m in group.members.values() if not m.joined]:
            self._remove_member(group, m.member_id, "did not rejoin within the rebalance timeout")
        self._maybe_complete_join(group, force=True)
        return "completed the join phase"

    def _maybe_complete_join(self, group: ClassicGroup, force: bool = False) -> None:
        if group.state != GroupState.PreparingRebalance:
            return
        if not force and not all(m.joined for m in group.members.values()):
            return
        group.generation_id += 1
        group.state_timestamp = self._now()
        if not group.members:
            group.state = GroupState.Empty
            group.protocol_name = None
            group.leader_id = None
            self._store_group(group)
            self.cluster.effect(
                GroupChanged(group.group_id, f"Empty (generation {group.generation_id})", "Empty")
            )
            return
        if group.leader_id not in group.members:
            group.leader_id = next(iter(group.members))
        group.protocol_name = group.select_protocol()
        group.state = GroupState.CompletingRebalance
        for m in group.members.values():
            m.joined = False
            m.join_response = self._join_response_for(group, m)
        self.cluster.effect(
            GroupChanged(
                group.group_id,
                f"CompletingRebalance, generation {group.generation_id}, "
                f"leader {group.leader_id}, members {', '.join(group.members)}",
                "CompletingRebalance",
            )
        )

    def _join_response_for(self, group: ClassicGroup, member: Member) -> JoinGroupResponse:
        members = []
        if member.member_id == group.leader_id:
            members = [
                (m.member_id, m.group_instance_id, group.metadata_for(m))
                for m in group.members.values()
            ]
        return JoinGroupResponse(
            Errors.NONE,
            group.generation_id,
            group.protocol_name,
            group.leader_id or "",
            member.member_id,
            members,
        )

    def _check_member(
        self, group: ClassicGroup | None, generation_id: int, member_id: str
    ) -> tuple[Errors, Member | None]:
        if group is None or group.state == GroupState.Dead:
            return Errors.UNKNOWN_MEMBER_ID, None
        member = group.members.get(member_id)
        if member is None:
            return Errors.UNKNOWN_MEMBER_ID, None
        if generation_id != group.generation_id:
            return Errors.ILLEGAL_GENERATION, member
        return Errors.NONE, member

    def handle_sync_group(
        self,
        group_id: str,
        generation_id: int,
        member_id: str,
        assignments: dict[str, bytes],
    ) -> SyncGroupResponse:
        group = self.classic_groups.get(group_id)
        error, member = self._check_member(group, generation_id, member_id)
        if error or member is None or group is None:
            return SyncGroupResponse(error)
        if group.state == GroupState.PreparingRebalance:
            return SyncGroupResponse(Errors.REBALANCE_IN_PROGRESS)
        if group.state == GroupState.Stable:
            return SyncGroupResponse(Errors.NONE, member.assignment)
        if member_id == group.leader_id:
            for m in group.members.values():
                m.assignment = assignments.get(m.member_id, b"")
                m.sync_response = SyncGroupResponse(Errors.NONE, m.assignment)
            group.state = GroupState.Stable
            group.state_timestamp = self._now()
            self._store_group(group)
            self.cluster.effect(
                GroupChanged(group_id, f"Stable, generation {group.generation_id}", "Stable")
            )
        return member.sync_response or SyncGroupResponse(Errors.NONE, pending=True)

    def sync_group_result(self, group_id: str, member_id: str) -> SyncGroupResponse:
        group = self.classic_groups.get(group_id)
        member = group.members.get(member_id) if group else None
        if member is None:
            return SyncGroupResponse(Errors.UNKNOWN_MEMBER_ID)
        if group is not None and group.state == GroupState.PreparingRebalance:
            return SyncGroupResponse(Errors.REBALANCE_IN_PROGRESS)
        return member.sync_response or SyncGroupResponse(Errors.NONE, pending=True)

    def handle_heartbeat(self, group_id: str, generation_id: int, member_id: str) -> Errors:
        group = self.classic_groups.get(group_id)
        error, member = self._check_member(group, generation_id, member_id)
        if member is not None:
            member.last_heartbeat_ms = self._now()
        if error:
            return error
        if group is not None and group.state == GroupState.PreparingRebalance:
            return Errors.REBALANCE_IN_PROGRESS
        return Errors.NONE

    def handle_leave_group(self, group_id: str, member_id: str) -> Errors:
        group = self.classic_groups.get(group_id)
        if group is None or member_id not in group.members:
            return Errors.UNKNOWN_MEMBER_ID
        self._remove_member(group, member_id, "left the group")
        return Errors.NONE

    def _remove_member(self, group: ClassicGroup, member_id: str, reason: str) -> None:
        del group.members[member_id]
        if group.leader_id == member_id:
            group.leader_id = next(iter(group.members), None)
        self.cluster.effect(GroupChanged(group.group_id, f"{member_id} removed ({reason})"))
        if group.state in (GroupState.Stable, GroupState.CompletingRebalance):
            self._prepare_rebalance(group, f"{member_id} {reason}")
        if group.state == GroupState.PreparingRebalance:
            self._maybe_complete_join(group)

    def stop_heartbeats(self, group_id: str, member_id: str) -> Errors:
        """A member's process died: no more heartbeats, so the session timeout runs out."""
        group = self.classic_groups.get(group_id)
        member = group.members.get(member_id) if group else None
        if member is None or group is None:
            return Errors.UNKNOWN_MEMBER_ID
        member.heartbeats_stopped = True
        deadline = member.last_heartbeat_ms + member.session_timeout_ms
        self.cluster.effect(
            GroupChanged(group_id, f"{member_id} stops heartbeating; session ends at {deadline} ms")
        )
        self.cluster.clock.schedule(
            f"session timeout {member_id}",
            max(0, deadline - self._now()),
            lambda: self.cluster.run_internal(
                ACTOR,
                "sessionTimeout",
                {"group_id": group_id, "member_id": member_id},
                lambda: self._expire(group, member),
            ),
        )
        return Errors.NONE

    def _expire(self, group: ClassicGroup, member: Member) -> str | None:
        if group.members.get(member.member_id) is not member or not member.heartbeats_stopped:
            return None
        self._remove_member(group, member.member_id, "session timed out")
        return "member expired"

    def _store_group(self, group: ClassicGroup) -> None:
        value = GroupMetadataValue(
            group.protocol_type,
            group.generation_id,
            group.protocol_name,
            group.leader_id,
            self._now(),
            tuple(
                GroupMember(
                    m.member_id,
                    m.group_instance_id,
                    m.client_id,
                    m.rebalance_timeout_ms,
                    m.session_timeout_ms,
                    group.metadata_for(m),
                    m.assignment,
                )
                for m in group.members.values()
            ),
        )
        p = self.partition_for(group.group_id)
        offset = self.cluster.append_internal(
            CONSUMER_OFFSETS_TOPIC,
            p,
            group_metadata_key(group.group_id),
            group_metadata_value(value),
        )
        self.cluster.effect(
            GroupMetadataWritten(
                f"{CONSUMER_OFFSETS_TOPIC}-{p}", offset, group.group_id, group.generation_id
            )
        )

    # -- offsets --------------------------------------------------------------------------------
    def _validate_offset_commit(
        self,
        group_id: str,
        generation_id: int,
        member_id: str,
        group_instance_id: str | None,
        transactional: bool,
    ) -> Errors:
        """ClassicGroup.validateOffsetCommit (reference §6.3)."""
        group = self.classic_groups.get(group_id)
        if group is None:
            if generation_id < 0:
                return Errors.NONE  # a simple (assign-based) consumer's commit
            return Errors.ILLEGAL_GENERATION
        if group.state == GroupState.Dead:
            return Errors.COORDINATOR_NOT_AVAILABLE
        if generation_id < 0 and group.state == GroupState.Empty:
            return Errors.NONE
        if transactional and generation_id < 0 and not member_id and group_instance_id is None:
            return Errors.NONE  # TxnOffsetCommit v0-v2 carry no member: nothing to check (§6.3)
        if group_instance_id is not None:
            static = group.member_by_instance(group_instance_id)
            if static is not None and static.member_id != member_id:
                return Errors.FENCED_INSTANCE_ID
        if member_id not in group.members:
            return Errors.UNKNOWN_MEMBER_ID
        if generation_id != group.generation_id:
            return Errors.ILLEGAL_GENERATION
        if not transactional and group.state == GroupState.CompletingRebalance:
            return Errors.REBALANCE_IN_PROGRESS
        return Errors.NONE

    def handle_offset_commit(
        self,
        group_id: str,
        generation_id: int,
        member_id: str,
        group_instance_id: str | None,
        offsets: dict[TopicPartition, tuple[int, str]],
    ) -> dict[TopicPartition, Errors]:
        error = self._validate_offset_commit(
            group_id, generation_id, member_id, group_instance_id, transactional=False
        )
        if error:
            return dict.fromkeys(offsets, error)
        p = self.partition_for(group_id)
        results = {}
        for (topic, partition), (offset, metadata) in offsets.items():
            record_offset = self.cluster.append_internal(
                CONSUMER_OFFSETS_TOPIC,
                p,
                offset_commit_key(group_id, topic, partition),
                offset_commit_value(offset, metadata, self._now()),
            )
            self.offsets.setdefault(group_id, {})[(topic, partition)] = CommittedOffset(
                offset, metadata, record_offset
            )
            self.cluster.effect(
                OffsetCommitted(
                    f"{CONSUMER_OFFSETS_TOPIC}-{p}",
                    record_offset,
                    group_id,
                    f"{topic}-{partition}",
                    offset,
                )
            )
            results[(topic, partition)] = Errors.NONE
        return results

    def handle_offset_fetch(
        self, group_id: str, partitions: list[TopicPartition] | None, require_stable: bool
    ) -> dict[TopicPartition, tuple[int, str, Errors]]:
        committed = self.offsets.get(group_id, {})
        pending = {tp for (g, tp) in self._pending_keys() if g == group_id}
        wanted = sorted(committed) if partitions is None else partitions
        out = {}
        for tp in wanted:
            if require_stable and tp in pending:
                out[tp] = (-1, "", Errors.UNSTABLE_OFFSET_COMMIT)
                continue
            c = committed.get(tp)
            out[tp] = (c.offset, c.metadata, Errors.NONE) if c else (-1, "", Errors.NONE)
        return out

    def _pending_keys(self) -> set[tuple[str, TopicPartition]]:
        return {key for entries in self.pending.values() for key in entries}

    def handle_txn_offset_commit(
        self,
        transactional_id: str,
        group_id: str,
        producer_id: int,
        producer_epoch: int,
        generation_id: int,
        member_id: str,
        group_instance_id: str | None,
        offsets: dict[TopicPartition, tuple[int, str]],
        api_version: int = LIBRDKAFKA_API_VERSIONS["TxnOffsetCommit"],
    ) -> dict[TopicPartition, Errors]:
        """Append the offsets inside the producer's transaction; they stay pending until its marker."""
        error = self._validate_offset_commit(
            group_id, generation_id, member_id, group_instance_id, transactional=True
        )
        if error:
            return dict.fromkeys(offsets, error)
        p = self.partition_for(group_id)
        partition = self.cluster.internal_partition(CONSUMER_OFFSETS_TOPIC, p)
        verified = self.transactions.verify_or_enrol(
            transactional_id,
            producer_id,
            producer_epoch,
            partition,
            implicit_add=api_version >= TXN_OFFSET_COMMIT_IMPLICIT_ADD_VERSION,
        )
        if verified:
            return dict.fromkeys(offsets, verified)
        now = self._now()
        items = offsets.items()
        columns = (
            (now,) * len(offsets),
            tuple(offset_commit_key(group_id, topic, index) for (topic, index), _ in items),
            tuple(offset_commit_value(offset, metadata, now) for _, (offset, metadata) in items),
            None,
        )
        batch = RecordBatch(
            columns=columns,
            producer_id=producer_id,
            producer_epoch=producer_epoch,
            is_transactional=True,
        )
        result = partition.append_as_leader(batch, now, origin="coordinator")
        if result.error:
            return dict.fromkeys(offsets, result.error)
        entries = self.pending.setdefault(producer_id, {})
        for i, (tp, (offset, metadata)) in enumerate(offsets.items()):
            entries[(group_id, tp)] = CommittedOffset(offset, metadata, result.base_offset + i)
        self.cluster.effect(
            TxnOffsetsAppended(
                f"{CONSUMER_OFFSETS_TOPIC}-{p}",
                result.base_offset,
                result.base_offset + len(offsets) - 1,
                group_id,
                tuple((f"{t}-{n}", o) for (t, n), (o, _) in offsets.items()),
                producer_id,
            )
        )
        return dict.fromkeys(offsets, Errors.NONE)

    def on_end_txn_marker(self, partition_index: int, producer_id: int, committed: bool) -> None:
        """replayEndTransactionMarker: the transaction's offsets become committed, or vanish."""
        entries = self.pending.get(producer_id)
        if not entries:
            return
        for key in [k for k in entries if self.partition_for(k[0]) == partition_index]:
            c = entries.pop(key)
            group_id, tp = key
            if committed:
                current = self.offsets.get(group_id, {}).get(tp)
                if current is None or current.record_offset < c.record_offset:
                    self.offsets.setdefault(group_id, {})[tp] = c
            self.cluster.effect(TxnOffsetDecided(group_id, f"{tp[0]}-{tp[1]}", c.offset, committed))
        if not entries:
            del self.pending[producer_id]

    # -- admin ----------------------------------------------------------------------------------
    def describe_group(self, group_id: str) -> ClassicGroup | None:
        return self.classic_groups.get(group_id)
