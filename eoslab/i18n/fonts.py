"""Hangul in matplotlib: find a Hangul font and make it DejaVu Sans's fallback.

matplotlib draws with DejaVu Sans, which has no Hangul; a Korean label then comes out as empty
boxes ("Glyph ... missing from font(s) DejaVu Sans"). Since matplotlib 3.6 `font.family` may be a
list, searched glyph by glyph (a generic family such as sans-serif counts as its first installed
font only), so the list becomes [sans-serif, the Hangul font]: DejaVu Sans stays first (Latin
text, digits and ✓ ✗ look as they do in English) and the Hangul font follows it. A text takes
its family when it is created, so figures made after `configure()` have the fallback. Debian's `fonts-nanum` (binder/apt.txt, `./run`)
or `fonts-noto-cjk` provide one. matplotlib's font list is cached when it first runs, so a font
installed later is looked for among the system's font files too and added.
"""

from __future__ import annotations

from functools import cache

# Fonts with Hangul that Debian, Ubuntu, macOS and Windows ship, in order of preference
HANGUL_FONTS = (
    "NanumGothic",
    "Noto Sans CJK KR",
    "Noto Sans KR",
    "NanumBarunGothic",
    "UnDotum",
    "Apple SD Gothic Neo",
    "AppleGothic",
    "Malgun Gothic",
)
NO_FONT_WARNING = (
    "eoslab: no Hangul font found (install fonts-nanum: apt-get install fonts-nanum), so figures "
    "keep their English labels; tables, checks and dashboards are in Korean."
)


@cache
def hangul_font() -> str | None:
    """The name of an installed Hangul font, or None."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    for name in HANGUL_FONTS:
        if name in names:
            return name
    # installed after matplotlib cached its font list: look at the font files themselves
    for path in font_manager.findSystemFonts():
        stem = path.rsplit("/", 1)[-1].lower()
        if stem.startswith(("nanumgothic", "notosanscjk", "notosanskr", "undotum")):
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue
    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in HANGUL_FONTS if name in names), None)


def configure() -> bool:
    """Make the Hangul font matplotlib's fallback after its sans-serif font; False if none."""
    font = hangul_font()
    if font is None:
        return False
    import matplotlib

    family = list(matplotlib.rcParams["font.family"])
    if font not in family:
        matplotlib.rcParams["font.family"] = [*family, font]
    return True
