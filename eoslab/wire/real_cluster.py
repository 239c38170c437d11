"""Real-cluster mode: a read-only snapshot of any Kafka cluster, shaped for eoslab's views.

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

from __future__ import annotations

import bisect
import contextlib
import socket
import struct
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from eoslab.broker.hashing import partition_for
from eoslab.broker.journal import Journal
from eoslab.broker.producer_state import ProducerStateManager
from eoslab.broker.records import (
    ControlRecordType,
    Record,
    RecordBatch,
    parse_control_key,
    parse_end_txn_marker_value,
)
from eoslab.broker.transaction_index import AbortedTxn, TransactionIndex
from eoslab.broker.transaction_metadata import TransactionState

from . import codec

CLIENT_ID = "eoslab-snapshot"
DEFAULT_TIMEOUT_S = 30.0  # the whole snapshot
REQUEST_TIMEOUT_S = 10.0  # one request and its response
MAX_RESPONSE_BYTES = 256 * 1024 * 1024
PARTITION_FETCH_BYTES = 1024 * 1024
FETCH_MAX_BYTES = 16 * 1024 * 1024
FETCH_MAX_WAIT_MS = 100
DEFAULT_MAX_RECORDS = 1_000_000  # per partition; a longer log is fetched only from its tail
TRANSACTION_STATE = "__transaction_state"
CONSUMER_OFFSETS = "__consumer_offsets"
INTERNAL = (TRANSACTION_STATE, CONSUMER_OFFSETS)
DEFAULT_TXN_STATE_PARTITIONS = 50  # transaction.state.log.num.partitions
READ_UNCOMMITTED, READ_COMMITTED = 0, 1
_ISOLATION = {READ_UNCOMMITTED: "read_uncommitted", READ_COMMITTED: "read_committed"}
EARLIEST, LATEST = -2, -1

# api key -> (lowest, highest) version this client speaks; the broker's ApiVersions answer
# narrows it, and the highest common version is used. The caps keep topics addressed by name
# (Fetch 13+ uses topic ids; FindCoordinator 4+ batches keys).
API_METADATA, API_LIST_OFFSETS, API_FETCH, API_API_VERSIONS = 3, 2, 1, 18
API_FIND_COORDINATOR, API_OFFSET_FETCH, API_DESCRIBE_GROUPS, API_LIST_GROUPS = 10, 9, 15, 16
API_DESCRIBE_PRODUCERS, API_DESCRIBE_TRANSACTIONS, API_LIST_TRANSACTIONS = 61, 65, 66
CLIENT_VERSIONS: dict[int, tuple[int, int]] = {
    API_API_VERSIONS: (0, 0),
    API_METADATA: (1, 12),
    API_LIST_OFFSETS: (2, 7),
    API_FETCH: (4, 12),
    API_FIND_COORDINATOR: (1, 3),
    API_OFFSET_FETCH: (2, 9),
    API_DESCRIBE_GROUPS: (0, 5),
    API_LIST_GROUPS: (0, 4),
    API_DESCRIBE_PRODUCERS: (0, 0),
    API_DESCRIBE_TRANSACTIONS: (0, 0),
    API_LIST_TRANSACTIONS: (0, 1),
}
API_NAMES = {
    API_API_VERSIONS: "ApiVersions",
    API_METADATA: "Metadata",
    API_LIST_OFFSETS: "ListOffsets",
    API_FETCH: "Fetch",
    API_FIND_COORDINATOR: "FindCoordinator",
    API_OFFSET_FETCH: "OffsetFetch",
    API_DESCRIBE_GROUPS: "DescribeGroups",
    API_LIST_GROUPS: "ListGroups",
    API_DESCRIBE_PRODUCERS: "DescribeProducers",
    API_DESCRIBE_TRANSACTIONS: "DescribeTransactions",
    API_LIST_TRANSACTIONS: "ListTransactions",
}


class SnapshotError(Exception):
    """The cluster could not be read at all (no broker reachable, Metadata failed, timeout)."""


class UnsupportedApi(SnapshotError):
    """The broker advertises no version of an API that this client speaks."""


# -- one broker connection -----------------------------------------------------------------------------
class BrokerConnection:
    """A blocking Kafka connection: ApiVersions on connect, then one request at a time."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        deadline: float,
        request_timeout_s: float = REQUEST_TIMEOUT_S,
        client_id: str = CLIENT_ID,
    ) -> None:
        self.host, self.port = host, port
        self.deadline = deadline
        self.request_timeout_s = request_timeout_s
        self.client_id = client_id
        self._correlation = 0
        self.sock = socket.create_connection((host, port), timeout=self._timeout())
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            r = self.request(API_API_VERSIONS, {}, version=0)
            if int(r.error_code) != 0:
                raise SnapshotError(f"ApiVersions at {host}:{port}: error {int(r.error_code)}")
            self.broker_versions = {
                int(k.api_key): (int(k.min_version), int(k.max_version)) for k in r.api_keys
            }
        except BaseException:
            self.close()
            raise

    def _timeout(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise SnapshotError("the snapshot's timeout ran out")
        return min(self.request_timeout_s, left)

    def version(self, api_key: int) -> int | None:
        """The highest version both sides speak, or None."""
        mine = CLIENT_VERSIONS[api_key]
        theirs = self.broker_versions.get(api_key)
        if theirs is None:
            return None
        lo, hi = max(mine[0], theirs[0]), min(mine[1], theirs[1])
        return hi if lo <= hi else None

    def request(self, api_key: int, body: dict, version: int | None = None) -> Any:
        if version is None:
            version = self.version(api_key)
            if version is None:
                raise UnsupportedApi(
                    f"{API_NAMES[api_key]}: the broker at {self.host}:{self.port} advertises "
                    f"{self.broker_versions.get(api_key, 'no versions')}, this client speaks "
                    f"{CLIENT_VERSIONS[api_key]}"
                )
        self._correlation += 1
        frame = codec.encode_request(api_key, version, self._correlation, self.client_id, body)
        self.sock.settimeout(self._timeout())
        try:
            self.sock.sendall(frame)
            size = struct.unpack(">i", self._read(4))[0]
            if not 4 <= size <= MAX_RESPONSE_BYTES:
                raise SnapshotError(f"{API_NAMES[api_key]}: response size {size}")
            data = self._read(size)
        except TimeoutError as e:
            raise SnapshotError(
                f"{API_NAMES[api_key]} v{version} to {self.host}:{self.port}: no answer in time"
            ) from e
        except OSError as e:
            raise SnapshotError(
                f"{API_NAMES[api_key]} v{version} to {self.host}:{self.port}: {e}"
            ) from e
        correlation, response = codec.decode_response(data, api_key, version)
        if correlation != self._correlation:
            raise SnapshotError(
                f"{API_NAMES[api_key]}: correlation id {correlation}, expected {self._correlation}"
            )
        return response

    def _read(self, n: int) -> bytes:
        chunks = []
        while n:
            self.sock.settimeout(self._timeout())
            chunk = self.sock.recv(min(n, 1 << 20))
            if not chunk:
                raise SnapshotError(f"{self.host}:{self.port} closed the connection")
            chunks.append(chunk)
            n -= len(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()


# -- what the views read ------------------------------------------------------------------------------
@dataclass
class SnapshotProducerEntry:
    """One producer id on one partition, as DescribeProducers reports it (or the log implies)."""

    producer_id: int
    producer_epoch: int
    coordinator_epoch: int
    last_seq: int
    last_timestamp: int
    current_txn_first_offset: int | None


@dataclass
class SnapshotProducerState:
    """The parts of `ProducerStateManager` the views read; `source` says where it came from."""

    producers: dict[int, SnapshotProducerEntry] = field(default_factory=dict)
    source: str = "log"

    @property
    def ongoing_txns(self) -> dict[int, int]:
        """first offset -> producer id, for every transaction open on the partition."""
        return {
            e.current_txn_first_offset: pid
            for pid, e in self.producers.items()
            if e.current_txn_first_offset is not None
        }

    def entry(self, producer_id: int) -> SnapshotProducerEntry | None:
        return self.producers.get(producer_id)

    def has_ongoing_transaction(self, producer_id: int) -> bool:
        e = self.producers.get(producer_id)
        return e is not None and e.current_txn_first_offset is not None

    def first_unstable_offset(self) -> int | None:
        return min(self.ongoing_txns, default=None)


class SnapshotPartition:
    """One partition as the snapshot read it; attribute names are `broker.partition.Partition`'s."""

    high_watermark_held = False

    def __init__(self, topic: str, index: int, leader: int, leader_epoch: int) -> None:
        self.topic = topic
        self.index = index
        self.leader = leader
        self.leader_epoch = leader_epoch
        self.batches: list[RecordBatch] = []
        self.log_start_offset = 0
        self.high_watermark = 0
        self.last_stable_offset = 0
        self.fetched_from = 0  # the first offset fetched (log start, or later when capped)
        # what the Fetch responses said: the HW and LSO of the first read_uncommitted fetch,
        # the aborted transactions a read_committed consumer was sent, and where its reads ended
        self.fetch_high_watermark: int | None = None
        self.fetch_last_stable_offset: int | None = None
        self.fetched_aborted_transactions: list[tuple[int, int]] | None = None
        self.read_committed_end: int | None = None
        self.producer_state = SnapshotProducerState()
        self.log_producer_state = SnapshotProducerState()  # always the log's own account
        self.txn_index = TransactionIndex()
        self.open_transactional_batches: dict[int, list[int]] = {}  # pid -> batch indexes
        self.notes: list[str] = []
        self._base_offsets: list[int] = []

    @property
    def name(self) -> str:
        return f"{self.topic}-{self.index}"

    @property
    def log_end_offset(self) -> int:
        """A consumer cannot read past the HW: the snapshot's log ends there."""
        return max(self.high_watermark, self.batches[-1].next_offset if self.batches else 0)

    def first_unstable_offset(self) -> int | None:
        return self.producer_state.first_unstable_offset()

    def batch_index_for(self, offset: int) -> int:
        """Index of the batch holding `offset` (or the first batch after it)."""
        i = bisect.bisect_right(self._base_offsets, offset) - 1
        if i < 0:
            return 0
        return i + 1 if self.batches[i].last_offset < offset else i

    def __repr__(self) -> str:
        return (
            f"SnapshotPartition({self.name}, start={self.log_start_offset}, "
            f"HW={self.high_watermark}, LSO={self.last_stable_offset}, {len(self.batches)} batches)"
        )


@dataclass
class SnapshotTopic:
    name: str
    partitions: list[SnapshotPartition]
    replication_factor: int
    internal: bool = False
    topic_id: Any = None


@dataclass
class SnapshotTransaction:
    """DescribeTransactions' answer, with `TransactionMetadata`'s attribute names."""

    transactional_id: str
    producer_id: int
    producer_epoch: int
    txn_timeout_ms: int
    state: Any  # TransactionState (or an object with `.name` for a state eoslab does not know)
    topic_partitions: set[tuple[str, int]] = field(default_factory=set)
    txn_start_timestamp: int = -1
    txn_last_update_timestamp: int = -1
    pending_state: Any = None

    def sorted_partitions(self) -> list[tuple[str, int]]:
        return sorted(self.topic_partitions)


@dataclass(frozen=True)
class _NamedState:
    name: str


class SnapshotTxnCoordinator:
    def __init__(self, snapshot: RealClusterSnapshot) -> None:
        self._snapshot = snapshot
        self.transactions: dict[str, SnapshotTransaction] = {}
        self.pending_markers: dict[str, set[tuple[str, int]]] = {}  # not visible over the wire

    @property
    def num_partitions(self) -> int:
        n = len(self._snapshot.metadata_partitions.get(TRANSACTION_STATE, {}))
        return n or DEFAULT_TXN_STATE_PARTITIONS

    def partition_for(self, transactional_id: str) -> int:
        return partition_for(transactional_id, self.num_partitions)

    def coordinator_epoch_for(self, transactional_id: str) -> int:
        """Kafka's coordinator epoch is the leader epoch of the id's `__transaction_state`
        partition; -1 when that topic does not exist (or the broker does not say)."""
        parts = self._snapshot.metadata_partitions.get(TRANSACTION_STATE, {})
        found = parts.get(self.partition_for(transactional_id))
        return -1 if found is None else found[1]


@dataclass
class SnapshotMember:
    member_id: str
    group_instance_id: str | None
    client_id: str
    client_host: str
    assignment: list[tuple[str, int]]


@dataclass
class SnapshotGroup:
    group_id: str
    state: str  # "Stable", "Empty", ... (DescribeGroups' text)
    protocol_type: str
    protocol_name: str
    members: dict[str, SnapshotMember] = field(default_factory=dict)


class SnapshotGroupCoordinator:
    def __init__(self) -> None:
        self.classic_groups: dict[str, SnapshotGroup] = {}
        self.offsets: dict[str, dict[tuple[str, int], int]] = {}
        self.pending: dict[str, dict[tuple[str, int], tuple[int, int]]] = {}

    def groups(self) -> list[str]:
        return sorted(set(self.classic_groups) | set(self.offsets))

    def group(self, group_id: str) -> SnapshotGroup | None:
        return self.classic_groups.get(group_id)

    describe_group = group

    def committed(self, group_id: str, topic: str, partition: int) -> int | None:
        return self.offsets.get(group_id, {}).get((topic, partition))

    def pending_offsets(self, group_id: str) -> dict[tuple[str, int], tuple[int, int]]:
        return dict(self.pending.get(group_id, {}))


class RealClusterSnapshot:
    """A real cluster, read once: the parts of `eoslab.broker.Cluster` that views read."""

    def __init__(self, bootstrap_servers: str, now_ms: int) -> None:
        self.bootstrap_servers = bootstrap_servers
        self.name = bootstrap_servers
        self.now_ms = now_ms
        self.cluster_id: str | None = None
        self.controller_id = -1
        self.brokers: dict[int, tuple[str, int]] = {}
        self.topics: dict[str, SnapshotTopic] = {}
        # every topic the cluster has, read or not: name -> {partition: (leader, leader epoch)}
        self.metadata_partitions: dict[str, dict[int, tuple[int, int]]] = {}
        self.internal_topics: set[str] = set()
        self.replication_factors: dict[str, int] = {}
        self.journal = Journal()  # no history on a real cluster
        self.txn_coordinator = SnapshotTxnCoordinator(self)
        self.group_coordinator = SnapshotGroupCoordinator()
        self.unavailable: dict[str, str] = {}
        self.api_versions: dict[int, dict[int, tuple[int, int]]] = {}  # node -> advertised
        self.pending_steps: list[str] = []
        self.pacing = "real cluster"

    # -- Cluster's read API ---------------------------------------------------------------------
    @property
    def broker_ids(self) -> list[int]:
        return sorted(self.brokers)

    @property
    def clients(self) -> list[Any]:
        return []

    def list_topics(self, internal: bool = False) -> list[str]:
        return sorted(n for n, t in self.topics.items() if internal or not t.internal)

    def partition(self, topic: str, partition: int) -> SnapshotPartition:
        found = self._find_partition(topic, partition)
        if found is None:
            raise KeyError(f"no partition {topic}-{partition} in this snapshot")
        return found

    def _find_partition(self, topic: str, partition: int) -> SnapshotPartition | None:
        t = self.topics.get(topic)
        if t is None or not 0 <= partition < len(t.partitions):
            return None
        return t.partitions[partition]

    def leader_for(self, topic: str, partition: int) -> int:
        found = self.metadata_partitions.get(topic, {}).get(partition)
        return -1 if found is None else found[0]

    def replay(self, until_event: int | None = None) -> Any:
        raise NotImplementedError("a real cluster has no journal to replay (at_step needs one)")

    def __repr__(self) -> str:
        return (
            f"RealClusterSnapshot({self.bootstrap_servers}, cluster_id={self.cluster_id!r}, "
            f"{len(self.brokers)} brokers, topics={self.list_topics(internal=True)})"
        )


# -- taking a snapshot --------------------------------------------------------------------------------
def snapshot(
    bootstrap_servers: str,
    topics: Iterable[str] | None = None,
    *,
    internal: bool = False,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    request_timeout_s: float = REQUEST_TIMEOUT_S,
    max_records: int = DEFAULT_MAX_RECORDS,
    now_ms: int | None = None,
    client_id: str = CLIENT_ID,
) -> RealClusterSnapshot:
    """Read a Kafka cluster once, read-only: `topics` (default: every non-internal topic), plus
    `__transaction_state` and `__consumer_offsets` with `internal=True`.

    Every request is bounded by `request_timeout_s` and the whole snapshot by `timeout_s`
    (SnapshotError past it). A partition longer than `max_records` is fetched from its last
    `max_records` offsets only. `now_ms` is the observer's clock for durations (default: the
    wall clock).
    """
    deadline = time.monotonic() + timeout_s
    snap = RealClusterSnapshot(
        bootstrap_servers, int(time.time() * 1000) if now_ms is None else now_ms
    )
    reader = _Reader(snap, deadline, request_timeout_s, client_id)
    try:
        reader.metadata(bootstrap_servers)
        names = reader.select_topics(topics, internal)
        reader.offsets_and_logs(names, max_records)
        reader.producer_states()
        reader.transactions()
        reader.groups()
        reader.from_internal_topics(internal)
    finally:
        reader.close()
    return snap


def _hosts(bootstrap_servers: str) -> list[tuple[str, int]]:
    out = []
    for item in bootstrap_servers.split(","):
        item = item.strip()
        for prefix in ("PLAINTEXT://", "plaintext://", "tcp://"):
            item = item.removeprefix(prefix)
        if not item:
            continue
        host, _, port = item.rpartition(":")
        out.append((host.strip("[]") or "127.0.0.1", int(port)))
    if not out:
        raise SnapshotError(f"no host:port in bootstrap servers {bootstrap_servers!r}")
    return out


class _Reader:
    """The requests of one snapshot, connection pool included."""

    def __init__(
        self, snap: RealClusterSnapshot, deadline: float, request_timeout_s: float, client_id: str
    ) -> None:
        self.snap = snap
        self.deadline = deadline
        self.request_timeout_s = request_timeout_s
        self.client_id = client_id
        self.connections: dict[int, BrokerConnection] = {}
        self.bootstrap: BrokerConnection | None = None

    def close(self) -> None:
        for c in {id(c): c for c in [*self.connections.values(), self.bootstrap] if c}.values():
            c.close()

    def _connect(self, host: str, port: int) -> BrokerConnection:
        return BrokerConnection(
            host,
            port,
            deadline=self.deadline,
            request_timeout_s=self.request_timeout_s,
            client_id=self.client_id,
        )

    def node(self, node_id: int) -> BrokerConnection:
        c = self.connections.get(node_id)
        if c is None:
            if node_id not in self.snap.brokers:
                raise SnapshotError(f"node {node_id} is not in the cluster's metadata")
            c = self._connect(*self.snap.brokers[node_id])
            self.connections[node_id] = c
            self.snap.api_versions[node_id] = c.broker_versions
        return c

    def unavailable(self, what: str, reason: object) -> None:
        self.snap.unavailable.setdefault(what, str(reason))

    # -- metadata -------------------------------------------------------------------------------
    def metadata(self, bootstrap_servers: str) -> None:
        errors = []
        for host, port in _hosts(bootstrap_servers):
            try:
                self.bootstrap = self._connect(host, port)
                break
            except (OSError, SnapshotError, codec.FrameError) as e:
                errors.append(f"{host}:{port}: {e}")
        if self.bootstrap is None:
            raise SnapshotError(f"no bootstrap server answered: {'; '.join(errors)}")
        r = self.bootstrap.request(
            API_METADATA, {"topics": None, "allow_auto_topic_creation": False}
        )
        snap = self.snap
        snap.cluster_id = getattr(r, "cluster_id", None)
        snap.controller_id = int(getattr(r, "controller_id", -1))
        snap.brokers = {int(b.node_id): (b.host, int(b.port)) for b in r.brokers}
        for t in r.topics:
            if int(t.error_code) != 0:
                self.unavailable(f"topic {t.name}", f"Metadata error {int(t.error_code)}")
                continue
            parts = {
                int(p.partition_index): (int(p.leader_id), int(getattr(p, "leader_epoch", -1)))
                for p in t.partitions
            }
            snap.metadata_partitions[t.name] = parts
            snap.replication_factors[t.name] = max(
                (len(p.replica_nodes) for p in t.partitions), default=1
            )
            if getattr(t, "is_internal", False) or t.name in INTERNAL:
                snap.internal_topics.add(t.name)
        # the bootstrap connection serves its own node too
        for node, (host, port) in snap.brokers.items():
            if (host, port) == (self.bootstrap.host, self.bootstrap.port):
                self.connections[node] = self.bootstrap
                snap.api_versions[node] = self.bootstrap.broker_versions

    def select_topics(self, topics: Iterable[str] | None, internal: bool) -> list[str]:
        known = self.snap.metadata_partitions
        if topics is None:
            names = [n for n in known if n not in self.snap.internal_topics]
        else:
            names = list(topics)
            missing = [n for n in names if n not in known]
            if missing:
                raise SnapshotError(f"topics not in the cluster's metadata: {missing}")
        if internal:
            names += [n for n in INTERNAL if n in known and n not in names]
        return sorted(set(names))

    # -- offsets and logs -----------------------------------------------------------------------
    def offsets_and_logs(self, names: list[str], max_records: int) -> None:
        snap = self.snap
        by_leader: dict[int, list[SnapshotPartition]] = {}
        for name in names:
            parts = snap.metadata_partitions[name]
            rows = []
            for index in range(max(parts, default=-1) + 1):
                leader, epoch = parts.get(index, (-1, -1))
                rows.append(SnapshotPartition(name, index, leader, epoch))
            snap.topics[name] = SnapshotTopic(
                name,
                rows,
                snap.replication_factors.get(name, 1),
                internal=name in snap.internal_topics,
            )
            for p in rows:
                if p.leader < 0:
                    p.notes.append("no leader")
                    continue
                by_leader.setdefault(p.leader, []).append(p)
        for leader, parts in sorted(by_leader.items()):
            conn = self.node(leader)
            self._list_offsets(conn, parts)
            for p in parts:
                p.fetched_from = max(p.log_start_offset, p.high_watermark - max_records)
            self._fetch_all(conn, parts, READ_UNCOMMITTED)
            self._fetch_all(conn, parts, READ_COMMITTED)
            for p in parts:
                _rebuild_from_log(p)
                _note_disagreements(p)

    def _list_offsets(self, conn: BrokerConnection, parts: list[SnapshotPartition]) -> None:
        for timestamp, isolation, attribute in (
            (EARLIEST, READ_UNCOMMITTED, "log_start_offset"),
            (LATEST, READ_UNCOMMITTED, "high_watermark"),
            (LATEST, READ_COMMITTED, "last_stable_offset"),
        ):
            r = conn.request(
                API_LIST_OFFSETS,
                {
                    "replica_id": -1,
                    "isolation_level": isolation,
                    "topics": _by_topic(
                        parts,
                        lambda p, ts=timestamp: {
                            "partition_index": p.index,
                            "current_leader_epoch": -1,
                            "timestamp": ts,
                        },
                    ),
                },
            )
            found = {(t.name, int(x.partition_index)): x for t in r.topics for x in t.partitions}
            for p in parts:
                x = found.get((p.topic, p.index))
                if x is None or int(x.error_code) != 0:
                    code = "missing" if x is None else int(x.error_code)
                    p.notes.append(f"ListOffsets {attribute}: error {code}")
                    continue
                setattr(p, attribute, int(x.offset))

    def _fetch_all(
        self, conn: BrokerConnection, parts: list[SnapshotPartition], isolation: int
    ) -> None:
        """read_uncommitted: every batch from `fetched_from` to the HW into `p.batches`, and the
        HW and LSO the first Fetch response reports; read_committed: every batch the broker
        returns from `fetched_from` (it stops at its LSO), keeping only the broker's
        aborted-transaction lists. Each partition is fetched at least once."""
        position = {id(p): p.fetched_from for p in parts}
        aborted: dict[int, dict[tuple[int, int], None]] = {id(p): {} for p in parts}
        fetched: dict[int, list[RecordBatch]] = {id(p): [] for p in parts}
        first = {id(p): True for p in parts}
        active = list(parts)
        while active:
            r = conn.request(
                API_FETCH,
                {
                    "replica_id": -1,
                    # min_bytes 0 answers at once; Tansu answers a max_wait of 0 with no
                    # partitions at all, so the wait is short but not 0
                    "max_wait": FETCH_MAX_WAIT_MS,
                    "min_bytes": 0,
                    "max_bytes": FETCH_MAX_BYTES,
                    "isolation_level": isolation,
                    "session_id": 0,
                    "session_epoch": -1,
                    "topics": [
                        {"topic": t["name"], "partitions": t["partitions"]}
                        for t in _by_topic(
                            active,
                            lambda p: {
                                "partition": p.index,
                                "current_leader_epoch": -1,
                                "fetch_offset": position[id(p)],
                                "log_start_offset": -1,
                                "partition_max_bytes": PARTITION_FETCH_BYTES,
                            },
                        )
                    ],
                    "forgotten_topics_data": [],
                    "rack_id": "",
                },
            )
            found = {
                (t.topic, int(x.partition_index)): x for t in r.responses for x in t.partitions
            }
            still = []
            for p in active:
                x = found.get((p.topic, p.index))
                if x is None or int(x.error_code) != 0:
                    code = "no answer" if x is None else f"error {int(x.error_code)}"
                    p.notes.append(f"Fetch ({_ISOLATION[isolation]}) at {position[id(p)]}: {code}")
                    continue
                if isolation == READ_UNCOMMITTED and first[id(p)]:
                    p.fetch_high_watermark = int(x.high_watermark)
                    p.fetch_last_stable_offset = int(x.last_stable_offset)
                first[id(p)] = False
                for a in x.aborted_transactions or ():
                    aborted[id(p)][(int(a.producer_id), int(a.first_offset))] = None
                progressed = False
                for batch in _decode_fetched(x.records or b"", p):
                    if batch.last_offset < position[id(p)]:
                        continue  # a batch that starts before the fetch offset, seen already
                    fetched[id(p)].append(batch)
                    position[id(p)] = batch.base_offset + _offset_span(batch)
                    progressed = True
                end = max(p.high_watermark, p.fetch_high_watermark or 0)
                if progressed and position[id(p)] < end:
                    still.append(p)
            active = still
        for p in parts:
            if isolation == READ_UNCOMMITTED:
                p.batches = fetched[id(p)]
                p._base_offsets = [b.base_offset for b in p.batches]
            else:
                p.fetched_aborted_transactions = list(aborted[id(p)])
                p.read_committed_end = position[id(p)]

    # -- producer state -------------------------------------------------------------------------
    def producer_states(self) -> None:
        by_leader: dict[int, list[SnapshotPartition]] = {}
        for t in self.snap.topics.values():
            for p in t.partitions:
                if p.leader >= 0:
                    by_leader.setdefault(p.leader, []).append(p)
        for leader, parts in sorted(by_leader.items()):
            conn = self.node(leader)
            if conn.version(API_DESCRIBE_PRODUCERS) is None:
                self.unavailable(
                    "DescribeProducers",
                    f"not advertised by node {leader}: producer state rebuilt from the log",
                )
                continue
            try:
                r = conn.request(
                    API_DESCRIBE_PRODUCERS,
                    {
                        "topics": [
                            {"name": t["name"], "partition_indexes": t["partitions"]}
                            for t in _by_topic(parts, lambda p: p.index)
                        ]
                    },
                )
            except (SnapshotError, codec.FrameError) as e:
                self.unavailable("DescribeProducers", e)
                continue
            found = {(t.name, int(x.partition_index)): x for t in r.topics for x in t.partitions}
            for p in parts:
                x = found.get((p.topic, p.index))
                if x is None or int(x.error_code) != 0:
                    code = "missing" if x is None else int(x.error_code)
                    p.notes.append(f"DescribeProducers: error {code}; state rebuilt from the log")
                    continue
                p.producer_state = SnapshotProducerState(
                    {
                        int(a.producer_id): SnapshotProducerEntry(
                            int(a.producer_id),
                            int(a.producer_epoch),
                            int(a.coordinator_epoch),
                            int(a.last_sequence),
                            int(a.last_timestamp),
                            None
                            if int(a.current_txn_start_offset) < 0
                            else int(a.current_txn_start_offset),
                        )
                        for a in x.active_producers
                    },
                    source="DescribeProducers",
                )

    # -- coordinators ---------------------------------------------------------------------------
    def _coordinator(self, key: str, key_type: int) -> BrokerConnection | None:
        assert self.bootstrap is not None
        r = self.bootstrap.request(API_FIND_COORDINATOR, {"key": key, "key_type": key_type})
        if int(r.error_code) != 0:
            return None
        return self.node(int(r.node_id))

    def _every_node(self, api_key: int, what: str) -> list[tuple[int, BrokerConnection]]:
        out = []
        for node in self.snap.broker_ids:
            try:
                conn = self.node(node)
            except (OSError, SnapshotError, codec.FrameError) as e:
                self.unavailable(f"{what} on node {node}", e)
                continue
            if conn.version(api_key) is None:
                self.unavailable(what, f"{API_NAMES[api_key]} is not advertised by node {node}")
                continue
            out.append((node, conn))
        return out

    def transactions(self) -> None:
        snap = self.snap
        ids: dict[str, None] = {}
        for _node, conn in self._every_node(API_LIST_TRANSACTIONS, "transactions"):
            try:
                r = conn.request(API_LIST_TRANSACTIONS, {})
            except (SnapshotError, codec.FrameError) as e:
                self.unavailable("transactions", e)
                continue
            if int(r.error_code) != 0:
                self.unavailable("transactions", f"ListTransactions error {int(r.error_code)}")
                continue
            for s in r.transaction_states:
                ids[s.transactional_id] = None
        for tid in ids:
            try:
                conn = self._coordinator(tid, 1)
                if conn is None or conn.version(API_DESCRIBE_TRANSACTIONS) is None:
                    self.unavailable("DescribeTransactions", "no coordinator answers it")
                    continue
                r = conn.request(API_DESCRIBE_TRANSACTIONS, {"transactional_ids": [tid]})
            except (SnapshotError, codec.FrameError) as e:
                self.unavailable("DescribeTransactions", e)
                continue
            for s in r.transaction_states:
                if int(s.error_code) != 0:
                    continue  # expired meanwhile, or not the coordinator any more
                try:
                    state: Any = TransactionState[s.transaction_state]
                except KeyError:
                    state = _NamedState(s.transaction_state)
                snap.txn_coordinator.transactions[s.transactional_id] = SnapshotTransaction(
                    s.transactional_id,
                    int(s.producer_id),
                    int(s.producer_epoch),
                    codec.ms(s.transaction_timeout),
                    state,
                    {(t.topic, int(p)) for t in s.topics for p in t.partitions},
                    int(s.transaction_start_time),
                )

    def groups(self) -> None:
        snap = self.snap
        listed: dict[str, tuple[str, str | None]] = {}
        for _node, conn in self._every_node(API_LIST_GROUPS, "groups"):
            try:
                r = conn.request(API_LIST_GROUPS, {})
            except (SnapshotError, codec.FrameError) as e:
                self.unavailable("groups", e)
                continue
            if int(r.error_code) != 0:
                self.unavailable("groups", f"ListGroups error {int(r.error_code)}")
                continue
            for g in r.groups:
                listed[g.group_id] = (g.protocol_type, getattr(g, "group_state", None))
        gc = snap.group_coordinator
        for group, (protocol_type, listed_state) in sorted(listed.items()):
            try:
                conn = self._coordinator(group, 0)
                if conn is None:
                    self.unavailable(f"group {group}", "FindCoordinator failed")
                    continue
                d = conn.request(API_DESCRIBE_GROUPS, {"groups": [group]})
                for g in d.groups:
                    if int(g.error_code) != 0:
                        continue
                    state = g.group_state
                    if state == "Dead" and listed_state:
                        state = listed_state
                    gc.classic_groups[group] = SnapshotGroup(
                        group,
                        state,
                        g.protocol_type or protocol_type,
                        g.protocol_data,
                        {
                            m.member_id: SnapshotMember(
                                m.member_id,
                                getattr(m, "group_instance_id", None),
                                m.client_id,
                                m.client_host,
                                _consumer_assignment(m.member_assignment),
                            )
                            for m in g.members
                        },
                    )
                # one body for every version: v8+ batch groups, older versions name one
                o = conn.request(
                    API_OFFSET_FETCH,
                    {
                        "group_id": group,
                        "topics": None,
                        "groups": [{"group_id": group, "topics": None}],
                    },
                )
                answers = getattr(o, "groups", None) or [o]
                error = next((int(a.error_code) for a in answers if int(a.error_code)), 0)
                if error:
                    self.unavailable(f"offsets of {group}", f"OffsetFetch error {error}")
                    continue
                offsets = {
                    (t.name, int(p.partition_index)): int(p.committed_offset)
                    for a in answers
                    for t in a.topics
                    for p in t.partitions
                    if int(p.error_code) == 0 and int(p.committed_offset) >= 0
                }
                if offsets or group in gc.classic_groups:
                    gc.offsets[group] = offsets
            except (SnapshotError, codec.FrameError) as e:
                self.unavailable(f"group {group}", e)

    # -- what only the internal topics tell -----------------------------------------------------
    def from_internal_topics(self, internal: bool) -> None:
        """`txn_last_update_timestamp` from `__transaction_state`; offsets committed inside open
        transactions from `__consumer_offsets` (both only when those topics were fetched)."""
        from eoslab.broker.offsets_log import (
            OffsetCommitKey,
            decode_key,
            decode_offset_commit_value,
        )
        from eoslab.broker.transaction_log import key_from_bytes, value_from_bytes

        snap = self.snap

        def why(topic: str) -> str:
            if internal:
                return f"the cluster has no {topic} topic (in its Metadata)"
            return f"{topic} was not read: pass --internal (internal=True in Python)"

        txn_topic = snap.topics.get(TRANSACTION_STATE)
        if txn_topic is None:
            self.unavailable("txn_last_update_timestamp", why(TRANSACTION_STATE))
        else:
            last: dict[str, int] = {}
            for p in txn_topic.partitions:
                for b in p.batches:
                    for r in b.records:
                        with contextlib.suppress(Exception):
                            v = value_from_bytes(r.value)
                            if v is not None:
                                last[key_from_bytes(r.key)] = v.transaction_last_update_timestamp_ms
            for tid, m in snap.txn_coordinator.transactions.items():
                m.txn_last_update_timestamp = last.get(tid, -1)
        offsets_topic = snap.topics.get(CONSUMER_OFFSETS)
        if offsets_topic is None:
            self.unavailable("pending offsets", why(CONSUMER_OFFSETS))
            return
        pending = snap.group_coordinator.pending
        for p in offsets_topic.partitions:
            for pid, indexes in sorted(p.open_transactional_batches.items()):
                for i in indexes:
                    for r in p.batches[i].records:
                        with contextlib.suppress(Exception):
                            key = decode_key(r.key)
                            value = decode_offset_commit_value(r.value)
                            if isinstance(key, OffsetCommitKey) and value is not None:
                                pending.setdefault(key.group, {})[(key.topic, key.partition)] = (
                                    pid,
                                    value.offset,
                                )


# -- helpers ------------------------------------------------------------------------------------------
def _by_topic(parts: Iterable[SnapshotPartition], make: Any) -> list[dict]:
    topics: dict[str, list] = {}
    for p in parts:
        topics.setdefault(p.topic, []).append(make(p))
    return [{"name": t, "partitions": ps} for t, ps in topics.items()]


def _offset_span(batch: RecordBatch) -> int:
    """lastOffsetDelta + 1 of the batch as fetched (offsets may have gaps after compaction)."""
    return batch.records[-1].offset - batch.base_offset + 1 if batch.records else 1


def _decode_fetched(data: bytes, p: SnapshotPartition) -> list[RecordBatch]:
    """The complete batches of a fetched records field, decoded by the server's decoder; a
    batch it cannot decode keeps its header with placeholder records (and a note)."""
    try:
        raws, _partial_tail = codec.split_batches(data)
    except codec.RecordError as e:
        p.notes.append(f"cannot read the log: {e}")
        return []
    out = []
    for raw in raws:
        try:
            out.append(codec.decode_batch(raw))
        except codec.RecordError as e:
            batch = _header_only(raw)
            if batch is None:
                continue  # a compacted-away empty batch: no records, no offsets
            p.notes.append(f"batch at {batch.base_offset}: {e}; records shown as placeholders")
            out.append(batch)
    return out


def _header_only(raw: bytes) -> RecordBatch | None:
    (
        base_offset,
        _length,
        leader_epoch,
        _magic,
        _crc,
        attributes,
        last_delta,
        base_ts,
        _max_ts,
        producer_id,
        producer_epoch,
        base_sequence,
        count,
    ) = struct.unpack_from(codec.HEADER_FORMAT, raw, 0)
    if count <= 0:
        return None
    records = [Record(base_offset + min(i, last_delta), base_ts, None, None) for i in range(count)]
    batch = RecordBatch(
        records,
        producer_id=producer_id,
        producer_epoch=producer_epoch,
        base_sequence=base_sequence,
        is_transactional=bool(attributes & 0x10),
        is_control=bool(attributes & 0x20),
        base_offset=base_offset,
        partition_leader_epoch=leader_epoch,
    )
    if batch.is_control:  # a control batch we cannot read is shown as data of no producer
        batch.is_control = False
    return batch


def _note_disagreements(p: SnapshotPartition) -> None:
    """Where ListOffsets, the Fetch responses and the log itself tell different stories (a
    cluster written meanwhile, or a broker that computes one of them its own way)."""
    end = p.batches[-1].next_offset if p.batches else p.fetched_from
    if end < p.high_watermark:
        p.notes.append(f"fetched up to {end}, below the HW {p.high_watermark}")
    if p.fetch_high_watermark is not None and p.fetch_high_watermark != p.high_watermark:
        p.notes.append(
            f"HW: ListOffsets(read_uncommitted) says {p.high_watermark}, "
            f"Fetch says {p.fetch_high_watermark}"
        )
    if (
        p.fetch_last_stable_offset is not None
        and p.fetch_last_stable_offset != p.last_stable_offset
    ):
        p.notes.append(
            f"LSO: ListOffsets(read_committed) says {p.last_stable_offset}, "
            f"Fetch says {p.fetch_last_stable_offset}"
        )
    if p.batches and end > p.high_watermark:
        p.notes.append(f"the log holds offsets up to {end - 1}, past the HW {p.high_watermark}")


def _rebuild_from_log(p: SnapshotPartition) -> None:
    """Producer state and aborted index from the fetched log, as the leader builds them on
    append (ProducerStateManager, TransactionIndex); also which batches are still open."""
    state = ProducerStateManager()
    index = TransactionIndex()
    pending: dict[int, list[int]] = {}
    hw = p.high_watermark
    for i, batch in enumerate(p.batches):
        if batch.producer_id < 0:
            continue
        if batch.is_control:
            try:
                kind = parse_control_key(batch.records[0].key)
                coordinator_epoch = parse_end_txn_marker_value(batch.records[0].value)
            except ValueError:
                continue
            if kind not in (ControlRecordType.COMMIT, ControlRecordType.ABORT):
                continue
            completed = state.update_for_marker(
                batch.producer_id,
                batch.producer_epoch,
                coordinator_epoch,
                batch.base_offset,
                kind == ControlRecordType.ABORT,
                batch.records[0].timestamp,
            )
            pending.pop(batch.producer_id, None)
            if completed is not None and completed.is_aborted:
                index.append(
                    AbortedTxn(
                        completed.producer_id,
                        completed.first_offset,
                        completed.last_offset,
                        state.last_stable_offset_for(completed),
                    )
                )
        else:
            state.update_for_data(batch, batch.max_timestamp)
            if batch.is_transactional:
                pending.setdefault(batch.producer_id, []).append(i)
        state.on_high_watermark_updated(min(hw, batch.next_offset))
    p.txn_index = index
    p.open_transactional_batches = pending
    p.log_producer_state = SnapshotProducerState(
        {
            pid: SnapshotProducerEntry(
                pid,
                e.producer_epoch,
                e.coordinator_epoch,
                e.last_seq,
                e.last_timestamp,
                e.current_txn_first_offset,
            )
            for pid, e in state.producers.items()
        },
        source="log",
    )
    p.producer_state = p.log_producer_state


def _consumer_assignment(data: bytes | None) -> list[tuple[str, int]]:
    """ConsumerProtocolAssignment: version, [topic, [partition]], user data; [] if unreadable."""
    if not data:
        return []
    try:
        pos = 2
        (n,) = struct.unpack_from(">i", data, pos)
        pos += 4
        out = []
        for _ in range(max(n, 0)):
            (size,) = struct.unpack_from(">h", data, pos)
            pos += 2
            topic = data[pos : pos + size].decode()
            pos += size
            (count,) = struct.unpack_from(">i", data, pos)
            pos += 4
            for _ in range(max(count, 0)):
                out.append((topic, struct.unpack_from(">i", data, pos)[0]))
                pos += 4
        return out
    except (struct.error, UnicodeDecodeError):
        return []
