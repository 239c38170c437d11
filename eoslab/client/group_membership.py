"""A subscribing consumer's life in its group: join, sync, heartbeat, rebalance, leave.

librdkafka does this on a background thread; here it runs inside `poll()`, one step per call, so
the journal shows each JoinGroup, SyncGroup and Heartbeat where it happened. A member that is
waiting for the rest of the group (the coordinator holds its JoinGroup answer) keeps waiting across
polls. Heartbeats go out every `heartbeat.interval.ms` of virtual time, and at once when the group
is already rebalancing: the background thread would have learned that within one interval.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..broker import Errors
from ..broker.consumer_group import GroupState
from .assignors import (
    ASSIGNORS,
    decode_assignment,
    decode_subscription,
    encode_assignment,
    encode_subscription,
)
from .errors import KafkaError, KafkaException
from .message import TopicPartition

TopicPartitionKey = tuple[str, int]

# rdkafka_cgrp.c (rd_kafka_cgrp_handle_JoinGroup): a failed JoinGroup backs the join interval
# (rkcg_join_intvl, 1 s) off by 1 s, so the next JoinGroup goes out more than 2 s after it
JOIN_INTERVAL_MS = 1_000
JOIN_ERROR_BACKOFF_MS = 1_000
# ... and its errors are reported to the application unless they are part of joining
# (explicitly IGNOREd there) or rd_kafka_err_action's coordinator errors (REFRESH / RETRY)
_JOIN_ERRORS_NOT_REPORTED = frozenset(
    {
        Errors.UNKNOWN_MEMBER_ID,
        Errors.ILLEGAL_GENERATION,
        Errors.NOT_COORDINATOR,
        Errors.COORDINATOR_NOT_AVAILABLE,
        Errors.COORDINATOR_LOAD_IN_PROGRESS,
    }
)


@dataclass(frozen=True)
class ConsumerGroupMetadata:
    """What `send_offsets_to_transaction` carries to the group coordinator (KIP-447)."""

    group_id: str
    generation_id: int = -1
    member_id: str = ""
    group_instance_id: str | None = None

    def __repr__(self) -> str:
        return (
            f"ConsumerGroupMetadata(group_id={self.group_id!r}, generation_id={self.generation_id}, "
            f"member_id={self.member_id!r})"
        )


@dataclass(frozen=True)
class RebalanceHooks:
    """How the group reaches its consumer: hand it partitions (calling the application's
    on_assign), take them back (on_revoke / on_lost), report a fatal group error."""

    assign: Callable[[list[TopicPartition], Any], None]
    revoke: Callable[[Any, bool], None]
    error: Callable[[int], None]


class GroupMembership:
    def __init__(
        self,
        cluster: Any,
        cfg: Any,
        client_id: str,
        hooks: RebalanceHooks,
        topics: list[str],
        on_assign: Any,
        on_revoke: Any,
        on_lost: Any,
    ) -> None:
        self.cluster = cluster
        self.cfg = cfg
        self.hooks = hooks
        self._client_id = client_id
        self.topics = list(topics)
        self.on_assign = on_assign
        self.on_revoke = on_revoke
        self.on_lost = on_lost
        self.member_id = ""
        self.generation_id = -1
        self.phase = "join"  # join -> joining -> syncing -> stable
        self.last_heartbeat_ms = self.cluster.now_ms
        self._join_sent_ms: int | None = None
        self._join_backoff = False
        strategies = [
            s.strip() for s in self.cfg["partition.assignment.strategy"].split(",") if s.strip()
        ]
        unknown = [s for s in strategies if s not in ASSIGNORS]
        if unknown:
            raise KafkaException(
                KafkaError(
                    KafkaError._INVALID_ARG,
                    f"eoslab implements the range and roundrobin assignors, not {', '.join(unknown)}",
                )
            )
        self.strategies = strategies

    @property
    def group_id(self) -> str:
        return self.cfg["group.id"]

    @property
    def client_id(self) -> str:
        return self._client_id

    def metadata(self) -> ConsumerGroupMetadata:
        return ConsumerGroupMetadata(
            self.group_id, self.generation_id, self.member_id, self.cfg["group.instance.id"]
        )

    # -- one step of the state machine per poll ---------------------------------------------------
    def tick(self) -> None:
        """Go as far as the coordinator's answers allow (a rejoin may follow a heartbeat)."""
        for _ in range(4):
            before = (self.phase, self.generation_id)
            if self.phase == "join":
                self._join()
            if self.phase == "joining":
                self._joined(self.cluster.join_group_result(self.group_id, self.member_id))
            if self.phase == "syncing":
                self._synced(self.cluster.sync_group_result(self.group_id, self.member_id))
            if self.phase == "stable":
                self._maybe_heartbeat()
            if (self.phase, self.generation_id) == before:
                return

    def _join(self) -> None:
        if self._join_backoff and self._join_sent_ms is not None:
            # rd_interval: the next join is due once now - (last + interval + backoff) > 0
            due = self._join_sent_ms + JOIN_INTERVAL_MS + JOIN_ERROR_BACKOFF_MS
            if self.cluster.now_ms <= due:
                return
        self._join_backoff = False
        self._join_sent_ms = self.cluster.now_ms
        subscription = encode_subscription(self.topics)
        response = self.cluster.join_group(
            self.group_id,
            self.member_id,
            [(name, subscription) for name in self.strategies],
            session_timeout_ms=self.cfg["session.timeout.ms"],
            rebalance_timeout_ms=self.cfg["max.poll.interval.ms"],
            group_instance_id=self.cfg["group.instance.id"],
            client_id=self.client_id,
        )
        if response.error:
            self._join_failed(response.error)
            return
        self.member_id = response.member_id
        self.phase = "joining"

    def _join_failed(self, error: Errors) -> None:
        """rd_kafka_cgrp_handle_JoinGroup's error path: back off, report what is not part of
        joining as a consumer error event (`JoinGroup failed: ...`, e.g. INVALID_SESSION_TIMEOUT
        when session.timeout.ms is outside the broker's group.min/max.session.timeout.ms), and
        join again from scratch once the interval has passed."""
        self.phase = "join"
        self._join_backoff = True
        if error not in _JOIN_ERRORS_NOT_REPORTED:
            self.hooks.error(int(error))
        if error == Errors.UNKNOWN_MEMBER_ID:
            self.member_id = ""
        elif error == Errors.ILLEGAL_GENERATION:
            self.generation_id = -1

    def _joined(self, response: Any) -> None:
        if response.pending:
            return
        if response.error:
            self._join_failed(response.error)
            return
        self.generation_id = response.generation_id
        assignments: dict[str, bytes] = {}
        if response.leader == self.member_id:
            subscriptions = {m: decode_subscription(meta) for m, _i, meta in response.members}
            topics = sorted({t for ts in subscriptions.values() for t in ts})
            counts = {}
            metadata = self.cluster.metadata(
                topics, allow_auto_topic_creation=False, client_id=self.client_id
            )
            for topic in topics:
                error, partitions = metadata.topics[topic]
                if not error:
                    counts[topic] = len(partitions)
            plan = ASSIGNORS[response.protocol_name or "range"](subscriptions, counts)
            assignments = {m: encode_assignment(tps) for m, tps in plan.items()}
        sync = self.cluster.sync_group(
            self.group_id, self.generation_id, self.member_id, assignments, client_id=self.client_id
        )
        self.phase = "syncing"
        self._synced(sync)

    def _synced(self, response: Any) -> None:
        if response.pending:
            return
        if response.error:
            self.phase = "join"
            if response.error in (Errors.UNKNOWN_MEMBER_ID, Errors.ILLEGAL_GENERATION):
                self.member_id = (
                    "" if response.error == Errors.UNKNOWN_MEMBER_ID else self.member_id
                )
            return
        self.phase = "stable"
        self.last_heartbeat_ms = self.cluster.now_ms
        partitions = [TopicPartition(t, p) for t, p in decode_assignment(response.assignment)]
        self.hooks.assign(partitions, self.on_assign)

    def _rebalancing(self) -> bool:
        group = self.cluster.group_coordinator.group(self.group_id)
        return group is not None and group.state == GroupState.PreparingRebalance

    def _maybe_heartbeat(self) -> None:
        due = self.cluster.now_ms - self.last_heartbeat_ms >= self.cfg["heartbeat.interval.ms"]
        if not due and not self._rebalancing():
            return
        self.last_heartbeat_ms = self.cluster.now_ms
        error = self.cluster.heartbeat(
            self.group_id, self.generation_id, self.member_id, client_id=self.client_id
        )
        if error == Errors.NONE:
            return
        if error == Errors.REBALANCE_IN_PROGRESS:
            self.hooks.revoke(self.on_revoke, False)
            self.phase = "join"
            self._join()
            return
        # UNKNOWN_MEMBER_ID / ILLEGAL_GENERATION / FENCED_INSTANCE_ID: the partitions are gone
        self.hooks.revoke(self.on_lost or self.on_revoke, True)
        if error == Errors.UNKNOWN_MEMBER_ID:
            self.member_id = ""
        self.generation_id = -1
        self.phase = "join"
        self._join()

    def leave(self) -> None:
        if self.member_id:
            self.cluster.leave_group(self.group_id, self.member_id, client_id=self.client_id)
        self.member_id = ""
        self.generation_id = -1
        self.phase = "join"

    def crash(self) -> None:
        if self.member_id:
            self.cluster.stop_heartbeats(self.group_id, self.member_id, client_id=self.client_id)
