"""The consumers dashboard: read_committed and read_uncommitted side by side, every control."""

from __future__ import annotations

from eoslab.client import TopicPartition
from eoslab.widgets import Dashboard
from tests.conftest import state_snapshot
from tests.widgets.conftest import banner, replayed_journal, shown


def open_record(dashboard: Dashboard) -> None:
    p = dashboard.producers.panels[0]
    for name in ("init", "begin", "produce"):
        p.buttons[name].click()


def position(panel) -> int:
    return panel.consumer.position([TopicPartition("t", 0)])[0].offset


def test_read_committed_waits_at_the_lso_read_uncommitted_reads_to_the_hw(
    dashboard: Dashboard,
) -> None:
    rc = dashboard.consumers.panel("consumer_rc")
    ru = dashboard.consumers.panel("consumer_ru")
    assert "RC" in rc.header.value and "RU" in ru.header.value
    open_record(dashboard)
    timeline = shown(dashboard, "offset timeline")
    ru.buttons["poll"].click()
    assert ru.messages.value.count("t-0 offset 0: a") == 1
    assert position(ru) == 1
    assert shown(dashboard, "offset timeline") != timeline  # the RU arrow moved
    rc.buttons["poll"].click()
    assert "returned None" in rc.messages.value
    assert position(rc) == -1001
    table = shown(dashboard, "consumers")
    assert "read_committed" in table and "read_uncommitted" in table
    dashboard.producers.panels[0].buttons["commit"].click()
    rc.buttons["consume"].click()
    assert "t-0 offset 0: a" in rc.messages.value
    assert "consume(10) returned 1 message(s)" in rc.messages.value
    assert position(rc) == 2  # consume(10) went on, past the COMMIT marker at offset 1
    assert replayed_journal(dashboard) == dashboard.cluster.journal.lines()


def test_commit_and_seek(dashboard: Dashboard) -> None:
    rc = dashboard.consumers.panel("consumer_rc")
    open_record(dashboard)
    dashboard.producers.panels[0].buttons["commit"].click()
    rc.buttons["commit"].click()
    assert banner(dashboard) == "_NO_OFFSET"
    rc.buttons["poll"].click()
    assert banner(dashboard) is None
    rc.buttons["commit"].click()
    assert dashboard.cluster.group_coordinator.committed("consumer_rc", "t", 0) == 1
    assert "position 1" in rc.header.value
    rc.seek_partition.value = ("t", 0)
    rc.seek_offset.value = 0
    rc.buttons["seek"].click()
    assert rc.consumer.fetch_state("t", 0).fetch_position == 0
    rc.buttons["poll"].click()
    assert rc.messages.value.count("t-0 offset 0: a") == 2
    assert dashboard.session.code.lines[-3:] == [
        "consumer_rc.commit(asynchronous=False)",
        'consumer_rc.seek(TopicPartition("t", 0, 0))',
        "msg = consumer_rc.poll(1.0)",
    ]


def test_crash_and_close_take_the_consumer_off_the_views(dashboard: Dashboard) -> None:
    rc = dashboard.consumers.panel("consumer_rc")
    ru = dashboard.consumers.panel("consumer_ru")
    open_record(dashboard)
    ru.buttons["poll"].click()
    assert "consumer_ru" in shown(dashboard, "consumers")
    ru.buttons["crash"].click()
    assert "crashed" in ru.header.value
    assert "consumer_ru" not in shown(dashboard, "consumers")
    before = state_snapshot(dashboard.cluster)
    ru.buttons["poll"].click()
    assert banner(dashboard) == "RuntimeError"
    assert "Consumer closed" in dashboard.session.banner.value
    assert state_snapshot(dashboard.cluster) == before
    rc.buttons["close"].click()
    assert banner(dashboard) is None
    assert "closed" in rc.header.value
    assert "consumer_rc" not in shown(dashboard, "consumers")


def test_create_consumers_by_assignment_and_in_a_group(dashboard: Dashboard) -> None:
    d = dashboard.consumers
    open_record(dashboard)
    d.group_id.value, d.isolation.value, d.mode.value = "g", "read_uncommitted", "subscribe"
    d.create_button.click()
    subscribed = d.panels[-1]
    assert subscribed.name == "consumer1"
    assert "subscribed, not yet assigned" in subscribed.header.value
    subscribed.buttons["consume"].click()  # joins the group, gets t-0, reads the open record
    assert "t-0 offset 0: a" in subscribed.messages.value
    assert "JoinGroup" in " ".join(dashboard.cluster.journal.lines())
    d.group_id.value, d.isolation.value, d.mode.value = "h", "read_committed", "assign"
    d.create_button.click()
    assigned = d.panels[-1]
    assert assigned.consumer.assignment()[0].topic == "t"
    assert [p.name for p in d.panels] == ["consumer_rc", "consumer_ru", "consumer1", "consumer2"]
    assert 'consumer1.subscribe(["t"])' in dashboard.session.code.lines
    assert replayed_journal(dashboard) == dashboard.cluster.journal.lines()
