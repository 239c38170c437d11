"""Lazy package exports (PEP 562, `eoslab._lazy`): `import eoslab` loads nothing heavy, and every
exported name still resolves to the object its module defines."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import types

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAZY_PACKAGES = (
    "eoslab",
    "eoslab.broker",
    "eoslab.check",
    "eoslab.client",
    "eoslab.scenarios",
    "eoslab.views",
    "eoslab.widgets",
)


def _fresh(code: str) -> str:
    """Run `code` in a fresh interpreter (nothing imported yet) and return what it printed."""
    env = {**os.environ, "PYTHONPATH": ROOT}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout.strip()


def test_import_eoslab_loads_no_plotting_table_or_widget_library():
    loaded = _fresh(
        "import sys, eoslab\n"
        "heavy = ('matplotlib', 'pandas', 'ipywidgets', 'numpy', 'eoslab.broker.cluster')\n"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    assert loaded == "[]"


@pytest.mark.parametrize("package", ["eoslab.client", "eoslab.views", "eoslab.widgets"])
def test_importing_a_layer_package_loads_none_of_its_modules(package):
    """`from eoslab.widgets import lab` pays for the dashboards only, not for every view."""
    loaded = _fresh(
        f"import sys, {package}\n"
        "heavy = ('matplotlib', 'pandas', 'ipywidgets', 'eoslab.broker.cluster')\n"
        f"mine = [m for m in sys.modules if m.startswith('{package}.')]\n"
        "print(sorted(m for m in heavy if m in sys.modules), mine)"
    )
    assert loaded == "[] []"


def test_the_first_use_of_a_name_imports_its_module():
    loaded = _fresh(
        "import sys, eoslab\n"
        "before = 'eoslab.broker.cluster' in sys.modules\n"
        "cluster = eoslab.Cluster()\n"
        "print(before, 'eoslab.broker.cluster' in sys.modules, type(cluster).__module__)"
    )
    assert loaded == "False True eoslab.broker.cluster"


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_every_exported_name_is_its_defining_modules_object(package):
    module = importlib.import_module(package)
    assert isinstance(module, types.ModuleType)
    assert module.__all__ == sorted(module._lazy_exports)
    for name in module.__all__:
        where = importlib.import_module(module._lazy_exports[name], package)
        defined = where if name in module._lazy_submodules else getattr(where, name)
        assert getattr(module, name) is defined, name
        assert name in dir(module)
    with pytest.raises(AttributeError, match=f"module '{package}' has no attribute 'nope'"):
        module.nope  # noqa: B018


def test_a_function_named_after_its_submodule_keeps_the_name():
    """eoslab.check.report imports submodule .aborted_read before anyone asks for the function
    aborted_read: the package still exports the function, as an eager import would have."""
    shown = _fresh(
        "import sys, eoslab.check, eoslab.check.report\n"
        "from eoslab.check import aborted_read\n"
        "print(type(eoslab.check.aborted_read).__name__, aborted_read.__module__,\n"
        "      type(sys.modules['eoslab.check.aborted_read']).__name__)"
    )
    assert shown == "function eoslab.check.aborted_read module"


def test_a_package_can_export_submodules_and_names_lazily(tmp_path):
    """What eoslab.views would declare: names from submodules and a submodule (`style`)."""
    package = tmp_path / "lazypkg"
    package.mkdir()
    (package / "__init__.py").write_text(
        "from eoslab._lazy import lazy_exports\n"
        "__all__ = lazy_exports(__name__, {'.a': ['a', 'B']}, submodules=['style'])\n"
    )
    (package / "a.py").write_text("import sys\nB = 2\n\ndef a():\n    return 'a'\n")
    (package / "style.py").write_text("COLOR = 'teal'\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([ROOT, str(tmp_path)])}
    code = (
        "import sys, lazypkg\n"
        "print(lazypkg.__all__, 'lazypkg.a' in sys.modules, 'lazypkg.style' in sys.modules)\n"
        "print(lazypkg.style.COLOR, 'lazypkg.style' in sys.modules)\n"
        "import lazypkg.a\n"
        "from lazypkg import a, B\n"
        "print(lazypkg.a(), a is lazypkg.a, B)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.splitlines() == [
        "['B', 'a', 'style'] False False",
        "teal True",
        "a True 2",
    ]
