"""Draw the README's two example images: `python docs/images/generate.py` (from the repo root).

offset-timeline.png: one topic, two partitions; a committed, an aborted and an open transaction,
plain records, and a read_committed and a read_uncommitted consumer that have read all they can.
protocol-timeline.png: zombie fencing (reference G14), then a read_committed consumer.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from eoslab import Cluster
from eoslab.client import Consumer, KafkaException, Producer, TopicPartition
from eoslab.views import offset_timeline, png, protocol_timeline
from eoslab.views.figure import DISPLAY_DPI, RETINA

HERE = Path(__file__).resolve().parent


def producer(cluster: Cluster, transactional_id: str | None = None) -> Producer:
    conf = {"bootstrap.servers": cluster.bootstrap_servers}
    if transactional_id:
        conf["transactional.id"] = transactional_id
    return Producer(conf)


def reader(cluster: Cluster, isolation: str, topic: str, partitions: int) -> Consumer:
    c = Consumer(
        {
            "bootstrap.servers": cluster.bootstrap_servers,
            "group.id": f"lab-{isolation}",
            "isolation.level": isolation,
            "auto.offset.reset": "earliest",
        }
    )
    c.assign([TopicPartition(topic, p, 0) for p in range(partitions)])
    c.consume(100, 1.0)
    c.consume(100, 1.0)  # steps over a trailing marker, as librdkafka's position() does
    return c


def same_log_different_views() -> bytes:
    cluster = Cluster()
    cluster.create_topics([("orders", 2, 1)])
    app, other, plain = producer(cluster, "app"), producer(cluster, "other"), producer(cluster)
    app.init_transactions()
    other.init_transactions()
    app.begin_transaction()
    app.produce("orders", value="a", partition=0)
    app.produce("orders", value="b", partition=0)
    app.produce("orders", value="p", partition=1)
    app.commit_transaction()
    app.begin_transaction()
    app.produce("orders", value="c", partition=0)
    app.flush()
    app.abort_transaction()
    plain.produce("orders", value="x", partition=0)
    plain.flush()
    other.begin_transaction()
    other.produce("orders", value="d", partition=0)
    other.produce("orders", value="q", partition=1)
    other.flush()
    plain.produce("orders", value="y", partition=0)
    plain.flush()
    rc = reader(cluster, "read_committed", "orders", 2)
    ru = reader(cluster, "read_uncommitted", "orders", 2)
    fig = offset_timeline(cluster)
    del rc, ru
    return png(fig, dpi=DISPLAY_DPI * RETINA)  # as a notebook shows it: 880 px wide, 2x pixels


def zombie_fencing() -> bytes:
    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    a = producer(cluster, "tx")
    a.init_transactions()
    a.begin_transaction()
    a.produce("t", value="a")
    a.flush()
    b = producer(cluster, "tx")
    b.init_transactions()
    b.begin_transaction()
    b.produce("t", value="b")
    b.commit_transaction()
    with contextlib.suppress(KafkaException):
        a.commit_transaction()  # fenced
    c = reader(cluster, "read_committed", "t", 1)
    fig = protocol_timeline(cluster, exclude_apis=["Metadata", "FindCoordinator", "CreateTopics"])
    del c
    return png(fig, dpi=DISPLAY_DPI * RETINA)


if __name__ == "__main__":
    (HERE / "offset-timeline.png").write_bytes(same_log_different_views())
    (HERE / "protocol-timeline.png").write_bytes(zombie_fencing())
    for name in ("offset-timeline.png", "protocol-timeline.png"):
        print(name, (HERE / name).stat().st_size, "bytes")
