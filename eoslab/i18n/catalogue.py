"""The current language, the lookup, and the list of every English message (for the tests)."""

from __future__ import annotations

import ast
import importlib
import os
import warnings
from collections.abc import Iterator
from pathlib import Path

ENV = "EOSLAB_LANG"  # e.g. EOSLAB_LANG=ko, or a locale such as ko_KR.UTF-8
LANGUAGES = ("en", "ko")  # en is the source: its catalogue is the messages themselves

_chosen: str | None = None  # set_language's choice; None: the environment's, else English
_no_font_warned = False


def _normalise(value: str) -> str | None:
    """'ko', 'ko_KR.UTF-8', 'ko-KR', 'KO' -> 'ko'; anything not in LANGUAGES -> None."""
    code = value.strip().replace("-", "_").split(".")[0].split("_")[0].lower()
    return code if code in LANGUAGES else None


def set_language(lang: str) -> None:
    """Show everything eoslab writes in `lang` ('en' or 'ko') from now on."""
    code = _normalise(lang) if isinstance(lang, str) else None
    if code is None:
        raise ValueError(f"unknown language {lang!r}: choose one of {', '.join(LANGUAGES)}")
    global _chosen, _no_font_warned
    _chosen = code
    _no_font_warned = False
    if code != "en":
        from . import fonts

        fonts.configure()  # Hangul glyphs for matplotlib, if a Hangul font is installed


def language() -> str:
    """The language in use: set_language's, else EOSLAB_LANG's, else 'en'."""
    if _chosen is not None:
        return _chosen
    return _normalise(os.environ.get(ENV, "")) or "en"


def _catalogue(lang: str) -> dict[str, str]:
    if lang == "en":
        return {}
    return importlib.import_module(f".{lang}", __package__).MESSAGES


def tr(message: str, /, **fields: object) -> str:
    """`message` in the current language (the English if it has no translation), with `fields`
    filled in as str.format does."""
    lang = language()
    text = message if lang == "en" else _catalogue(lang).get(message, message)
    return text.format(**fields) if fields else text


def tr_figure(message: str, /, **fields: object) -> str:
    """`tr` for text matplotlib draws: English, with one warning, where no font has the glyphs."""
    lang = language()
    if lang != "en":
        from . import fonts

        if not fonts.configure():
            global _no_font_warned
            if not _no_font_warned:
                _no_font_warned = True
                warnings.warn(fonts.NO_FONT_WARNING, UserWarning, stacklevel=2)
            return message.format(**fields) if fields else message
    return tr(message, **fields)


def N_(message: str) -> str:
    """Mark `message` as one to translate where it is shown (it is returned unchanged)."""
    return message


# -- every English message, for the tests and for translators ----------------------------------
_PACKAGE = Path(__file__).resolve().parents[1]
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
    from ..labkit.questions import QUESTIONS  # their texts are data, translated where shown

    for qid, q in QUESTIONS.items():
        for field in ("text", "hint", "explain"):
            out.setdefault(getattr(q, field), f"labkit question {qid} ({field})")
    from ..widgets import glossary  # the dashboard's glossary and column help: data too

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
