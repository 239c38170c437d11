"""The current language, the lookup, and the list of every English message (for the tests)."""

from __future__ import annotations

import importlib
import os
import warnings

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
