"""`eoslab serve`'s options: loopback unless --allow-remote (said in --help), the clock modes,
broker settings with --config."""

from __future__ import annotations

import subprocess
import sys

import pytest

from eoslab import Cluster
from eoslab.cli import main
from eoslab.wire import WireServer

from .served import ROOT, Served

ck = pytest.importorskip("confluent_kafka")


def test_help_says_loopback_only_and_how_the_clock_moves(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as info:
        main(["serve", "--help"])
    assert info.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "Binding: 127.0.0.1 only" in text
    assert "--allow-remote permits another --host (e.g. 0.0.0.0)" in text
    assert "--clock wall (the default)" in text
    assert "advance MS move the clock MS milliseconds forward" in text


def test_a_remote_host_needs_allow_remote() -> None:
    r = subprocess.run(
        [sys.executable, "-m", "eoslab.cli", "serve", "--host", "0.0.0.0"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT)},
        timeout=30,
    )
    assert r.returncode == 2
    assert "binding '0.0.0.0' needs allow_remote=True (eoslab serve --allow-remote)" in r.stderr
    with pytest.raises(ValueError, match="loopback interface only"):
        WireServer(Cluster(), "0.0.0.0")


def test_allow_remote_binds_every_interface_and_advertises_the_given_host(
    request: pytest.FixtureRequest,
) -> None:
    served = Served(
        "--allow-remote", "--host", "0.0.0.0", "--advertised-host", "127.0.0.1", "--topic", "t:3"
    )
    request.addfinalizer(served.stop)
    assert served.bootstrap_servers.startswith("127.0.0.1:")
    from confluent_kafka.admin import AdminClient

    admin = AdminClient({"bootstrap.servers": served.bootstrap_servers})
    md = admin.list_topics(timeout=10)
    assert len(md.topics["t"].partitions) == 3
    assert [(b.host, b.port) for b in md.brokers.values()] == [
        ("127.0.0.1", int(served.bootstrap_servers.rsplit(":", 1)[1]))
    ]


def test_config_sets_broker_settings_and_refuses_unknown_ones() -> None:
    served = Served("--clock", "manual", "--config", "message.max.bytes=100")
    try:
        p = ck.Producer({"bootstrap.servers": served.bootstrap_servers, "log_level": 0})
        reports: list = []
        p.produce("t", value=b"x" * 200, on_delivery=lambda e, m: reports.append(e))
        p.flush(10)
        assert [e.code() for e in reports] == [ck.KafkaError.MSG_SIZE_TOO_LARGE]
    finally:
        served.stop()
    r = subprocess.run(
        [sys.executable, "-m", "eoslab.cli", "serve", "--config", "no.such.setting=1"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT)},
        timeout=30,
    )
    assert r.returncode == 1
    assert "unknown broker setting 'no.such.setting=1'" in r.stderr


def test_wire_server_refuses_unknown_clock_modes() -> None:
    with pytest.raises(ValueError, match="clock must be one of"):
        WireServer(Cluster(), clock="fast")
    with pytest.raises(ValueError, match="tick_ms must be a positive"):
        WireServer(Cluster(), tick_ms=0)
