"""A dashboard in a real browser: JupyterLab 4 on 127.0.0.1, headless Chromium driven by Playwright.

The test writes a notebook that shows `transactional_producer_and_two_consumers()`, starts
JupyterLab with a token and throw-away config, data and runtime directories, runs the notebook,
clicks init_transactions, begin_transaction, produce, poll (both consumers), commit_transaction
and poll again, and checks after each click that the kernel's update reached the page: the status
element's action number, the offset timeline image, the log dump and consumer tables.

Chromium is Debian's (`apt-get install chromium`, which `./run test` does when it is missing);
Playwright's own browser download is not used. Every server and kernel this test starts is
stopped by its process id, and every wait is bounded. The screenshot is saved in the test's
temporary directory, and to docs/images/dashboard.png when EOSLAB_SCREENSHOT=1.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
REPO = Path(__file__).resolve().parents[2]
SCREENSHOT = REPO / "docs" / "images" / "dashboard.png"
SERVER_START_S = 90
STEP_MS = 60_000  # any one wait in the page

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is a test extra")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed (./run test installs it)"
)

NOTEBOOK_CELLS = [
    "import os\nprint('kernel pid', os.getpid())",
    "from eoslab.widgets import transactional_producer_and_two_consumers\n"
    "dashboard = transactional_producer_and_two_consumers()\n"
    "dashboard",
]


@dataclass
class Lab:
    url: str
    token: str
    root: Path
    process: subprocess.Popen
    kernel_pids: list[int] = field(default_factory=list)  # read from the notebook's output

    def api(self, method: str, path: str) -> object:
        request = urllib.request.Request(
            f"{self.url}{path}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _notebook() -> dict:
    return {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "metadata": {},
                "outputs": [],
                "source": source,
            }
            for source in NOTEBOOK_CELLS
        ],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie child of ours counts as gone once reaped
        done, _status = os.waitpid(pid, os.WNOHANG)
        return done == 0
    except ChildProcessError:
        return True


def _stop_pid(pid: int, timeout: float = 15.0) -> None:
    """SIGTERM, wait, SIGKILL: one process, by its id."""
    if not _alive(pid):
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            return
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    root = tmp_path_factory.mktemp("jupyterlab")
    notebooks = root / "notebooks"
    notebooks.mkdir()
    (notebooks / "dashboard.ipynb").write_text(json.dumps(_notebook()), encoding="utf-8")
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
    # no news or update pop-ups over the page
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
            "--ServerApp.allow_root=True",  # CI runs as root
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
        kernels = []
        try:
            kernels = [k["id"] for k in server.api("GET", "/api/kernels")]  # type: ignore[union-attr]
            for kernel in kernels:
                server.api("DELETE", f"/api/kernels/{kernel}")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        for pid in server.kernel_pids:
            _stop_pid(pid)
        _stop_pid(process.pid)
        process.wait(timeout=30)
        log.close()
        assert not any(_alive(pid) for pid in server.kernel_pids)


def _status(page) -> int:
    value = page.get_attribute(".eoslab-status-text", "data-action")
    return int(value or 0)


def _click(page, selector: str) -> int:
    """Click, then wait for the status element's action number to move: the update is done."""
    before = _status(page)
    page.locator(selector).first.click()
    page.wait_for_function(
        "(n) => { const e = document.querySelector('.eoslab-status-text');"
        " return e !== null && Number(e.dataset.action) > n; }",
        arg=before,
        timeout=STEP_MS,
    )
    return _status(page)


def _image(page, selector: str) -> tuple[str, int]:
    """(src, natural width) of an ipywidgets Image, once it has loaded."""
    page.wait_for_function(
        "(s) => { const i = document.querySelector(s); return i && i.complete && i.naturalWidth > 0; }",
        arg=selector,
        timeout=STEP_MS,
    )
    src = page.get_attribute(selector, "src") or ""
    width = page.evaluate("(s) => document.querySelector(s).naturalWidth", selector)
    return src, int(width)


def test_dashboard_in_jupyterlab_with_headless_chromium(lab: Lab, tmp_path: Path) -> None:
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True, timeout=STEP_MS
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1100})
            page.set_default_timeout(STEP_MS)
            page.goto(f"{lab.url}/lab/tree/dashboard.ipynb?token={lab.token}")
            page.wait_for_function(
                "() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
                " const k = w && w.sessionContext && w.sessionContext.session"
                " && w.sessionContext.session.kernel;"
                " return k && k.status === 'idle'; }",
                timeout=STEP_MS,
            )
            page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
            page.wait_for_selector(".eoslab-status-text", timeout=STEP_MS)
            pid_text = page.locator(".jp-OutputArea-output", has_text="kernel pid").first
            lab.kernel_pids.append(int(pid_text.inner_text().split()[-1]))

            timeline = ".eoslab-offset-timeline"
            first_src, width = _image(page, timeline)
            assert width == 880  # fixed width: 11 in at 80 dpi
            assert "t-0 is empty" in page.inner_text(".eoslab-log-dump")

            _click(page, ".eoslab-producer-producer1 .eoslab-init")
            _click(page, ".eoslab-producer-producer1 .eoslab-begin")
            _click(page, ".eoslab-producer-producer1 .eoslab-produce")
            open_src, _ = _image(page, timeline)
            assert open_src != first_src
            log = page.inner_text(".eoslab-log-dump")
            assert "open" in log and "committed" not in log

            _click(page, ".eoslab-consumer-consumer_ru .eoslab-poll")
            _click(page, ".eoslab-consumer-consumer_rc .eoslab-poll")
            assert "t-0 offset 0: a" in page.inner_text(
                ".eoslab-consumer-consumer_ru .eoslab-messages"
            )
            rc = page.inner_text(".eoslab-consumer-consumer_rc .eoslab-messages")
            assert "offset 0" not in rc and "returned None" in rc
            consumers = page.inner_text(".eoslab-consumers-table")
            assert "read_committed" in consumers and "read_uncommitted" in consumers

            _click(page, ".eoslab-producer-producer1 .eoslab-commit")
            committed_src, _ = _image(page, timeline)
            assert committed_src != open_src
            log = page.inner_text(".eoslab-log-dump")
            assert "committed" in log and "COMMIT" in log
            _click(page, ".eoslab-consumer-consumer_rc .eoslab-poll")
            assert "t-0 offset 0: a" in page.inner_text(
                ".eoslab-consumer-consumer_rc .eoslab-messages"
            )
            _screenshot(page, tmp_path / "dashboard.png")

            # an error: commit outside a transaction shows the banner, not a traceback
            _click(page, ".eoslab-producer-producer1 .eoslab-commit")
            banner = page.inner_text(".eoslab-banner")
            assert "_STATE" in banner and "Traceback" not in banner
            assert "except KafkaException" in page.inner_text(".eoslab-code-log")
        finally:
            browser.close()


def _screenshot(page, shot: Path) -> None:
    """The dashboard from its title to the offset timeline, as a small palette PNG; kept in
    docs/images when EOSLAB_SCREENSHOT=1."""
    from PIL import Image

    page.evaluate("() => window.jupyterapp.shell.collapseLeft()")
    page.set_viewport_size({"width": 1100, "height": 1750})
    page.evaluate("() => document.querySelector('.eoslab-dashboard').scrollIntoView()")
    page.wait_for_timeout(300)  # the layout settles after the resize
    page.screenshot(path=str(shot))
    image = Image.open(shot).convert("RGB")
    small = image.quantize(colors=64, method=Image.Quantize.MEDIANCUT)
    small.save(shot, optimize=True)
    if os.environ.get("EOSLAB_SCREENSHOT") == "1":
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        small.save(SCREENSHOT, optimize=True)
