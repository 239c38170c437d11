"""What the views read of a cluster: the embedded `Cluster` and a real cluster's snapshot
(`eoslab.real.RealClusterSnapshot`) both satisfy `ClusterState`, so every view draws either.

The partitions the views read are the broker's `Partition` or the snapshot's stand-in; both carry
the log (`batches`), its offsets (log start, HW, LSO, LEO), `producer_state` and `txn_index`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

from ..broker.journal import Journal


@runtime_checkable
class ConsumerState(Protocol):
    """A consumer among the cluster's clients: where it reads, and how."""

    @property
    def client_id(self) -> str: ...

    @property
    def group_id(self) -> str: ...

    @property
    def isolation_level(self) -> str: ...

    @property
    def closed(self) -> bool: ...

    def fetch_state(self, topic: str, partition: int) -> Any: ...

    def assignment(self) -> list[Any]: ...


class TxnCoordinatorState(Protocol):
    transactions: Mapping[str, Any]  # transactional id -> TransactionMetadata

    def partition_for(self, transactional_id: str) -> int: ...

    def coordinator_epoch_for(self, transactional_id: str) -> int: ...


class GroupCoordinatorState(Protocol):
    def groups(self) -> list[str]: ...

    def group(self, group_id: str) -> Any: ...

    def committed(self, group_id: str, topic: str, partition: int) -> int | None: ...

    def pending_offsets(self, group_id: str) -> Mapping[tuple[str, int], tuple[int, int]]: ...


@runtime_checkable
class ClusterState(Protocol):
    """The state a view reads; nothing a view reads lies outside it."""

    name: str
    journal: Journal
    topics: Mapping[str, Any]  # name -> topic with `partitions` and `internal`
    txn_coordinator: TxnCoordinatorState
    group_coordinator: GroupCoordinatorState

    @property
    def now_ms(self) -> int: ...

    @property
    def broker_ids(self) -> list[int]: ...

    @property
    def clients(self) -> Sequence[Any]: ...

    @property
    def pending_steps(self) -> list[str]: ...

    def partition(self, topic: str, partition: int) -> Any: ...

    def list_topics(self, internal: bool = False) -> list[str]: ...

    def leader_for(self, topic: str, partition: int) -> int: ...

    def replay(self, until_event: int | None = None) -> Any: ...
