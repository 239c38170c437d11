"""Dashboards in a real browser: JupyterLab 4 on 127.0.0.1, Debian's headless Chromium, 1400x900.

What a learner sees after each click, checked in the page itself: the "what changed" line and the
updated offset timeline are inside the window without scrolling; the newest journal and
`__transaction_state` rows and the newest code-log line are visible; no table is wider than its
panel; TV1/TV2 asks before rebuilding the cluster; a refused call shows its banner. Screenshots
are saved as test artifacts under $EOSLAB_ARTIFACTS (default: the test's temporary directory),
and docs/images/dashboard.png is refreshed when EOSLAB_SCREENSHOT=1.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from eoslab.widgets.views_panel import TIMELINE_WIDTH_IN
from tests.widgets.jupyterlab import (
    CHROMIUM,
    SCREENSHOT,
    Lab,
    artifacts_dir,
    click,
    image,
    in_viewport,
    launch,
    open_dashboard,
    running_lab,
    screenshot,
)

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is a test extra")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed (./run test installs it)"
)

P1 = ".eoslab-producer-producer1"
RC = ".eoslab-consumer-consumer_rc"
RU = ".eoslab-consumer-consumer_ru"
TIMELINE = ".eoslab-offset-timeline"
CHANGED = ".eoslab-what-changed"


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    with running_lab(tmp_path_factory.mktemp("jupyterlab")) as server:
        yield server


@pytest.fixture
def artifacts(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    return artifacts_dir(tmp_path, request.node.name)


@pytest.fixture
def page(lab: Lab) -> Iterator[Any]:
    with playwright_api.sync_playwright() as pw:
        browser = launch(pw)
        try:
            p = open_dashboard(browser, lab)
            p.evaluate("() => window.jupyterapp.shell.collapseLeft()")
            yield p
        finally:
            browser.close()


def changed(page: Any) -> str:
    return page.inner_text(CHANGED)


def newest_code_line_visible(page: Any) -> str:
    """The code log's last line, asserted to be inside its scroll box and inside the window."""
    box = page.evaluate(
        "() => { const s = document.querySelector('.eoslab-code-scroll');"
        " const r = s.getBoundingClientRect();"
        " const range = document.createRange(); const pre = s.querySelector('pre');"
        " range.selectNodeContents(pre); const rects = range.getClientRects();"
        " const last = rects[rects.length - 1];"
        " return {top: r.top, bottom: r.bottom, lastTop: last.top, lastBottom: last.bottom,"
        " text: pre.textContent.trimEnd().split('\\n').pop(), window: window.innerHeight}; }"
    )
    assert box["top"] <= box["lastTop"] and box["lastBottom"] <= box["bottom"] + 1, box
    assert box["lastTop"] >= 0 and box["lastBottom"] <= box["window"], box
    return box["text"]


def first_row_visible(page: Any, table: str) -> list[str]:
    """The cells of a table's first body row, asserted to be inside the window."""
    selector = f"{table} tbody tr"
    assert in_viewport(page, selector), f"{selector} is not in view"
    return page.locator(selector).first.locator("td").all_inner_texts()


def tables_fit(page: Any) -> list[tuple[str, float, float]]:
    """(table id, width, its panel's width) of every table on screen in the pinned column."""
    return page.evaluate(
        "() => { const pane = document.querySelector('.eoslab-pinned');"
        " return [...pane.querySelectorAll('table')].filter(t => t.offsetParent !== null)"
        ".map(t => [t.id, t.getBoundingClientRect().width, pane.clientWidth]); }"
    )


def test_browser_effect_of_produce_commit_and_poll_is_in_view(page: Any, artifacts: Path) -> None:
    """At 1400x900 the controls and the views stand side by side, the views pinned: after each
    click the what-changed line and the redrawn timeline are in the window, no scrolling."""
    first_src, width = image(page, TIMELINE)
    assert width == TIMELINE_WIDTH_IN * 80 == 640  # drawn for the views column at 80 dpi
    shown_width = page.evaluate(
        "(s) => document.querySelector(s).getBoundingClientRect().width", TIMELINE
    )
    assert shown_width == width  # shown at its own size, so its 10 px text is 10 px on screen
    assert page.evaluate(
        "() => getComputedStyle(document.querySelector('.eoslab-pinned')).position"
    ) == ("sticky")
    click(page, f"{P1} .eoslab-init")
    click(page, f"{P1} .eoslab-begin")
    click(page, f"{P1} .eoslab-produce")
    produced_src, _ = image(page, TIMELINE)
    assert produced_src != first_src
    assert in_viewport(page, CHANGED) and in_viewport(page, TIMELINE)
    assert changed(page) == (
        "#7 \u2713 producer1.produce: t-0: +1 transactional record at offset 0 \u00b7 HW 0\u21921"
        " \u00b7 LSO 0 (held by tx-1) \u00b7 tx-1 Empty\u2192Ongoing"
    )
    assert newest_code_line_visible(page) == "producer1.flush()"
    screenshot(page, artifacts / "1-produce.png")

    page.locator(f"{P1} .eoslab-commit").scroll_into_view_if_needed()
    click(page, f"{P1} .eoslab-commit")
    committed_src, _ = image(page, TIMELINE)
    assert committed_src != produced_src
    assert in_viewport(page, CHANGED) and in_viewport(page, TIMELINE)
    assert changed(page) == (
        "#8 \u2713 producer1.commit_transaction: t-0: COMMIT marker at offset 1 \u00b7 "
        "HW 1\u21922 \u00b7 LSO 0\u21922 \u00b7 tx-1 Ongoing\u2192PrepareCommit\u2192CompleteCommit"
    )
    assert newest_code_line_visible(page) == "producer1.commit_transaction()"
    screenshot(page, artifacts / "2-commit.png")

    page.locator(f"{RC} .eoslab-poll").scroll_into_view_if_needed()  # far down the controls
    click(page, f"{RC} .eoslab-poll")
    polled_src, _ = image(page, TIMELINE)
    assert polled_src != committed_src  # the read_committed arrow moved
    assert in_viewport(page, CHANGED) and in_viewport(page, TIMELINE)
    assert changed(page) == "#9 \u2713 consumer_rc.poll: consumer_rc t-0 position none\u21921"
    assert newest_code_line_visible(page) == "msg = consumer_rc.poll(1.0)"
    assert "t-0 offset 0: a" in page.inner_text(f"{RC} .eoslab-messages")
    screenshot(page, artifacts / "3-poll.png")
    if os.environ.get("EOSLAB_SCREENSHOT") == "1":
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(artifacts / "3-poll.png", SCREENSHOT)

    # one name per client: the table, the timeline's journal and the code log say consumer_rc
    assert "consumer_rc" in page.inner_text(".eoslab-consumers-table")
    assert "consumer-1" not in page.inner_text(".eoslab-pinned")


def test_browser_newest_rows_in_view_and_tables_fit_their_panel(page: Any, artifacts: Path) -> None:
    click(page, f"{P1} .eoslab-init")
    for _ in range(3):  # three transactions: more rows than the tables show at once
        click(page, f"{P1} .eoslab-begin")
        click(page, f"{P1} .eoslab-produce")
        click(page, f"{P1} .eoslab-commit")
    page.locator(f"{RU} .eoslab-poll").scroll_into_view_if_needed()
    click(page, f"{RU} .eoslab-poll")
    for table, width, panel in tables_fit(page):
        assert width <= panel, f"{table} is {width} px wide in a {panel} px panel"
    # the log dump is newest last, scrolled to its end: the COMMIT marker at offset 5 is in view
    last = page.locator(".eoslab-log-dump tbody tr").last
    assert last.locator("td").first.inner_text() == "5"
    assert last.is_visible()
    assert page.evaluate(
        "() => { const box = document.querySelector('.eoslab-log-dump .eoslab-table-box');"
        " const row = [...box.querySelectorAll('tbody tr')].pop().getBoundingClientRect();"
        " const r = box.getBoundingClientRect(); return row.bottom <= r.bottom + 1; }"
    )
    screenshot(page, artifacts / "1-log.png")

    click(page, ".eoslab-views .lm-TabBar-tab:nth-child(2)")  # Transactions
    row = first_row_visible(page, ".eoslab-txn-log")
    assert row[2:6] == ["tx-1", "CompleteCommit", "0", "0"]  # the newest record, first
    for table, width, panel in tables_fit(page):
        assert width <= panel, f"{table} is {width} px wide in a {panel} px panel"
    screenshot(page, artifacts / "2-transactions.png")

    click(page, ".eoslab-views .lm-TabBar-tab:nth-child(3)")  # Protocol
    image(page, ".eoslab-protocol-timeline")
    row = first_row_visible(page, ".eoslab-journal")
    events = int(page.get_attribute(".eoslab-status-text", "data-events") or -1)
    assert int(row[0]) == events - 1  # the newest event, first
    assert row[3] == "Fetch" and row[4] == "ok: offsets 0..5 in 6 batches (HW 6, LSO 6)"
    assert "NONE" not in page.inner_text(".eoslab-journal tbody")  # Kafka's NONE, as "ok"
    for table, width, panel in tables_fit(page):
        assert width <= panel, f"{table} is {width} px wide in a {panel} px panel"
    screenshot(page, artifacts / "3-protocol.png")

    # the "all columns" toggle shows every column, scrolled within the table's own box
    page.evaluate(
        "() => document.querySelector('.eoslab-pinned .eoslab-views-panel').scrollTo(0, 0)"
    )
    click(page, ".eoslab-all-columns input")
    assert "args" in page.inner_text(".eoslab-journal thead")


def test_browser_tv2_asks_before_resetting(page: Any, artifacts: Path) -> None:
    click(page, f"{P1} .eoslab-init")
    events = page.get_attribute(".eoslab-status-text", "data-events")
    tv2 = page.locator(".eoslab-tv button", has_text="TV2")
    tv2.scroll_into_view_if_needed()
    click(page, ".eoslab-tv button:nth-child(2)")
    question = page.inner_text(".eoslab-tv-ask")
    assert "Switch to TV2?" in question and "rebuilds the cluster" in question
    assert page.get_attribute(".eoslab-status-text", "data-events") == events  # nothing yet
    assert in_viewport(page, ".eoslab-tv-ask")
    screenshot(page, artifacts / "1-asks.png")
    click(page, ".eoslab-tv-cancel")
    assert not page.locator(".eoslab-tv-ask").is_visible()
    assert page.get_attribute(".eoslab-status-text", "data-events") == events

    click(page, ".eoslab-tv button:nth-child(2)")
    click(page, ".eoslab-tv-confirm")
    banner = page.inner_text(".eoslab-banner")
    assert "rebuilt with transaction.version=2" in banner
    assert in_viewport(page, ".eoslab-banner")
    assert "reset: a fresh cluster, transaction.version=2" in changed(page)
    code = page.inner_text(".eoslab-code-log")
    assert 'cluster = Cluster(config={"transaction.version": 2})' in code
    screenshot(page, artifacts / "2-rebuilt.png")


def test_browser_a_refused_call_shows_its_banner_in_view(page: Any, artifacts: Path) -> None:
    click(page, f"{P1} .eoslab-commit")  # before init_transactions
    banner = page.inner_text(".eoslab-banner")
    assert "_STATE" in banner and "Traceback" not in banner
    assert in_viewport(page, ".eoslab-banner") and in_viewport(page, CHANGED)
    assert "refused (_STATE): no change in the cluster" in changed(page)
    assert newest_code_line_visible(page) == "    print(e)  # _STATE"
    screenshot(page, artifacts / "banner.png")
