"""The same embedded cluster over the Kafka wire protocol on 127.0.0.1, so real clients
(confluent-kafka, kafka-python, aiokafka) connect to it: `serve(cluster)` / `eoslab serve`. The
other way round, reading a real Kafka cluster for the views, is `eoslab.real.snapshot`."""

from .handlers import API_VERSIONS
from .server import WireServer, serve

__all__ = ["API_VERSIONS", "WireServer", "serve"]
