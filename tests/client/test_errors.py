"""Bad input gets confluent_kafka's error, word for word, and leaves every piece of state as it was.

Expected texts were recorded from confluent-kafka 2.16.1 / librdkafka 2.16.0.
"""

from __future__ import annotations

import pytest

from eoslab import Cluster
from eoslab.client import (
    AdminClient,
    Consumer,
    KafkaError,
    KafkaException,
    NewTopic,
    Producer,
    TopicPartition,
)
from tests.conftest import consumer, log_layout, state_snapshot, txn_producer


def error_of(excinfo: pytest.ExceptionInfo) -> KafkaError:
    return excinfo.value.args[0]


@pytest.mark.parametrize(
    ("conf", "text"),
    [
        ({"foo": 1}, 'No such configuration property: "foo"'),
        ({"acks": "banana"}, 'Invalid value for configuration property "request.required.acks"'),
        (
            {"linger.ms": -5},
            'Configuration property "queue.buffering.max.ms" value -5 is outside allowed range '
            "0..900000\n",
        ),
        (
            {"linger.ms": 10**9},
            'Configuration property "queue.buffering.max.ms" value 1e+09 is outside allowed '
            "range 0..900000\n",
        ),
        (
            {"transactional.id": "x", "enable.idempotence": False},
            "Failed to create producer: `transactional.id` requires `enable.idempotence=true`",
        ),
        (
            {"transactional.id": "x", "transaction.timeout.ms": 999},
            'Configuration property "transaction.timeout.ms" value 999 is outside allowed range '
            "1000..2147483647\n",
        ),
        (
            {"transactional.id": "x", "transaction.timeout.ms": 2147483648},
            'Configuration property "transaction.timeout.ms" value -2147483648 is outside '
            "allowed range 1000..2147483647\n",
        ),
        (
            {"transaction.timeout.ms": "abc"},
            'Invalid value for configuration property "transaction.timeout.ms"',
        ),
        (
            {"transactional.id": "x", "transaction.timeout.ms": 5000, "message.timeout.ms": 10000},
            "Failed to create producer: `message.timeout.ms` must be set <= `transaction.timeout.ms`",
        ),
        (
            {"enable.idempotence": True, "acks": 1},
            "Failed to create producer: `acks` must be set to `all` when `enable.idempotence` is true",
        ),
        (
            {"enable.idempotence": True, "max.in.flight": 6},
            "Failed to create producer: `max.in.flight` must be set <= 5 when "
            "`enable.idempotence` is true",
        ),
        (
            {"enable.idempotence": True, "retries": 0},
            "Failed to create producer: `retries` must be set >= 1 when `enable.idempotence` is true",
        ),
        (
            {"enable.idempotence": "yes"},
            'Expected bool value for "enable.idempotence": true or false',
        ),
        (
            {"enable.idempotence": None},
            'Bool configuration property "enable.idempotence" cannot be set to empty value',
        ),
        (
            {"batch.num.messages": 0},
            'Configuration property "batch.num.messages" value 0 is outside allowed range '
            "1..1000000\n",
        ),
        ({"on_delivery": 5}, "on_delivery requires a callable object"),
    ],
)
def test_producer_config_errors_match_librdkafka(cluster: Cluster, conf: dict, text: str) -> None:
    before = state_snapshot(cluster)
    with pytest.raises(KafkaException) as excinfo:
        Producer({"bootstrap.servers": cluster.bootstrap_servers, **conf})
    error = error_of(excinfo)
    assert (error.code(), error.name(), error.str()) == (
        KafkaError._INVALID_ARG,
        "_INVALID_ARG",
        text,
    )
    assert (error.fatal(), error.retriable(), error.txn_requires_abort()) == (False, False, False)
    assert state_snapshot(cluster) == before


def test_accepted_value_spellings(cluster: Cluster) -> None:
    """librdkafka accepts "all" for acks, numeric strings, and true/false/1/0 for bools."""
    for conf in (
        {"acks": "all"},
        {"linger.ms": "5"},
        {"linger.ms": 5.5},
        {"enable.idempotence": "true"},
        {"enable.idempotence": 1},
        {"ssl.ca.location": "/nowhere"},  # network-only settings are accepted and inert
    ):
        Producer({"bootstrap.servers": cluster.bootstrap_servers, **conf})


def test_kwargs_are_merged_verbatim(cluster: Cluster) -> None:
    with pytest.raises(KafkaException) as excinfo:
        Producer({"bootstrap.servers": cluster.bootstrap_servers}, linger_ms=5)
    assert error_of(excinfo).str() == 'No such configuration property: "linger_ms"'


def test_config_must_be_a_dict() -> None:
    with pytest.raises(TypeError, match="expected configuration dict"):
        Producer()
    with pytest.raises(TypeError, match="expected configuration dict"):
        Producer("x")


def test_consumer_config_errors(cluster: Cluster) -> None:
    with pytest.raises(ValueError, match=r"^Failed to create consumer: group\.id must be set$"):
        Consumer({"bootstrap.servers": cluster.bootstrap_servers})
    with pytest.raises(KafkaException) as excinfo:
        Consumer(
            {
                "bootstrap.servers": cluster.bootstrap_servers,
                "group.id": "g",
                "isolation.level": "x",
            }
        )
    assert (
        error_of(excinfo).str() == 'Invalid value "x" for configuration property "isolation.level"'
    )
    with pytest.raises(KafkaException) as excinfo:
        Consumer(
            {
                "bootstrap.servers": cluster.bootstrap_servers,
                "group.id": "g",
                "auto.offset.reset": "banana",
            }
        )
    assert error_of(excinfo).str() == (
        'Invalid value "banana" for configuration property "auto.offset.reset"'
    )


def test_defaults_are_librdkafkas(cluster: Cluster) -> None:
    """§5.1/§10: read_committed and enable.idempotence=false by default in librdkafka."""
    c = Consumer({"bootstrap.servers": cluster.bootstrap_servers, "group.id": "g"})
    assert c.isolation_level == "read_committed"
    plain = Producer({"bootstrap.servers": cluster.bootstrap_servers})
    plain.produce("t", value="x")
    plain.flush()
    batch = cluster.partition("t", 0).batches[0]
    assert (batch.producer_id, batch.producer_epoch, batch.base_sequence) == (-1, -1, -1)
    assert not cluster.journal.events(api="InitProducerId")


def test_unknown_bootstrap_servers_is_refused() -> None:
    with pytest.raises(KafkaException) as excinfo:
        Producer({"bootstrap.servers": "localhost:9092"})
    assert error_of(excinfo).code() == KafkaError._INVALID_ARG


CALLS_OUT_OF_ORDER = [
    ("begin before init", [], "begin_transaction", "Operation not valid in state Init"),
    ("commit before init", [], "commit_transaction", "Operation not valid in state Init"),
    ("abort before init", [], "abort_transaction", "Operation not valid in state Init"),
    (
        "init twice",
        ["init_transactions"],
        "init_transactions",
        "Operation not valid in state Ready",
    ),
    (
        "commit without begin",
        ["init_transactions"],
        "commit_transaction",
        "Operation not valid in state Ready",
    ),
    (
        "abort without begin",
        ["init_transactions"],
        "abort_transaction",
        "Operation not valid in state Ready",
    ),
    (
        "begin twice",
        ["init_transactions", "begin_transaction"],
        "begin_transaction",
        "Operation not valid in state InTransaction",
    ),
    (
        "init during a transaction",
        ["init_transactions", "begin_transaction"],
        "init_transactions",
        "Operation not valid in state InTransaction",
    ),
    (
        "commit after commit",
        ["init_transactions", "begin_transaction", "commit_transaction"],
        "commit_transaction",
        "Operation not valid in state Ready",
    ),
]


@pytest.mark.parametrize(
    ("label", "before", "call", "text"), CALLS_OUT_OF_ORDER, ids=[c[0] for c in CALLS_OUT_OF_ORDER]
)
def test_transactional_calls_out_of_order_raise_state(
    cluster: Cluster, label: str, before: list[str], call: str, text: str
) -> None:
    p = txn_producer(cluster)
    for name in before:
        getattr(p, name)()
    snapshot, state = state_snapshot(cluster), p.transaction_state
    with pytest.raises(KafkaException) as excinfo:
        getattr(p, call)()
    error = error_of(excinfo)
    assert (error.code(), error.str(), error.fatal(), error.retriable()) == (
        KafkaError._STATE,
        text,
        False,
        False,
    )
    assert state_snapshot(cluster) == snapshot
    assert p.transaction_state == state


def test_produce_outside_a_transaction_raises_state_and_queues_nothing(cluster: Cluster) -> None:
    p = txn_producer(cluster)
    p.init_transactions()
    with pytest.raises(KafkaException) as excinfo:
        p.produce("t", value="a")
    assert (error_of(excinfo).code(), error_of(excinfo).str()) == (
        KafkaError._STATE,
        "Unable to produce message: Local: Erroneous state",
    )
    assert len(p) == 0


def test_transactional_api_on_a_plain_producer(cluster: Cluster) -> None:
    p = Producer({"bootstrap.servers": cluster.bootstrap_servers})
    for call in (
        "init_transactions",
        "begin_transaction",
        "commit_transaction",
        "abort_transaction",
    ):
        with pytest.raises(KafkaException) as excinfo:
            getattr(p, call)()
        assert (error_of(excinfo).code(), error_of(excinfo).str()) == (
            KafkaError._NOT_CONFIGURED,
            "The Transactional API requires transactional.id to be configured",
        )


def test_produce_argument_errors(cluster: Cluster) -> None:
    p = Producer({"bootstrap.servers": cluster.bootstrap_servers})
    with pytest.raises(TypeError, match="a bytes-like object is required, not 'int'"):
        p.produce("t", value=5)
    p.produce("t", value="a")  # the producer now holds t's metadata (partition count 1)
    assert p.flush() == 0
    with pytest.raises(KafkaException) as excinfo:
        p.produce("t", value="a", partition=7)
    assert (error_of(excinfo).code(), error_of(excinfo).str()) == (
        KafkaError._UNKNOWN_PARTITION,
        "Unable to produce message: Local: Unknown partition",
    )
    assert len(p) == 0


def test_queue_full_is_a_buffer_error(cluster: Cluster) -> None:
    p = Producer(
        {"bootstrap.servers": cluster.bootstrap_servers, "queue.buffering.max.messages": 2}
    )
    p.produce("t", value="1")
    p.produce("t", value="2")
    with pytest.raises(BufferError, match="Local: Queue full"):
        p.produce("t", value="3")
    assert p.flush() == 0
    assert cluster.partition("t", 0).log_end_offset == 2


def test_fenced_producer_stays_fatal_and_cannot_produce(cluster: Cluster) -> None:
    a = txn_producer(cluster)
    a.init_transactions()
    a.begin_transaction()
    a.produce("t", value="a")
    a.flush()
    txn_producer(cluster).init_transactions()
    snapshot = state_snapshot(cluster)
    for _ in range(2):
        with pytest.raises(KafkaException) as excinfo:
            a.commit_transaction()
        error = error_of(excinfo)
        assert str(error) == (
            'KafkaError{FATAL,code=_FENCED,val=-144,str="Failed to end transaction: Local: This '
            'instance has been fenced by a newer instance"}'
        )
    with pytest.raises(KafkaException) as excinfo:
        a.produce("t", value="b")
    assert (error_of(excinfo).code(), error_of(excinfo).fatal()) == (KafkaError._FATAL, False)
    assert state_snapshot(cluster)[0] == snapshot[0]  # no log changed


def test_failed_enrolment_makes_the_transaction_abortable(cluster: Cluster) -> None:
    """A permanent AddPartitionsToTxn error: commit raises txn_requires_abort; abort recovers."""
    cluster.create_topics([("u", 1, 1)])
    p = txn_producer(cluster)
    p.init_transactions()
    p.begin_transaction()
    reports = []
    p.produce("u", value="a", on_delivery=lambda err, msg: reports.append(err.code()))
    p.produce("t", value="b", on_delivery=lambda err, msg: reports.append(err.code()))
    cluster.delete_topics(["u"])  # the partition disappears under the queued record
    with pytest.raises(KafkaException) as excinfo:
        p.commit_transaction()
    error = error_of(excinfo)
    assert (error.code(), error.txn_requires_abort(), error.fatal()) == (
        KafkaError.OPERATION_NOT_ATTEMPTED,
        True,
        False,
    )
    assert cluster.journal.events(api="AddPartitionsToTxn")[-1].result == (
        "OPERATION_NOT_ATTEMPTED, UNKNOWN_TOPIC_OR_PARTITION"
    )
    p.abort_transaction()
    assert reports == [KafkaError._PURGE_QUEUE, KafkaError._PURGE_QUEUE]
    assert p.transaction_state == "Ready"
    p.begin_transaction()
    p.produce("t", value="c")
    p.commit_transaction()
    assert log_layout(cluster) == [(0, "tx", 0, 0, 0, "c"), (1, "COMMIT", 0, 0)]


def test_consumer_closed_and_seek_errors(cluster: Cluster) -> None:
    c = consumer(cluster)
    with pytest.raises(KafkaException) as excinfo:
        c.seek(TopicPartition("t", 0, 1))
    assert (error_of(excinfo).code(), error_of(excinfo).str()) == (
        KafkaError._STATE,
        "Failed to seek to offset 1: Local: Erroneous state",
    )
    with pytest.raises(KafkaException) as excinfo:
        c.seek(TopicPartition("nope", 0, 0))
    assert error_of(excinfo).str() == "Failed to seek to offset 0: Local: Unknown partition"
    with pytest.raises(TypeError, match="requires list of TopicPartition"):
        c.assign(TopicPartition("t", 0))
    assert c.get_watermark_offsets(TopicPartition("t", 0), cached=True) == (-1001, -1001)
    with pytest.raises(KafkaException) as excinfo:
        c.get_watermark_offsets(TopicPartition("nope", 0))
    assert error_of(excinfo).str() == "Failed to get watermark offsets: Local: Unknown partition"
    with pytest.raises(ValueError, match=r"num_messages must be between 0 and 1000000 \(1M\)"):
        c.consume(-1)
    c.close()
    c.close()
    for call, args in (
        ("poll", (0,)),
        ("position", ([TopicPartition("t", 0)],)),
        ("assign", ([],)),
    ):
        with pytest.raises(RuntimeError, match=r"^Consumer closed$"):
            getattr(c, call)(*args)


def test_producer_close(cluster: Cluster) -> None:
    p = Producer({"bootstrap.servers": cluster.bootstrap_servers})
    p.produce("t", value="a")
    assert p.close() is True
    assert cluster.partition("t", 0).log_end_offset == 1
    assert len(p) == 0
    with pytest.raises(RuntimeError, match=r"^Producer has been closed$"):
        p.produce("t", value="b")


def test_admin_create_and_delete_topic_errors(cluster: Cluster) -> None:
    admin = AdminClient({"bootstrap.servers": cluster.bootstrap_servers})
    snapshot = state_snapshot(cluster)
    results = admin.create_topics([NewTopic("t", 1, 1), NewTopic("rf3", 1, 3)])
    with pytest.raises(KafkaException) as excinfo:
        results["t"].result()
    assert (error_of(excinfo).code(), error_of(excinfo).str()) == (
        KafkaError.TOPIC_ALREADY_EXISTS,
        "Topic 't' already exists.",
    )
    with pytest.raises(KafkaException) as excinfo:
        results["rf3"].result()
    assert (error_of(excinfo).code(), error_of(excinfo).str()) == (
        KafkaError.INVALID_REPLICATION_FACTOR,
        "Unable to replicate the partition 3 time(s): The target replication factor of 3 cannot "
        "be reached because only 1 broker(s) are registered.",
    )
    with pytest.raises(KafkaException) as excinfo:
        admin.delete_topics(["nope"])["nope"].result()
    assert error_of(excinfo).code() == KafkaError.UNKNOWN_TOPIC_OR_PART
    assert state_snapshot(cluster)[:2] == snapshot[:2]
    assert admin.create_topics([NewTopic("u", 3, 1)])["u"].result() is None
    md = admin.list_topics()
    assert sorted(md.topics) == ["t", "u"]
    assert sorted(md.topics["u"].partitions) == [0, 1, 2]
