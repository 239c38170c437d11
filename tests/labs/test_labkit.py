"""labkit's checks: bound to their experiment's moment, and tolerant of equivalent spellings."""

from __future__ import annotations

import pytest

from eoslab import Cluster, labkit
from eoslab.client import Producer
from eoslab.labkit import forms
from eoslab.labkit.forms import FormError


@pytest.fixture(autouse=True)
def fresh_moments():
    labkit.forget()
    yield
    labkit.forget()


def open_transaction(cluster: Cluster) -> Producer:
    """Lab 03's first experiment: "a" in an open transaction, then a plain "x"."""
    txn = Producer({"bootstrap.servers": cluster.bootstrap_servers, "transactional.id": "tx"})
    txn.init_transactions()
    txn.begin_transaction()
    txn.produce("t", value="a")
    txn.flush()
    plain = Producer({"bootstrap.servers": cluster.bootstrap_servers})
    plain.produce("t", value="x")
    plain.flush()
    return txn


def test_a_check_before_its_experiment_says_so_and_never_passes() -> None:
    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    # before anything ran, the LSO of the empty partition is 0: the old check passed "0" here
    verdict = labkit.check("03.lso_while_open", 0)
    assert (verdict.ok, verdict.message.split(":")[0]) == (False, "Run the experiment first")
    assert 'labkit.experiment("03.open", ...)' in verdict.message


def test_the_verdict_is_the_same_before_and_after_later_sections() -> None:
    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    txn = open_transaction(cluster)
    labkit.experiment("03.open", cluster=cluster)
    step = len(cluster.journal) - 1
    assert labkit.check("03.lso_while_open", 0).ok
    assert labkit.check("03.hw_while_open", 2).ok
    txn.commit_transaction()  # a later section moves LSO and HW to 3
    assert (
        cluster.partition("t", 0).last_stable_offset,
        cluster.partition("t", 0).high_watermark,
    ) == (3, 3)
    again = labkit.check("03.lso_while_open", 0)
    assert again.ok
    assert again.message.startswith(f"Right: 0 (at journal event {step}).")
    assert not labkit.check("03.lso_while_open", 3).ok


def test_rerunning_the_experiment_records_a_new_moment() -> None:
    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    txn = open_transaction(cluster)
    labkit.experiment("03.open", cluster=cluster)
    txn.commit_transaction()
    labkit.experiment("03.open", cluster=cluster)
    assert labkit.check("03.lso_while_open", 3).ok
    assert not labkit.check("03.lso_while_open", 0).ok


def test_an_experiment_that_stopped_short_is_named_not_judged() -> None:
    cluster = Cluster()
    cluster.create_topics([("peter-test05", 1, 1)])
    labkit.experiment("02.run1", cluster=cluster)  # no commit yet: no marker to ask about
    verdict = labkit.check("02.marker_offset", 1)
    assert not verdict.ok
    assert verdict.message.startswith("The experiment stopped before this question's moment")


def test_an_unanswered_prediction_shows_the_expected_form() -> None:
    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    open_transaction(cluster)
    labkit.experiment("03.open", cluster=cluster)
    verdict = labkit.check("03.lso_while_open", labkit.NOT_ANSWERED)
    assert (verdict.ok, verdict.message) == (
        False,
        "Write your prediction first (an offset, e.g. 9 (None or -1001 if none)).",
    )


def test_an_unknown_experiment_is_refused() -> None:
    with pytest.raises(ValueError, match=r"no questions belong to experiment '09\.nothing'"):
        labkit.experiment("09.nothing")


@pytest.mark.parametrize("answer", [None, -1001, -1, "OFFSET_INVALID", "offset_invalid"])
def test_no_committed_offset_has_many_spellings(answer: object) -> None:
    assert forms.OFFSET.canonical(answer) == forms.OFFSET.canonical(None)


@pytest.mark.parametrize(
    ("answer", "truth"),
    [
        ("unstable_offset_commit", "UNSTABLE_OFFSET_COMMIT"),
        ("_UNSTABLE_OFFSET_COMMIT", "UNSTABLE_OFFSET_COMMIT"),
        ("state", "_STATE"),
        ("_state", "_STATE"),
        ("Errors.PRODUCER_FENCED", "PRODUCER_FENCED"),
        ("producer-fenced", "PRODUCER_FENCED"),
    ],
)
def test_error_names_in_any_case_with_or_without_underscore(answer: str, truth: str) -> None:
    assert forms.ERROR.canonical(answer) == forms.ERROR.canonical(truth)


def test_error_forms_still_tell_errors_apart() -> None:
    assert forms.ERROR.canonical("PRODUCER_FENCED") != forms.ERROR.canonical("_FENCED")


def test_lists_tuples_and_java_state_names_count() -> None:
    assert forms.OFFSETS.canonical((1, 3)) == forms.OFFSETS.canonical([1, 3])
    assert forms.OFFSETS.canonical([3, 1]) != forms.OFFSETS.canonical([1, 3])
    assert forms.STATES.canonical(["ONGOING", "PREPARE_COMMIT"]) == forms.STATES.canonical(
        ["Ongoing", "PrepareCommit"]
    )


def test_an_answer_of_the_wrong_shape_gets_the_expected_form() -> None:
    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    open_transaction(cluster)
    labkit.experiment("03.open", cluster=cluster)
    verdict = labkit.check("03.hw_while_open", [2])
    assert (verdict.ok, verdict.message) == (
        False,
        "expected a whole number, got [2]; the answer is an offset, e.g. 9 (None or -1001 if none).",
    )
    with pytest.raises(FormError):
        forms.OFFSETS.canonical("0, 2")


def test_java_hashcode_places_the_books_id_on_partition_13() -> None:
    """Kafka: Utils.abs(transactionalId.hashCode()) % transaction.state.log.num.partitions."""
    assert labkit.java_hashcode("peter-transaction-01") == -622368463
    assert labkit.coordinator_partition("peter-transaction-01") == 13
    assert labkit.java_hashcode("") == 0
    assert labkit.java_hashcode("a") == 97


def test_the_recorded_moment_is_the_journal_step_time_travel_rebuilds() -> None:
    """The truths kept at the moment are what views.at_step(cluster, step) shows later."""
    from eoslab.labkit import moments
    from eoslab.views import at_step

    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    txn = open_transaction(cluster)
    labkit.experiment("03.open", cluster=cluster)
    txn.commit_transaction()
    moment = moments.recorded("03.open")
    past = at_step(cluster, moment.step)
    assert (
        {qid: labkit.QUESTIONS[qid].truth(cluster=past) for qid in moment.truths}
        == moment.truths
        == {"03.lso_while_open": 0, "03.hw_while_open": 2}
    )
