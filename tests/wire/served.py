"""`eoslab serve` as a separate process for the tests that concern the served cluster as a user
runs it: its clock, its limits, its memory, what a crashed client leaves behind."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class Served:
    """A running `eoslab serve`; `command()` sends a stdin command and returns its answer line."""

    def __init__(self, *args: str) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "eoslab.cli", "serve", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        line = self.process.stdout.readline()  # type: ignore[union-attr]
        if "serving the Kafka protocol on" not in line:
            self.stop()
            raise RuntimeError(f"eoslab serve did not start: {line!r}")
        self.bootstrap_servers = line.split(" on ")[1].split()[0]

    def command(self, text: str) -> str:
        self.process.stdin.write(text + "\n")  # type: ignore[union-attr]
        self.process.stdin.flush()  # type: ignore[union-attr]
        return self.process.stdout.readline().strip()  # type: ignore[union-attr]

    def now_ms(self) -> int:
        return int(self.command("time").split()[1])

    def rss_bytes(self) -> int:
        """The server process's resident memory (Linux)."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        raise RuntimeError("no VmRSS")

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                self.process.stdin.write("quit\n")  # type: ignore[union-attr]
                self.process.stdin.flush()  # type: ignore[union-attr]
                self.process.wait(10)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait(10)
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


def wait_for(predicate, timeout_s: float, interval_s: float = 0.05):
    """Poll `predicate` until it returns something truthy (returned) or `timeout_s` passes (None)."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval_s)
