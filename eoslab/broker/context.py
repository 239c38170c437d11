"""What a coordinator may use of the cluster: the clock, the effects, its internal log, the queue
of steps. The coordinators see this narrow context, not the whole Cluster, so a coordinator can
neither reach a client nor another broker's partition except through the leader's own API.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from .clock import VirtualClock
from .config import BrokerConfig
from .effects import Effect
from .errors import Errors
from .partition import Partition
from .records import ControlRecordType

TopicPartition = tuple[str, int]

MARKER = "marker"  # a WriteTxnMarkers step to one partition
COMPLETE = "complete"  # the CompleteCommit/CompleteAbort write once every marker landed


@dataclass(frozen=True)
class StepKey:
    """Which transaction round a queued step belongs to, so a coordinator can cancel or resend
    exactly its own steps (a failover drops them, a fenced marker stops the rest)."""

    kind: str  # MARKER or COMPLETE
    transactional_id: str
    round: int
    partition: TopicPartition | None = None  # markers only
    coordinator_epoch: int = -1  # markers only


class CoordinatorContext(Protocol):
    """The part of the cluster a coordinator works with."""

    clock: VirtualClock
    config: BrokerConfig
    rng: random.Random

    def effect(self, effect: Effect) -> None: ...

    def allocate_producer_id(self, broker_id: int | None = None) -> int: ...

    def leader_for(self, topic: str, partition: int) -> int: ...

    def internal_partition(self, topic: str, partition: int) -> Partition: ...

    def existing_partitions(self, topic: str) -> list[Partition]: ...

    def append_internal(
        self, topic: str, partition: int, key: bytes, value: bytes | None
    ) -> int: ...

    def write_txn_marker(
        self,
        tp: TopicPartition,
        producer_id: int,
        producer_epoch: int,
        kind: ControlRecordType,
        coordinator_epoch: int,
    ) -> Errors: ...

    def run_internal(
        self, actor: str, api: str, args: dict[str, Any], work: Callable[[], Any]
    ) -> Any: ...

    def enqueue_step(
        self,
        description: str,
        actor: str,
        api: str,
        args: dict[str, Any],
        run: Callable[[], Any],
        key: StepKey | None = None,
    ) -> None: ...

    def take_steps(self, predicate: Callable[[StepKey], bool]) -> list[Any]: ...
