"""One table of colours, glyphs and words, used by every table, plot and widget.

A learner who sees vermillion for "aborted" in the log dump must see vermillion for "aborted" in
the offset timeline too, and a learner who cannot tell red from green must still tell a committed
record from an aborted one. So every colour comes from the Okabe-Ito palette (chosen to stay
distinct under the common colour-vision deficiencies; tests/views/test_style.py checks it), and
every distinction that matters also has a second channel: a glyph (✓ COMMIT, ✗ ABORT), a line
style (HW solid, LSO dashed) or a side of the lane (read_committed above, read_uncommitted below).
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from ..i18n import N_

# Okabe & Ito (2008), "Color Universal Design": eight colours safe for colour-blind viewers.
OKABE_ITO = MappingProxyType(
    {
        "black": "#000000",
        "orange": "#E69F00",
        "sky blue": "#56B4E9",
        "bluish green": "#009E73",
        "yellow": "#F0E442",
        "blue": "#0072B2",
        "vermillion": "#D55E00",
        "reddish purple": "#CC79A7",
    }
)
GREY = "#BBBBBB"  # a neutral for control records: they carry no data of their own

# -- the fate of a record: what a read_committed consumer will make of it ----------------------
COMMITTED = "committed"
ABORTED = "aborted"
OPEN = "open"
NON_TRANSACTIONAL = "non-transactional"
MARKER = "marker"

FATES = (COMMITTED, ABORTED, OPEN, NON_TRANSACTIONAL, MARKER)  # also the category order

FATE_COLOURS = MappingProxyType(
    {
        COMMITTED: OKABE_ITO["bluish green"],
        ABORTED: OKABE_ITO["vermillion"],
        OPEN: OKABE_ITO["yellow"],
        NON_TRANSACTIONAL: OKABE_ITO["sky blue"],
        MARKER: GREY,
    }
)

# The fates are also values of the `fate` column, which stays English; these are their names in
# legends and captions, translated where shown (`eoslab.i18n`).
FATE_LABELS = MappingProxyType(
    {
        COMMITTED: N_("committed"),
        ABORTED: N_("aborted"),
        OPEN: N_("open"),
        NON_TRANSACTIONAL: N_("non-transactional"),
        MARKER: N_("marker"),
    }
)

FATE_HELP = MappingProxyType(
    {
        COMMITTED: N_(
            "transactional data whose COMMIT marker is in the log: every consumer reads it"
        ),
        ABORTED: N_(
            "transactional data whose ABORT marker is in the log: only read_uncommitted reads it"
        ),
        OPEN: N_("transactional data with no marker yet: it holds the LSO, read_committed waits"),
        NON_TRANSACTIONAL: N_("written outside any transaction: readable below the HW by everyone"),
        MARKER: N_(
            "a COMMIT/ABORT control record: takes one offset, never returned to applications"
        ),
    }
)

# -- control records ---------------------------------------------------------------------------
# Glyphs are matplotlib mathtext markers; the same characters label markers in HTML tables.
MARKER_GLYPHS = MappingProxyType({"COMMIT": "$\u2713$", "ABORT": "$\u2717$"})
MARKER_SYMBOLS = MappingProxyType({"COMMIT": "\u2713", "ABORT": "\u2717"})
MARKER_COLOURS = MappingProxyType({"COMMIT": OKABE_ITO["black"], "ABORT": OKABE_ITO["black"]})
ABORTED_BRACKET_COLOUR = OKABE_ITO["vermillion"]

# -- offsets drawn as vertical lines -------------------------------------------------------------
LINE_STYLES = MappingProxyType(
    {
        "HW": MappingProxyType({"color": OKABE_ITO["black"], "linestyle": "-", "linewidth": 2.0}),
        "LSO": MappingProxyType(
            {"color": OKABE_ITO["reddish purple"], "linestyle": "--", "linewidth": 2.0}
        ),
        "LEO": MappingProxyType({"color": "#666666", "linestyle": ":", "linewidth": 1.5}),
    }
)
LINE_HELP = MappingProxyType(
    {
        "HW": N_("high watermark: read_uncommitted reads below it"),
        "LSO": N_("last stable offset: read_committed reads below it"),
        "LEO": N_("log end offset (shown when the HW is held below it)"),
    }
)

# -- consumers: one side of the lane per isolation level ---------------------------------------
ISOLATION = MappingProxyType(
    {
        "read_committed": MappingProxyType(
            {"short": "RC", "side": "above", "color": OKABE_ITO["blue"], "marker": "v"}
        ),
        "read_uncommitted": MappingProxyType(
            {"short": "RU", "side": "below", "color": OKABE_ITO["orange"], "marker": "^"}
        ),
    }
)

# -- protocol outcomes -------------------------------------------------------------------------
OK = "ok"
ERROR = "error"
OUTCOME_COLOURS = MappingProxyType({OK: OKABE_ITO["blue"], ERROR: OKABE_ITO["vermillion"]})


def outcome(event: Any) -> str:
    """A journal event is ok when its answer holds no error code (`Event.ok`): every
    partition's and topic's NONE, or a periodic job that reports what it did."""
    return OK if event.ok else ERROR


def text_colour(background: str) -> str:
    """Black or white, whichever contrasts more with `background` (WCAG relative luminance)."""
    return "#000000" if contrast_ratio(background, "#000000") >= 4.5 else "#FFFFFF"


def relative_luminance(colour: str) -> float:
    r, g, b = (_linear(c) for c in hex_to_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def hex_to_rgb(colour: str) -> tuple[float, float, float]:
    """'#RRGGBB' -> (r, g, b) in 0..1 (sRGB, gamma-encoded)."""
    c = colour.lstrip("#")
    return (int(c[0:2], 16) / 255, int(c[2:4], 16) / 255, int(c[4:6], 16) / 255)


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
