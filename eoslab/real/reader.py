"""Taking a snapshot: the requests that read a real cluster, partition by partition, and the
rebuilding of what Kafka has no API for (the aborted index, producer state) from the fetched log."""

from __future__ import annotations

import contextlib
import struct
import time
from collections.abc import Iterable
from typing import Any

from eoslab.broker.internal_topics import CONSUMER_OFFSETS_TOPIC as CONSUMER_OFFSETS
from eoslab.broker.internal_topics import TRANSACTION_STATE_TOPIC as TRANSACTION_STATE
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

from ..wire import codec
from .connection import (
    _ISOLATION,
    API_DESCRIBE_GROUPS,
    API_DESCRIBE_PRODUCERS,
    API_DESCRIBE_TRANSACTIONS,
    API_FETCH,
    API_FIND_COORDINATOR,
    API_LIST_GROUPS,
    API_LIST_OFFSETS,
    API_LIST_TRANSACTIONS,
    API_METADATA,
    API_NAMES,
    API_OFFSET_FETCH,
    CLIENT_ID,
    DEFAULT_MAX_RECORDS,
    DEFAULT_TIMEOUT_S,
    EARLIEST,
    FETCH_MAX_BYTES,
    FETCH_MAX_WAIT_MS,
    INTERNAL,
    LATEST,
    PARTITION_FETCH_BYTES,
    READ_COMMITTED,
    READ_UNCOMMITTED,
    REQUEST_TIMEOUT_S,
    BrokerConnection,
    SnapshotError,
)
from .snapshot import (
    RealClusterSnapshot,
    SnapshotGroup,
    SnapshotMember,
    SnapshotPartition,
    SnapshotProducerEntry,
    SnapshotProducerState,
    SnapshotTopic,
    SnapshotTransaction,
    _NamedState,
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
