"""The Kafka wire protocol in front of an eoslab Cluster, on 127.0.0.1.

`WireServer(cluster).start()` runs an asyncio server in one daemon thread (so it works inside a
Jupyter kernel, next to the widgets), with one listening port per broker id of the cluster. The
broker stays single-threaded: the server installs an `RLock` as `cluster.request_guard`, which the
cluster enters around every request, so calls from the notebook's thread (in-process clients,
widgets, `cluster.advance`) and from the server thread never interleave.

Time: the cluster's clock is virtual and the server never moves it. Heartbeats are answered at
once; session and transaction timeouts happen only when someone calls `cluster.advance()`. A Fetch
that has data (or an error) is answered at once; one with nothing to return is held, like Kafka's
DelayedFetch, until data arrives or its max.wait.ms passes in *wall* time (capped by
`max_fetch_wait_ms`), so idle consumers do not spin and flood the journal. JoinGroup and SyncGroup
answers the group coordinator holds are sent when the coordinator has them.

Robustness: a frame that is truncated, oversized (> socket.request.max.bytes) or does not decode,
or an unknown API key or version, closes that one connection (as Kafka does); an ApiVersions
request of an unknown version is answered in v0 format with UNSUPPORTED_VERSION. Other
connections and the cluster are untouched.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from typing import Any

from eoslab.broker.partition import READ_COMMITTED
from eoslab.broker.records import RecordBatch

from . import codec, handlers
from .handlers import API_NAMES, HANDLERS, VERSIONS, Context, Delayed

log = logging.getLogger("eoslab.wire")
POLL_INTERVAL_S = 0.01


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
    ) -> None:
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("eoslab serves on the loopback interface only")
        self.cluster = cluster
        self.host = "127.0.0.1" if host == "localhost" else host
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
        self._connections: set[asyncio.Task] = set()
        self._waiters: list[tuple[Delayed, asyncio.Future, float | None]] = []
        self._batch_bytes: dict[int, tuple[RecordBatch, bytes]] = {}
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self.requests_served = 0
        self.connections_closed_on_error = 0

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
        port = self.requested_port
        for i, node in enumerate(self.cluster.broker_ids):
            server = await asyncio.start_server(
                lambda r, w, node=node: self._accept(r, w, node),
                self.host,
                port + i if port else 0,
                reuse_address=True,
            )
            self._servers.append(server)
            self.ports[node] = server.sockets[0].getsockname()[1]
        self._ticker = asyncio.get_running_loop().create_task(self._tick())

    async def _shutdown(self) -> None:
        for server in self._servers:
            server.close()
        self._ticker.cancel()
        for task in list(self._connections):
            task.cancel()
        for _, future, _ in self._waiters:
            future.cancel()
        self._waiters.clear()
        await asyncio.gather(*self._connections, return_exceptions=True)
        for server in self._servers:
            with contextlib.suppress(Exception):
                await server.wait_closed()
        asyncio.get_running_loop().call_soon(asyncio.get_running_loop().stop)

    # -- connections -----------------------------------------------------------------------------
    def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, node: int):
        task = asyncio.get_running_loop().create_task(self._connection(reader, writer, node))
        self._connections.add(task)
        task.add_done_callback(self._connections.discard)

    async def _connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, node: int
    ) -> None:
        try:
            while True:
                size = int.from_bytes(await reader.readexactly(4), "big", signed=True)
                if size < 10 or size > self.max_frame_bytes:
                    raise codec.FrameError(f"frame size {size}")
                frame = await reader.readexactly(size)
                response = await self._handle(frame, node)
                if response is not None:
                    writer.write(response)
                    await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass  # the client went away, possibly mid-request
        except codec.FrameError as e:
            self.connections_closed_on_error += 1
            log.info("closing a connection: %s", e)
        except asyncio.CancelledError:
            pass
        except Exception:  # a bug: lose this connection, keep the server
            self.connections_closed_on_error += 1
            log.exception("error serving a request; closing the connection")
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _handle(self, frame: bytes, node: int) -> bytes | None:
        header, pos = codec.parse_header(frame)
        versions = VERSIONS.get(header.api_key)
        if versions is None:
            raise codec.FrameError(f"unknown api key {header.api_key}")
        lo, hi = versions
        if not lo <= header.api_version <= hi:
            if header.api_key == codec.API_VERSIONS_KEY:
                return codec.api_versions_v0_error(
                    header, [(k, a, b) for k, _, a, b in handlers.API_VERSIONS]
                )
            raise codec.FrameError(
                f"{API_NAMES[header.api_key]} v{header.api_version} is not supported"
            )
        request = codec.decode_request(frame, header, pos)
        ctx = Context(self, node, header.api_version, header.client_id or "")
        result = HANDLERS[header.api_key](request, ctx)
        self.requests_served += 1
        self._poll_waiters()
        if isinstance(result, Delayed):
            result = await self._wait(result)
        if result is None:
            return None
        schema = codec.response_schema(header.api_key, header.api_version)
        return codec.encode_response(header, codec.build(schema, result))

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
            self._poll_waiters()

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
        """A client's batch as it sent it, with the base offset and leader epoch set."""
        self._batch_bytes[id(batch)] = (
            batch,
            codec.with_broker_fields(raw, batch.base_offset, batch.partition_leader_epoch),
        )

    def batch_bytes(self, batch: RecordBatch) -> bytes:
        cached = self._batch_bytes.get(id(batch))
        if cached is not None and cached[0] is batch:
            return cached[1]
        data = batch.to_bytes()
        self._batch_bytes[id(batch)] = (batch, data)
        return data


def serve(cluster: Any, host: str = "127.0.0.1", port: int = 0, **kwargs: Any) -> WireServer:
    """Start serving `cluster` on the Kafka protocol; returns the running server."""
    return WireServer(cluster, host, port, **kwargs).start()
