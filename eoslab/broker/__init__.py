"""The simulated Kafka cluster: pure Python, deterministic, no I/O, no wall clock, no threads.

Names are imported on first use (`eoslab._lazy`).
"""

from .._lazy import lazy_exports

__all__ = lazy_exports(
    __name__,
    {
        ".cluster": ["Cluster", "cluster_for"],
        ".errors": ["Errors"],
        ".partition": ["READ_COMMITTED", "READ_UNCOMMITTED"],
        ".records": ["ControlRecordType", "Record", "RecordBatch"],
        ".transaction_metadata": ["TransactionState"],
    },
)
