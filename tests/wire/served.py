"""`eoslab serve` as a separate process for the tests that concern the served cluster as a user
runs it: its clock, its limits, its memory, what a crashed client leaves behind."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class Served:
    """A running `eoslab serve`; `command()` sends a stdin command and returns its answer line."""

    def __init__(self, *args: str) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.stderr = tempfile.TemporaryFile("w+")  # noqa: SIM115 (closed by stop())
        self.process = subprocess.Popen(
            [sys.executable, "-m", "eoslab.cli", "serve", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
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

    def logged(self) -> str:
        """Everything the server wrote to stderr so far (its errors and tracebacks)."""
        self.stderr.seek(0)
        return self.stderr.read()

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
        for stream in (self.process.stdin, self.process.stdout, self.stderr):
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


class RawClient:
    """One Kafka connection that sends requests built from dicts (`codec.encode_request`) and
    decodes the answers, for what no client library will send (lying batches, empty group ids)."""

    def __init__(self, bootstrap_servers: str, timeout_s: float = 10.0) -> None:
        import socket

        host, port = bootstrap_servers.split(",")[0].rsplit(":", 1)
        self.sock = socket.create_connection((host, int(port)), timeout=timeout_s)
        self.corr = 0

    def send_frame(self, frame: bytes) -> None:
        self.sock.sendall(frame)

    def read_frame(self) -> bytes | None:
        """The next response frame without its size, None if the server closed the connection."""
        size = self._exactly(4)
        if size is None:
            return None
        return self._exactly(int.from_bytes(size, "big"))

    def _exactly(self, n: int) -> bytes | None:
        out = bytearray()
        while len(out) < n:
            try:
                chunk = self.sock.recv(n - len(out))
            except ConnectionResetError:
                return None
            if not chunk:
                return None
            out += chunk
        return bytes(out)

    def call(self, api_key: int, version: int, body: dict):
        from eoslab.wire import codec

        self.corr += 1
        self.send_frame(codec.encode_request(api_key, version, self.corr, "raw", body))
        frame = self.read_frame()
        if frame is None:
            raise ConnectionError("the server closed the connection")
        corr, response = codec.decode_response(frame, api_key, version)
        assert corr == self.corr
        return response

    def close(self) -> None:
        self.sock.close()


def produce_body(records: bytes, topic: str = "t", partition: int = 0) -> dict:
    return {
        "transactional_id": None,
        "acks": -1,
        "timeout": 5_000,
        "topic_data": [
            {"name": topic, "partition_data": [{"index": partition, "records": records}]}
        ],
    }
