"""Virtual environments the set-up tests build once and keep, keyed by what decides their content.

A Binder-like environment or a fresh `pip install eoslab` takes a minute to install; the second
run of the suite reuses it while its key (the lock, the dependencies, the Python) is unchanged.
They live under ~/.cache/eoslab (or $EOSLAB_CACHE); an older one of the same kind is removed when
a new one is built, and a half-built one (no completion mark) is built again.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

CACHE = Path(os.environ.get("EOSLAB_CACHE", Path.home() / ".cache" / "eoslab"))
COMPLETE = ".eoslab-complete"


def environment(venv: Path) -> dict[str, str]:
    """The variables a shell inside `venv` has: its bin first, nothing of the test's own Python."""
    env = {
        **os.environ,
        "PATH": f"{venv / 'bin'}:{os.environ['PATH']}",
        "VIRTUAL_ENV": str(venv),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    env.pop("PYTHONPATH", None)
    env.pop("PYTHONHOME", None)
    return env


def cached_venv(kind: str, key: bytes, populate: Callable[[Path], None]) -> Path:
    """A venv named `kind-<hash of key and this Python>`, populated once by `populate(venv)`."""
    digest = hashlib.sha256(key + sys.version.encode()).hexdigest()[:16]
    venv = CACHE / f"{kind}-{digest}"
    if (venv / COMPLETE).exists():
        return venv
    for stale in CACHE.glob(f"{kind}-*"):
        shutil.rmtree(stale, ignore_errors=True)
    venv.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    populate(venv)
    (venv / COMPLETE).write_text(f"{kind} {digest}\n")
    return venv
