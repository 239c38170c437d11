"""How a client finds its cluster and describes it: `bootstrap.servers` names an in-process
cluster, and Metadata answers `list_topics()` for every client type."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..broker import Cluster, cluster_for
from .config import ClientConfig
from .errors import KafkaError, KafkaException


def connect(cfg: ClientConfig) -> Cluster:
    servers = cfg["metadata.broker.list"]
    cluster = cluster_for(servers) if servers else None
    if cluster is None:
        raise KafkaException(
            KafkaError(
                KafkaError._INVALID_ARG,
                f'bootstrap.servers "{servers}" does not name an eoslab cluster: '
                "use cluster.bootstrap_servers",
            )
        )
    return cluster


@dataclass
class PartitionMetadata:
    id: int
    leader: int
    replicas: list[int]
    isrs: list[int]
    error: KafkaError | None = None


@dataclass
class TopicMetadata:
    topic: str
    partitions: dict[int, PartitionMetadata] = field(default_factory=dict)
    error: KafkaError | None = None


@dataclass
class BrokerMetadata:
    id: int
    host: str
    port: int


@dataclass
class ClusterMetadata:
    cluster_id: str
    controller_id: int
    brokers: dict[int, BrokerMetadata]
    topics: dict[str, TopicMetadata]
    orig_broker_id: int = -1
    orig_broker_name: str = ""


def cluster_metadata(cluster: Cluster, topic: str | None, client_id: str) -> ClusterMetadata:
    """Metadata for `list_topics()` of every client type."""
    response = cluster.metadata(
        None if topic is None else [topic], allow_auto_topic_creation=False, client_id=client_id
    )
    topics = {}
    for name, (error, partitions) in response.topics.items():
        t = cluster.topics.get(name)
        rf = t.replication_factor if t else 0
        tm = TopicMetadata(name, error=KafkaError(int(error)) if error else None)
        for p in partitions:
            leader = cluster.leader_for(name, p)
            ids = cluster.broker_ids
            replicas = [ids[(ids.index(leader) + i) % len(ids)] for i in range(rf)]
            tm.partitions[p] = PartitionMetadata(p, leader, replicas, list(replicas))
        topics[name] = tm
    brokers = {b: BrokerMetadata(b, host, port) for b, host, port in response.brokers}
    first = response.brokers[0]
    return ClusterMetadata(
        cluster.name,
        response.controller_id,
        brokers,
        topics,
        first[0],
        f"{first[1]}:{first[2]}/{first[0]}",
    )
