"""Helpers for the dashboard tests: read what a dashboard shows as plain values."""

from __future__ import annotations

import re

import pytest

from eoslab.widgets import Dashboard, transactional_producer_and_two_consumers


def action_number(dashboard: Dashboard) -> int:
    """The status element's action counter (what a browser waits for)."""
    match = re.search(r'data-action="(\d+)"', dashboard.session.status.value)
    assert match is not None, dashboard.session.status.value
    return int(match.group(1))


def shown(dashboard: Dashboard, view: str) -> str | bytes:
    """The value a view's widget holds: HTML text, or PNG bytes for the timelines."""
    return dashboard.views.views[view].widget.value


def banner(dashboard: Dashboard) -> str | None:
    """The error name on the banner, None when it is hidden."""
    b = dashboard.session.banner
    if b.layout.display == "none":
        assert b.value == ""
        return None
    assert "Traceback" not in b.value
    return b.report.name if b.report else None


def replayed_journal(dashboard: Dashboard) -> list[str]:
    """Run the code log in a fresh namespace; the journal of the cluster it builds."""
    namespace: dict = {}
    exec(compile(dashboard.session.code.text, "<code log>", "exec"), namespace)
    return namespace["cluster"].journal.lines()


@pytest.fixture
def dashboard() -> Dashboard:
    return transactional_producer_and_two_consumers()
