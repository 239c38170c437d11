"""The Korean edition in a real browser: JupyterLab on 127.0.0.1, headless Chromium (Playwright).

The Korean lab 00, run from the page: its Korean text and Korean offset timeline, every Hangul
glyph drawn. The Korean dashboard, clicked through: its words in Korean, Kafka's names kept. The
dashboard's screenshot is a test artifact (in EOSLAB_ARTIFACTS, or the test's temporary
directory), and docs/images/dashboard-ko.png when EOSLAB_SCREENSHOT=1."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.widgets.jupyterlab import (
    CHROMIUM,
    REPO,
    Lab,
    artifacts_dir,
    ask_kernel_pid,
    click,
    launch,
    open_dashboard,
    open_notebook,
    running_lab,
    screenshot,
    scroll_to,
    serving,
)

SCREENSHOT = REPO / "docs" / "images" / "dashboard-ko.png"

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is a test extra")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed (./run test installs it)"
)


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    root = tmp_path_factory.mktemp("jupyterlab-ko")
    notebooks = root / "notebooks"
    shutil.copytree(REPO / "labs" / "ko", notebooks)
    with serving(root, notebooks, unset=("EOSLAB_LANG",)) as server:  # the lab switches itself
        yield server


def test_korean_lab_00_with_its_dashboard_and_figure_in_chromium(lab: Lab, tmp_path: Path) -> None:
    with playwright_api.sync_playwright() as pw:
        browser = launch(pw)
        try:
            page = open_notebook(browser, lab, "00_start_here.ipynb", 1200, 1400)
            page.wait_for_selector(".eoslab-dashboard")
            # the last cell prints the book's run: everything above it has run
            page.locator(".jp-OutputArea-output", has_text="peter-test05").first.wait_for()
            ask_kernel_pid(page, lab)
            text = page.inner_text(".jp-NotebookPanel")  # the cells near the end (JupyterLab
            assert "수수께끼: 오프셋 1은 어디로 갔을까?" in text  # renders those in view)
            assert "랩 목록" in text
            assert "Glyph" not in text and "missing from font" not in text
            figure = page.locator(".jp-RenderedImage img").first  # the tour's offset timeline
            page.wait_for_function(
                "() => { const e = document.querySelector('.jp-RenderedImage img');"
                " return e && e.complete && e.naturalWidth > 0; }"
            )
            # shown at 880 px (ViewFigure's display width), drawn at twice that for sharp Hangul
            assert figure.evaluate("(e) => [e.getAttribute('width'), e.naturalWidth]") == [
                "880",
                1760,
            ]
            scroll_to(page, ".jp-RenderedImage")
            screenshot(page, tmp_path / "korean-lab-00.png", colors=64)
            assert (tmp_path / "korean-lab-00.png").stat().st_size > 10_000
        finally:
            browser.close()


DASHBOARD_CELLS = [
    "import os\nprint('kernel pid', os.getpid())",
    "import eoslab\n"
    'eoslab.set_language("ko")\n'
    "from eoslab.widgets import transactional_producer_and_two_consumers\n"
    "dashboard = transactional_producer_and_two_consumers()\n"
    "dashboard",
]
P1 = ".eoslab-producer-producer1"


@pytest.fixture
def artifacts(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    return artifacts_dir(tmp_path, request.node.name)


def test_korean_dashboard_in_chromium(tmp_path: Path, artifacts: Path) -> None:
    """The dashboard after set_language("ko"): headings, buttons, the what-changed line, the
    banner and the glossary in Korean; Kafka's names (API calls, columns, error codes) kept."""
    with (
        running_lab(tmp_path, DASHBOARD_CELLS) as server,
        playwright_api.sync_playwright() as pw,
    ):
        browser = launch(pw)
        try:
            page = open_dashboard(browser, server)
            page.evaluate("() => window.jupyterapp.shell.collapseLeft()")
            text = page.inner_text(".eoslab-dashboard")
            for korean in ("트랜잭션 프로듀서 하나와 컨슈머 둘", "코드 로그", "다음 단계 풀기"):
                assert korean in text
            assert "init_transactions" in text and "commit_transaction" in text  # API names
            click(page, f"{P1} .eoslab-init")
            click(page, f"{P1} .eoslab-begin")
            click(page, f"{P1} .eoslab-produce")
            changed = page.inner_text(".eoslab-what-changed")
            assert "트랜잭션 레코드 +1개, 오프셋 0" in changed
            assert "LSO 0 (붙잡은 트랜잭션: tx-1)" in changed
            click(page, ".eoslab-consumer-consumer_ru .eoslab-poll")
            click(page, f"{P1} .eoslab-commit")
            assert "COMMIT 마커, 오프셋 1" in page.inner_text(".eoslab-what-changed")
            click(page, ".eoslab-consumer-consumer_rc .eoslab-poll")
            shot = screenshot(page, artifacts / "dashboard-ko.png")
            click(page, f"{P1} .eoslab-commit")  # outside a transaction: refused
            banner = page.inner_text(".eoslab-banner")
            assert "_STATE" in banner and "허용되지 않는 호출입니다" in banner
            assert "Traceback" not in banner
        finally:
            browser.close()
    assert shot.stat().st_size > 10_000
    if os.environ.get("EOSLAB_SCREENSHOT") == "1":
        shutil.copyfile(shot, SCREENSHOT)
