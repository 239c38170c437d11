"""Kafka's clock in served mode, with confluent-kafka against `eoslab serve --clock wall`:
a transaction left open past transaction.timeout.ms is aborted by the coordinator (markers at
epoch + 1, the late commit fenced), a consumer whose process is SIGKILLed is expelled after
session.timeout.ms and its partitions go to a new member. `--clock manual` keeps virtual time
until told to move it.

The broker's scan intervals are shortened with --config (Kafka's own settings), so each test
waits a few seconds of real time; every wait is bounded and asserts states, never durations."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from eoslab.real import snapshot
from tests.conftest import log_layout

from .served import Served, wait_for

ck = pytest.importorskip("confluent_kafka")
TIMEOUT = 15.0


@pytest.fixture
def served(request: pytest.FixtureRequest) -> Served:
    s = Served(
        "--clock",
        "wall",
        "--topic",
        "t:1",
        "--topic",
        "c:2",
        "--config",
        "transaction.abort.timed.out.transaction.cleanup.interval.ms=500",
        "--config",
        "group.min.session.timeout.ms=1000",
    )
    request.addfinalizer(s.stop)
    return s


def test_open_transaction_is_aborted_after_its_timeout_and_the_late_commit_is_fenced(
    served: Served,
) -> None:
    """Reference §3.7 / G15 over the wire: TransactionCoordinator.abortTimedOutTransactions
    bumps the epoch and writes ABORT markers at epoch + 1; EndTxn at the old epoch is fenced."""
    p = ck.Producer(
        {
            "bootstrap.servers": served.bootstrap_servers,
            "transactional.id": "slow",
            "transaction.timeout.ms": 2000,
            "log_level": 0,
        }
    )
    p.init_transactions(TIMEOUT)
    p.begin_transaction()
    p.produce("t", value=b"late", partition=0)
    assert p.flush(TIMEOUT) == 0

    def aborted() -> list | None:
        layout = log_layout(snapshot(served.bootstrap_servers, ["t"]))
        return layout if len(layout) == 2 else None

    layout = wait_for(aborted, TIMEOUT, 0.2)
    assert layout is not None, "the open transaction was never aborted"
    (_, kind, pid, epoch, seq, value), marker = layout
    assert (kind, epoch, seq, value) == ("tx", 0, 0, "late")
    assert marker == (
        1,
        "ABORT",
        pid,
        1,
    )  # the coordinator's epoch bump (prepareFenceProducerEpoch)
    with pytest.raises(ck.KafkaException) as info:
        p.commit_transaction(TIMEOUT)
    error = info.value.args[0]
    assert error.code() == ck.KafkaError._FENCED
    assert error.fatal()
    c = ck.Consumer(
        {
            "bootstrap.servers": served.bootstrap_servers,
            "group.id": "reader",
            "isolation.level": "read_committed",
            "log_level": 0,
        }
    )
    assert c.get_watermark_offsets(ck.TopicPartition("t", 0), TIMEOUT) == (0, 2)
    c.assign([ck.TopicPartition("t", 0, 0)])
    msgs = [m for m in (c.poll(0.2) for _ in range(10)) if m is not None and m.error() is None]
    assert msgs == []  # the aborted record is never seen by read_committed
    assert c.position([ck.TopicPartition("t", 0)])[0].offset == 2
    c.close()


CRASHING_MEMBER = textwrap.dedent(
    """
    import sys, time
    import confluent_kafka as ck
    c = ck.Consumer({"bootstrap.servers": sys.argv[1], "group.id": "crash",
                     "session.timeout.ms": 2000, "heartbeat.interval.ms": 200, "log_level": 0})
    c.subscribe(["c"])
    while True:
        c.poll(0.1)
        if len(c.assignment()) == 2:
            print("assigned", flush=True)
            break
    while True:
        c.poll(0.1)
    """
)


def test_a_sigkilled_member_is_expelled_after_its_session_timeout(served: Served) -> None:
    """GroupCoordinator.onExpireHeartbeat: a member that stops heartbeating is removed after
    session.timeout.ms, and the rebalance the new member started completes without it."""
    child = subprocess.Popen(
        [sys.executable, "-c", CRASHING_MEMBER, served.bootstrap_servers],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "assigned"  # type: ignore[union-attr]
    finally:
        child.kill()  # SIGKILL: no LeaveGroup, no more heartbeats
        child.wait(10)
        child.stdout.close()  # type: ignore[union-attr]
    c = ck.Consumer(
        {
            "bootstrap.servers": served.bootstrap_servers,
            "group.id": "crash",
            "session.timeout.ms": 2000,
            "heartbeat.interval.ms": 200,
            "log_level": 0,
        }
    )
    c.subscribe(["c"])

    def assigned() -> list[int]:
        c.poll(0.1)
        return sorted(tp.partition for tp in c.assignment())

    assert wait_for(assigned, TIMEOUT, 0) == [0, 1]
    from confluent_kafka.admin import AdminClient

    admin = AdminClient({"bootstrap.servers": served.bootstrap_servers})
    group = admin.describe_consumer_groups(["crash"])["crash"].result(TIMEOUT)
    assert len(group.members) == 1
    assert group.state == ck.ConsumerGroupState.STABLE
    c.close()


def test_manual_clock_moves_only_when_told() -> None:
    s = Served("--clock", "manual", "--topic", "t:1")
    try:
        assert s.now_ms() == 0
        assert s.command("advance 2500") == "time 2500 ms"
        assert s.now_ms() == 2500
        assert s.command("advance -1").startswith("error: advance() takes a non-negative")
        assert s.command("what") == "commands: advance MS | time | quit"
    finally:
        s.stop()
    assert s.process.returncode == 0


def test_wall_clock_advances_the_virtual_clock(served: Served) -> None:
    first = served.now_ms()
    assert wait_for(lambda: served.now_ms() > first + 200, 5.0, 0.1)


def test_an_idle_wall_clock_server_journals_an_advance_only_when_needed() -> None:
    """The clock catches up when something needs the time (a request, a due timer, `now_ms()`),
    so an idle server does not fill the journal with ticks, and a request sees the wall time."""
    import time

    from eoslab import Cluster
    from eoslab.wire import WireServer

    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    with WireServer(cluster, clock="wall", tick_ms=50) as server:
        (start,) = cluster.journal.events(api="start")
        time.sleep(0.6)
        assert cluster.now_ms == start.time_ms  # nothing needed the time: no advance, no event
        assert [e.api for e in cluster.journal].count("advance") == 0
        p = ck.Producer({"bootstrap.servers": server.bootstrap_servers, "log_level": 0})
        p.produce("t", value=b"x", partition=0)
        assert p.flush(TIMEOUT) == 0
        produce = next(e for e in cluster.journal if e.api == "Produce")
        assert produce.time_ms >= start.time_ms + 500  # handled at (about) the wall time
        assert server.now_ms() >= start.time_ms + 600
    from eoslab.check.invariants import replay_matches

    assert replay_matches(cluster) == []  # the served run replays, clock advances included


def test_a_served_run_with_a_timeout_abort_replays(request: pytest.FixtureRequest) -> None:
    from eoslab import Cluster
    from eoslab.check.invariants import replay_matches
    from eoslab.wire import WireServer

    cluster = Cluster(config={"transaction.abort.timed.out.transaction.cleanup.interval.ms": 300})
    cluster.create_topics([("t", 1, 1)])
    server = WireServer(cluster, clock="wall", tick_ms=20).start()
    request.addfinalizer(server.stop)
    p = ck.Producer(
        {
            "bootstrap.servers": server.bootstrap_servers,
            "transactional.id": "replayed",
            "transaction.timeout.ms": 1000,
            "log_level": 0,
        }
    )
    p.init_transactions(TIMEOUT)
    p.begin_transaction()
    p.produce("t", value=b"v", partition=0)
    assert p.flush(TIMEOUT) == 0
    assert wait_for(lambda: cluster.partition("t", 0).log_end_offset == 2, TIMEOUT, 0.05)
    server.stop()
    assert [e.api for e in cluster.journal if e.api == "abortTimedOutTransactions"] == [
        "abortTimedOutTransactions"
    ]
    assert replay_matches(cluster) == []
    replayed = cluster.replay()
    assert log_layout(replayed) == log_layout(cluster)
    assert log_layout(cluster)[1][1:] == ("ABORT", log_layout(cluster)[0][2], 1)


# -- the clock in epoch ms (ProducerStateManager, KIP-854) -----------------------------------------
T = 1_767_225_600_000  # 2026-01-01T00:00:00Z in epoch ms
DAY = 86_400_000


def test_the_wall_clock_starts_at_the_wall_time_in_epoch_ms() -> None:
    """A Kafka broker's time is epoch ms from its start-up, like the CreateTime clients send."""
    import time

    before = time.time_ns() // 1_000_000
    s = Served("--clock", "wall", "--topic", "t:1")
    try:
        now = s.now_ms()
        assert before <= now <= time.time_ns() // 1_000_000
    finally:
        s.stop()
    s = Served("--clock", "manual", "--start-ms", str(T))
    try:
        assert s.now_ms() == T
        assert s.command("advance 2500") == f"time {T + 2500} ms"
    finally:
        s.stop()


def _idempotent_batch(seq: int, value: bytes) -> bytes:
    from eoslab.broker import Record, RecordBatch

    batch = RecordBatch(
        [Record(0, T, None, value)], producer_id=0, producer_epoch=0, base_sequence=seq
    )
    return batch.to_bytes()


def test_producer_id_expiration_ms_forgets_an_idle_producer_of_a_served_cluster() -> None:
    """ProducerStateManager.removeExpiredProducers on `eoslab serve --clock manual --start-ms T`:
    a producer whose last batch's CreateTime is T is kept while idle for less than
    producer.id.expiration.ms (86 400 000, KIP-854), so a gap is OUT_OF_ORDER_SEQUENCE_NUMBER
    and a retried batch a duplicate; the check at T + 86 400 000 (every 600 000 ms) removes it,
    and then any sequence is accepted (ProducerAppendInfo.checkSequence: no epoch, KIP-360)."""
    from .served import RawClient, produce_body

    s = Served("--clock", "manual", "--start-ms", str(T), "--topic", "t:1")
    raw = RawClient(s.bootstrap_servers)
    try:
        init = raw.call(22, 1, {"transactional_id": None, "transaction_timeout": 60_000})
        assert (init.error_code, init.producer_id, init.producer_epoch) == (0, 0, 0)

        def produce(seq: int, value: bytes) -> tuple[int, int]:
            r = raw.call(0, 7, produce_body(_idempotent_batch(seq, value)))
            p = r.responses[0].partition_responses[0]
            return int(p.error_code), p.base_offset

        def producers() -> list[tuple[int, int, int, int]]:
            r = raw.call(61, 0, {"topics": [{"name": "t", "partition_indexes": [0]}]})
            return [
                (a.producer_id, a.producer_epoch, a.last_sequence, a.last_timestamp)
                for a in r.topics[0].partitions[0].active_producers
            ]

        assert produce(0, b"a") == (0, 0)
        assert s.command(f"advance {DAY - 1}") == f"time {T + DAY - 1} ms"
        assert producers() == [(0, 0, 0, T)]
        assert produce(5, b"gap") == (45, -1)  # OUT_OF_ORDER_SEQUENCE_NUMBER
        assert produce(0, b"a") == (0, 0)  # a duplicate: the first append's offset
        assert s.command("advance 1") == f"time {T + DAY} ms"
        assert producers() == []
        assert produce(5, b"after") == (0, 1)  # unknown producer: any sequence
        assert producers() == [(0, 0, 5, T)]
    finally:
        raw.close()
        s.stop()


def test_a_real_clients_idle_producer_expires_on_the_wall_clock(
    request: pytest.FixtureRequest,
) -> None:
    """The served wall clock and confluent-kafka's CreateTime are both epoch ms, so
    producer.id.expiration.ms fires for a real client as on Kafka."""
    import time

    from eoslab import Cluster
    from eoslab.wire import WireServer

    cluster = Cluster(
        config={
            "producer.id.expiration.ms": 1_000,
            "producer.id.expiration.check.interval.ms": 200,
        }
    )
    cluster.create_topics([("t", 1, 1)])
    server = WireServer(cluster, clock="wall", tick_ms=20).start()
    request.addfinalizer(server.stop)
    p = ck.Producer(
        {"bootstrap.servers": server.bootstrap_servers, "enable.idempotence": True, "log_level": 0}
    )
    sent = time.time_ns() // 1_000_000
    p.produce("t", value=b"x", partition=0)
    assert p.flush(TIMEOUT) == 0
    (batch,) = cluster.partition("t", 0).batches
    assert sent <= batch.max_timestamp <= time.time_ns() // 1_000_000  # the client's CreateTime

    def removed() -> list:
        return cluster.journal.events(api="removeExpiredProducers")

    (removal,) = wait_for(removed, TIMEOUT, 0.1)
    assert tuple(map(str, removal.effects)) == ("producer state removed: t-0 pid 0",)
    # the first check (every 200 ms from start-up) at which it was idle for 1 000 ms
    assert 1_000 <= removal.time_ms - batch.max_timestamp < 1_000 + 200
    assert cluster.partition("t", 0).producer_state.entry(0) is None
