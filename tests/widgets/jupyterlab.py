"""JupyterLab 4 on 127.0.0.1 and headless Chromium driven by Playwright: the harness of the
browser tests (tests/widgets/test_browser.py, tests/views/test_browser_figure.py,
tests/labs/test_korean_browser.py) and of the browser benchmark (bench.widgets).

`serving(root, notebooks)` starts JupyterLab over a directory of notebooks with a token and
throw-away config, data and runtime directories, and stops every server and kernel it started by
process id; `running_lab(root)` writes a notebook (a dashboard by default) and serves it.
`open_notebook(browser, lab, name)` opens a notebook and runs it top to bottom; `open_dashboard`
also waits for the dashboard. `click` waits until the status element's action number moves: the
update is done.

Chromium is Debian's (`apt-get install chromium`, which `./run test` does when it is missing);
Playwright's own browser download is not used. Every wait is bounded.
"""

from __future__ import annotations

import contextlib
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
from typing import Any

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


def _notebook(cells: list[str]) -> dict:
    return {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "metadata": {},
                "outputs": [],
                "source": source,
            }
            for source in cells
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


@contextlib.contextmanager
def running_lab(
    root: Path, cells: list[str] | None = None, name: str = "dashboard.ipynb"
) -> Iterator[Lab]:
    """A lab serving one notebook, `name`, of `cells` (the dashboard's by default)."""
    notebooks = root / "notebooks"
    notebooks.mkdir()
    (notebooks / name).write_text(json.dumps(_notebook(cells or NOTEBOOK_CELLS)), encoding="utf-8")
    with serving(root, notebooks) as lab:
        yield lab


@contextlib.contextmanager
def serving(root: Path, notebooks: Path, unset: tuple[str, ...] = ()) -> Iterator[Lab]:
    """JupyterLab over the notebooks in `notebooks`, its config and state under `root`; the
    environment variables in `unset` are not passed on to the server and its kernels."""
    env = dict(os.environ)
    for name in unset:
        env.pop(name, None)
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
                log_text = (root / "jupyterlab.log").read_text()[-2000:]
                raise RuntimeError(f"JupyterLab exited: {log_text}")
            try:
                server.api("GET", "/api/status")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"JupyterLab did not answer within {SERVER_START_S} s"
                    ) from None
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


def status(page: Any) -> int:
    value = page.get_attribute(".eoslab-status-text", "data-action")
    return int(value or 0)


def click(page: Any, selector: str) -> int:
    """Click, then wait for the status element's action number to move: the update is done."""
    before = status(page)
    page.locator(selector).first.click()
    page.wait_for_function(
        "(n) => { const e = document.querySelector('.eoslab-status-text');"
        " return e !== null && Number(e.dataset.action) > n; }",
        arg=before,
        timeout=STEP_MS,
    )
    return status(page)


def image(page: Any, selector: str) -> tuple[str, int]:
    """(src, natural width) of an ipywidgets Image, once it has loaded."""
    page.wait_for_function(
        "(s) => { const i = document.querySelector(s); return i && i.complete && i.naturalWidth > 0; }",
        arg=selector,
        timeout=STEP_MS,
    )
    src = page.get_attribute(selector, "src") or ""
    width = page.evaluate("(s) => document.querySelector(s).naturalWidth", selector)
    return src, int(width)


def launch(pw: Any) -> Any:
    return pw.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True, timeout=STEP_MS
    )


def open_notebook(browser: Any, lab: Lab, name: str, width: int, height: int) -> Any:
    """A page at width x height showing the notebook `name`, once its kernel is idle and every
    cell has been sent to run."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.set_default_timeout(STEP_MS)
    page.goto(f"{lab.url}/lab/tree/{name}?token={lab.token}")
    page.wait_for_function(
        "() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
        " const k = w && w.sessionContext && w.sessionContext.session"
        " && w.sessionContext.session.kernel;"
        " return k && k.status === 'idle'; }",
        timeout=STEP_MS,
    )
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    return page


def note_kernel_pid(page: Any, lab: Lab) -> None:
    """Records the pid a cell printed as `kernel pid N`, to stop that kernel afterwards."""
    pid_text = page.locator(".jp-OutputArea-output", has_text="kernel pid").first
    pid_text.wait_for(timeout=STEP_MS)
    lab.kernel_pids.append(int(pid_text.inner_text().split()[-1]))


def ask_kernel_pid(page: Any, lab: Lab) -> None:
    """Records the pid of the current notebook's kernel, asked of the kernel itself (for
    notebooks that do not print it), to stop that kernel afterwards."""
    lab.kernel_pids.append(
        page.evaluate(
            "async () => { const k = window.jupyterapp.shell.currentWidget"
            ".sessionContext.session.kernel; const f = k.requestExecute({code:"
            " 'import os; print(os.getpid())'}); let pid = 0;"
            " f.onIOPub = (m) => { if (m.content.text) pid = Number(m.content.text); };"
            " await f.done; return pid; }"
        )
    )


def open_dashboard(browser: Any, lab: Lab, width: int = 1400, height: int = 900) -> Any:
    """A page at width x height showing the notebook's dashboard, run top to bottom; returns the
    page once the dashboard is ready (and records the kernel's pid to stop it afterwards)."""
    page = open_notebook(browser, lab, "dashboard.ipynb", width, height)
    page.wait_for_selector(".eoslab-status-text", timeout=STEP_MS)
    note_kernel_pid(page, lab)
    image(page, ".eoslab-offset-timeline")
    return page


def in_viewport(page: Any, selector: str) -> bool:
    """The element's whole box is inside the window (and it has a size)."""
    return bool(
        page.evaluate(
            "(s) => { const e = document.querySelector(s); if (!e) return false;"
            " const r = e.getBoundingClientRect();"
            " return r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0"
            " && r.bottom <= window.innerHeight && r.right <= window.innerWidth; }",
            selector,
        )
    )


def scroll_to(page: Any, selector: str) -> None:
    """The file browser folded away and `selector` scrolled into the window."""
    page.evaluate("() => window.jupyterapp.shell.collapseLeft()")
    page.evaluate("(s) => document.querySelector(s).scrollIntoView()", selector)
    page.wait_for_timeout(300)


def screenshot(page: Any, path: Path, colors: int = 128) -> Path:
    """The window as the learner sees it, as a small palette PNG."""
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))
    Image.open(path).convert("RGB").quantize(colors=colors).save(path, optimize=True)
    return path


def artifacts_dir(tmp_path: Path, test_name: str) -> Path:
    """Where a test's screenshots go: $EOSLAB_ARTIFACTS/<test>, else the test's temporary
    directory."""
    root = os.environ.get("EOSLAB_ARTIFACTS")
    path = Path(root) / test_name if root else tmp_path / "artifacts"
    path.mkdir(parents=True, exist_ok=True)
    return path
