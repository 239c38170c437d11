"""The group coordinator's requests: JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit,
OffsetFetch, TxnOffsetCommit, DescribeGroups, ListGroups. The rules live in
`group_coordinator.py`; these declare the requests."""

from __future__ import annotations

from typing import Any

from .consumer_group import JoinGroupResponse, SyncGroupResponse
from .errors import Errors
from .protocol import LIBRDKAFKA_API_VERSIONS
from .requests import Call, request, summarize_partition_errors


def _member(c: Call) -> dict[str, Any]:
    return {"group_id": c.group_id, "generation_id": c.generation_id, "member_id": c.member_id}


def _offsets(c: Call) -> dict[str, int]:
    return {f"{t}-{p}": o for (t, p), (o, _) in c.offsets.items()}


def _summarize_join(r: JoinGroupResponse) -> str:
    if r.error:
        return r.error.name
    if r.pending:
        return "NONE (held until every member has joined)"
    return f"NONE (generation {r.generation_id}, leader {r.leader})"


def _summarize_offset_fetch(r: dict[tuple[str, int], tuple[int, str, Errors]]) -> str:
    return (
        ", ".join(f"{t}-{p}: {o}" + (f" {e.name}" if e else "") for (t, p), (o, _, e) in r.items())
        or "NONE"
    )


class GroupRequests:
    """The cluster's consumer-group requests (a part of `Cluster`)."""

    group_coordinator: Any

    @request(
        "JoinGroup",
        args=lambda c: {
            "group_id": c.group_id,
            "member_id": c.member_id,
            "group_instance_id": c.group_instance_id,
        },
        summary=_summarize_join,
    )
    def join_group(
        self,
        group_id: str,
        member_id: str,
        protocols: list[tuple[str, bytes]],
        session_timeout_ms: int = 45_000,
        rebalance_timeout_ms: int = 300_000,
        group_instance_id: str | None = None,
        protocol_type: str = "consumer",
        client_id: str = "client",
    ) -> JoinGroupResponse:
        """JoinGroup; the answer may be held (`pending`) until every member has joined."""
        return self.group_coordinator.handle_join_group(
            group_id,
            member_id,
            group_instance_id,
            client_id,
            session_timeout_ms,
            rebalance_timeout_ms,
            protocol_type,
            protocols,
        )

    def join_group_result(self, group_id: str, member_id: str) -> JoinGroupResponse:
        """The held JoinGroup answer, once the coordinator has sent it (not a new request)."""
        return self.group_coordinator.join_group_result(group_id, member_id)

    @request(
        "SyncGroup",
        args=lambda c: {**_member(c), "assignments": len(c.assignments or {})},
        summary=lambda r: r.error.name + (" (waiting for the leader)" if r.pending else ""),
    )
    def sync_group(
        self,
        group_id: str,
        generation_id: int,
        member_id: str,
        assignments: dict[str, bytes] | None = None,
        client_id: str = "client",
    ) -> SyncGroupResponse:
        """SyncGroup: the leader brings every member's assignment; followers wait for it."""
        return self.group_coordinator.handle_sync_group(
            group_id, generation_id, member_id, dict(assignments or {})
        )

    def sync_group_result(self, group_id: str, member_id: str) -> SyncGroupResponse:
        return self.group_coordinator.sync_group_result(group_id, member_id)

    @request("Heartbeat", args=_member)
    def heartbeat(
        self, group_id: str, generation_id: int, member_id: str, client_id: str = "client"
    ) -> Errors:
        return self.group_coordinator.handle_heartbeat(group_id, generation_id, member_id)

    @request("LeaveGroup", args=lambda c: {"group_id": c.group_id, "member_id": c.member_id})
    def leave_group(self, group_id: str, member_id: str, client_id: str = "client") -> Errors:
        return self.group_coordinator.handle_leave_group(group_id, member_id)

    @request("crash", args=lambda c: {"group_id": c.group_id, "member_id": c.member_id})
    def stop_heartbeats(self, group_id: str, member_id: str, client_id: str = "client") -> Errors:
        """A fault: the member's process is gone, so its session will time out."""
        return self.group_coordinator.stop_heartbeats(group_id, member_id)

    @request(
        "OffsetCommit",
        args=lambda c: {**_member(c), "offsets": _offsets(c)},
        summary=summarize_partition_errors,
        timed_out=lambda c: dict.fromkeys(c.offsets, Errors.REQUEST_TIMED_OUT),
    )
    def offset_commit(
        self,
        group_id: str,
        offsets: dict[tuple[str, int], tuple[int, str]],
        generation_id: int = -1,
        member_id: str = "",
        group_instance_id: str | None = None,
        client_id: str = "client",
    ) -> dict[tuple[str, int], Errors]:
        """OffsetCommit: {(topic, partition): (offset, metadata)} -> per-partition errors."""
        return self.group_coordinator.handle_offset_commit(
            group_id, generation_id, member_id, group_instance_id, dict(offsets)
        )

    @request(
        "OffsetFetch",
        args=lambda c: {
            "group_id": c.group_id,
            "partitions": None if c.partitions is None else [f"{t}-{p}" for t, p in c.partitions],
            "require_stable": c.require_stable,
        },
        summary=_summarize_offset_fetch,
    )
    def offset_fetch(
        self,
        group_id: str,
        partitions: list[tuple[str, int]] | None = None,
        require_stable: bool = False,
        client_id: str = "client",
    ) -> dict[tuple[str, int], tuple[int, str, Errors]]:
        """OffsetFetch; with RequireStable, pending transactional offsets answer
        UNSTABLE_OFFSET_COMMIT (reference §6.2)."""
        return self.group_coordinator.handle_offset_fetch(
            group_id, None if partitions is None else list(partitions), require_stable
        )

    @request(
        "TxnOffsetCommit",
        args=lambda c: {
            "transactional_id": c.transactional_id,
            "group_id": c.group_id,
            "producer_id": c.producer_id,
            "producer_epoch": c.producer_epoch,
            "generation_id": c.generation_id,
            "member_id": c.member_id,
            "offsets": _offsets(c),
        },
        summary=summarize_partition_errors,
        timed_out=lambda c: dict.fromkeys(c.offsets, Errors.REQUEST_TIMED_OUT),
    )
    def txn_offset_commit(
        self,
        transactional_id: str,
        group_id: str,
        producer_id: int,
        producer_epoch: int,
        offsets: dict[tuple[str, int], tuple[int, str]],
        generation_id: int = -1,
        member_id: str = "",
        group_instance_id: str | None = None,
        client_id: str = "client",
        api_version: int = LIBRDKAFKA_API_VERSIONS["TxnOffsetCommit"],
    ) -> dict[tuple[str, int], Errors]:
        """TxnOffsetCommit (v3+, KIP-447): offsets held pending inside the producer's
        transaction; v5 on a TV2 cluster also enrols the offsets partition (no AddOffsetsToTxn)."""
        return self.group_coordinator.handle_txn_offset_commit(
            transactional_id,
            group_id,
            producer_id,
            producer_epoch,
            generation_id,
            member_id,
            group_instance_id,
            dict(offsets),
            api_version,
        )

    # -- the admin tools' requests --------------------------------------------------------------
    @request(
        "DescribeGroups",
        args=lambda c: {"group_ids": list(c.group_ids)},
        summary=lambda r: ", ".join(
            f"{g}: {grp.state.value if grp else 'Dead'}" for g, grp in r.items()
        ),
    )
    def describe_groups(self, group_ids: list[str], client_id: str = "admin") -> dict[str, Any]:
        """DescribeGroups: {group: ClassicGroup or None (unknown: Dead, no members)}."""
        return {g: self.group_coordinator.describe_group(g) for g in group_ids}

    @request("ListGroups", args=lambda c: {}, summary=lambda r: f"{len(r)} groups")
    def list_groups(self, client_id: str = "admin") -> list[tuple[str, str, str]]:
        """ListGroups: (group id, protocol type, state) for every group with metadata or offsets."""
        out = []
        for g in self.group_coordinator.groups():
            grp = self.group_coordinator.group(g)
            out.append((g, grp.protocol_type if grp else "", grp.state.value if grp else "Empty"))
        return out
