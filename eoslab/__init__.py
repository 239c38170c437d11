"""eoslab: a lab for Kafka's exactly-once semantics on an embedded, simulated cluster."""

from .broker import Cluster

__all__ = ["Cluster"]
__version__ = "0.1.0"
