"""The Korean edition in a real browser: JupyterLab on 127.0.0.1, headless Chromium (Playwright).

The Korean lab 00, run from the page: its Korean text and Korean offset timeline, every Hangul
glyph drawn. The Korean dashboard, clicked through: its words in Korean, Kafka's names kept. The
dashboard's screenshot is a test artifact (in EOSLAB_ARTIFACTS, or the test's temporary
directory), and docs/images/dashboard-ko.png when EOSLAB_SCREENSHOT=1."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.widgets.jupyterlab import (
    CHROMIUM,
    CHROMIUM_ARGS,
    SERVER_START_S,
    STEP_MS,
    Lab,
    _alive,
    _free_port,
    _stop_pid,
    click,
    launch,
    open_dashboard,
    running_lab,
    screenshot,
)

REPO = Path(__file__).resolve().parents[2]
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
    env = dict(os.environ)
    for name, sub in (
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_DATA_DIR", "data"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("IPYTHONDIR", "ipython"),
        ("JUPYTERLAB_SETTINGS_DIR", "settings"),
        ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"),
    ):
        (root / sub).mkdir()
        env[name] = str(root / sub)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env.pop("EOSLAB_LANG", None)  # the lab itself switches to Korean
    notification = root / "settings" / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True)
    (notification / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}), encoding="utf-8"
    )
    port, token = _free_port(), secrets.token_hex(16)
    log = (root / "jupyterlab.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={notebooks}",
            "--ServerApp.allow_root=True",
            "--ServerApp.terminals_enabled=False",
            "--LabApp.expose_app_in_browser=True",
            "--LabApp.extension_manager=readonly",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ],
        cwd=notebooks,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    server = Lab(f"http://127.0.0.1:{port}", token, root, process)
    try:
        deadline = time.monotonic() + SERVER_START_S
        while True:
            if process.poll() is not None:
                pytest.fail(f"JupyterLab exited: {(root / 'jupyterlab.log').read_text()[-2000:]}")
            try:
                server.api("GET", "/api/status")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not answer within {SERVER_START_S} s")
                time.sleep(0.25)
        yield server
    finally:
        try:
            for kernel in server.api("GET", "/api/kernels"):  # type: ignore[union-attr]
                server.api("DELETE", f"/api/kernels/{kernel['id']}")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        for pid in server.kernel_pids:
            _stop_pid(pid)
        _stop_pid(process.pid)
        process.wait(timeout=30)
        log.close()
        assert not any(_alive(pid) for pid in server.kernel_pids)


def test_korean_lab_00_with_its_dashboard_and_figure_in_chromium(lab: Lab, tmp_path: Path) -> None:
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True, timeout=STEP_MS
        )
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 1400})
            page.set_default_timeout(STEP_MS)
            page.goto(f"{lab.url}/lab/tree/00_start_here.ipynb?token={lab.token}")
            page.wait_for_function(
                "() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
                " const k = w && w.sessionContext && w.sessionContext.session"
                " && w.sessionContext.session.kernel;"
                " return k && k.status === 'idle'; }",
                timeout=STEP_MS,
            )
            page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
            page.wait_for_selector(".eoslab-dashboard", timeout=STEP_MS)
            # the last cell prints the book's run: everything above it has run
            page.locator(".jp-OutputArea-output", has_text="peter-test05").first.wait_for()
            lab.kernel_pids.append(
                page.evaluate(
                    "async () => { const k = window.jupyterapp.shell.currentWidget"
                    ".sessionContext.session.kernel; const f = k.requestExecute({code:"
                    " 'import os; print(os.getpid())'}); let pid = 0;"
                    " f.onIOPub = (m) => { if (m.content.text) pid = Number(m.content.text); };"
                    " await f.done; return pid; }"
                )
            )
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
            _screenshot(page, tmp_path / "korean-lab-00.png", ".jp-RenderedImage")
            assert (tmp_path / "korean-lab-00.png").stat().st_size > 10_000
        finally:
            browser.close()


def _screenshot(page, shot: Path, selector: str) -> None:
    """The page scrolled to `selector`, as a small palette PNG."""
    from PIL import Image

    page.evaluate("() => window.jupyterapp.shell.collapseLeft()")
    page.evaluate("(s) => document.querySelector(s).scrollIntoView()", selector)
    page.wait_for_timeout(300)
    page.screenshot(path=str(shot))
    image = Image.open(shot).convert("RGB")
    small = image.quantize(colors=64, method=Image.Quantize.MEDIANCUT)
    small.save(shot, optimize=True)


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
    root = os.environ.get("EOSLAB_ARTIFACTS")
    path = Path(root) / request.node.name if root else tmp_path / "artifacts"
    path.mkdir(parents=True, exist_ok=True)
    return path


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
