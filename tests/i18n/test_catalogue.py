"""The message catalogue: complete for Korean, faithful to the glossary, switchable, and falling
back to English where a translation is missing."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

import eoslab
from eoslab import translations
from eoslab.i18n import catalogue, language, set_language, tr
from eoslab.i18n.ko import MESSAGES as KO
from eoslab.translations import english_messages, missing, stale

GLOSSARY = Path(__file__).resolve().parents[2] / "docs" / "ko" / "glossary.md"


def test_every_english_message_has_a_korean_translation() -> None:
    assert missing("ko") == []


def test_no_korean_translation_is_left_over_from_an_edited_english_message() -> None:
    assert stale("ko") == []


def test_the_catalogue_finds_messages_in_code_and_in_the_labkit_questions() -> None:
    messages = english_messages()
    assert messages["Not {answer!r}. Hint: {hint}"].startswith("eoslab/labkit/check.py:")
    assert messages["clock advance"].startswith("eoslab/views/protocol_timeline.py:")
    assert messages["committed"].startswith("eoslab/views/style.py:")
    assert messages["And the high watermark?"] == "labkit question 03.hw_while_open (text)"
    assert len(messages) == len(KO)


def fields(text: str) -> list[str]:
    return sorted(f"{name}!{conv}" for _, name, _, conv in string.Formatter().parse(text) if name)


@pytest.mark.parametrize("english", sorted(KO), ids=range(len(KO)))
def test_a_translation_fills_in_the_same_fields(english: str) -> None:
    assert fields(KO[english]) == fields(english)


def glossary_terms() -> list[tuple[list[str], str]]:
    """(the English forms, the Korean term) of each row of the glossary's first table."""
    rows = []
    table = GLOSSARY.read_text(encoding="utf-8").split("## 용어", 1)[1].split("\n## ", 1)[0]
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 3 and cells[0] not in ("영어", "---"):
            rows.append(([f.strip() for f in cells[0].split(",")], cells[1]))
    return rows


def test_the_glossary_has_the_books_terms() -> None:
    terms = dict((forms[0], ko) for forms, ko in glossary_terms())
    assert {k: terms[k] for k in ("exactly-once", "transaction coordinator", "epoch")} == {
        "exactly-once": "정확히 한 번",
        "transaction coordinator": "트랜잭션 코디네이터",
        "epoch": "에포크",
    }
    for english, korean in [
        ("transactional consumer", "트랜잭션 컨슈머"),
        ("consume-process-produce", "컨슘-메시지 처리-프로듀싱"),
        ("commit", "커밋"),
        ("abort", "중단"),
        ("control record", "제어 레코드"),
        ("fence", "펜싱"),
        ("zombie", "좀비"),
        ("high watermark", "하이워터마크"),
        ("last stable offset", "마지막 안정 오프셋"),
        ("log end offset", "로그 끝 오프셋"),
    ]:
        assert terms[english] == korean


@pytest.mark.parametrize(
    "forms,korean", glossary_terms(), ids=[forms[0] for forms, _ in glossary_terms()]
)
def test_the_catalogue_uses_the_glossarys_term(forms: list[str], korean: str) -> None:
    """A message using the term (as a word, not inside an identifier such as abort_transaction
    or read_committed, nor a {field}; case matters, so ABORT stays the marker's name) says it the
    glossary's way."""
    pattern = re.compile("|".join(rf"(?<![\w.-]){re.escape(f)}(?![\w-])" for f in forms))
    words = {en: re.sub(r"\{[^}]*\}", "", en) for en in KO}  # a {field} is not a word
    wrong = [(en, ko) for en, ko in KO.items() if pattern.search(words[en]) and korean not in ko]
    assert wrong == []


def test_english_is_the_default() -> None:
    assert language() == "en"
    assert tr("clock advance") == "clock advance"


def test_set_language_switches_and_back() -> None:
    eoslab.set_language("ko")
    assert (eoslab.language(), tr("clock advance")) == ("ko", "시계 진행")
    assert tr("events {first}–{last}", first=3, last=9) == "이벤트 3–9"
    eoslab.set_language("en")
    assert tr("clock advance") == "clock advance"


@pytest.mark.parametrize("value", ["ko", "ko_KR.UTF-8", "ko-KR", "KO"])
def test_the_environment_variable_chooses_korean(monkeypatch, value: str) -> None:
    monkeypatch.setenv("EOSLAB_LANG", value)
    assert (language(), tr("internal step")) == ("ko", "내부 단계")


def test_an_unknown_language_in_the_environment_means_english(monkeypatch) -> None:
    monkeypatch.setenv("EOSLAB_LANG", "fr_FR.UTF-8")
    assert (language(), tr("internal step")) == ("en", "internal step")


def test_set_language_overrides_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("EOSLAB_LANG", "ko")
    set_language("en")
    assert tr("internal step") == "internal step"


def test_an_unknown_language_is_refused_and_changes_nothing() -> None:
    set_language("ko")
    with pytest.raises(ValueError, match=r"unknown language 'fr': choose one of en, ko"):
        set_language("fr")
    assert language() == "ko"


def test_a_message_without_translation_falls_back_to_english(monkeypatch) -> None:
    set_language("ko")
    monkeypatch.delitem(KO, "clock advance")
    assert tr("clock advance") == "clock advance"
    assert "clock advance" in missing("ko")
    assert catalogue.tr("no such message {n}", n=1) == "no such message 1"


def test_an_f_string_passed_to_tr_is_reported(tmp_path, monkeypatch) -> None:
    (tmp_path / "bad.py").write_text('x = 1\ntr(f"{x} records")\n')
    monkeypatch.setattr(translations, "_PACKAGE", tmp_path)
    with pytest.raises(ValueError, match=r"bad.py:2: an f-string cannot be looked up"):
        list(translations._literal_messages())
