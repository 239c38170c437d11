"""One offset convention in labs 03, 04 and 05: commit the consumer's position, the next offset
to read, which is past a COMMIT marker once a poll has stepped over it (reference §5.5; Kafka
Streams' KAFKA-6607). `offset() + 1` of the last record would leave the group at the marker."""

from __future__ import annotations

from eoslab import Cluster
from eoslab.client import Producer
from eoslab.scenarios import EXACTLY_ONCE, NaiveSink, Pipeline, SinkTask


def transactional_input(cluster: Cluster, n: int) -> None:
    """n records in one committed transaction: offsets 0..n-1, the COMMIT marker at n."""
    p = Producer({"bootstrap.servers": cluster.bootstrap_servers, "transactional.id": "feed"})
    p.init_transactions()
    p.begin_transaction()
    for i in range(n):
        p.produce("in", value=f"v{i}")
    p.commit_transaction()


def test_pipeline_commits_the_position_past_the_marker() -> None:
    cluster = Cluster()
    cluster.create_topics([("in", 1, 1), ("out", 1, 1)])
    transactional_input(cluster, 3)
    Pipeline(cluster, EXACTLY_ONCE, batch_size=2).run()
    # batch [0, 1] commits 2; batch [2] is returned by a poll that also passes the marker at 3
    assert cluster.group_coordinator.committed("pipeline", "in", 0) == 4
    assert cluster.partition("in", 0).high_watermark == 4


def test_sink_task_commits_the_position_past_the_marker() -> None:
    cluster = Cluster()
    cluster.create_topics([("in", 1, 1)])
    transactional_input(cluster, 4)
    task = SinkTask(cluster, NaiveSink(), topic="in", batch_size=3)
    task.run()
    assert cluster.group_coordinator.committed(task.group_id, "in", 0) == 5
    assert cluster.partition("in", 0).high_watermark == 5


def test_a_full_batch_before_the_marker_commits_the_markers_offset_until_the_next_poll() -> None:
    """librdkafka's position() steps past a trailing marker only when a poll consumes it."""
    cluster = Cluster()
    cluster.create_topics([("in", 1, 1), ("out", 1, 1)])
    transactional_input(cluster, 2)
    app = Pipeline(cluster, EXACTLY_ONCE, batch_size=2)
    for _ in range(5):  # init, poll, produce, offsets, commit: one batch of exactly two
        assert app.step()
    assert cluster.group_coordinator.committed("pipeline", "in", 0) == 2
