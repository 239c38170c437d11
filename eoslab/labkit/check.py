"""`experiment()` records an experiment's moment; `check()` judges a prediction against it."""

from __future__ import annotations

from typing import Any

from ..i18n import tr
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
        raise ValueError(tr("no questions belong to experiment {name!r}", name=name))
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
        return Verdict(question_id, False, tr("no such question: {qid}", qid=question_id))
    truth = _truth(question_id, question)
    if isinstance(truth, Verdict):
        return truth
    text = tr(question.text)
    if answer is NOT_ANSWERED:
        return Verdict(
            text,
            False,
            tr("Write your prediction first ({form}).", form=question.form.described()),
        )
    try:
        same = question.form.canonical(answer) == question.form.canonical(truth)
    except FormError as e:
        return Verdict(
            text,
            False,
            tr("{error}; the answer is {form}.", error=e, form=question.form.described()),
        )
    if same:
        return Verdict(
            text,
            True,
            tr(
                "Right: {truth!r}{when}. {explain}",
                truth=truth,
                when=_when(question),
                explain=tr(question.explain),
            ),
        )
    return Verdict(
        text, False, tr("Not {answer!r}. Hint: {hint}", answer=answer, hint=tr(question.hint))
    )


def _truth(question_id: str, question: Question) -> Any:
    if question.experiment is None:  # a question about Kafka itself, not about this run
        return question.truth()
    moment = moments.recorded(question.experiment)
    if moment is None:
        return Verdict(
            tr(question.text),
            False,
            tr(
                "Run the experiment first: the cell that ends with "
                'labkit.experiment("{experiment}", ...) has not run yet.',
                experiment=question.experiment,
            ),
        )
    truth = moment.truths[question_id]
    if isinstance(truth, moments.NotThatFar):
        return Verdict(
            tr(question.text),
            False,
            tr(
                "The experiment stopped before this question's moment ({reason}): "
                "run its cell again once the code above it works.",
                reason=truth.reason,
            ),
        )
    return truth


def _when(question: Question) -> str:
    moment = moments.recorded(question.experiment) if question.experiment else None
    if moment is None or moment.step is None:
        return ""
    return tr(" (at journal event {step})", step=moment.step)
