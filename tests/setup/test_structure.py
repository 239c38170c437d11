"""The shape of the code: no import circles between modules or packages, no oversized files, and
programs read the journal's typed fields, never its sentences.

Imports are read with `ast`, every one of them: at module level, inside functions and under
`TYPE_CHECKING`, since each of them is a dependency a reader has to follow.
"""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "eoslab"
MAX_LINES = 800
JOURNAL_READERS = ("check", "views")  # packages that read the journal


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imported(name: str, path: Path, known: set[str]) -> set[str]:
    """The eoslab modules `name` imports; `from . import x` names the module x, not the package."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            subs = {f"{base}.{a.name}" for a in node.names} & known
            found |= subs if len(subs) == len(node.names) else {base} | subs
    return {m for m in found if m in known and m != name}


def import_graph() -> dict[str, set[str]]:
    """module -> the eoslab modules it imports."""
    found = modules()
    return {name: imported(name, path, set(found)) for name, path in found.items()}


def circle(graph: dict[str, set[str]]) -> list[str]:
    """One import circle of `graph` (its modules, the first repeated at the end), or []."""
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as e:
        return list(e.args[1])
    return []


def package_graph() -> dict[str, set[str]]:
    """eoslab.broker, eoslab.client, ... as nodes (a top-level module is its own node)."""
    packages: dict[str, set[str]] = {}
    for a, imports in import_graph().items():
        pa = ".".join(a.split(".")[:2])
        packages.setdefault(pa, set())
        packages[pa] |= {".".join(b.split(".")[:2]) for b in imports} - {pa}
    return packages


def test_import_graph_sees_what_it_should() -> None:
    graph = import_graph()
    assert "eoslab.client.transaction_manager" in graph["eoslab.client.producer"]
    assert "eoslab.wire.codec" in graph["eoslab.wire.server"]  # `from . import codec`
    assert "eoslab.wire" not in graph["eoslab.wire.server"]
    assert "eoslab.broker.txn_coordinator" in graph["eoslab.broker.cluster"]
    assert circle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) in (
        ["a", "b", "c", "a"],
        ["a", "c", "b", "a"],
        ["b", "c", "a", "b"],
        ["b", "a", "c", "b"],
        ["c", "a", "b", "c"],
        ["c", "b", "a", "c"],
    )


def test_no_module_imports_itself_in_a_circle() -> None:
    assert circle(import_graph()) == []


def test_no_package_imports_itself_in_a_circle() -> None:
    packages = package_graph()
    assert circle(packages) == []
    assert packages["eoslab.broker"] <= {"eoslab._lazy"}  # the broker imports nothing above it
    assert packages["eoslab.views"] <= {"eoslab.broker", "eoslab._lazy", "eoslab.i18n"}


# docs/ARCHITECTURE.md's layers, top to bottom; a package imports only packages below it
LAYERS = [
    "eoslab.cli",
    "eoslab.translations",
    "eoslab.widgets",
    "eoslab.labkit",
    "eoslab.real",
    "eoslab.wire",
    "eoslab.check",
    "eoslab.scenarios",
    "eoslab.views",
    "eoslab.client",
    "eoslab.broker",
    "eoslab.i18n",
    "eoslab",  # the package's face
    "eoslab._lazy",
]


def test_every_package_imports_only_layers_below_it() -> None:
    packages = package_graph()
    assert set(packages) == set(LAYERS)
    upward = [
        (a, b)
        for a, imports in packages.items()
        for b in imports
        if LAYERS.index(b) <= LAYERS.index(a)
    ]
    assert upward == []
    assert "eoslab.client" not in packages["eoslab.views"]


def test_no_file_over_800_lines() -> None:
    long = {
        str(p.relative_to(ROOT)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}


def test_journal_readers_read_fields_not_sentences() -> None:
    """A module of check/ or views/ that reads the journal imports no `re`: effects are typed
    records (eoslab.broker.effects), an event says whether it failed (`Event.ok`)."""
    offenders = []
    for package in JOURNAL_READERS:
        for path in sorted((PACKAGE / package).glob("*.py")):
            text = path.read_text()
            reads_journal = any(w in text for w in ("journal", ".effects", "Event"))
            tree = ast.parse(text)
            uses_re = any(
                (isinstance(n, ast.Import) and any(a.name == "re" for a in n.names))
                or (isinstance(n, ast.ImportFrom) and n.module == "re")
                for n in ast.walk(tree)
            )
            if reads_journal and uses_re:
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
