"""One message catalogue for what a learner reads: labkit's questions, hints and verdicts, the
dashboards' labels, banners and "what changed" lines, and the figures' titles, legends and
captions.

    import eoslab
    eoslab.set_language("ko")          # or EOSLAB_LANG=ko in the environment; English by default

A message is its English text (gettext's convention: the English is the key, so a call site reads
as what it prints); `tr(message, **fields)` looks it up in the current language's catalogue
(`ko.py`) and falls back to the English when a translation is missing. `N_` marks a message kept
in a constant and translated where it is shown. Figures use `tr_figure`: with no Hangul font
installed it keeps the English, with one warning, rather than draw empty boxes (`fonts`).
Identifiers stay Kafka's in every language: DataFrame columns, API names, error codes, config keys.
`eoslab.translations.missing("ko")` lists the messages that have no translation (tests/i18n
keeps it empty).
"""

from .catalogue import (
    ENV,
    LANGUAGES,
    N_,
    language,
    set_language,
    tr,
    tr_figure,
)

__all__ = [
    "ENV",
    "LANGUAGES",
    "N_",
    "language",
    "set_language",
    "tr",
    "tr_figure",
]
