"""Builds the Korean labs (labs/ko/) from the English notebooks and the Korean text.

The code cells have one source, the English notebooks: a Korean lab is its English lab with each
markdown cell replaced, in order, by the matching cell of docs/ko/labs/<lab>.md (cells separated
by a line `<!-- cell -->`), and one code cell added before the first code cell, which switches
eoslab to Korean. A solution repeats its lab's markdown cells; in its Korean text such a cell is
written `<!-- lab -->` and takes the lab's Korean cell for the same English cell. A fix to a lab's code is made in the English notebook and lands in both by
running this script; tests/labs/test_korean_labs.py fails while labs/ko is not what this script
builds.

    python docs/ko/build_labs.py          # write labs/ko/
    python docs/ko/build_labs.py --check  # exit 1, naming the stale labs, if labs/ko is not current
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LABS = ROOT / "labs"
KOREAN_TEXT = Path(__file__).resolve().parent / "labs"
OUT = LABS / "ko"
SEPARATOR = "<!-- cell -->"
SAME_AS_LAB = "<!-- lab -->"
LANGUAGE_CELL = {
    "cell_type": "code",
    "execution_count": None,
    "id": "eoslab-language-ko",
    "metadata": {},
    "outputs": [],
    "source": [
        "import eoslab\n",
        "\n",
        'eoslab.set_language("ko")  # 한국어: 셀프 체크, 대시보드, 그림',
    ],
}


def english_labs() -> list[Path]:
    """The English notebooks that have a Korean edition: the labs and their solutions."""
    return sorted(LABS.glob("*.ipynb")) + sorted((LABS / "solutions").glob("*.ipynb"))


def korean_cells(lab: Path) -> list[str]:
    text_file = KOREAN_TEXT / lab.relative_to(LABS).with_suffix(".md")
    text = text_file.read_text(encoding="utf-8")
    return [cell.strip("\n") for cell in text.split(f"\n{SEPARATOR}\n")]


def _lines(text: str) -> list[str]:
    """A cell's source as nbformat stores it: lines with their newline, the last without."""
    return text.splitlines(keepends=True)


def build(lab: Path) -> str:
    """The Korean notebook of English notebook `lab`, as the JSON text to store."""
    nb = json.loads(lab.read_text(encoding="utf-8"))
    korean = korean_cells(lab)
    markdown = [c for c in nb["cells"] if c["cell_type"] == "markdown"]
    if len(korean) != len(markdown):
        raise ValueError(
            f"{lab.relative_to(ROOT)} has {len(markdown)} markdown cells, its Korean text "
            f"{len(korean)}"
        )
    for cell, text in zip(markdown, korean, strict=True):
        if text == SAME_AS_LAB:
            text = _from_lab(lab, "".join(cell["source"]))
        cell["source"] = _lines(text)
    first_code = next(i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code")
    nb["cells"].insert(first_code, json.loads(json.dumps(LANGUAGE_CELL)))
    nb["metadata"]["language_info"] = {"name": "python"}
    return json.dumps(nb, ensure_ascii=False, indent=1) + "\n"


def _from_lab(solution: Path, english: str) -> str:
    """The Korean of the lab's markdown cell whose English is `english`."""
    lab = LABS / solution.name
    nb = json.loads(lab.read_text(encoding="utf-8"))
    cells = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]
    if english not in cells:
        raise ValueError(f"{solution.relative_to(ROOT)}: a {SAME_AS_LAB} cell is not in {lab.name}")
    return korean_cells(lab)[cells.index(english)]


def target(lab: Path) -> Path:
    return OUT / lab.relative_to(LABS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only report stale Korean labs")
    args = parser.parse_args(argv)
    stale = []
    for lab in english_labs():
        out = target(lab)
        text = build(lab)
        if out.exists() and out.read_text(encoding="utf-8") == text:
            continue
        stale.append(out.relative_to(ROOT))
        if not args.check:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
    for path in stale:
        print(f"{'stale' if args.check else 'wrote'} {path}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
