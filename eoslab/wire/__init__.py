"""The same embedded cluster over the Kafka wire protocol on 127.0.0.1, so real clients
(confluent-kafka, kafka-python, aiokafka) connect to it: `serve(cluster)` / `eoslab serve`; and the
other way round, `snapshot(bootstrap_servers)` reads a real Kafka cluster for the views."""

from .handlers import API_VERSIONS
from .real_cluster import RealClusterSnapshot, SnapshotError, snapshot
from .server import WireServer, serve

__all__ = [
    "API_VERSIONS",
    "RealClusterSnapshot",
    "SnapshotError",
    "WireServer",
    "serve",
    "snapshot",
]
