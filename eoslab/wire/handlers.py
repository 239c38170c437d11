"""One function per Kafka API: a decoded kio request in, the cluster's request method called, a plain
dict out (codec.build turns it into the response of the request's version).

There is no second broker here: every handler calls the same `Cluster` request method the
in-process client calls, with the request's api_version, so versioned behaviour (47 vs 90) stays
in the broker. A handler may instead return a `Delayed` (JoinGroup/SyncGroup answers the
coordinator holds, fetches with nothing to return yet); the server answers it later.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from eoslab.broker.errors import Errors
from eoslab.broker.internal_topics import CONSUMER_OFFSETS_TOPIC, INTERNAL_TOPICS
from eoslab.broker.partition import READ_COMMITTED, READ_UNCOMMITTED
from eoslab.broker.protocol import LIBRDKAFKA_API_VERSIONS
from eoslab.broker.records import RawRecordBatch, RecordBatch

from .codec import INVALID_RECORD, RecordError, decode_batches, ms
from .errors import FETCH_KEY, LIST_OFFSETS_KEY, error_response

log = logging.getLogger("eoslab.wire")

# (api key, name, min version, max version). Non-flexible versions only, except where the API
# exists only in flexible versions (the admin tools' Describe/List APIs) and TxnOffsetCommit v3,
# the first version that carries the group generation (KIP-447).
API_VERSIONS: list[tuple[int, str, int, int]] = [
    (0, "Produce", 3, 8),
    (1, "Fetch", 4, 11),
    (2, "ListOffsets", 1, 5),
    (3, "Metadata", 0, 8),
    (8, "OffsetCommit", 2, 7),
    (9, "OffsetFetch", 1, 5),
    (10, "FindCoordinator", 0, 2),
    (11, "JoinGroup", 0, 5),
    (12, "Heartbeat", 0, 3),
    (13, "LeaveGroup", 0, 3),
    (14, "SyncGroup", 0, 3),
    (15, "DescribeGroups", 0, 4),
    (16, "ListGroups", 0, 2),
    (18, "ApiVersions", 0, 3),
    (19, "CreateTopics", 2, 4),
    (20, "DeleteTopics", 1, 3),
    (22, "InitProducerId", 0, 1),
    (24, "AddPartitionsToTxn", 0, 2),
    (25, "AddOffsetsToTxn", 0, 2),
    (26, "EndTxn", 0, 2),
    (28, "TxnOffsetCommit", 0, 3),
    (61, "DescribeProducers", 0, 0),
    (65, "DescribeTransactions", 0, 0),
    (66, "ListTransactions", 0, 0),
]
VERSIONS = {key: (lo, hi) for key, _, lo, hi in API_VERSIONS}
API_NAMES = {key: name for key, name, _, _ in API_VERSIONS}
# What clients will send: each API's highest version here (Java clients), and librdkafka's where it
# is lower (broker/protocol.py). A server prepares their codecs before it takes requests.
COMMON_VERSIONS = sorted(
    {(key, hi) for key, _, _, hi in API_VERSIONS}
    | {
        (key, max(lo, min(hi, LIBRDKAFKA_API_VERSIONS[name])))
        for key, name, lo, hi in API_VERSIONS
        if name in LIBRDKAFKA_API_VERSIONS
    }
)


@dataclass
class Delayed:
    """An answer that is not ready: `poll()` returns the response dict once it is (or None);
    after `timeout_s` of wall time `on_timeout()` answers instead."""

    poll: Callable[[], dict | None]
    timeout_s: float | None = None
    on_timeout: Callable[[], dict] | None = None


class Served(Protocol):
    """What a handler needs of the server that received its request."""

    cluster: Any
    host: str
    lock: Any
    max_fetch_wait_ms: int

    def port_of(self, node_id: int) -> int: ...

    def remember_batch(self, batch: RecordBatch, raw: bytes) -> None: ...

    def batch_bytes(self, batch: RecordBatch) -> bytes: ...

    def fetch_ready(self, wanted: list[tuple[str, int, int, int]], isolation: int) -> bool: ...

    def track_member(self, group_id: str, member_id: str) -> None: ...


ANSWERED = object()  # what a handler returns when its response has been sent already


@dataclass
class Context:
    server: Served
    node_id: int
    api_version: int
    client_id: str
    send: Callable[[dict], None] | None = None  # sends this request's response at once
    answered: bool = False

    @property
    def cluster(self) -> Any:
        return self.server.cluster

    def answer_first(self, respond: Callable[[Any], dict], call: Callable[[], Any]) -> Any:
        """Run the cluster request `call` and send its response, `respond(answer)`, as soon as
        the answer is known: before the coordinator's queued work that auto pacing runs before
        the request returns (the markers and the Complete record of an EndTxn), as Kafka
        answers EndTxn once PrepareCommit is in the log. ANSWERED if it was sent so."""
        send = self.send
        if send is None:
            return respond(call())
        cluster = self.cluster

        def answer(result: Any) -> None:
            try:
                send(respond(result))
            except Exception:  # a bug: the response goes the usual way, the broker goes on
                log.exception("sending a response before the coordinator's work failed")
                return
            self.answered = True

        with self.server.lock:  # the hook is seen by this request only
            cluster.on_answer = answer
            try:
                result = call()
            finally:
                cluster.on_answer = None
        return ANSWERED if self.answered else respond(result)


def _s(value: Any) -> str | None:
    return None if value is None else str(value)


def _group_by_topic(items: dict[tuple[str, int], Any], make: Callable) -> list[dict]:
    topics: dict[str, list] = {}
    for (topic, partition), value in items.items():
        topics.setdefault(topic, []).append(make(partition, value))
    return [{"name": t, "partitions": ps} for t, ps in topics.items()]


# -- ApiVersions, Metadata, topics -----------------------------------------------------------------
class Constant(dict):
    """A response that is the same for every request of its version: encoded once per version
    (codec.encode_constant), then only the correlation id changes."""


_API_VERSIONS = Constant(
    error_code=0,
    api_keys=[
        {"api_key": k, "min_version": lo, "max_version": hi} for k, _, lo, hi in API_VERSIONS
    ],
)


def api_versions(req: Any, ctx: Context) -> dict:
    return _API_VERSIONS


def metadata(req: Any, ctx: Context) -> dict:
    cluster = ctx.cluster
    topics = req.topics
    names = None if topics is None else [t.name for t in topics]
    if ctx.api_version == 0 and names == []:
        names = None  # v0: an empty list means every topic
    auto_create = getattr(req, "allow_auto_topic_creation", True)
    r = cluster.metadata(names, auto_create, client_id=ctx.client_id)
    out_topics = []
    with ctx.server.lock:
        for name, (error, partitions) in r.topics.items():
            topic = cluster.topics.get(name)
            rf = topic.replication_factor if topic else 1
            parts = []
            for p in partitions:
                leader = cluster.leader_for(name, p)
                i = cluster.broker_ids.index(leader)
                ids = cluster.broker_ids
                replicas = [ids[(i + k) % len(ids)] for k in range(rf)]
                epoch = topic.partitions[p].leader_epoch if topic else 0
                parts.append(
                    {
                        "error_code": 0,
                        "partition_index": p,
                        "leader_id": leader,
                        "leader_epoch": epoch,
                        "replica_nodes": replicas,
                        "isr_nodes": replicas,
                        "offline_replicas": [],
                    }
                )
            out_topics.append(
                {
                    "error_code": int(error),
                    "name": name,
                    "is_internal": name in INTERNAL_TOPICS,
                    "partitions": parts,
                    "topic_authorized_operations": -2147483648,
                }
            )
    return {
        "brokers": [
            {"node_id": b, "host": ctx.server.host, "port": ctx.server.port_of(b), "rack": None}
            for b, _, _ in r.brokers
        ],
        "cluster_id": f"eoslab-{cluster.name}",
        "controller_id": r.controller_id,
        "topics": out_topics,
        "cluster_authorized_operations": -2147483648,
    }


def create_topics(req: Any, ctx: Context) -> dict:
    results = ctx.cluster.create_topics(
        [(t.name, t.num_partitions, t.replication_factor) for t in req.topics],
        validate_only=bool(getattr(req, "validate_only", False)),
        client_id=ctx.client_id,
    )
    return {
        "topics": [
            {"name": n, "error_code": int(r.error), "error_message": r.error_message}
            for n, r in results.items()
        ]
    }


def delete_topics(req: Any, ctx: Context) -> dict:
    results = ctx.cluster.delete_topics(list(req.topic_names), client_id=ctx.client_id)
    return {"responses": [{"name": n, "error_code": int(r.error)} for n, r in results.items()]}


# -- Produce / Fetch / ListOffsets ------------------------------------------------------------------
def produce(req: Any, ctx: Context) -> dict | None:
    responses = []
    for topic in req.topic_data:
        parts = []
        for pd in topic.partition_data:
            parts.append({"index": pd.index, **_produce_one(req, ctx, topic.name, pd)})
        responses.append({"name": topic.name, "partition_responses": parts})
    if req.acks == 0:
        return None  # acks=0: the broker sends no response at all
    return {"responses": responses}


def _produce_one(req: Any, ctx: Context, topic: str, pd: Any) -> dict:
    try:
        batches = decode_batches(pd.records or b"")
    except RecordError as e:
        return {"error_code": e.code, "base_offset": -1, "error_message": str(e)}
    if len(batches) != 1:
        return {
            "error_code": INVALID_RECORD,
            "base_offset": -1,
            "error_message": "Produce requests with version 3+ allow exactly one record batch",
        }
    batch, raw = batches[0]
    r = ctx.cluster.produce(
        topic,
        pd.index,
        batch,
        req.transactional_id,
        req.acks,
        client_id=ctx.client_id,
        api_version=ctx.api_version,
    )
    if batch._in_log and not isinstance(batch, RawRecordBatch):
        # appended (not a duplicate) and decoded (e.g. gzip): serve the client's own bytes
        ctx.server.remember_batch(batch, raw)
    return {
        "error_code": int(r.error),
        "base_offset": r.base_offset,
        "log_append_time": r.log_append_time,
        "log_start_offset": r.log_start_offset,
        "error_message": r.error_message,
    }


def _unknown_isolation_level(req: Any) -> bool:
    """IsolationLevel.forId throws for anything but 0 and 1; KafkaApis answers the whole request
    with UNKNOWN_SERVER_ERROR (Errors.forException of an IllegalArgumentException)."""
    return getattr(req, "isolation_level", 0) not in (READ_UNCOMMITTED, READ_COMMITTED)


def fetch(req: Any, ctx: Context) -> dict | Delayed:
    if _unknown_isolation_level(req):
        return error_response(FETCH_KEY, req, int(Errors.UNKNOWN_SERVER_ERROR))
    isolation = READ_COMMITTED if getattr(req, "isolation_level", 0) == 1 else READ_UNCOMMITTED
    wanted = [
        (t.topic, p.partition, p.fetch_offset, p.partition_max_bytes)
        for t in req.topics
        for p in t.partitions
    ]

    def answer() -> dict:
        return _fetch_now(ctx, wanted, isolation, req.max_bytes)

    if req.min_bytes <= 0 or not wanted or ctx.server.fetch_ready(wanted, isolation):
        return answer()
    # Nothing to return yet: hold the fetch (Kafka's DelayedFetch) until data arrives or
    # max.wait.ms of wall time passes. Virtual time is not moved.
    return Delayed(
        poll=lambda: answer() if ctx.server.fetch_ready(wanted, isolation) else None,
        timeout_s=min(ms(req.max_wait), ctx.server.max_fetch_wait_ms) / 1000,
        on_timeout=answer,
    )


def _fetch_now(
    ctx: Context, wanted: list[tuple[str, int, int, int]], isolation: int, max_bytes: int
) -> dict:
    topics: dict[str, list] = {}
    budget = max_bytes
    for topic, partition, offset, partition_max in wanted:
        limit = max(1, min(partition_max, budget)) if budget > 0 else 1
        r = ctx.cluster.fetch(topic, partition, offset, isolation, limit, client_id=ctx.client_id)
        data = b"".join(ctx.server.batch_bytes(b) for b in r.batches)
        if data:
            budget -= len(data)
        topics.setdefault(topic, []).append(
            {
                "partition_index": partition,
                "error_code": int(r.error),
                "high_watermark": r.high_watermark,
                "last_stable_offset": r.last_stable_offset,
                "log_start_offset": r.log_start_offset,
                "aborted_transactions": None
                if r.aborted_transactions is None
                else [{"producer_id": p, "first_offset": o} for p, o in r.aborted_transactions],
                "preferred_read_replica": -1,
                "records": data,
            }
        )
    return {
        "error_code": 0,
        "session_id": 0,
        "responses": [{"topic": t, "partitions": ps} for t, ps in topics.items()],
    }


def list_offsets(req: Any, ctx: Context) -> dict:
    if _unknown_isolation_level(req):
        return error_response(LIST_OFFSETS_KEY, req, int(Errors.UNKNOWN_SERVER_ERROR))
    isolation = getattr(req, "isolation_level", READ_UNCOMMITTED)
    topics = []
    for t in req.topics:
        parts = []
        for p in t.partitions:
            r = ctx.cluster.list_offsets(
                t.name, p.partition_index, p.timestamp, isolation, client_id=ctx.client_id
            )
            parts.append(
                {
                    "partition_index": p.partition_index,
                    "error_code": int(r.error),
                    "timestamp": r.timestamp,
                    "offset": r.offset,
                    "leader_epoch": 0,
                }
            )
        topics.append({"name": t.name, "partitions": parts})
    return {"topics": topics}


# -- coordinators and transactions -------------------------------------------------------------------
def find_coordinator(req: Any, ctx: Context) -> dict:
    key_type = "transaction" if getattr(req, "key_type", 0) == 1 else "group"
    r = ctx.cluster.find_coordinator(req.key, key_type, client_id=ctx.client_id)
    if r.error:
        return {"error_code": int(r.error), "node_id": -1, "host": "", "port": -1}
    return {
        "error_code": 0,
        "error_message": None,
        "node_id": r.node_id,
        "host": ctx.server.host,
        "port": ctx.server.port_of(r.node_id),
    }


def init_producer_id(req: Any, ctx: Context) -> dict:
    r = ctx.cluster.init_producer_id(
        _s(req.transactional_id),
        ms(req.transaction_timeout),
        getattr(req, "producer_id", -1),
        getattr(req, "producer_epoch", -1),
        client_id=ctx.client_id,
        api_version=ctx.api_version,
    )
    return {
        "error_code": int(r.error),
        "producer_id": r.producer_id,
        "producer_epoch": r.producer_epoch,
    }


def add_partitions_to_txn(req: Any, ctx: Context) -> dict:
    tps = [(t.name, p) for t in req.v3_and_below_topics for p in t.partitions]
    results = ctx.cluster.add_partitions_to_txn(
        req.v3_and_below_transactional_id,
        req.v3_and_below_producer_id,
        req.v3_and_below_producer_epoch,
        tps,
        client_id=ctx.client_id,
        api_version=ctx.api_version,
    )
    topics: dict[str, list] = {}
    for (topic, partition), error in results.items():
        topics.setdefault(topic, []).append(
            {"partition_index": partition, "partition_error_code": int(error)}
        )
    return {
        "results_by_topic_v3_and_below": [
            {"name": t, "results_by_partition": ps} for t, ps in topics.items()
        ]
    }


def add_offsets_to_txn(req: Any, ctx: Context) -> dict:
    error = ctx.cluster.add_offsets_to_txn(
        req.transactional_id,
        req.producer_id,
        req.producer_epoch,
        req.group_id,
        client_id=ctx.client_id,
        api_version=ctx.api_version,
    )
    return {"error_code": int(error)}


def end_txn(req: Any, ctx: Context) -> Any:
    return ctx.answer_first(
        lambda r: {"error_code": int(r.error)},
        lambda: ctx.cluster.end_txn(
            req.transactional_id,
            req.producer_id,
            req.producer_epoch,
            bool(req.committed),
            client_id=ctx.client_id,
            api_version=ctx.api_version,
        ),
    )


def txn_offset_commit(req: Any, ctx: Context) -> dict:
    offsets = {
        (t.name, p.partition_index): (p.committed_offset, p.committed_metadata or "")
        for t in req.topics
        for p in t.partitions
    }
    results = ctx.cluster.txn_offset_commit(
        req.transactional_id,
        req.group_id,
        req.producer_id,
        req.producer_epoch,
        offsets,
        generation_id=getattr(req, "generation_id", -1),
        member_id=getattr(req, "member_id", ""),
        group_instance_id=getattr(req, "group_instance_id", None),
        client_id=ctx.client_id,
        api_version=ctx.api_version,
    )
    return {
        "topics": _group_by_topic(
            results, lambda p, e: {"partition_index": p, "error_code": int(e)}
        )
    }


# -- groups and offsets ------------------------------------------------------------------------------
def _join_response(r: Any) -> dict:
    return {
        "error_code": int(r.error),
        "generation_id": r.generation_id,
        "protocol_name": r.protocol_name or "",  # a string before v7 (an error carries none)
        "leader": r.leader,
        "member_id": r.member_id,
        "members": [
            {"member_id": m, "group_instance_id": i, "metadata": md} for m, i, md in r.members
        ],
    }


def join_group(req: Any, ctx: Context) -> dict | Delayed:
    session = ms(req.session_timeout)
    rebalance = ms(getattr(req, "rebalance_timeout", req.session_timeout))
    r = ctx.cluster.join_group(
        req.group_id,
        req.member_id,
        [(p.name, p.metadata) for p in req.protocols],
        session,
        rebalance,
        getattr(req, "group_instance_id", None),
        req.protocol_type,
        client_id=ctx.client_id,
    )
    if r.member_id and r.error == Errors.NONE:
        ctx.server.track_member(req.group_id, r.member_id)
    if not r.pending:
        return _join_response(r)
    group, member = req.group_id, r.member_id
    cluster = ctx.cluster

    def poll() -> dict | None:
        with ctx.server.lock:
            held = cluster.join_group_result(group, member)
        return None if held.pending else _join_response(held)

    return Delayed(poll=poll)


def sync_group(req: Any, ctx: Context) -> dict | Delayed:
    r = ctx.cluster.sync_group(
        req.group_id,
        req.generation_id,
        req.member_id,
        {a.member_id: a.assignment for a in req.assignments},
        client_id=ctx.client_id,
    )
    if not r.pending:
        return {"error_code": int(r.error), "assignment": r.assignment}
    group, member, cluster = req.group_id, req.member_id, ctx.cluster

    def poll() -> dict | None:
        with ctx.server.lock:
            held = cluster.sync_group_result(group, member)
        return (
            None if held.pending else {"error_code": int(held.error), "assignment": held.assignment}
        )

    return Delayed(poll=poll)


def heartbeat(req: Any, ctx: Context) -> dict:
    error = ctx.cluster.heartbeat(
        req.group_id, req.generation_id, req.member_id, client_id=ctx.client_id
    )
    return {"error_code": int(error)}


def leave_group(req: Any, ctx: Context) -> dict:
    if ctx.api_version < 3:
        error = ctx.cluster.leave_group(req.group_id, req.member_id, client_id=ctx.client_id)
        return {"error_code": int(error)}
    members = []
    for m in req.members:
        error = ctx.cluster.leave_group(req.group_id, m.member_id, client_id=ctx.client_id)
        members.append(
            {
                "member_id": m.member_id,
                "group_instance_id": m.group_instance_id,
                "error_code": int(error),
            }
        )
    return {"error_code": 0, "members": members}


def offset_commit(req: Any, ctx: Context) -> dict:
    offsets = {
        (t.name, p.partition_index): (p.committed_offset, p.committed_metadata or "")
        for t in req.topics
        for p in t.partitions
    }
    results = ctx.cluster.offset_commit(
        req.group_id,
        offsets,
        req.generation_id_or_member_epoch,
        req.member_id,
        getattr(req, "group_instance_id", None),
        client_id=ctx.client_id,
    )
    return {
        "topics": _group_by_topic(
            results, lambda p, e: {"partition_index": p, "error_code": int(e)}
        )
    }


def offset_fetch(req: Any, ctx: Context) -> dict:
    partitions = (
        None
        if req.topics is None
        else [(t.name, p) for t in req.topics for p in t.partition_indexes]
    )
    results = ctx.cluster.offset_fetch(
        req.group_id, partitions, getattr(req, "require_stable", False), client_id=ctx.client_id
    )
    return {
        "error_code": 0,
        "topics": _group_by_topic(
            results,
            lambda p, v: {
                "partition_index": p,
                "committed_offset": v[0],
                "committed_leader_epoch": -1,
                "metadata": v[1] if v[0] >= 0 else "",
                "error_code": int(v[2]),
            },
        ),
    }


def describe_groups(req: Any, ctx: Context) -> dict:
    found = ctx.cluster.describe_groups(list(req.groups), client_id=ctx.client_id)
    groups = []
    with ctx.server.lock:
        for group_id, g in found.items():
            if g is None:
                # Kafka keeps a group that has only committed offsets as an Empty group; an
                # unknown group is Dead
                known = group_id in ctx.cluster.group_coordinator.groups()
                state = "Empty" if known else "Dead"
                groups.append({"error_code": 0, "group_id": group_id, "group_state": state})
                continue
            groups.append(
                {
                    "error_code": 0,
                    "group_id": group_id,
                    "group_state": g.state.value,
                    "protocol_type": g.protocol_type,
                    "protocol_data": g.protocol_name or "",
                    "members": [
                        {
                            "member_id": m.member_id,
                            "group_instance_id": m.group_instance_id,
                            "client_id": m.client_id,
                            "client_host": f"/{ctx.server.host}",
                            "member_metadata": g.metadata_for(m),
                            "member_assignment": m.assignment,
                        }
                        for m in g.members.values()
                    ],
                    "authorized_operations": -2147483648,
                }
            )
    return {"groups": groups}


def list_groups(req: Any, ctx: Context) -> dict:
    groups = ctx.cluster.list_groups(client_id=ctx.client_id)
    return {
        "error_code": 0,
        "groups": [
            {"group_id": g, "protocol_type": t, "group_state": s}
            for g, t, s in groups
            if g != CONSUMER_OFFSETS_TOPIC
        ],
    }


# -- the admin tools' transaction APIs ---------------------------------------------------------------
def describe_transactions(req: Any, ctx: Context) -> dict:
    found = ctx.cluster.describe_transactions(list(req.transactional_ids), client_id=ctx.client_id)
    states = []
    with ctx.server.lock:
        for tid, (error, m) in found.items():
            if m is None:
                states.append({"error_code": int(error), "transactional_id": tid})
                continue
            topics: dict[str, list[int]] = {}
            for t, p in m.sorted_partitions():
                topics.setdefault(t, []).append(p)
            states.append(
                {
                    "error_code": 0,
                    "transactional_id": tid,
                    "transaction_state": m.state.name,
                    "transaction_timeout": m.txn_timeout_ms,
                    "transaction_start_time": m.txn_start_timestamp,
                    "producer_id": m.producer_id,
                    "producer_epoch": m.producer_epoch,
                    "topics": [{"topic": t, "partitions": ps} for t, ps in topics.items()],
                }
            )
    return {"transaction_states": states}


def list_transactions(req: Any, ctx: Context) -> dict:
    rows = ctx.cluster.list_transactions(
        list(req.state_filters) or None,
        list(req.producer_id_filters) or None,
        getattr(req, "duration_filter", -1),
        client_id=ctx.client_id,
    )
    return {
        "error_code": 0,
        "unknown_state_filters": [],
        "transaction_states": [
            {"transactional_id": t, "producer_id": p, "transaction_state": s} for t, p, s in rows
        ],
    }


def describe_producers(req: Any, ctx: Context) -> dict:
    topics = []
    for t in req.topics:
        parts = []
        for p in t.partition_indexes:
            error, rows = ctx.cluster.describe_producers(t.name, p, client_id=ctx.client_id)
            parts.append(
                {
                    "partition_index": p,
                    "error_code": int(error),
                    "error_message": None,
                    "active_producers": [
                        {
                            "producer_id": pid,
                            "producer_epoch": epoch,
                            "last_sequence": seq,
                            "last_timestamp": ts,
                            "coordinator_epoch": ce,
                            "current_txn_start_offset": -1 if start is None else start,
                        }
                        for pid, epoch, seq, ts, ce, start in rows
                    ],
                }
            )
        topics.append({"name": t.name, "partitions": parts})
    return {"topics": topics}


HANDLERS: dict[int, Callable[[Any, Context], Any]] = {
    0: produce,
    1: fetch,
    2: list_offsets,
    3: metadata,
    8: offset_commit,
    9: offset_fetch,
    10: find_coordinator,
    11: join_group,
    12: heartbeat,
    13: leave_group,
    14: sync_group,
    15: describe_groups,
    16: list_groups,
    18: api_versions,
    19: create_topics,
    20: delete_topics,
    22: init_producer_id,
    24: add_partitions_to_txn,
    25: add_offsets_to_txn,
    26: end_txn,
    28: txn_offset_commit,
    61: describe_producers,
    65: describe_transactions,
    66: list_transactions,
}
