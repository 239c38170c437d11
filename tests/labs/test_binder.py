"""Binder: an environment built from exactly the files in binder/ runs every lab.

repo2docker installs binder/apt.txt, then `pip install -r binder/requirements.txt` (the full lock),
then runs binder/postBuild (eoslab itself, no dependencies, no build isolation); it ignores
pyproject.toml. These tests do the same in a venv on the Python binder/runtime.txt names, so a
package the lock lacks fails here, not in a learner's browser. The venv is kept under
~/.cache/eoslab/binder-<hash of the lock> (tests/setup/venvs.py): a second run only reinstalls
eoslab and runs the labs.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name

from tests.setup.venvs import cached_venv, environment

ROOT = Path(__file__).resolve().parents[2]
BINDER = ROOT / "binder"
LOCK = BINDER / "requirements.txt"
LABS = sorted((ROOT / "labs").glob("*.ipynb")) + sorted((ROOT / "labs/solutions").glob("*.ipynb"))
VENV_SEEDS = {"pip", "setuptools"}  # what `python -m venv` puts in before anything is installed

RUN_LABS = """
import sys
from pathlib import Path
import nbformat
from nbclient import NotebookClient

failed = []
paths = sorted(Path("labs").glob("*.ipynb")) + sorted(Path("labs/solutions").glob("*.ipynb"))
for path in paths:
    nb = nbformat.read(path, as_version=4)
    try:
        NotebookClient(nb, timeout=180, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    except Exception as e:
        failed.append(f"{path}: {type(e).__name__}: {str(e)[-300:]}")
print(f"ran {len(paths)} notebooks, {len(failed)} failed")
print("\\n".join(failed))
sys.exit(1 if failed else 0)
"""

# What the lock must hold, computed from what is installed: eoslab's requirements and
# binder/requirements.in's, followed through every package's own requirements (with extras and
# environment markers) — the set a resolver would pin.
CLOSURE = """
import json, sys
from importlib.metadata import distribution
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

def requires(name, extras):
    found = []
    for text in distribution(name).requires or []:
        req = Requirement(text)
        if req.marker is None or any(req.marker.evaluate({"extra": e}) for e in extras or {""}):
            found.append(req)
    return found

todo = [Requirement(r) for r in sys.argv[1:]] + requires("eoslab", set())
seen = {}
while todo:
    req = todo.pop()
    name = canonicalize_name(req.name)
    extras = set(req.extras)
    if name in seen and extras <= seen[name]:
        continue
    seen[name] = seen.get(name, set()) | extras
    todo.extend(requires(name, seen[name]))
print(json.dumps(sorted(seen)))
"""


def lock_pins() -> dict[str, str]:
    return dict(re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", LOCK.read_text(), re.M))


def runtime_python() -> str:
    runtime = (BINDER / "runtime.txt").read_text().strip()
    assert re.fullmatch(r"python-3\.\d+", runtime), runtime
    return runtime.removeprefix("python-")


def _install_lock(venv: Path) -> None:
    # exactly repo2docker's command (its Dockerfile: `pip install --no-cache-dir -r ...`)
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "-r", str(LOCK)],
        cwd=ROOT,
        env=environment(venv),
        check=True,
        timeout=1200,
    )


@pytest.fixture(scope="module")
def binder_venv() -> Path:
    if f"{sys.version_info.major}.{sys.version_info.minor}" != runtime_python():
        pytest.skip(f"binder/runtime.txt names Python {runtime_python()}; this is {sys.version}")
    venv = cached_venv("binder", LOCK.read_bytes(), _install_lock)
    # postBuild as Binder runs it: from the repository root, with the image's python on PATH
    subprocess.run(
        ["bash", "binder/postBuild"],
        cwd=ROOT,
        env=environment(venv),
        check=True,
        timeout=600,
        capture_output=True,
    )
    return venv


def test_binder_files_are_what_repo2docker_reads() -> None:
    assert runtime_python() == "3.11"  # the Python CI tests on, so this test is Binder's build
    post_build = (BINDER / "postBuild").read_text()
    assert "set -euo pipefail" in post_build
    assert "python -m pip install --no-deps --no-build-isolation ." in post_build
    assert os.access(BINDER / "postBuild", os.X_OK)
    apt = [
        line.partition("#")[0].strip()
        for line in (BINDER / "apt.txt").read_text().splitlines()
        if line.partition("#")[0].strip()
    ]
    assert apt == ["fonts-nanum"]  # a Hangul font for the Korean edition's figures


def test_binder_installs_eoslab_from_this_checkout(binder_venv: Path) -> None:
    python = binder_venv / "bin" / "python"
    where = subprocess.run(
        [str(python), "-c", "import eoslab.cli, pathlib; print(eoslab.cli.__file__)"],
        cwd=ROOT / "labs",
        env=environment(binder_venv),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    installed = Path(where)
    assert installed.is_relative_to(binder_venv)  # the wheel postBuild built, not the checkout
    assert installed.read_bytes() == (ROOT / "eoslab" / "cli.py").read_bytes()


def test_the_lock_is_closed_and_holds_nothing_else(binder_venv: Path) -> None:
    python = str(binder_venv / "bin" / "python")
    env = environment(binder_venv)
    check = subprocess.run(
        [python, "-m", "pip", "check"], env=env, capture_output=True, text=True, timeout=120
    )
    assert check.stdout.strip() == "No broken requirements found.", check.stdout
    extra_inputs = [
        line.partition("#")[0].strip()
        for line in (BINDER / "requirements.in").read_text().splitlines()
        if line.partition("#")[0].strip()
    ]
    closure = subprocess.run(
        [python, "-c", CLOSURE, *extra_inputs],
        env=env,
        cwd=binder_venv,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert set(json.loads(closure)) == {canonicalize_name(n) for n in lock_pins()}
    frozen = subprocess.run(
        [python, "-m", "pip", "freeze", "--all", "--exclude", "eoslab"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    installed = {
        canonicalize_name(name): version
        for name, version in re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)$", frozen, re.M)
        if canonicalize_name(name) not in VENV_SEEDS
    }
    # every pin installed at its version, and nothing installed that is not pinned
    assert installed == {canonicalize_name(n): v for n, v in lock_pins().items()}


def test_every_lab_runs_in_a_binder_built_environment(binder_venv: Path) -> None:
    # each kernel starts in the lab's own folder, so it imports the eoslab postBuild installed
    result = subprocess.run(
        [str(binder_venv / "bin" / "python"), "-c", RUN_LABS],
        cwd=ROOT,
        env=environment(binder_venv),
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert result.stdout.startswith(f"ran {len(LABS)} notebooks, 0 failed"), result.stdout
