"""`pip install eoslab` then `eoslab lab` works outside a checkout.

The wheel is built from this checkout and installed in a venv of its own (its dependencies kept
in ~/.cache/eoslab/wheel-<hash>, the wheel itself reinstalled every run); `eoslab lab` runs from
an empty folder, where only the wheel can supply the labs.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
import zipfile
from pathlib import Path

import pytest

from eoslab.cli import main
from tests.setup.venvs import cached_venv, environment

ROOT = Path(__file__).resolve().parents[2]
LABS = sorted(p.relative_to(ROOT / "labs") for p in (ROOT / "labs").rglob("*.ipynb"))
AS_ROOT = ["--allow-root"] if os.geteuid() == 0 else []


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        check=True,
        timeout=600,
    )
    (built,) = out.glob("eoslab-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path) -> Path:
    """A venv with the wheel installed as pip installs it, dependencies and all."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    key = repr((project["dependencies"], project["requires-python"])).encode()

    def install_dependencies(venv: Path) -> None:
        subprocess.run(
            [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
            env=environment(venv),
            check=True,
            timeout=1200,
        )

    venv = cached_venv("wheel", key, install_dependencies)
    subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--force-reinstall",
            "--no-deps",
            str(wheel),
        ],
        env=environment(venv),
        check=True,
        timeout=600,
    )
    return venv


def eoslab(venv: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(venv / "bin" / "eoslab"), *args],
        cwd=cwd,
        env=environment(venv),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_wheel_carries_the_labs_and_the_license(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        for lab in LABS:
            assert z.read(f"eoslab/_labs/{lab}") == (ROOT / "labs" / lab).read_bytes()
        metadata = z.read("eoslab-0.1.0.dist-info/METADATA").decode()
        license_text = z.read("eoslab-0.1.0.dist-info/licenses/LICENSE")
    # 9 labs and 8 solutions, in English and in Korean (labs/ko)
    assert len([n for n in names if n.startswith("eoslab/_labs/")]) == len(LABS) == 34
    assert "eoslab/_labs/ko/00_start_here.ipynb" in names
    assert "License-Expression: Apache-2.0" in metadata.splitlines()
    assert license_text == (ROOT / "LICENSE").read_bytes()
    assert b"Apache License\n                           Version 2.0" in license_text


def test_pip_check_passes_after_installing_the_wheel(installed: Path) -> None:
    check = subprocess.run(
        [str(installed / "bin" / "python"), "-m", "pip", "check"],
        env=environment(installed),
        capture_output=True,
        text=True,
    )
    assert check.stdout.strip() == "No broken requirements found."


def test_eoslab_lab_copies_the_labs_then_keeps_the_learners_edits(
    installed: Path, tmp_path: Path
) -> None:
    first = eoslab(installed, tmp_path, "lab", "--dry-run", "--no-browser", "--port", "8890")
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines() == [
        "copied 34 labs into eoslab-labs",
        " ".join(
            [
                str(installed / "bin" / "python"),
                "-m",
                "jupyter",
                "lab",
                "--notebook-dir=eoslab-labs",
                *AS_ROOT,
                "--no-browser",
                "--port",
                "8890",
            ]
        ),
    ]
    labs = tmp_path / "eoslab-labs"
    assert sorted(p.relative_to(labs) for p in labs.rglob("*.ipynb")) == LABS
    assert (labs / "00_start_here.ipynb").read_bytes() == (
        ROOT / "labs" / "00_start_here.ipynb"
    ).read_bytes()

    edited = labs / "01_idempotent_producer.ipynb"
    edited.write_text("my answers")
    (labs / "solutions" / "05_consume_process_produce.ipynb").unlink()
    again = eoslab(installed, tmp_path, "lab", "--dry-run")
    assert again.stdout.splitlines()[0] == "copied 1 labs into eoslab-labs"
    assert edited.read_text() == "my answers"  # never overwritten
    assert (labs / "solutions" / "05_consume_process_produce.ipynb").exists()

    reset = eoslab(installed, tmp_path, "lab", "--reset", "--dry-run")
    assert reset.stdout.splitlines()[:2] == [
        "your previous labs are kept in eoslab-labs.backup-1",
        "copied 34 labs into eoslab-labs",
    ]
    assert (tmp_path / "eoslab-labs.backup-1" / edited.name).read_text() == "my answers"
    assert edited.read_bytes() == (ROOT / "labs" / edited.name).read_bytes()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_eoslab_lab_starts_jupyterlab_on_the_copied_labs(installed: Path, tmp_path: Path) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [
            str(installed / "bin" / "eoslab"),
            "lab",
            "class",
            "--no-browser",
            f"--port={port}",
            "--ServerApp.ip=127.0.0.1",
            "--IdentityProvider.token=eos",
        ],
        cwd=tmp_path,
        env={**environment(installed), "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        listing = None
        deadline = time.monotonic() + 90
        while listing is None and time.monotonic() < deadline:
            assert server.poll() is None, server.stdout.read() if server.stdout else ""
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/api/contents?token=eos", timeout=5
                ) as response:
                    listing = response.read().decode()
            except OSError:
                time.sleep(0.5)
        assert listing is not None, "JupyterLab did not answer within 90 s"
        names = sorted(re.findall(r'"name": ?"([^"]+\.ipynb)"', listing))
        assert names == sorted(str(p) for p in LABS if p.parent == Path("."))
    finally:
        server.terminate()
        server.wait(timeout=30)


# -- the command line, in-process (the labs come from this checkout) ------------------------------


@pytest.mark.parametrize(
    ("argv", "folder", "passed_on"),
    [
        (["lab"], "eoslab-labs", []),
        (["lab", "--no-browser"], "eoslab-labs", ["--no-browser"]),
        (["lab", "--port", "8890"], "eoslab-labs", ["--port", "8890"]),  # 8890 is not DIR
        (["lab", "course", "--port", "8890"], "course", ["--port", "8890"]),
        (["lab", "--reset", "course", "--port=8890"], "course", ["--port=8890"]),
        (["lab", "--no-browser", "course"], "eoslab-labs", ["--no-browser", "course"]),  # DIR first
        (["lab", "--dry", "--debug"], "eoslab-labs", ["--dry", "--debug"]),  # no abbreviations
        (["lab", "course", "--", "--port", "8890"], "course", ["--port", "8890"]),
    ],
)
def test_lab_arguments_split_between_eoslab_and_jupyterlab(
    argv: list[str],
    folder: str,
    passed_on: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(os, "execv", lambda *_: pytest.fail("--dry-run must not start JupyterLab"))
    assert main(["lab", "--dry-run", *argv[1:]]) == 0
    command = capsys.readouterr().out.splitlines()[-1].split(" ")
    assert command == [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        f"--notebook-dir={folder}",
        *AS_ROOT,
        *passed_on,
    ]
    assert len(list((tmp_path / folder).rglob("*.ipynb"))) == 34


def test_other_commands_still_refuse_unknown_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["demo", "--no-browser"])
    assert exit_.value.code == 2
    assert "unrecognized arguments: --no-browser" in capsys.readouterr().err


def test_reset_refuses_the_checkouts_own_labs(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit, match="holds eoslab's own labs"):
        main(["lab", str(ROOT / "labs"), "--reset", "--dry-run"])
    assert sorted(p.relative_to(ROOT / "labs") for p in (ROOT / "labs").rglob("*.ipynb")) == LABS
