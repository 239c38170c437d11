"""docs/classroom.md: the image repo2docker would build from binder/, and the JupyterHub config.

repo2docker runs with --no-build (no Docker daemon is needed to print the Dockerfile it would
build); the config.yaml in the guide is parsed and checked against that command and `eoslab lab`.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
GUIDE = (ROOT / "docs" / "classroom.md").read_text(encoding="utf-8")


def repo2docker_command() -> list[str]:
    (line,) = [line for line in GUIDE.splitlines() if line.startswith("repo2docker ")]
    return shlex.split(line)


def config() -> dict:
    (block,) = re.findall(r"```yaml\n(.*?)```", GUIDE, re.S)
    return yaml.safe_load(block)


def test_repo2docker_builds_binders_python_font_lock_and_post_build() -> None:
    pytest.importorskip("repo2docker", reason="jupyter-repo2docker is a test extra")
    *options, _repository = repo2docker_command()[1:]
    result = subprocess.run(
        [sys.executable, "-m", "repo2docker", "--no-build", "--debug", *options, str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    dockerfile = result.stdout + result.stderr
    assert "Building conda environment for python=3.11" in dockerfile
    assert "apt-get install --yes --no-install-recommends fonts-nanum" in dockerfile
    lines = [line.strip() for line in dockerfile.splitlines()]
    assert (
        'RUN ${KERNEL_PYTHON_PREFIX}/bin/pip install --no-cache-dir -r "binder/requirements.txt"'
        in lines
    )
    assert "RUN ./binder/postBuild" in lines
    # the lock goes in before the repository is copied, then postBuild builds eoslab from it
    assert lines.index("RUN ./binder/postBuild") > lines.index(
        'RUN ${KERNEL_PYTHON_PREFIX}/bin/pip install --no-cache-dir -r "binder/requirements.txt"'
    )


def test_the_hub_runs_the_image_repo2docker_builds() -> None:
    command = repo2docker_command()
    image = command[command.index("--image-name") + 1]
    single_user = config()["singleuser"]
    assert f"{single_user['image']['name']}:{single_user['image']['tag']}" == image
    assert command[command.index("--target-repo-dir") + 1] == "/srv/eoslab"  # not the home
    assert command[command.index("--user-name") + 1] == "jovyan"


def test_each_learner_gets_the_labs_in_their_own_volume() -> None:
    single_user = config()["singleuser"]
    hook = single_user["lifecycleHooks"]["postStart"]["exec"]["command"]
    assert hook[:2] == ["sh", "-c"]
    assert shlex.split(hook[2])[:4] == ["eoslab", "lab", "$HOME/eoslab-labs", "--dry-run"]
    assert single_user["defaultUrl"] == "/lab/tree/eoslab-labs/00_start_here.ipynb"
    assert (ROOT / "labs" / "00_start_here.ipynb").exists()
    assert single_user["storage"]["capacity"] == "1Gi"
    assert (single_user["memory"]["guarantee"], single_user["memory"]["limit"]) == ("512M", "1G")
    assert config()["cull"] == {"enabled": True, "timeout": 3600, "every": 600}
