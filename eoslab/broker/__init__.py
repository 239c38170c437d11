"""The simulated Kafka cluster: pure Python, deterministic, no I/O, no wall clock, no threads."""

from .cluster import Cluster, cluster_for
from .errors import Errors
from .partition import READ_COMMITTED, READ_UNCOMMITTED
from .records import ControlRecordType, Record, RecordBatch
from .transaction_metadata import TransactionState

__all__ = [
    "READ_COMMITTED",
    "READ_UNCOMMITTED",
    "Cluster",
    "ControlRecordType",
    "Errors",
    "Record",
    "RecordBatch",
    "TransactionState",
    "cluster_for",
]
