"""Every test starts and ends in the default language (English, EOSLAB_LANG unset) and with
matplotlib's own settings."""

from __future__ import annotations

import matplotlib
import pytest

from eoslab import labkit
from eoslab.i18n import catalogue


@pytest.fixture(autouse=True)
def default_language(monkeypatch):
    monkeypatch.delenv(catalogue.ENV, raising=False)
    monkeypatch.setattr(catalogue, "_chosen", None)
    monkeypatch.setattr(catalogue, "_no_font_warned", False)
    labkit.forget()
    with matplotlib.rc_context():  # set_language("ko") adds a Hangul fallback font
        yield
    labkit.forget()
