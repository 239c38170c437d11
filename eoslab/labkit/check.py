"""`experiment()` records an experiment's moment; `check()` judges a prediction against it."""

from __future__ import annotations

from typing import Any

from . import moments
from .forms import FormError
from .questions import QUESTIONS, Question
from .verdict import Verdict

NOT_ANSWERED = ...  # the placeholder in a lab's prediction cell (None can be an answer)


def experiment(name: str, **objects: Any) -> None:
    """Record that experiment `name` has just run, with the objects its questions look at.

    The true answers of its questions are computed now, from the state now (see `moments`).
    """
    questions = {qid: q for qid, q in QUESTIONS.items() if q.experiment == name}
    if not questions:
        raise ValueError(f"no questions belong to experiment {name!r}")
    truths: dict[str, Any] = {}
    for qid, question in questions.items():
        try:
            truths[qid] = question.truth(**objects)
        except moments.NOT_THAT_FAR as e:
            truths[qid] = moments.NotThatFar(type(e).__name__)
    moments.record(name, truths, objects)


def check(question_id: str, answer: Any) -> Verdict:
    """Compare a prediction with the truth recorded when the question's experiment ran."""
    question = QUESTIONS.get(question_id)
    if question is None:
        return Verdict(question_id, False, f"no such question: {question_id}")
    truth = _truth(question_id, question)
    if isinstance(truth, Verdict):
        return truth
    if answer is NOT_ANSWERED:
        return Verdict(
            question.text, False, f"Write your prediction first ({question.form.describe})."
        )
    try:
        same = question.form.canonical(answer) == question.form.canonical(truth)
    except FormError as e:
        return Verdict(question.text, False, f"{e}; the answer is {question.form.describe}.")
    if same:
        return Verdict(
            question.text, True, f"Right: {truth!r}{_when(question)}. {question.explain}"
        )
    return Verdict(question.text, False, f"Not {answer!r}. Hint: {question.hint}")


def _truth(question_id: str, question: Question) -> Any:
    if question.experiment is None:  # a question about Kafka itself, not about this run
        return question.truth()
    moment = moments.recorded(question.experiment)
    if moment is None:
        return Verdict(
            question.text,
            False,
            "Run the experiment first: the cell that ends with "
            f'labkit.experiment("{question.experiment}", ...) has not run yet.',
        )
    truth = moment.truths[question_id]
    if isinstance(truth, moments.NotThatFar):
        return Verdict(
            question.text,
            False,
            f"The experiment stopped before this question's moment ({truth.reason}): "
            "run its cell again once the code above it works.",
        )
    return truth


def _when(question: Question) -> str:
    moment = moments.recorded(question.experiment) if question.experiment else None
    if moment is None or moment.step is None:
        return ""
    return f" (at journal event {moment.step})"
