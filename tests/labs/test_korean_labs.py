"""The Korean labs (labs/ko): built from the English notebooks, so their code cells are the English
ones; their text is Korean and names the book's sections; each runs top to bottom headless, in
Korean, with every Hangul glyph drawn."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("build_labs", ROOT / "docs" / "ko" / "build_labs.py")
build_labs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_labs)

ENGLISH = build_labs.english_labs()
IDS = [str(p.relative_to(ROOT / "labs")) for p in ENGLISH]
HANGUL = re.compile("[\uac00-\ud7a3]")
CHECK = re.compile(r'labkit\.check\("([0-9]{2}\.[a-z0-9_]+)", (\w+)\)')


def korean(english: Path) -> Path:
    return ROOT / "labs" / "ko" / english.relative_to(ROOT / "labs")


def cells(path: Path, kind: str) -> list[dict]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [c for c in nb["cells"] if c["cell_type"] == kind]


def test_every_english_lab_and_solution_has_a_korean_one() -> None:
    found = sorted((ROOT / "labs" / "ko").rglob("*.ipynb"))
    assert found == sorted(korean(p) for p in ENGLISH)
    assert len(found) == 17


@pytest.mark.parametrize("english", ENGLISH, ids=IDS)
def test_the_korean_lab_is_what_the_generator_builds(english: Path) -> None:
    """Edit the English code or the Korean text, then run `python docs/ko/build_labs.py`."""
    assert korean(english).read_text(encoding="utf-8") == build_labs.build(english)


@pytest.mark.parametrize("english", ENGLISH, ids=IDS)
def test_code_cells_are_the_english_ones_after_the_language_cell(english: Path) -> None:
    ko_code = cells(korean(english), "code")
    assert "".join(ko_code[0]["source"]) == (
        'import eoslab\n\neoslab.set_language("ko")  # 한국어: 셀프 체크, 대시보드, 그림'
    )
    en_code = cells(english, "code")
    assert [(c["source"], c["metadata"], c.get("id")) for c in ko_code[1:]] == [
        (c["source"], c["metadata"], c.get("id")) for c in en_code
    ]
    nb = json.loads(korean(english).read_text(encoding="utf-8"))
    first_code = next(i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code")
    assert nb["cells"][first_code]["id"] == "eoslab-language-ko"


def test_a_changed_english_code_cell_makes_the_korean_lab_stale(tmp_path, monkeypatch) -> None:
    lab = ROOT / "labs" / "03_isolation_levels.ipynb"
    nb = json.loads(lab.read_text(encoding="utf-8"))
    code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    code["source"] = ["print('fixed')"]
    changed = tmp_path / "labs" / lab.name
    changed.parent.mkdir()
    changed.write_text(json.dumps(nb), encoding="utf-8")
    monkeypatch.setattr(build_labs, "LABS", tmp_path / "labs")
    monkeypatch.setattr(build_labs, "KOREAN_TEXT", ROOT / "docs" / "ko" / "labs")
    rebuilt = json.loads(build_labs.build(changed))
    assert [c["source"] for c in rebuilt["cells"] if c["cell_type"] == "code"][1] == [
        "print('fixed')"
    ]
    assert build_labs.build(changed) != korean(lab).read_text(encoding="utf-8")


def test_a_korean_text_with_a_missing_cell_is_refused(tmp_path, monkeypatch) -> None:
    lab = ROOT / "labs" / "01_idempotent_producer.ipynb"
    text = (ROOT / "docs" / "ko" / "labs" / "01_idempotent_producer.md").read_text(encoding="utf-8")
    short = text.rsplit(f"\n{build_labs.SEPARATOR}\n", 1)[0]
    (tmp_path / "01_idempotent_producer.md").write_text(short, encoding="utf-8")
    monkeypatch.setattr(build_labs, "KOREAN_TEXT", tmp_path)
    with pytest.raises(ValueError, match=r"has 8 markdown cells, its Korean text 7"):
        build_labs.build(lab)


def test_the_generator_check_mode_finds_nothing_stale(capsys) -> None:
    assert build_labs.main(["--check"]) == 0
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("english", ENGLISH, ids=IDS)
def test_the_text_is_korean_and_the_lab_names_the_books_section(english: Path) -> None:
    markdown = ["".join(c["source"]) for c in cells(korean(english), "markdown")]
    assert all(HANGUL.search(text) for text in markdown)
    if english.parent.name != "solutions":
        assert re.search(r"\*\*책과의 연결:\*\* .*§[56]\.\d", markdown[0])


def run(path: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    return nb


def outputs(nb: nbformat.NotebookNode) -> list[dict]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]


@pytest.mark.parametrize("english", ENGLISH, ids=IDS)
def test_the_korean_lab_runs_top_to_bottom_in_korean_with_every_glyph(english: Path) -> None:
    nb = run(korean(english))
    out = outputs(nb)
    assert [o for o in out if o["output_type"] == "error"] == []
    streams = "".join(o.get("text", "") for o in out if o["output_type"] == "stream")
    assert "missing from font" not in streams
    assert "Glyph" not in streams
    verdicts = [
        o["data"]["text/plain"]
        for o in out
        if o["output_type"] in ("execute_result", "display_data")
        and o["data"].get("text/plain", "").startswith(("✓", "✗", "[✓", "[✗"))
    ]
    last = "".join(nb.cells[-1].source)
    if english.parent.name == "solutions":
        final = nb.cells[-1].outputs[-1]["data"]["text/plain"]
        assert final.count("✓") == len(CHECK.findall(last)) > 0
        assert "✗" not in final and "정답:" in final
    elif CHECK.search("".join(c.source for c in nb.cells if c.cell_type == "code")):
        # the learner has not predicted yet: every check asks for a prediction, in Korean
        assert verdicts and all("✓" not in v for v in verdicts)
        assert any("먼저 예측을 적으세요" in v for v in verdicts)
