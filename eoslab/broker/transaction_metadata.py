"""A transactional id's state on its coordinator: Kafka's `TransactionState` and `TransactionMetadata`.

Every change goes through `transition_to`, which refuses any move Kafka's transition table does not
allow, so a bug in the coordinator shows up as an error rather than as a quietly wrong lesson.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

from .records import NO_PRODUCER_EPOCH, NO_PRODUCER_ID
from .transaction_log import TransactionLogValue

SHORT_MAX = 32767


class TransactionState(IntEnum):
    """State ids as stored in TransactionLogValue.TransactionStatus."""

    Empty = 0
    Ongoing = 1
    PrepareCommit = 2
    PrepareAbort = 3
    CompleteCommit = 4
    CompleteAbort = 5
    Dead = 6
    PrepareEpochFence = 7

    @property
    def expiration_allowed(self) -> bool:
        return self in (
            TransactionState.Empty,
            TransactionState.CompleteCommit,
            TransactionState.CompleteAbort,
        )


S = TransactionState
# target state -> the states it may be entered from (TransactionState.validPreviousStates, TV1)
VALID_PREVIOUS_STATES: dict[TransactionState, frozenset[TransactionState]] = {
    S.Empty: frozenset({S.Empty, S.CompleteCommit, S.CompleteAbort}),
    S.Ongoing: frozenset({S.Ongoing, S.Empty, S.CompleteCommit, S.CompleteAbort}),
    S.PrepareCommit: frozenset({S.Ongoing}),
    S.PrepareAbort: frozenset({S.Ongoing, S.PrepareEpochFence}),
    S.CompleteCommit: frozenset({S.PrepareCommit}),
    S.CompleteAbort: frozenset({S.PrepareAbort}),
    S.Dead: frozenset({S.Empty, S.CompleteAbort, S.CompleteCommit}),
    S.PrepareEpochFence: frozenset({S.Ongoing}),
}


# KIP-890 (TV2): an abort may start from a finished or empty transaction (epoch bump only)
TV2_EXTRA_PREVIOUS_STATES: dict[TransactionState, frozenset[TransactionState]] = {
    S.PrepareAbort: frozenset({S.Empty, S.CompleteCommit, S.CompleteAbort}),
}


def is_epoch_exhausted(epoch: int) -> bool:
    """An epoch at Short.MAX_VALUE - 1 cannot be bumped again; the id gets a new producer id."""
    return epoch >= SHORT_MAX - 1


class IllegalStateTransition(RuntimeError):
    pass


@dataclass
class TransactionMetadata:
    transactional_id: str
    producer_id: int
    producer_epoch: int
    txn_timeout_ms: int
    state: TransactionState = TransactionState.Empty
    topic_partitions: set[tuple[str, int]] = field(default_factory=set)
    txn_start_timestamp: int = -1
    txn_last_update_timestamp: int = -1
    last_producer_epoch: int = NO_PRODUCER_EPOCH
    previous_producer_id: int = NO_PRODUCER_ID
    pending_state: TransactionState | None = None

    def transition_to(
        self, state: TransactionState, now_ms: int, tv2: bool = False, **changes: object
    ) -> None:
        valid = VALID_PREVIOUS_STATES[state]
        if tv2:
            valid = valid | TV2_EXTRA_PREVIOUS_STATES.get(state, frozenset())
        if self.state not in valid:
            raise IllegalStateTransition(
                f"TransactionalId {self.transactional_id} failed transition to state {state.name} "
                f"from {self.state.name}"
            )
        for name, value in changes.items():
            setattr(self, name, value)
        self.state = state
        self.txn_last_update_timestamp = now_ms

    def sorted_partitions(self) -> list[tuple[str, int]]:
        return sorted(self.topic_partitions)

    def to_log_value(self) -> TransactionLogValue:
        """What is written to `__transaction_state`: partitions null for Empty, [] when complete."""
        grouped: dict[str, list[int]] = {}
        for topic, partition in self.sorted_partitions():
            grouped.setdefault(topic, []).append(partition)
        partitions = (
            None
            if self.state == TransactionState.Empty
            else tuple((t, tuple(ps)) for t, ps in grouped.items())
        )
        return TransactionLogValue(
            self.producer_id,
            self.producer_epoch,
            self.txn_timeout_ms,
            int(self.state),
            partitions,
            self.txn_last_update_timestamp,
            self.txn_start_timestamp,
        )
