"""Hangul in figures: drawn with a Hangul font when one is installed, else English labels with
one warning, never empty boxes ("Glyph ... missing from font(s) DejaVu Sans")."""

from __future__ import annotations

import warnings

import matplotlib
import pytest

from eoslab import set_language
from eoslab.i18n import fonts
from eoslab.views import fate_legend_html, offset_timeline, protocol_timeline
from eoslab.views.figure import render_png
from eoslab.views.text_width import text_width_px
from tests.views.scenarios import g5, g14


def texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_text()]


def legend(fig) -> list[str]:
    return [t.get_text() for lg in fig.legends for t in lg.get_texts()]


def drawn(fig) -> list[str]:
    """Render the figure, returning the warnings matplotlib gave while drawing."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        render_png(fig)
    return [str(w.message) for w in caught]


@pytest.fixture
def no_hangul_font(monkeypatch):
    """A machine without fonts-nanum or fonts-noto-cjk: matplotlib finds no Hangul font."""
    monkeypatch.setattr(fonts, "hangul_font", lambda: None)
    with matplotlib.rc_context({"font.family": ["sans-serif"]}):
        yield


def test_this_machine_has_a_hangul_font() -> None:
    """fonts-nanum (binder/apt.txt; ./run installs it when it can)."""
    assert fonts.hangul_font() in fonts.HANGUL_FONTS


def test_korean_figures_draw_every_glyph() -> None:
    set_language("ko")
    cluster, *_ = g5()
    fig = offset_timeline(cluster)
    assert legend(fig)[:5] == ["커밋됨", "중단됨", "진행 중", "비트랜잭션", "마커"]
    assert "COMMIT 마커" in legend(fig)
    assert "read_committed (레인 위)" in legend(fig)
    assert any(t.startswith("모든 오프셋: 오프셋마다 한 칸") for t in texts(fig))
    assert drawn(fig) == []
    fig = protocol_timeline(g14())
    assert legend(fig) == [
        "요청, 응답 ok (오류 코드 NONE)",
        "요청, 오류 응답",
        "내부 단계",
        "시계 진행",
    ]
    assert any(t.startswith("프로토콜 타임라인, 이벤트 0–") for t in texts(fig))
    assert drawn(fig) == []
    assert matplotlib.rcParams["font.family"] == ["sans-serif", fonts.hangul_font()]


def test_a_hangul_label_is_measured_in_the_font_that_draws_it() -> None:
    set_language("ko")
    # NanumGothic's Hangul is about 0.9 em wide: far wider than DejaVu's missing-glyph box
    assert text_width_px("커밋됨", 10, 72) == pytest.approx(3 * 9.2, rel=0.1)


def test_without_a_hangul_font_figures_keep_english_labels_with_one_warning(
    no_hangul_font,
) -> None:
    set_language("ko")
    with pytest.warns(UserWarning) as caught:
        first = offset_timeline(g5()[0])
        second = protocol_timeline(g14())
    assert [str(w.message) for w in caught] == [fonts.NO_FONT_WARNING]
    assert legend(first)[:5] == ["committed", "aborted", "open", "non-transactional", "marker"]
    assert legend(second)[-1] == "clock advance"
    assert drawn(first) == [] and drawn(second) == []
    # what the browser draws needs no matplotlib font: HTML stays Korean
    assert "커밋됨 (committed)" in fate_legend_html()


def test_english_figures_need_no_hangul_font(no_hangul_font) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = offset_timeline(g5()[0])
    assert legend(fig)[0] == "committed"
    assert drawn(fig) == []
