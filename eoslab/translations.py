"""Is every message eoslab shows translated? The catalogue's coverage, for tests and translators.

It lives above every layer because it reads them all: the `tr`/`tr_figure`/`N_` calls in the
code, the labkit questions and the dashboard's glossary, which are data translated where shown.
`eoslab.i18n` itself stays at the bottom, importable by the views, the widgets and labkit.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from .i18n.catalogue import _catalogue
from .labkit.questions import QUESTIONS
from .widgets import glossary

_PACKAGE = Path(__file__).resolve().parent
_MARKERS = {"tr", "tr_figure", "N_"}


def _literal_messages() -> Iterator[tuple[str, str]]:
    """(message, where) for every `tr("...")`, `tr_figure("...")` and `N_("...")` in eoslab."""
    for path in sorted(_PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in _MARKERS:
                continue
            first = node.args[0]
            where = f"{path.relative_to(_PACKAGE.parent)}:{node.lineno}"
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                yield first.value, where
            elif isinstance(first, ast.JoinedStr):
                raise ValueError(f"{where}: an f-string cannot be looked up; pass fields to {name}")


def english_messages() -> dict[str, str]:
    """Every message eoslab shows, in English -> where it comes from."""
    out = {m: where for m, where in _literal_messages()}
    # the questions' and the glossary's texts are data, translated where they are shown
    for qid, q in QUESTIONS.items():
        for field in ("text", "hint", "explain"):
            out.setdefault(getattr(q, field), f"labkit question {qid} ({field})")
    for term, text in glossary.TERMS:
        out.setdefault(text, f"widgets glossary: {term}")
    for column, text in glossary.COLUMN_HELP.items():
        out.setdefault(text, f"widgets column help: {column}")
    return out


def missing(lang: str) -> list[str]:
    """English messages with no translation in `lang`'s catalogue."""
    if lang == "en":
        return []
    catalogue = _catalogue(lang)
    return sorted(m for m in english_messages() if m not in catalogue)


def stale(lang: str) -> list[str]:
    """Translations whose English message no longer exists (the English was edited)."""
    known = english_messages()
    return sorted(m for m in _catalogue(lang) if m not in known)
