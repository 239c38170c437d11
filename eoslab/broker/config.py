"""Broker settings, under Kafka's property names and with Kafka's defaults (reference §10).

Only settings the simulation acts on are accepted; a misspelt name is an error rather than a
silently ignored knob.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

DEFAULTS: dict[str, Any] = {
    "transaction.max.timeout.ms": 900_000,
    "transactional.id.expiration.ms": 604_800_000,
    "transaction.abort.timed.out.transaction.cleanup.interval.ms": 10_000,
    "transaction.remove.expired.transaction.cleanup.interval.ms": 3_600_000,
    "transaction.state.log.num.partitions": 50,
    "transaction.state.log.replication.factor": 3,
    "transaction.partition.verification.enable": True,
    "transaction.version": 1,  # the finalized feature level; 2 enables KIP-890 part 2
    "producer.id.expiration.ms": 86_400_000,
    "producer.id.expiration.check.interval.ms": 600_000,
    "offsets.topic.num.partitions": 50,
    "offsets.topic.replication.factor": 3,
    "auto.create.topics.enable": True,
    "num.partitions": 1,
    "default.replication.factor": 1,
    "message.max.bytes": 1_048_588,  # the largest record batch a partition accepts
    "group.min.session.timeout.ms": 6_000,
    "group.max.session.timeout.ms": 1_800_000,
}


class BrokerConfig(Mapping[str, Any]):
    def __init__(self, overrides: Mapping[str, Any] | None = None) -> None:
        values = dict(DEFAULTS)
        for name, value in (overrides or {}).items():
            if name not in DEFAULTS:
                raise ValueError(f"Unknown broker configuration {name!r}")
            expected = type(DEFAULTS[name])
            if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
                raise ValueError(
                    f"Invalid value {value!r} for configuration {name}: "
                    f"expected {expected.__name__}"
                )
            if expected is int and value <= 0:
                raise ValueError(f"Invalid value {value} for configuration {name}: must be > 0")
            if name == "transaction.version" and value not in (1, 2):
                raise ValueError("transaction.version must be 1 (classic) or 2 (KIP-890)")
            values[name] = value
        self._values = values

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)
