"""Real-cluster mode, a client of real Kafka: a read-only snapshot of any Kafka cluster, shaped for eoslab's views.

`snapshot("host:9092")` speaks the Kafka protocol itself (one blocking socket per broker, requests
and responses through kio via `codec`, every socket operation and the whole snapshot bounded by
timeouts) and returns a `RealClusterSnapshot`: an object that quacks like the parts of
`eoslab.broker.Cluster` the views read, so `log_dump(snap, "t", 0)`, `partitions(snap)`,
`offset_timeline(snap)`, `aborted_index(...)`, `producers(...)`, `consumer_groups(snap)`,
`transactions(snap)` and `transaction_log(snap)` draw a real cluster as they draw the embedded one.

What a real cluster can tell, and where each piece comes from:

| snapshot attribute | source |
|---|---|
| topics, partitions, leaders, leader epochs | Metadata (all topics; internal ones only with `internal=True`) |
| `log_start_offset`, `high_watermark`, `last_stable_offset` | ListOffsets EARLIEST, LATEST with read_uncommitted, LATEST with read_committed |
| `batches` (data and control) | Fetch with read_uncommitted from the log start to the HW, record batches decoded by the server's own decoder (`codec.decode_batch`); control batches keep their COMMIT/ABORT key and coordinator epoch |
| `fetched_aborted_transactions` | Fetch with read_committed from the log start to the LSO: the broker's own aborted-transaction list, (producer id, first offset) |
| `txn_index` (aborted index) | rebuilt from the fetched log: each ABORT marker closes its producer's open transaction, as the leader's `.txnindex` is built (Kafka has no API that returns the index) |
| `producer_state` | DescribeProducers where the broker has it (`source == "DescribeProducers"`), else rebuilt from the log (`source == "log"`) |
| `first_unstable_offset()` | the first offset of the earliest open transaction in `producer_state` |
| `txn_coordinator.transactions` | ListTransactions on every broker, then DescribeTransactions at each id's coordinator |
| `txn_coordinator.coordinator_epoch_for(id)` | the leader epoch of the id's `__transaction_state` partition (Kafka's coordinator epoch) |
| `group_coordinator` | ListGroups on every broker, FindCoordinator, DescribeGroups, OffsetFetch (all topics) |
| `group_coordinator.pending_offsets(g)` | offsets committed inside a still-open transaction, read from `__consumer_offsets` (only with `internal=True`) |
| `__transaction_state`, `__consumer_offsets` logs | fetched like any topic with `internal=True`, so `transaction_log(snap)` works |

What it cannot tell (`snap.unavailable` lists what was missing on this cluster and why):
- history: `journal` is empty, so `journal_table` and `protocol_timeline` draw nothing and
  `at_step`/`replay` are not possible;
- clients: `clients` is empty; a consumer's position lives in its own process, so `consumers()`
  has no rows and the timeline draws no consumer arrows (committed offsets do show);
- the log end offset: a consumer cannot read past the HW, so `log_end_offset` is the HW;
- the coordinator's pending markers and pending states (`pending_markers` is empty);
- `txn_last_update_timestamp` unless `__transaction_state` was fetched (else -1);
- whatever the broker does not implement (e.g. DescribeProducers, ListTransactions) or does not
  allow (authorisation errors), each noted in `unavailable`.

Batches compressed with snappy, lz4 or zstd keep their headers (offsets, producer, flags) but
their records are placeholders with no key and value (gzip and uncompressed batches decode fully).
The snapshot is taken partition by partition, not atomically: a cluster that is being written
meanwhile may show an HW newer than the fetched log (noted per partition in `errors`).
"""

from .connection import SnapshotError
from .reader import snapshot
from .snapshot import RealClusterSnapshot

__all__ = ["RealClusterSnapshot", "SnapshotError", "snapshot"]
