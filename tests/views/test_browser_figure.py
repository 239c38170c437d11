"""A standalone figure cell in a real browser: JupyterLab 4 on 127.0.0.1, headless Chromium driven
by Playwright, no `%matplotlib` magic and no pyplot. The cell's last value is
`views.offset_timeline(cluster)` (then `views.protocol_timeline(cluster)`); each must show as an
`<img>` of non-zero size, at the display size the figure was laid out for, and nowhere as
`<Figure size ...>` text.

Same approach as tests/widgets/test_browser.py: Debian's chromium, throw-away Jupyter config,
data and runtime directories, a token, every process stopped by its id, every wait bounded.
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
SERVER_START_S = 90
STEP_MS = 60_000

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is a test extra")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed (./run test installs it)"
)

CELLS = [
    "import os\nprint('kernel pid', os.getpid())",
    "from eoslab import Cluster, views\n"
    "from eoslab.client import Producer\n"
    "cluster = Cluster()\n"
    "cluster.create_topics([('t', 1, 1)])\n"
    "p = Producer({'bootstrap.servers': cluster.bootstrap_servers, 'transactional.id': 'tx'})\n"
    "p.init_transactions()\n"
    "p.begin_transaction()\n"
    "p.produce('t', value='a')\n"
    "p.commit_transaction()",
    "views.offset_timeline(cluster)",
    "views.protocol_timeline(cluster)",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        done, _status = os.waitpid(pid, os.WNOHANG)
        return done == 0
    except ChildProcessError:
        return True


def _stop(pid: int, timeout: float = 15.0) -> None:
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


def _api(url: str, token: str, method: str, path: str) -> object:
    request = urllib.request.Request(
        f"{url}{path}", method=method, headers={"Authorization": f"token {token}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read()
    return json.loads(body) if body else None


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, list[int]]]:
    root = tmp_path_factory.mktemp("jupyterlab-figure")
    notebooks = root / "notebooks"
    notebooks.mkdir()
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "metadata": {},
                "outputs": [],
                "source": c,
            }
            for c in CELLS
        ],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (notebooks / "figure.ipynb").write_text(json.dumps(nb), encoding="utf-8")
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
    notification = root / "settings" / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True)
    (notification / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}), encoding="utf-8"
    )
    port, token = _free_port(), secrets.token_hex(16)
    url = f"http://127.0.0.1:{port}"
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
    kernel_pids: list[int] = []
    try:
        deadline = time.monotonic() + SERVER_START_S
        while True:
            if process.poll() is not None:
                pytest.fail(f"JupyterLab exited: {(root / 'jupyterlab.log').read_text()[-2000:]}")
            try:
                _api(url, token, "GET", "/api/status")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not answer within {SERVER_START_S} s")
                time.sleep(0.25)
        yield url, token, kernel_pids
    finally:
        try:
            for kernel in _api(url, token, "GET", "/api/kernels") or []:  # type: ignore[union-attr]
                _api(url, token, "DELETE", f"/api/kernels/{kernel['id']}")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        for pid in kernel_pids:
            _stop(pid)
        _stop(process.pid)
        process.wait(timeout=30)
        log.close()
        assert not any(_alive(pid) for pid in kernel_pids)


def test_a_standalone_figure_cell_shows_an_image(server: tuple[str, str, list[int]]) -> None:
    url, token, kernel_pids = server
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True, timeout=STEP_MS
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1400})
            page.set_default_timeout(STEP_MS)
            page.goto(f"{url}/lab/tree/figure.ipynb?token={token}")
            page.wait_for_function(
                "() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
                " const k = w && w.sessionContext && w.sessionContext.session"
                " && w.sessionContext.session.kernel;"
                " return k && k.status === 'idle'; }",
                timeout=STEP_MS,
            )
            page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
            pid_text = page.locator(".jp-OutputArea-output", has_text="kernel pid").first
            pid_text.wait_for(timeout=STEP_MS)
            kernel_pids.append(int(pid_text.inner_text().split()[-1]))
            page.wait_for_function(
                "() => { const imgs = [...document.querySelectorAll('.jp-OutputArea-output img')];"
                " return imgs.length >= 2 && imgs.every(i => i.complete && i.naturalWidth > 0); }",
                timeout=STEP_MS,
            )
            images = page.evaluate(
                "() => [...document.querySelectorAll('.jp-OutputArea-output img')].map(i => {"
                " const r = i.getBoundingClientRect();"
                " return [i.naturalWidth, i.naturalHeight, r.width, r.height,"
                " i.getAttribute('width')]; })"
            )
            outputs = page.inner_text(".jp-Notebook")
        finally:
            browser.close()
    assert len(images) == 2
    timeline, protocol = images
    for natural_w, natural_h, shown_w, shown_h, _ in images:
        assert natural_w > 0 and natural_h > 0 and shown_w > 0 and shown_h > 0
    assert timeline[0] == 1760 and timeline[4] == "880"  # drawn at 2x, shown at its 880 px
    assert 0 < timeline[2] <= 880
    assert protocol[0] > 0 and int(protocol[4]) * 2 in (
        protocol[0] - 1,
        protocol[0],
        protocol[0] + 1,
    )
    assert "<Figure size" not in outputs
