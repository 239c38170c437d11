"""Lazy exports for eoslab's packages (PEP 562): a package's names are imported on first use.

`import eoslab` then costs milliseconds, and pandas, matplotlib or ipywidgets load only when a
name that needs them is first touched. A package calls `lazy_exports(__name__, {...})` with, for
each submodule, the names it exports (and, with `submodules`, the submodules it exposes as
attributes, like an eager `from . import style`); `__all__`, `dir()` and `from package import
name` behave as with eager imports.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Iterable, Mapping


class LazyPackage(types.ModuleType):
    """A package module whose exports resolve on first attribute access."""

    _lazy_exports: dict[str, str]  # exported name -> relative module that defines it
    _lazy_submodules: frozenset[str]  # exported submodules

    def _resolve(self, name: str) -> object:
        module = importlib.import_module(self._lazy_exports[name], self.__name__)
        value = module if name in self._lazy_submodules else getattr(module, name)
        types.ModuleType.__setattr__(self, name, value)
        return value

    def __getattr__(self, name: str) -> object:  # PEP 562: only for names not already bound
        if name in self.__dict__.get("_lazy_exports", ()):
            return self._resolve(name)
        raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")

    def __setattr__(self, name: str, value: object) -> None:
        # Importing submodule `package.x` binds `package.x` to that module. Where `x` is also an
        # exported name (a function named after its module), the export keeps the name, as an
        # eager `from .x import x` in __init__ had it.
        exports = self.__dict__.get("_lazy_exports", {})
        if (
            isinstance(value, types.ModuleType)
            and name in exports
            and value.__name__ == f"{self.__name__}.{name}"
        ):
            self._resolve(name)
            return
        types.ModuleType.__setattr__(self, name, value)

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self._lazy_exports))


def lazy_exports(
    package: str, exports: Mapping[str, Iterable[str]], submodules: Iterable[str] = ()
) -> list[str]:
    """Make `package` lazy: `exports` maps a relative submodule ('.cluster') to its names;
    `submodules` are exported as modules ('style' for `package.style`). Returns the sorted
    names, for `__all__`."""
    module = sys.modules[package]
    names = {name: where for where, those in exports.items() for name in those}
    names.update({name: f".{name}" for name in submodules})
    module._lazy_exports = names  # type: ignore[attr-defined]
    module._lazy_submodules = frozenset(submodules)  # type: ignore[attr-defined]
    module.__class__ = LazyPackage
    return sorted(names)
