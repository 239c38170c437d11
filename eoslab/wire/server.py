"""The Kafka wire protocol in front of an eoslab Cluster, on 127.0.0.1.

`WireServer(cluster).start()` runs an asyncio server in one daemon thread (so it works inside a
Jupyter kernel, next to the widgets), with one listening port per broker id of the cluster. The
broker stays single-threaded: the server installs an `RLock` as `cluster.request_guard`, which the
cluster enters around every request, so calls from the notebook's thread (in-process clients,
widgets, `cluster.advance`) and from the server thread never interleave.

Time (`clock`): with "wall" (the default) a cluster whose clock has not moved starts it at the
wall time, in epoch ms like the timestamps real clients send (`Cluster.start_clock`, one journal
event), and the server's thread then advances the cluster's virtual clock by the wall time that
has passed, under the same guard as the requests, whenever something
needs the time (before a request, at most every `tick_ms`; when a timer of the cluster falls due),
so Kafka's timers fire for real clients: a transaction left open past
transaction.timeout.ms is aborted at the next timeout scan, and a group member that stops
heartbeating (its process was killed) is expelled after session.timeout.ms, as Kafka's
heartbeat expiration does. The broker itself stays wall-clock-free: each tick is an ordinary
`cluster.advance(ms)`, a journal event, so a served run can be replayed. With "manual" the
clock moves only when someone calls `advance(ms)` (a notebook, or `eoslab serve --clock manual`'s
stdin command). `start_ms` starts the clock at that time instead, in either mode. A Fetch that has data (or an error) is answered at once; one with nothing to
return is held, like Kafka's DelayedFetch, until data arrives or its max.wait.ms passes in wall
time (capped by `max_fetch_wait_ms`). JoinGroup and SyncGroup answers the group coordinator
holds are sent when the coordinator has them.

Robustness: a frame that is truncated, oversized (> socket.request.max.bytes) or does not decode,
or an unknown API key or version, closes that one connection (as Kafka does); an ApiVersions
request of an unknown version is answered in v0 format with UNSUPPORTED_VERSION. A handler that
fails answers with Kafka's error response for that request (UNKNOWN_SERVER_ERROR in every error
field, as KafkaApis.handleError does) and is logged once. Other connections and the cluster are
untouched. A partial frame holds at most about twice the bytes that have arrived, and the cache
of encoded batches is bounded (`BATCH_CACHE_BYTES`).

Binding: the loopback interface only, unless `allow_remote=True` (a classroom server): the
cluster has no authentication, and anyone who can connect can read and write every topic.

Each connection is an asyncio protocol (`_Connection`): the socket is read straight into the
connection's buffer, a complete frame is handled right there in the read callback, and the answer
is written to the transport, so a request costs no task switch and no copy of its frame. Requests
of one connection are answered one at a time and in order: while an answer is held (a `Delayed`)
or the client is not reading its answers, the connection reads no further.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import socket
import threading
import time
from collections import OrderedDict
from typing import Any

from eoslab.broker.partition import READ_COMMITTED
from eoslab.broker.records import RawRecordBatch, Record, RecordBatch

from . import codec, handlers
from .errors import error_response
from .handlers import ANSWERED, API_NAMES, HANDLERS, VERSIONS, Constant, Context, Delayed

log = logging.getLogger("eoslab.wire")
POLL_INTERVAL_S = 0.01
UNKNOWN_SERVER_ERROR = -1
CLOCK_MODES = ("wall", "manual")
LOOPBACK = ("127.0.0.1", "localhost", "::1")
BATCH_CACHE_BYTES = 64 * 1024 * 1024  # encoded batches kept for fetches (least recently used)


class WireServer:
    """Serve `cluster` over the Kafka protocol. Use as a context manager or start()/stop()."""

    def __init__(
        self,
        cluster: Any,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        max_fetch_wait_ms: int = 500,
        max_frame_bytes: int = codec.MAX_FRAME_BYTES,
        clock: str = "wall",
        tick_ms: int = 100,
        start_ms: int | None = None,
        allow_remote: bool = False,
        advertised_host: str | None = None,
    ) -> None:
        if host not in LOOPBACK and not allow_remote:
            raise ValueError(
                f"eoslab serves on the loopback interface only; binding {host!r} needs "
                "allow_remote=True (eoslab serve --allow-remote): anyone who can connect can read "
                "and write every topic"
            )
        if clock not in CLOCK_MODES:
            raise ValueError(f"clock must be one of {CLOCK_MODES}, not {clock!r}")
        if not isinstance(tick_ms, int) or tick_ms <= 0:
            raise ValueError(f"tick_ms must be a positive whole number of ms, not {tick_ms!r}")
        self.cluster = cluster
        self.bind_host = "127.0.0.1" if host == "localhost" else host
        if advertised_host is None:
            wildcard = host in ("", "0.0.0.0", "::")
            advertised_host = socket.getfqdn() if wildcard else self.bind_host
        self.host = advertised_host  # what Metadata and FindCoordinator tell clients
        if start_ms is not None and (
            not isinstance(start_ms, int) or isinstance(start_ms, bool) or start_ms < 0
        ):
            raise ValueError(
                f"start_ms must be a non-negative whole number of ms, not {start_ms!r}"
            )
        self.clock = clock
        self.tick_ms = tick_ms
        self.start_ms = start_ms
        self.requested_port = port
        self.max_fetch_wait_ms = max_fetch_wait_ms
        self.max_frame_bytes = max_frame_bytes
        guard = cluster.request_guard
        if isinstance(guard, contextlib.nullcontext):
            guard = threading.RLock()
            cluster.request_guard = guard
        self.lock = guard
        self.ports: dict[int, int] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._servers: list[asyncio.base_events.Server] = []
        self._connections: set[_Connection] = set()
        self._waiters: list[tuple[Delayed, asyncio.Future, float | None]] = []
        self._client_bytes: dict[int, tuple[RecordBatch, bytes]] = {}
        self._batch_cache: OrderedDict[int, tuple[RecordBatch, bytes]] = OrderedDict()
        self._batch_cache_bytes = 0
        self._members: dict[tuple[str, str], int] = {}  # (group, member) -> kept alive at (ms)
        self._wall_start = 0.0
        self._wall_advanced_ms = 0
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self.requests_served = 0
        self.connections_closed_on_error = 0
        self.handler_errors = 0

    # -- lifecycle -------------------------------------------------------------------------------
    @property
    def bootstrap_servers(self) -> str:
        return ",".join(f"{self.host}:{p}" for p in self.ports.values())

    @property
    def port(self) -> int:
        return self.ports[self.cluster.broker_ids[0]]

    def port_of(self, node_id: int) -> int:
        return self.ports.get(node_id, self.port)

    def start(self, timeout: float = 10.0) -> WireServer:
        if self._thread is not None:
            return self
        self._start_clock()
        self._thread = threading.Thread(target=self._run, name="eoslab-wire", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            raise TimeoutError("the wire server did not start")
        if self._error is not None:
            raise self._error
        return self

    def stop(self, timeout: float = 10.0) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        with contextlib.suppress(RuntimeError):
            asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(timeout)
        thread.join(timeout)
        self._thread = None
        self._loop = None

    def __enter__(self) -> WireServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"WireServer({self.bootstrap_servers or 'stopped'}, {self.cluster!r})"

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._listen())
        except BaseException as e:
            self._error = e
            self._ready.set()
            loop.close()
            return
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    async def _listen(self) -> None:
        # the codecs of the versions clients use, built before the first request (once per
        # process): a client's first produce would otherwise wait 5-10 ms for them
        codec.prepare(handlers.COMMON_VERSIONS)
        self._warm_up()
        port = self.requested_port
        for i, node in enumerate(self.cluster.broker_ids):
            server = await asyncio.get_running_loop().create_server(
                lambda node=node: _Connection(self, node),
                self.bind_host,
                port + i if port else 0,
                reuse_address=True,
            )
            self._servers.append(server)
            self.ports[node] = server.sockets[0].getsockname()[1]
        self._ticker = asyncio.get_running_loop().create_task(self._tick())

    def _warm_up(self) -> None:
        """Serve one transactional client session to a scratch cluster of the same kind before
        taking requests: the first run of each request's path (Python's first calls, numpy's
        and the codecs' first uses) costs 0.1-1 ms, which a client's first transactions would
        otherwise wait for. Nothing of the scratch cluster is kept; a failure here only costs
        that time later."""
        try:
            scratch = WireServer(type(self.cluster)(), clock="manual")
            scratch.ports = dict.fromkeys(scratch.cluster.broker_ids, 0)
            node = scratch.cluster.broker_ids[0]
            for frame in _warm_up_session(scratch):
                scratch._encode(*scratch._dispatch(frame, node, lambda response: None))
        except Exception:  # never keeps the server from starting
            log.debug("warm-up failed", exc_info=True)

    async def _shutdown(self) -> None:
        for server in self._servers:
            server.close()
        self._ticker.cancel()
        for _, future, _ in self._waiters:
            future.cancel()
        self._waiters.clear()
        closed = [c.closed for c in self._connections]
        for connection in list(self._connections):
            connection.abort()
        await asyncio.gather(*closed, return_exceptions=True)
        for server in self._servers:
            with contextlib.suppress(Exception):
                await server.wait_closed()
        asyncio.get_running_loop().call_soon(asyncio.get_running_loop().stop)

    # -- requests --------------------------------------------------------------------------------
    def _dispatch(
        self, frame: Any, node: int, write: Any = None
    ) -> tuple[codec.RequestHeader, Any]:
        """Decode one frame (bytes or a read-only memoryview; it is not kept) and run its handler:
        (header, a response dict, None for no response, a Delayed, the frame of an early
        answer as bytes, or ANSWERED when the handler sent its response with `write` already).
        FrameError if the connection must be closed."""
        header, pos = codec.parse_header(frame)
        versions = VERSIONS.get(header.api_key)
        if versions is None:
            raise codec.FrameError(f"unknown api key {header.api_key}")
        lo, hi = versions
        if not lo <= header.api_version <= hi:
            if header.api_key == codec.API_VERSIONS_KEY:
                return header, codec.api_versions_v0_error(
                    header, [(k, a, b) for k, _, a, b in handlers.API_VERSIONS]
                )
            raise codec.FrameError(
                f"{API_NAMES[header.api_key]} v{header.api_version} is not supported"
            )
        request = codec.decode_request(frame, header, pos)
        if self.clock == "wall":
            self._run_guarded(self._catch_up, self.tick_ms)
        ctx = Context(self, node, header.api_version, header.client_id or "")
        if write is not None:
            ctx.send = lambda result: write(self._encode(header, result))
        try:
            result = HANDLERS[header.api_key](request, ctx)
        except Exception:  # a bug: Kafka's error response for this request, the server goes on
            self.handler_errors += 1
            log.exception(
                "%s v%d failed; answering UNKNOWN_SERVER_ERROR",
                API_NAMES[header.api_key],
                header.api_version,
            )
            result = (
                ANSWERED
                if ctx.answered
                else error_response(header.api_key, request, UNKNOWN_SERVER_ERROR)
            )
        self.requests_served += 1
        self._poll_waiters()
        return header, result

    @staticmethod
    def _encode(header: codec.RequestHeader, result: Any) -> bytes | None:
        if result is None or result is ANSWERED:
            return None
        if isinstance(result, bytes):
            return result
        if type(result) is Constant:
            return codec.encode_constant(header, result)
        return codec.encode_response_dict(header, result)

    # -- delayed answers -------------------------------------------------------------------------
    async def _wait(self, delayed: Delayed) -> dict:
        future = asyncio.get_running_loop().create_future()
        deadline = None if delayed.timeout_s is None else time.monotonic() + delayed.timeout_s
        self._waiters.append((delayed, future, deadline))
        return await future

    def _poll_waiters(self) -> None:
        if not self._waiters:
            return
        now = time.monotonic()
        still = []
        for delayed, future, deadline in self._waiters:
            if future.done():
                continue
            try:
                result = delayed.poll()
                if result is None and deadline is not None and now >= deadline:
                    result = delayed.on_timeout() if delayed.on_timeout else None
            except Exception as e:
                future.set_exception(e)
                continue
            if result is None:
                still.append((delayed, future, deadline))
            else:
                future.set_result(result)
        self._waiters = still

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(POLL_INTERVAL_S)
            if self.clock == "wall":
                due = self._wall_due_ms()
                if due >= self.tick_ms and self._timers_due(due):
                    self._run_guarded(self._catch_up, 1)
            self._poll_waiters()

    def _run_guarded(self, work: Any, *args: Any) -> None:
        try:
            work(*args)
        except Exception:  # a bug in a timer: log it, keep serving
            log.exception("error while advancing the cluster clock")

    # -- the clock ---------------------------------------------------------------------------------
    def _start_clock(self) -> None:
        """A Kafka broker's clock reads epoch ms from its start-up, and so do the CreateTime
        timestamps real clients send: a cluster whose clock has not moved is started at
        `start_ms`, or in wall mode at the wall time now (one journal event, replayed as such).
        A cluster that already moved keeps its time and goes on from there."""
        self._wall_start = time.monotonic()
        if self.start_ms is not None:
            self.cluster.start_clock(self.start_ms)
        elif self.clock == "wall" and self.cluster.now_ms == 0:
            self.cluster.start_clock(time.time_ns() // 1_000_000)

    # In wall mode the clock catches up with the wall clock when something needs the time: before
    # a request (at most every tick_ms), and when a timer of the cluster (a timeout scan, a
    # session deadline) falls due. An idle server thus journals one advance per due timer, not
    # one per tick, and every request still sees the time to within tick_ms.
    def _wall_due_ms(self) -> int:
        return int((time.monotonic() - self._wall_start) * 1000) - self._wall_advanced_ms

    def _catch_up(self, at_least_ms: int) -> None:
        due = self._wall_due_ms()
        if due >= at_least_ms:
            self._wall_advanced_ms += due
            self._advance(due)

    def _timers_due(self, due: int) -> bool:
        """Would moving the clock `due` ms forward run a cluster timer or end a session?"""
        with self.lock:
            now = self.cluster.now_ms + due
            next_due = self.cluster.clock.next_due_ms()
            if next_due is not None and next_due <= now:
                return True
            groups = self.cluster.group_coordinator.classic_groups
            for (group_id, member_id), alive_at in self._members.items():
                group = groups.get(group_id)
                member = group.members.get(member_id) if group is not None else None
                if member is None:
                    return True  # gone: forget it on the next advance
                last = max(member.last_heartbeat_ms, alive_at)
                if now >= last + member.session_timeout_ms:
                    return True
        return False

    def now_ms(self, timeout: float = 10.0) -> int:
        """The served cluster's time; in wall mode caught up with the wall clock first."""
        if self.clock == "wall":
            self._on_loop(lambda: self._catch_up(1), timeout)
        return self.cluster.now_ms

    def advance(self, ms: int, timeout: float = 10.0) -> None:
        """Move the served cluster's clock forward by `ms` (any clock mode), on the server's
        thread, then expel silent members and answer what became ready."""
        if not isinstance(ms, int) or isinstance(ms, bool) or ms < 0:
            raise ValueError(f"advance() takes a non-negative whole number of ms, not {ms!r}")
        self._on_loop(lambda: self._advance(ms), timeout)

    def _on_loop(self, work: Any, timeout: float) -> None:
        """Run `work` on the server's thread (where requests run), then answer what is ready."""
        loop = self._loop
        if loop is None or threading.current_thread() is self._thread:
            work()
            return
        done: concurrent.futures.Future = concurrent.futures.Future()

        def run() -> None:
            try:
                work()
                self._poll_waiters()
                done.set_result(None)
            except BaseException as e:
                done.set_exception(e)

        loop.call_soon_threadsafe(run)
        done.result(timeout)

    def _advance(self, ms: int) -> None:
        with self.lock:
            self.cluster.advance(ms)
            self._expire_silent_members()

    def track_member(self, group_id: str, member_id: str) -> None:
        """A member that joined over the wire: its client heartbeats by itself, so its silence
        means its process is gone (in-process members heartbeat only when they poll)."""
        self._members.setdefault((group_id, member_id), self.cluster.now_ms)

    def _expire_silent_members(self) -> None:
        """Kafka's heartbeat expiration (MemberMetadata.shouldKeepAlive): a member whose last
        JoinGroup/Heartbeat is more than session.timeout.ms ago is expelled, except while its
        JoinGroup is held in a rebalance. Told to the broker as the member's crash
        (`stop_heartbeats`), whose session timeout then runs out at once."""
        if not self._members:
            return
        now = self.cluster.now_ms
        groups = self.cluster.group_coordinator.classic_groups
        for key in list(self._members):
            group = groups.get(key[0])
            member = group.members.get(key[1]) if group is not None else None
            if member is None or member.heartbeats_stopped:
                del self._members[key]
                continue
            if member.joined and group.state.value == "PreparingRebalance":
                self._members[key] = now  # awaiting its join answer: kept alive
                continue
            last = max(member.last_heartbeat_ms, self._members[key])
            if now >= last + member.session_timeout_ms:
                del self._members[key]
                self.cluster.stop_heartbeats(key[0], key[1], client_id=member.client_id)
                self.cluster.advance(0)  # the session timeout falls due now

    # -- helpers for handlers --------------------------------------------------------------------
    def fetch_ready(self, wanted: list[tuple[str, int, int, int]], isolation: int) -> bool:
        """Would a fetch return something now (data or an error)? A read of the logs only."""
        with self.lock:
            for topic, partition, offset, _ in wanted:
                p = self.cluster._find_partition(topic, partition)
                if p is None:
                    return True
                bound = p.last_stable_offset if isolation == READ_COMMITTED else p.high_watermark
                if offset < bound or offset < p.log_start_offset or offset > p.log_end_offset:
                    return True
        return False

    def remember_batch(self, batch: RecordBatch, raw: bytes) -> None:
        """A client's batch as it sent it (compressed: part of the log's contents, as Kafka keeps
        it), with the base offset and leader epoch set."""
        self._client_bytes[id(batch)] = (
            batch,
            codec.with_broker_fields(raw, batch.base_offset, batch.partition_leader_epoch),
        )

    def batch_bytes(self, batch: RecordBatch) -> bytes:
        """A stored batch's bytes: a batch kept as bytes patches its header; a decoded client
        batch is its own bytes (`remember_batch`); others are encoded, and kept in a cache of
        at most BATCH_CACHE_BYTES, least recently used first out."""
        if isinstance(batch, RawRecordBatch):
            return batch.to_bytes()
        key = id(batch)
        kept = self._client_bytes.get(key)
        if kept is not None and kept[0] is batch:
            return kept[1]
        cache = self._batch_cache
        cached = cache.get(key)
        if cached is not None and cached[0] is batch:
            cache.move_to_end(key)
            return cached[1]
        data = batch.to_bytes()
        if cached is not None:
            self._batch_cache_bytes -= len(cached[1])
        cache[key] = (batch, data)
        self._batch_cache_bytes += len(data)
        while self._batch_cache_bytes > BATCH_CACHE_BYTES and len(cache) > 1:
            _, (_, old) = cache.popitem(last=False)
            self._batch_cache_bytes -= len(old)
        return data


WARM_UP_TOPIC = "eoslab-warm-up"


def _warm_up_session(server: WireServer) -> Any:
    """The requests of a transactional producer and a read_committed consumer (librdkafka's
    versions), as frames; a generator, so each is built after the previous one was served."""
    server.cluster.create_topics([(WARM_UP_TOPIC, 1, 1)])

    def frame(api_key: int, version: int, body: dict) -> memoryview:
        return memoryview(codec.encode_request(api_key, version, 1, "warm-up", body)[4:])

    tid = "eoslab-warm-up"
    yield frame(18, 3, {"client_software_name": "eoslab", "client_software_version": "0"})
    yield frame(3, 8, {"topics": [{"name": WARM_UP_TOPIC}], "allow_auto_topic_creation": False})
    yield frame(10, 2, {"key": tid, "key_type": 1})
    yield frame(22, 1, {"transactional_id": tid, "transaction_timeout": 60_000})
    for txn in range(3):
        yield frame(
            24,
            0,
            {
                "v3_and_below_transactional_id": tid,
                "v3_and_below_producer_id": 0,
                "v3_and_below_producer_epoch": 0,
                "v3_and_below_topics": [{"name": WARM_UP_TOPIC, "partitions": [0]}],
            },
        )
        records = [Record(i, 0, None, b"v" * 100) for i in range(100)]
        batch = RecordBatch(
            records,
            producer_id=0,
            producer_epoch=0,
            base_sequence=100 * txn,
            is_transactional=True,
        )
        data = {"index": 0, "records": batch.to_bytes()}
        yield frame(
            0,
            8,
            {
                "transactional_id": tid,
                "acks": -1,
                "timeout": 30_000,
                "topic_data": [{"name": WARM_UP_TOPIC, "partition_data": [data]}],
            },
        )
        yield frame(
            26,
            1,
            {"transactional_id": tid, "producer_id": 0, "producer_epoch": 0, "committed": True},
        )
    partition = {"partition": 0, "fetch_offset": 0, "partition_max_bytes": 1 << 20}
    yield frame(
        1,
        11,
        {
            "replica_id": -1,
            "max_wait": 0,
            "min_bytes": 1,
            "max_bytes": 1 << 20,
            "isolation_level": 1,
            "topics": [{"topic": WARM_UP_TOPIC, "partitions": [partition]}],
        },
    )


class _Connection(asyncio.BufferedProtocol):
    """One client connection. Bytes are received into `buf` (unread: `buf[start:end]`), which
    grows to hold a whole frame, so a frame is read by the kernel straight to where it is decoded
    from; complete frames are handled in order, one at a time."""

    INITIAL_BUFFER = 64 * 1024

    def __init__(self, server: WireServer, node: int) -> None:
        self.server = server
        self.node = node
        self.transport: asyncio.Transport | None = None
        self.buf = bytearray(self.INITIAL_BUFFER)
        self.start = 0
        self.end = 0
        self.held: asyncio.Task | None = None  # the task answering a Delayed
        self.writing_paused = False
        self.done = False
        self.closed: asyncio.Future = asyncio.get_running_loop().create_future()

    # -- asyncio callbacks ---------------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.server._connections.add(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self.done = True
        self.server._connections.discard(self)
        if self.held is not None:
            self.held.cancel()
        if not self.closed.done():
            self.closed.set_result(None)

    def get_buffer(self, sizehint: int) -> memoryview:
        """Room for the next read. The buffer grows with the bytes that arrived (at most twice
        them, never to a frame's declared size), so a client that declares 100 MB and sends 8
        costs about 16 MB, not 100."""
        buf, start, end = self.buf, self.start, self.end
        if end < len(buf):
            return memoryview(buf)[end:]
        have = end - start
        size = max(self.INITIAL_BUFFER, 2 * have)
        if have >= 4:
            frame = 4 + int.from_bytes(buf[start : start + 4], "big", signed=True)
            if have < frame <= 4 + self.server.max_frame_bytes:
                size = max(self.INITIAL_BUFFER, min(size, frame))  # no more than this frame
        # never resize `buf` in place (the transport may still hold a view of it)
        fresh = bytearray(max(size, have + 1))
        fresh[:have] = buf[start:end]
        self.buf, self.start, self.end = fresh, 0, have
        return memoryview(fresh)[have:]

    def buffer_updated(self, nbytes: int) -> None:
        self.end += nbytes
        self._serve()

    def eof_received(self) -> bool:
        return False  # the client is done (possibly mid-request): close

    def pause_writing(self) -> None:
        self.writing_paused = True  # the client is not reading: handle nothing more for now
        self._pause_reading()

    def resume_writing(self) -> None:
        self.writing_paused = False
        self._resume()

    # -- frames ---------------------------------------------------------------------------------
    def _serve(self) -> None:
        """Handle every complete frame in the buffer, in order, until one is held."""
        server = self.server
        while self.held is None and not self.writing_paused and not self.done:
            start, end = self.start, self.end
            if end - start < 4:
                break
            size = int.from_bytes(self.buf[start : start + 4], "big", signed=True)
            if size < 10 or size > server.max_frame_bytes:
                self._close_on_error(codec.FrameError(f"frame size {size}"))
                return
            if end - start < 4 + size:
                break
            self.start = start + 4 + size
            try:
                # the frame in place (read-only: kio wants that; nothing decoded refers to it)
                frame = memoryview(self.buf)[start + 4 : start + 4 + size].toreadonly()
                try:
                    header, result = server._dispatch(frame, self.node, self._write)
                finally:
                    frame.release()
                if isinstance(result, Delayed):
                    self._pause_reading()
                    self.held = asyncio.get_running_loop().create_task(
                        self._answer_later(header, result)
                    )
                    return
                response = server._encode(header, result)
            except Exception as e:
                self._close_on_error(e)
                return
            if response is not None:
                self.transport.write(response)  # type: ignore[union-attr]
        if self.start == self.end:
            self.start = self.end = 0
            if len(self.buf) > 1 << 20:
                self.buf = bytearray(self.INITIAL_BUFFER)

    def _write(self, response: bytes | None) -> None:
        if response is not None and not self.done:
            self.transport.write(response)  # type: ignore[union-attr]

    async def _answer_later(self, header: codec.RequestHeader, delayed: Delayed) -> None:
        try:
            result = await self.server._wait(delayed)
            response = self.server._encode(header, result)
        except asyncio.CancelledError:
            return
        except Exception as e:
            self._close_on_error(e)
            return
        if self.done:
            return
        if response is not None:
            self.transport.write(response)  # type: ignore[union-attr]
        self.held = None
        self._resume()

    def _resume(self) -> None:
        if self.done or self.held is not None or self.writing_paused:
            return
        self.transport.resume_reading()  # type: ignore[union-attr]
        self._serve()

    def _pause_reading(self) -> None:
        if not self.done and self.transport is not None and self.transport.is_reading():
            self.transport.pause_reading()

    def _close_on_error(self, error: Exception) -> None:
        self.server.connections_closed_on_error += 1
        if isinstance(error, codec.FrameError):
            log.info("closing a connection: %s", error)
        else:  # a bug: lose this connection, keep the server
            log.error("error serving a request; closing the connection", exc_info=error)
        self.done = True
        self.transport.close()  # type: ignore[union-attr]

    def abort(self) -> None:
        self.done = True
        if self.held is not None:
            self.held.cancel()
        if self.transport is not None:
            self.transport.abort()


def serve(cluster: Any, host: str = "127.0.0.1", port: int = 0, **kwargs: Any) -> WireServer:
    """Start serving `cluster` on the Kafka protocol; returns the running server. Keyword
    arguments as WireServer's (clock="manual" keeps virtual time, allow_remote=True binds
    beyond the loopback interface)."""
    return WireServer(cluster, host, port, **kwargs).start()
