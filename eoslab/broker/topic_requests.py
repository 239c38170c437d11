"""Topics: CreateTopics, DeleteTopics, Metadata (which may create a topic), and the coordinators'
internal topics, created on first use."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .effects import TopicCreated, TopicDeleted
from .errors import Errors
from .internal_topics import INTERNAL_TOPICS, TRANSACTION_STATE_TOPIC
from .partition import Partition
from .protocol import TopicResult
from .records import RecordBatch
from .requests import Call, request

# ReplicationControlManager.MAX_PARTITIONS_PER_BATCH: one CreateTopics request may create at most
# this many partitions (KAFKA-17870), so a typo of 2147483647 fails at once instead of filling memory
MAX_PARTITIONS_PER_BATCH = 10_000
_LEGAL_TOPIC = re.compile(r"^[a-zA-Z0-9._-]{1,249}$")


@dataclass
class Topic:
    name: str
    partitions: list[Partition]
    replication_factor: int
    internal: bool = False
    topic_id: int = 0


@dataclass(frozen=True)
class MetadataResponse:
    brokers: list[tuple[int, str, int]]
    controller_id: int
    topics: dict[str, tuple[Errors, list[int]]]


def _summarize_topics(results: dict[str, TopicResult]) -> str:
    return ", ".join(f"{name}: {r.error.name}" for name, r in results.items()) or "NONE"


def _metadata_topics(c: Call) -> dict[str, Any]:
    return {"topics": "all" if c.topics is None else list(c.topics)}


class TopicRequests:
    """The cluster's topic requests (a part of `Cluster`)."""

    topics: dict[str, Topic]
    config: Any
    broker_ids: list[int]
    _next_topic_id: int
    effect: Any
    now_ms: int

    def list_topics(self, internal: bool = False) -> list[str]:
        return sorted(n for n, t in self.topics.items() if internal or not t.internal)

    def _make_topic(
        self, name: str, partitions: int, replication_factor: int, internal: bool
    ) -> Topic:
        topic = Topic(
            name,
            [Partition(name, i) for i in range(partitions)],
            replication_factor,
            internal,
            self._next_topic_id,
        )
        self._next_topic_id += 1
        self.topics[name] = topic
        self.effect(TopicCreated(name, partitions, replication_factor))
        return topic

    def _validate_new_topic(
        self, name: str, num_partitions: int, replication_factor: int
    ) -> TopicResult:
        if not _LEGAL_TOPIC.match(name) or name in (".", ".."):
            return TopicResult(
                Errors.INVALID_TOPIC_EXCEPTION,
                f"Topic name {name!r} is illegal, it contains a character other than ASCII "
                "alphanumerics, '.', '_' and '-'"
                if name
                else "Topic name is illegal, it can't be empty",
            )
        if name in self.topics:
            return TopicResult(Errors.TOPIC_ALREADY_EXISTS, f"Topic '{name}' already exists.")
        if name in INTERNAL_TOPICS:
            return TopicResult(
                Errors.INVALID_REQUEST, f"Creation of internal topic {name} is prohibited."
            )
        if num_partitions < 1:
            return TopicResult(
                Errors.INVALID_PARTITIONS,
                "Number of partitions was set to an invalid non-positive value.",
            )
        if replication_factor < 1:
            return TopicResult(
                Errors.INVALID_REPLICATION_FACTOR,
                "Replication factor must be larger than 0, or -1 to use the default value.",
            )
        if replication_factor > len(self.broker_ids):
            return TopicResult(
                Errors.INVALID_REPLICATION_FACTOR,
                f"Unable to replicate the partition {replication_factor} time(s): The target "
                f"replication factor of {replication_factor} cannot be reached because only "
                f"{len(self.broker_ids)} broker(s) are registered.",
            )
        return TopicResult(Errors.NONE)

    @request(
        "CreateTopics",
        args=lambda c: {"topics": [n for n, _, _ in c.topics], "validate_only": c.validate_only},
        summary=_summarize_topics,
    )
    def create_topics(
        self,
        topics: Iterable[tuple[str, int, int]],
        validate_only: bool = False,
        client_id: str = "admin",
    ) -> dict[str, TopicResult]:
        """CreateTopics: (name, num_partitions, replication_factor); -1 takes the broker default."""
        requested = list(topics)
        results = {}
        total = sum(
            self.config["num.partitions"] if n == -1 else max(n, 0) for _, n, _ in requested
        )
        if total > MAX_PARTITIONS_PER_BATCH:  # KAFKA-17870: the whole request fails at once
            return {
                name: TopicResult(
                    Errors.POLICY_VIOLATION,
                    "Excessively large number of partitions per request.",
                )
                for name, _, _ in requested
            }
        for name, num_partitions, replication_factor in requested:
            n = self.config["num.partitions"] if num_partitions == -1 else num_partitions
            rf = (
                self.config["default.replication.factor"]
                if replication_factor == -1
                else replication_factor
            )
            result = self._validate_new_topic(name, n, rf)
            if result.error == Errors.NONE and not validate_only:
                self._make_topic(name, n, rf, internal=False)
            results[name] = result
        return results

    @request("DeleteTopics", args=lambda c: {"topics": list(c.names)}, summary=_summarize_topics)
    def delete_topics(
        self, names: Iterable[str], client_id: str = "admin"
    ) -> dict[str, TopicResult]:
        results = {}
        for name in list(names):
            topic = self.topics.get(name)
            if topic is None:
                results[name] = TopicResult(
                    Errors.UNKNOWN_TOPIC_OR_PARTITION, Errors.UNKNOWN_TOPIC_OR_PARTITION.message
                )
            elif topic.internal:
                results[name] = TopicResult(
                    Errors.INVALID_REQUEST, f"Cannot delete internal topic {name}."
                )
            else:
                del self.topics[name]
                self.effect(TopicDeleted(name))
                results[name] = TopicResult(Errors.NONE)
        return results

    @request(
        "Metadata",
        args=_metadata_topics,
        summary=lambda r: ", ".join(f"{t}: {e.name}" for t, (e, _) in r.topics.items()) or "NONE",
        journal_if=lambda r, c: c.topics is not None,  # a client's periodic refresh is not shown
    )
    def metadata(
        self,
        topics: Iterable[str] | None = None,
        allow_auto_topic_creation: bool = True,
        client_id: str = "admin",
    ) -> MetadataResponse:
        """Metadata; an unknown topic is created here when both client and broker allow it."""
        result: dict[str, tuple[Errors, list[int]]] = {}
        names = self.list_topics(internal=True) if topics is None else list(topics)
        for name in names:
            topic = self.topics.get(name)
            if (
                topic is None
                and allow_auto_topic_creation
                and self.config["auto.create.topics.enable"]
            ):
                n = self.config["num.partitions"]
                rf = self.config["default.replication.factor"]
                if self._validate_new_topic(name, n, rf).error == Errors.NONE:
                    topic = self._make_topic(name, n, rf, internal=False)
            if topic is None:
                error = (
                    Errors.UNKNOWN_TOPIC_OR_PARTITION
                    if _LEGAL_TOPIC.match(name)
                    else Errors.INVALID_TOPIC_EXCEPTION
                )
                result[name] = (error, [])
            else:
                result[name] = (Errors.NONE, list(range(len(topic.partitions))))
        brokers = [(b, f"broker{b}.eoslab", 9092) for b in self.broker_ids]
        return MetadataResponse(brokers, self.broker_ids[0], result)

    # -- the coordinators' internal topics ------------------------------------------------------
    def _internal_topic(self, name: str) -> Topic:
        topic = self.topics.get(name)
        if topic is None:
            prefix = "transaction.state.log" if name == TRANSACTION_STATE_TOPIC else "offsets.topic"
            # Kafka creates an internal topic with its configured RF (default 3) and answers
            # COORDINATOR_NOT_AVAILABLE while fewer brokers are alive; eoslab's brokers are all
            # alive from the start, so a smaller cluster gets every broker (what a one-broker
            # set-up configures: RF 1) rather than no coordinator.
            rf = min(self.config[f"{prefix}.replication.factor"], len(self.broker_ids))
            topic = self._make_topic(
                name, self.config[f"{prefix}.num.partitions"], rf, internal=True
            )
        return topic

    def existing_partitions(self, topic: str) -> list[Partition]:
        """A topic's partitions, none if it does not exist (a coordinator's log before first use)."""
        t = self.topics.get(topic)
        return list(t.partitions) if t is not None else []

    def internal_partition(self, topic: str, partition: int) -> Partition:
        return self._internal_topic(topic).partitions[partition]

    def append_internal(self, topic: str, partition: int, key: bytes, value: bytes | None) -> int:
        """A coordinator's write to its own internal partition; returns the record's offset."""
        p = self._internal_topic(topic).partitions[partition]
        batch = RecordBatch(columns=((self.now_ms,), (key,), (value,), None))
        result = p.append_as_leader(batch, self.now_ms)
        return result.base_offset
