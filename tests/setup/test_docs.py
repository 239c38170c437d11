"""The docs point at things that exist: every test docs/kafka-rules.md names, and no file outside
the repository."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "docs" / "kafka-rules.md"
CITED = re.compile(r"`(tests/[\w/]+\.py)::(test_\w+)`")
TEXT_SUFFIXES = {".py", ".md", ".toml", ".txt", ".in", ".ipynb", ".yaml", ".yml", ".cfg", ""}
SKIPPED_DIRS = {".git", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis"}


def cited_tests() -> list[tuple[str, str]]:
    return sorted(set(CITED.findall(RULES.read_text(encoding="utf-8"))))


def test_the_rules_cite_tests_in_every_section() -> None:
    text = RULES.read_text(encoding="utf-8")
    sections = re.split(r"\n## ", text)[1:]
    assert [s.split(" ", 1)[0] for s in sections] == [f"§{n}" for n in range(1, 15)]
    # every section but §9 (eoslab has no log cleaner) names at least one test
    assert [s.split(" ", 1)[0] for s in sections if not CITED.search(s)] == ["§9"]
    assert len(cited_tests()) > 150


@pytest.mark.parametrize(("path", "name"), cited_tests(), ids="::".join)
def test_every_test_the_rules_name_exists(path: str, name: str) -> None:
    source = (ROOT / path).read_text(encoding="utf-8")
    assert re.search(rf"^(async )?def {name}\(", source, re.M), f"{path} has no {name}"


def _text_files() -> list[Path]:
    files = []
    for folder, dirs, names in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS and not d.endswith(".egg-info")]
        files += [
            Path(folder, n)
            for n in names
            if Path(n).suffix in TEXT_SUFFIXES and n not in SKIPPED_DIRS  # a worktree's .git file
        ]
    return files


def test_nothing_points_outside_the_repository() -> None:
    outside = re.compile("|".join([r"\.\./shared", "/" + "work/", "kafka-eos-" + "reference"]))
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in _text_files()
        for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
        if outside.search(line)
    ]
    assert offenders == []


def test_the_readme_links_the_rules_and_the_classroom_guide() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/kafka-rules.md)" in readme
    assert "(docs/classroom.md)" in readme
    assert "(LICENSE)" in readme
