"""What the labs promise, read from the notebooks without running them: every question asked and
checked, placeholders that show the expected form, lab 05's loop in a learner cell, Java beside
Python, and solutions that explain and re-check."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

from eoslab.labkit import QUESTIONS

ROOT = Path(__file__).resolve().parents[2] / "labs"
LABS = sorted(p for p in ROOT.glob("[0-9]*.ipynb") if not p.name.startswith("00"))
CHECK = re.compile(r'labkit\.check\("([0-9]{2}\.[a-z0-9_]+)", (\w+)\)')
EXPERIMENT = re.compile(r'labkit\.experiment\("([0-9]{2}\.[a-z0-9_]+)"')


def cells(path: Path, kind: str = "code") -> list[nbformat.NotebookNode]:
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == kind]


def source(path: Path, kind: str = "code") -> str:
    return "\n".join(c.source for c in cells(path, kind))


def test_every_question_is_asked_in_a_lab_and_checked_in_its_solution() -> None:
    asked = {q for p in LABS for q, _ in CHECK.findall(source(p))}
    solved = {q for p in LABS for q, _ in CHECK.findall(source(ROOT / "solutions" / p.name))}
    assert asked == solved == set(QUESTIONS)


@pytest.mark.parametrize("path", LABS, ids=[p.name for p in LABS])
def test_every_experiment_a_check_needs_is_recorded_by_the_lab(path: Path) -> None:
    text = source(path)
    needed = {QUESTIONS[q].experiment for q, _ in CHECK.findall(text)} - {None}
    assert needed <= set(EXPERIMENT.findall(text))


@pytest.mark.parametrize("path", LABS, ids=[p.name for p in LABS])
def test_each_placeholder_shows_the_form_of_its_answer(path: Path) -> None:
    text = source(path)
    for qid, var in CHECK.findall(text):
        line = f"{var} = ...  # your prediction: {QUESTIONS[qid].form.describe}"
        assert line in text, line


@pytest.mark.parametrize("path", LABS, ids=[p.name for p in LABS])
def test_no_placeholder_example_gives_the_answer_away(path: Path) -> None:
    solution = [c.source for c in cells(ROOT / "solutions" / path.name)]
    answers = dict(
        (m[1], ast.literal_eval(m[2]))
        for m in (re.fullmatch(r"(\w+) = (.+)", s.strip()) for s in solution)
        if m and m[1] in {v for _, v in CHECK.findall(source(path))}
    )
    for qid, var in CHECK.findall(source(path)):
        form = QUESTIONS[qid].form
        example = re.search(r"e\.g\. (.+?)(?: \(|$)", form.describe)
        if example:
            shown = form.canonical(ast.literal_eval(example[1]))
            assert shown != form.canonical(answers[var]), (qid, example[1])


@pytest.mark.parametrize("path", LABS, ids=[p.name for p in LABS])
def test_solutions_explain_every_answer_and_recheck_everything_at_the_end(path: Path) -> None:
    solution = ROOT / "solutions" / path.name
    checks = CHECK.findall(source(path))
    whys = [c for c in cells(solution, "markdown") if c.source.startswith("**Why:**")]
    assert len(whys) == len(checks)
    final = cells(solution)[-1].source
    assert final.startswith("final = [") and final.endswith("assert all(final), final\nfinal")
    assert CHECK.findall(final) == checks


@pytest.mark.parametrize("path", LABS, ids=[p.name for p in LABS])
def test_every_break_it_task_has_a_solution(path: Path) -> None:
    breaks = [c for c in cells(path, "markdown") if "Break it on purpose" in c.source]
    solutions = [
        c
        for c in cells(ROOT / "solutions" / path.name, "markdown")
        if c.source.startswith("**Solution")
    ]
    assert len(breaks) >= 1
    assert len(solutions) >= len(breaks)


def learner_cell(path: Path) -> str:
    tagged = [c for c in cells(path) if "learner" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    return tagged[0].source


def test_lab05s_loop_is_a_learner_cell_the_lab_leaves_to_the_learner() -> None:
    lab = learner_cell(ROOT / "05_consume_process_produce.ipynb")
    assert "def process_batch(consumer, producer, transform):" in lab
    for step in ("# 1. begin", "# 3. send the consumer's positions", "# 4. commit", "# 5. on any"):
        assert step in lab
    assert "send_offsets_to_transaction(" not in lab
    code = [c.source for c in cells(ROOT / "05_consume_process_produce.ipynb")]
    first_pipeline = next(i for i, c in enumerate(code) if "Pipeline" in c)
    learners_experiments = [
        i for i, c in enumerate(code) if re.search(r'"05\.(loop|abort|retry|pending|kip447)"', c)
    ]
    assert len(learners_experiments) == 5 and max(learners_experiments) < first_pipeline


def test_lab05s_solution_loop_is_twenty_lines_of_client_calls() -> None:
    loop = learner_cell(ROOT / "solutions" / "05_consume_process_produce.ipynb")
    for call in (
        "consumer.consume(",
        "producer.begin_transaction()",
        'producer.produce("out"',
        "producer.send_offsets_to_transaction(\n"
        "            consumer.position(consumer.assignment()), consumer.consumer_group_metadata()",
        "producer.commit_transaction()",
        "producer.abort_transaction()",
        "consumer.committed(consumer.assignment())",
        "consumer.seek(tp)",
    ):
        assert call in loop, call
    body = [
        line
        for line in loop.splitlines()
        if line.strip() and not line.strip().startswith(("#", '"'))
    ]
    assert 20 <= len(body) <= 30


JAVA = {
    "01_idempotent_producer": ["ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG"],
    "02_transactions_and_control_records": [
        "ProducerConfig.TRANSACTIONAL_ID_CONFIG",
        "ConsumerConfig.ISOLATION_LEVEL_CONFIG",
        "producer.initTransactions()",
    ],
    "03_isolation_levels": ["ConsumerConfig.ISOLATION_LEVEL_CONFIG"],
    "04_read_committed_is_not_exactly_once": ["ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG"],
    "05_consume_process_produce": [
        "producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata())",
        "consumer.position(tp)",
    ],
    "06_zombies_timeouts_hanging": ["ProducerFencedException"],
    "07_exactly_once_sinks": ["StreamsConfig.EXACTLY_ONCE_V2"],
}


@pytest.mark.parametrize("name", sorted(JAVA))
def test_java_blocks_beside_python(name: str) -> None:
    for path in (ROOT / f"{name}.ipynb", ROOT / "solutions" / f"{name}.ipynb"):
        blocks = re.findall(r"```java\n(.*?)```", source(path, "markdown"), re.S)
        assert blocks, path
        for call in JAVA[name]:
            assert any(call in b for b in blocks), (path.name, call)


@pytest.mark.parametrize(
    ("default", "lab"),
    [
        ("Java producers are idempotent by default since Kafka 3.0", "01"),
        ("the Java consumer's `isolation.level` defaults to\n`read_uncommitted`", "02"),
        ("**Java** commits inside `poll()`", "04"),
        ("**librdkafka** (and so confluent_kafka) commits from a background **timer**", "04"),
    ],
)
def test_each_differing_default_is_stated_once(default: str, lab: str) -> None:
    where = [p.name[:2] for p in LABS if default in source(p, "markdown")]
    assert where == [lab]


def test_lab04_gives_librdkafkas_fix_for_auto_commit() -> None:
    lab = ROOT / "04_read_committed_is_not_exactly_once.ipynb"
    assert '"enable.auto.offset.store": False' in source(lab)
    assert "reader.store_offsets(message=first[-1])" in source(lab)
