"""Binder: a fresh environment built from exactly the files in binder/ runs every lab.

repo2docker installs binder/requirements.txt, then runs binder/postBuild (which installs eoslab
itself without dependencies), and ignores pyproject.toml. This test does the same in a new venv,
so a dependency eoslab needs but Binder does not pin fails here, not in a learner's browser.
(Binder uses the Python of binder/runtime.txt; the test uses the Python running the tests.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
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


def test_runtime_and_pins_are_what_binder_needs() -> None:
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.12"
    pins = [
        line
        for line in (ROOT / "binder" / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert pins and all("==" in line for line in pins), pins
    post_build = (ROOT / "binder" / "postBuild").read_text()
    assert "set -euo pipefail" in post_build
    assert "--no-deps" in post_build
    assert os.access(ROOT / "binder" / "postBuild", os.X_OK)


def test_every_lab_runs_in_a_binder_built_environment(tmp_path: Path) -> None:
    venv = tmp_path / "binder-venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    env = {
        **os.environ,
        "PATH": f"{venv / 'bin'}:{os.environ['PATH']}",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    env.pop("PYTHONPATH", None)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "-r", "binder/requirements.txt"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=1200,
    )
    subprocess.run(["bash", "binder/postBuild"], cwd=ROOT, env=env, check=True, timeout=600)
    # each kernel starts in the lab's own folder, so it imports the eoslab postBuild installed
    result = subprocess.run(
        [str(python), "-c", RUN_LABS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert result.stdout.startswith("ran "), result.stdout
