"""labkit's questions, hints and verdicts under set_language("ko"): the same judgement, in Korean."""

from __future__ import annotations

from eoslab import Cluster, labkit, set_language
from tests.labs.test_labkit import open_transaction


def test_verdicts_before_the_experiment_right_wrong_and_unanswered_are_korean() -> None:
    set_language("ko")
    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    early = labkit.check("03.lso_while_open", 0)
    assert (early.ok, early.question) == (False, "트랜잭션이 열려 있는 동안 LSO는 어디에 있는가?")
    assert early.message == (
        '먼저 실험을 실행하세요: labkit.experiment("03.open", ...)로 끝나는 셀이 아직 실행되지 '
        "않았습니다."
    )
    open_transaction(cluster)
    labkit.experiment("03.open", cluster=cluster)
    step = len(cluster.journal) - 1
    right = labkit.check("03.lso_while_open", 0)
    assert right.ok
    assert right.message == (
        f"정답: 0 (저널 이벤트 {step} 시점). read_committed 컨슈머는 LSO에서 멈춘다. 그 뒤에 "
        "트랜잭션과 관계없는 레코드가 있어도 그렇다."
    )
    wrong = labkit.check("03.hw_while_open", 1)
    assert not wrong.ok
    assert wrong.question == "그럼 하이워터마크는?"
    assert wrong.message == "오답: 1. 힌트: HW는 열려 있든 아니든 복제된 모든 레코드를 센다."
    assert repr(wrong).startswith("✗ 그럼 하이워터마크는?: 오답: 1.")
    assert "힌트: HW는" in wrong._repr_html_()
    unanswered = labkit.check("03.hw_while_open", labkit.NOT_ANSWERED)
    assert unanswered.message == "먼저 예측을 적으세요(오프셋, 예: 9 (없으면 None 또는 -1001))."
    shape = labkit.check("03.lso_while_open", [1])
    assert shape.message == (
        "정수가 와야 합니다(받은 값: [1]). 답의 형식: 오프셋, 예: 9 (없으면 None 또는 -1001)."
    )


def test_a_choice_and_a_question_about_kafka_itself_in_korean() -> None:
    set_language("ko")
    verdict = labkit.check("07.streams_guarantee", labkit.NOT_ANSWERED)
    assert verdict.question == (
        "오늘날 카프카 스트림즈 애플리케이션에 정확히 한 번을 주는 processing.guarantee는?"
    )
    assert verdict.message == (
        "먼저 예측을 적으세요('at_least_once' / 'exactly_once' / 'exactly_once_beta' / "
        "'exactly_once_v2' 중 하나)."
    )
    assert labkit.check("07.streams_guarantee", "EXACTLY_ONCE_V2").message.startswith(
        "정답: 'exactly_once_v2'. exactly_once_v2 (카프카 3.0+, KIP-732)"
    )


def test_the_same_checks_stay_english_by_default() -> None:
    verdict = labkit.check("07.streams_guarantee", "exactly_once")
    assert verdict.message == (
        "Not 'exactly_once'. Hint: The original value (one producer per task) and the 2.6-era "
        "name were deprecated in 3.0."
    )
    assert labkit.check("nope", 1).message == "no such question: nope"
    set_language("ko")
    assert labkit.check("nope", 1).message == "그런 질문은 없습니다: nope"
