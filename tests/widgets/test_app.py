"""The consume-process-produce dashboard: one click per iteration, a crash point you pick."""

from __future__ import annotations

import pytest

from eoslab.widgets import Dashboard, consume_process_produce_with_sink
from tests.conftest import log_layout, offsets, read_all, state_snapshot
from tests.widgets.conftest import banner, replayed_journal, shown

OUTPUT = ["HELLO-0", "HELLO-1", "HELLO-2"]


@pytest.fixture
def cpp() -> Dashboard:
    d = consume_process_produce_with_sink()
    source = d.producers.panels[0]
    assert source.name == "source1"
    source.buttons["produce"].click()  # hello-0..2 to "in"
    return d


def output_values(d: Dashboard, isolation: str) -> list[str]:
    records, _ = read_all(d.cluster, "out", 0, isolation)
    return [value for _offset, value in records]


def test_an_iteration_without_crash_is_exactly_once(cpp: Dashboard) -> None:
    app = cpp.app
    assert "instance 1" in app.header.value
    assert "app.step()  # init_transactions()" in cpp.session.code.lines
    app.buttons["iterate"].click()
    assert banner(cpp) is None
    assert [row[1:] for row in log_layout(cpp.cluster, "out")] == [
        ("tx", 0, 0, 0, "HELLO-0"),
        ("tx", 0, 0, 1, "HELLO-1"),
        ("tx", 0, 0, 2, "HELLO-2"),
        ("COMMIT", 0, 0),
    ]
    assert cpp.cluster.group_coordinator.committed("app", "in", 0) == 3
    assert "1 committed iteration(s)" in app.header.value
    assert "sent offsets in-0: 3" in app.output.value
    assert cpp.session.code.lines[-4:] == [
        "app.step()  # poll: records = consumer.consume(batch, 0)",
        "app.step()  # produce: begin_transaction(); produce(output, upper(value)) per record;"
        " flush()",
        "app.step()  # offsets: send_offsets_to_transaction(positions, consumer_group_metadata())",
        "app.step()  # commit: commit_transaction()",
    ]
    app.buttons["iterate"].click()  # nothing new: the loop goes round
    assert cpp.session.code.lines[-1] == "# nothing to read: the loop goes round again"
    assert len(log_layout(cpp.cluster, "out")) == 4
    sink_rc = cpp.consumers.panel("sink_rc")
    sink_rc.buttons["consume"].click()
    assert "out-0 offset 2: key=in-0@2 HELLO-2" in sink_rc.messages.value  # keyed by lineage
    assert replayed_journal(cpp) == cpp.cluster.journal.lines()


@pytest.mark.parametrize(
    ("crash_point", "left_in_output", "read_uncommitted"),
    [
        ("after_poll", [], OUTPUT),
        ("after_produce", ["tx", "tx", "tx", "ABORT"], OUTPUT + OUTPUT),
        ("after_offsets", ["tx", "tx", "tx", "ABORT"], OUTPUT + OUTPUT),
        ("after_commit", ["tx", "tx", "tx", "COMMIT"], OUTPUT),
    ],
)
def test_a_crash_then_a_new_instance_still_gives_every_input_once(
    cpp: Dashboard, crash_point: str, left_in_output: list[str], read_uncommitted: list[str]
) -> None:
    app = cpp.app
    app.crash_point.value = crash_point
    app.buttons["iterate"].click()
    assert app.crashed and "crashed" in app.header.value
    assert f'app.crash_at = "{crash_point}"  # eoslab fault: dies after this phase' in (
        cpp.session.code.lines
    )
    assert "the app crashed here" in app.output.value
    if crash_point in ("after_produce", "after_offsets"):  # an open transaction holds the LSO
        assert offsets(cpp.cluster, "out") == (3, 3, 0)
        cpp.views.partition.value = ("out", 0)
        assert shown(cpp, "log dump").count(">open<") == 3
    app.buttons["start"].click()  # init_transactions fences the old instance
    assert "instance 2" in app.header.value
    assert cpp.session.code.lines[-2:] == [
        "app = app.restarted(batch_size=10)",
        "app.step()  # init_transactions()",
    ]
    app.crash_point.value = None
    app.buttons["iterate"].click()
    kinds = [row[1] for row in log_layout(cpp.cluster, "out")]
    again = [] if crash_point == "after_commit" else ["tx", "tx", "tx", "COMMIT"]
    assert kinds == left_in_output + again
    assert cpp.cluster.group_coordinator.committed("app", "in", 0) == 3
    assert replayed_journal(cpp) == cpp.cluster.journal.lines()
    assert output_values(cpp, "read_committed") == OUTPUT
    assert output_values(cpp, "read_uncommitted") == read_uncommitted


def test_iterating_a_crashed_app_is_a_banner(cpp: Dashboard) -> None:
    app = cpp.app
    app.crash_point.value = "after_poll"
    app.buttons["iterate"].click()
    app.crash_point.value = None
    before = state_snapshot(cpp.cluster)
    app.buttons["iterate"].click()
    assert banner(cpp) == "RuntimeError"
    assert "start the app first" in cpp.session.banner.value
    assert state_snapshot(cpp.cluster) == before


def test_the_batch_size_bounds_one_iteration(cpp: Dashboard) -> None:
    app = cpp.app
    app.batch.value = 2
    app.buttons["iterate"].click()
    assert "consumed 2 record(s) at offsets [0, 1]" in app.output.value
    assert cpp.cluster.group_coordinator.committed("app", "in", 0) == 2
    app.buttons["iterate"].click()
    assert "consumed 1 record(s) at offsets [2]" in app.output.value
    assert cpp.cluster.group_coordinator.committed("app", "in", 0) == 3
    assert [row[1] for row in log_layout(cpp.cluster, "out")] == [
        "tx",
        "tx",
        "COMMIT",
        "tx",
        "COMMIT",
    ]
    assert replayed_journal(cpp) == cpp.cluster.journal.lines()


def test_the_source_producer_can_write_to_either_topic(cpp: Dashboard) -> None:
    source = cpp.producers.panels[0]
    assert source.topic.value == "in"
    assert [value for _label, value in source.partition.options] == [-1, 0]
    source.topic.value = "out"
    source.count.value = 1
    source.buttons["produce"].click()
    assert [row[1:] for row in log_layout(cpp.cluster, "out")] == [("D", 1, 0, 0, "hello")]


def test_client_id_names_the_apps_consumer_in_requests_and_views(cpp: Dashboard) -> None:
    """client.id is the name a client gives the broker with every request (Kafka's
    CommonClientConfigs.CLIENT_ID_DOC, librdkafka's `client.id`): the app's consumer is
    `app_consumer` beside its producer `app`, in the code log, the journal and the consumers
    table, and a restarted instance keeps both names."""
    from eoslab.views import consumers

    app = cpp.app
    assert (app.producer.client_id, app.consumer.client_id) == ("app", "app_consumer")
    assert '    consumer_config={"client.id": "app_consumer"},' in cpp.session.code.text
    app.buttons["iterate"].click()
    by_consumer = [e.api for e in cpp.cluster.journal if e.actor == "app_consumer"]
    assert by_consumer == ["OffsetFetch", "ListOffsets", "Fetch", "Fetch"]
    assert not [e for e in cpp.cluster.journal if e.actor.startswith("consumer-")]
    table = consumers(cpp.cluster)
    assert table.loc[table.client_id == "app_consumer", "position"].tolist() == [3]
    app.crash_point.value = "after_poll"
    app.buttons["iterate"].click()
    app.buttons["start"].click()
    assert (app.producer.client_id, app.consumer.client_id) == ("app", "app_consumer")
    assert replayed_journal(cpp) == cpp.cluster.journal.lines()
