"""What a Korean reader is pointed to: the README's 한국어 section, Binder's Korean JupyterLab and
Hangul font, and the Binder link to the Korean lab 00."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def korean_section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("\n## 한국어\n", 1)[1].split("\n## ", 1)[0]


def test_the_readme_has_a_korean_section_with_the_two_commands_and_the_binder_link() -> None:
    section = korean_section()
    assert re.findall(r"^(\./run \w+)\s+#", section, re.M) == ["./run lab", "./run test"]
    links = re.findall(r"\(https://mybinder\.org/v2/gh/[^)]+urlpath=lab/tree/([^)]+)\)", section)
    assert links == ["labs/ko/00_start_here.ipynb"]
    assert (ROOT / links[0]).is_file()
    assert "(docs/ko/glossary.md)" in section
    assert 'eoslab.set_language("ko")' in section and "EOSLAB_LANG=ko" in section


def test_binder_has_jupyterlab_in_korean_and_a_hangul_font() -> None:
    requirements = (ROOT / "binder" / "requirements.in").read_text(encoding="utf-8")
    assert "jupyterlab-language-pack-ko-KR" in requirements.splitlines()
    lock = (ROOT / "binder" / "requirements.txt").read_text(encoding="utf-8")
    pin = re.search(
        r"^jupyterlab-language-pack-ko-kr==(\S+) \\\n((?:\s+--hash=\S+ ?\\?\n)+)", lock, re.M
    )
    assert pin is not None and pin[2].count("--hash=sha256:") >= 1
    apt = (ROOT / "binder" / "apt.txt").read_text(encoding="utf-8").splitlines()
    assert "fonts-nanum" in apt
