"""한국어 메시지 카탈로그: 영어 메시지 -> 한국어 (용어는 docs/ko/glossary.md를 따른다).

Kafka's identifiers (API names, config keys, error codes, states, column names) stay as they are.
"""

MESSAGES: dict[str, str] = {
    # -- labkit: verdicts --------------------------------------------------------------------
    " (at journal event {step})": " (저널 이벤트 {step} 시점)",
    "Not {answer!r}. Hint: {hint}": "오답: {answer!r}. 힌트: {hint}",
    "no questions belong to experiment {name!r}": "실험 {name!r}에 속한 질문이 없습니다",
    "no such question: {qid}": "그런 질문은 없습니다: {qid}",
    "Write your prediction first ({form}).": "먼저 예측을 적으세요({form}).",
    "Right: {truth!r}{when}. {explain}": "정답: {truth!r}{when}. {explain}",
    'Run the experiment first: the cell that ends with labkit.experiment("{experiment}", ...) '
    "has not run yet.": '먼저 실험을 실행하세요: labkit.experiment("{experiment}", ...)로 끝나는 '
    "셀이 아직 실행되지 않았습니다.",
    "The experiment stopped before this question's moment ({reason}): run its cell again once "
    "the code above it works.": "실험이 이 질문의 시점에 이르기 전에 멈췄습니다({reason}). 위의 "
    "코드가 동작하게 고친 뒤 그 셀을 다시 실행하세요.",
    "{error}; the answer is {form}.": "{error}. 답의 형식: {form}.",
    # -- labkit: forms -----------------------------------------------------------------------
    "a number, e.g. 3": "숫자, 예: 3",
    "an offset, e.g. 9 (None or -1001 if none)": "오프셋, 예: 9 (없으면 None 또는 -1001)",
    "a list of offsets, e.g. [0, 2]": "오프셋의 리스트, 예: [0, 2]",
    "an epoch, e.g. 0": "에포크, 예: 0",
    "a partition number, e.g. 7": "파티션 번호, 예: 7",
    "an error name, e.g. 'NOT_COORDINATOR' ('NONE' for success)": "오류 이름, 예: "
    "'NOT_COORDINATOR' (성공이면 'NONE')",
    "a list of state names, e.g. ['Ongoing', 'CompleteCommit']": "상태 이름의 리스트, 예: "
    "['Ongoing', 'CompleteCommit']",
    "milliseconds of virtual time, e.g. 100": "가상 시간의 밀리초, 예: 100",
    "one of {options}": "{options} 중 하나",
    "expected a whole number, got {answer!r}": "정수가 와야 합니다(받은 값: {answer!r})",
    "expected an error name such as 'PRODUCER_FENCED', got {answer!r}": "'PRODUCER_FENCED' 같은 "
    "오류 이름이 와야 합니다(받은 값: {answer!r})",
    "expected a state name such as 'Ongoing', got {name!r}": "'Ongoing' 같은 상태 이름이 와야 "
    "합니다(받은 값: {name!r})",
    "expected a word, got {answer!r}": "낱말이 와야 합니다(받은 값: {answer!r})",
    "expected a list, got {answer!r}": "리스트가 와야 합니다(받은 값: {answer!r})",
    # -- views: figures ----------------------------------------------------------------------
    "every offset: {how}, coloured by fate": "모든 오프셋: {how}, 운명별 색",
    "one cell per offset": "오프셋마다 한 칸",
    "runs of one fate merged": "같은 운명이 이어지면 합침",
    "offsets {first}–{last}: {how}, coloured by fate": "오프셋 {first}–{last}: {how}, 운명별 색",
    "offset": "오프셋",
    "whole log, one column per pixel stacked by the share of each fate; shaded: the window "
    "below": "로그 전체: 픽셀 한 열마다 운명별 비율을 쌓음, 음영: 아래 창의 범위",
    "{kind} marker": "{kind} 마커",
    "aborted transaction: first record to ABORT": "중단된 트랜잭션: 첫 레코드부터 ABORT까지",
    "{isolation} (above the lane)": "{isolation} (레인 위)",
    "{isolation} (below the lane)": "{isolation} (레인 아래)",
    "events {first}–{last}": "이벤트 {first}–{last}",
    "no events": "이벤트 없음",
    " (first {shown} of {total}; pass start_event/end_event)": " ({total}개 중 처음 {shown}개, "
    "start_event/end_event로 범위 지정)",
    "protocol timeline, {shown}{more}": "프로토콜 타임라인, {shown}{more}",
    "request, answered ok (error code NONE)": "요청, 응답 ok (오류 코드 NONE)",
    "request, answered with an error": "요청, 오류 응답",
    "internal step": "내부 단계",
    "clock advance": "시계 진행",
    "leader {broker}": "리더 {broker}",
    "txn\ncoordinator": "트랜잭션\n코디네이터",
    "group\ncoordinator": "그룹\n코디네이터",
    # -- views: fates, lines, legends --------------------------------------------------------
    "markers:": "마커:",
    "committed": "커밋됨",
    "aborted": "중단됨",
    "open": "진행 중",
    "non-transactional": "비트랜잭션",
    "marker": "마커",
    "transactional data whose COMMIT marker is in the log: every consumer reads it": "COMMIT "
    "마커가 로그에 있는 트랜잭션 데이터: 모든 컨슈머가 읽는다",
    "transactional data whose ABORT marker is in the log: only read_uncommitted reads it": "ABORT "
    "마커가 로그에 있는 트랜잭션 데이터: read_uncommitted만 읽는다",
    "transactional data with no marker yet: it holds the LSO, read_committed waits": "아직 마커가 "
    "없는 트랜잭션 데이터: LSO를 붙잡고, read_committed는 기다린다",
    "written outside any transaction: readable below the HW by everyone": "트랜잭션 밖에서 쓴 "
    "데이터: HW 아래면 누구나 읽는다",
    "a COMMIT/ABORT control record: takes one offset, never returned to applications": "COMMIT/"
    "ABORT 제어 레코드: 오프셋 하나를 차지하고, 애플리케이션에는 반환되지 않는다",
    "high watermark: read_uncommitted reads below it": "하이워터마크: read_uncommitted는 그 "
    "아래까지 읽는다",
    "last stable offset: read_committed reads below it": "마지막 안정 오프셋: read_committed는 "
    "그 아래까지 읽는다",
    "log end offset (shown when the HW is held below it)": "로그 끝 오프셋 (HW가 그 아래에 "
    "붙잡혀 있을 때 표시)",
    # -- labkit: questions, 01 멱등성 프로듀서 -------------------------------------------------
    "How many records does the log hold after the retried send?": "재시도한 전송 뒤 로그에는 "
    "레코드가 몇 개 있는가?",
    "The response was lost, not the request: the first attempt was appended. What does the broker "
    "do with a batch whose producer id, epoch and sequence it has already seen?": "잃어버린 것은 "
    "요청이 아니라 응답이다. 첫 시도는 이미 추가되었다. 프로듀서 ID, 에포크, 시퀀스 번호를 이미 본 "
    "배치를 브로커는 어떻게 하는가?",
    "The broker remembers the last 5 batches of every producer and answers a repeat with the "
    "original offset, appending nothing.": "브로커는 프로듀서마다 마지막 배치 5개를 기억하고, "
    "반복된 배치에는 아무것도 추가하지 않고 원래 오프셋으로 응답한다.",
    "And without enable.idempotence, how many records?": "enable.idempotence 없이는 레코드가 몇 "
    "개인가?",
    "A plain producer's batch has no producer id and no sequence number: can the broker tell a "
    "retry from a new record?": "일반 프로듀서의 배치에는 프로듀서 ID도 시퀀스 번호도 없다. "
    "브로커가 재시도와 새 레코드를 구별할 수 있을까?",
    "Without idempotence the retry is simply a second record: at-least-once.": "멱등성이 없으면 "
    "재시도는 그냥 두 번째 레코드다: 적어도 한 번.",
    "How many copies of order #1 does the log hold after the restarted process sent it again?": (
        "재시작한 프로세스가 주문 #1을 다시 보낸 뒤, 로그에는 그 주문이 몇 개 있는가?"
    ),
    "The new process got a new producer id from InitProducerId. Does the broker connect (new "
    "pid, sequence 0) with (old pid, sequence 0)?": "새 프로세스는 InitProducerId로 새 프로듀서 "
    "ID를 받았다. 브로커가 (새 pid, 시퀀스 0)과 (옛 pid, 시퀀스 0)을 연결할까?",
    "Idempotence lasts one producer session: a new producer id starts a new sequence, so the "
    "broker sees two different batches.": "멱등성은 프로듀서 세션 하나 동안만 간다. 새 프로듀서 "
    "ID는 새 시퀀스로 시작하므로, 브로커에게는 서로 다른 배치 두 개다.",
    # 02 트랜잭션과 제어 레코드
    "Which __transaction_state partition holds peter-transaction-01?": "peter-transaction-01은 "
    "__transaction_state의 몇 번 파티션에 있는가?",
    "abs(Java hashCode of the id) % 50: labkit.coordinator_partition(id) computes it. The "
    "journal's FindCoordinator line tells you too.": "abs(ID의 자바 hashCode) % 50. "
    "labkit.coordinator_partition(id)가 계산해 준다. 저널의 FindCoordinator 줄에도 나온다.",
    "The coordinator is the leader of partition abs(hashCode) % 50 of __transaction_state.": "트랜"
    "잭션 코디네이터는 __transaction_state의 abs(hashCode) % 50번 파티션의 리더다.",
    "At which offset is the first COMMIT marker?": "첫 COMMIT 마커는 몇 번 오프셋에 있는가?",
    "One message was sent at offset 0. Markers are records too: they take an offset.": "메시지 "
    "하나가 오프셋 0에 쓰였다. 마커도 레코드다. 마커도 오프셋을 차지한다.",
    "A control record takes exactly one offset, right after the transaction's data.": "제어 "
    "레코드는 트랜잭션 데이터 바로 뒤에서 정확히 오프셋 하나를 차지한다.",
    "Which states did __transaction_state record for one committed transaction, in order?": (
        "커밋된 트랜잭션 하나에 대해 __transaction_state가 레코드로 남긴 상태를 순서대로 적으면?"
    ),
    "init_transactions() writes one record, the first send another, commit two.": (
        "init_transactions()가 레코드 하나, 첫 전송이 또 하나, 커밋이 두 개를 쓴다."
    ),
    "Empty -> Ongoing -> PrepareCommit -> CompleteCommit: every step is written before it takes "
    "effect.": "Empty -> Ongoing -> PrepareCommit -> CompleteCommit: 모든 단계는 효력이 생기기 "
    "전에 먼저 기록된다.",
    "At which offset does the second run's message land?": "두 번째 실행의 메시지는 몇 번 "
    "오프셋에 놓이는가?",
    "Offsets 0 and 1 are taken: the first message and its COMMIT marker.": "오프셋 0과 1은 이미 "
    "찼다: 첫 메시지와 그 COMMIT 마커.",
    "Offset 2: the book's puzzle. The commit marker of run 1 took offset 1.": "오프셋 2: 책의 "
    "수수께끼. 첫 실행의 커밋 마커가 오프셋 1을 차지했다.",
    "With which producer epoch does the second run write?": "두 번째 실행은 어떤 프로듀서 "
    "에포크로 쓰는가?",
    "A new process calls init_transactions() with the same transactional.id. What does the "
    "coordinator do to the epoch?": "새 프로세스가 같은 transactional.id로 init_transactions()를 "
    "부른다. 트랜잭션 코디네이터는 에포크를 어떻게 하는가?",
    "InitProducerId bumps the epoch, so the old instance (if still alive) is fenced.": (
        "InitProducerId가 에포크를 올리므로, 옛 인스턴스는 (아직 살아 있다면) 펜싱된다."
    ),
    "Which error does the commit in the book's finally raise?": "책의 finally 안에 있는 커밋은 "
    "어떤 오류를 내는가?",
    "After abort_transaction() the producer is Ready, with no transaction to commit.": (
        "abort_transaction() 뒤 프로듀서는 Ready 상태이고, 커밋할 트랜잭션이 없다."
    ),
    "librdkafka's _STATE (Java: IllegalStateException): commit is not a legal step from Ready.": (
        "librdkafka의 _STATE (자바: IllegalStateException): Ready 상태에서 커밋은 허용되지 않는다."
    ),
    # 03 격리 수준
    "While the transaction is open, where is the LSO?": "트랜잭션이 열려 있는 동안 LSO는 어디에 "
    "있는가?",
    "The LSO is the first offset of the earliest transaction that is still open.": "LSO는 아직 "
    "열려 있는 가장 이른 트랜잭션의 첫 오프셋이다.",
    "read_committed consumers stop at the LSO, even for non-transactional records after it.": (
        "read_committed 컨슈머는 LSO에서 멈춘다. 그 뒤에 트랜잭션과 관계없는 레코드가 있어도 그렇다."
    ),
    "And the high watermark?": "그럼 하이워터마크는?",
    "The HW counts every replicated record, open or not.": "HW는 열려 있든 아니든 복제된 모든 "
    "레코드를 센다.",
    "read_uncommitted consumers read up to the HW.": "read_uncommitted 컨슈머는 HW까지 읽는다.",
    "Which offsets has the read_committed consumer returned in total?": "read_committed 컨슈머가 "
    "지금까지 돌려준 오프셋은 모두 무엇인가?",
    "Markers are never returned, aborted records are dropped by the client, and plain records "
    "are returned once the LSO has passed them.": "마커는 반환되지 않고, 중단된 레코드는 "
    "클라이언트가 버리고, 일반 레코드는 LSO가 지나가면 반환된다.",
    "Committed and non-transactional records below the LSO, in offset order.": "LSO 아래의 커밋된 "
    "레코드와 트랜잭션 밖의 레코드, 오프셋 순서대로.",
    "HW minus the offset committed as offset()+1 of the last record: how much lag is shown?": (
        "HW에서, 마지막 레코드의 offset()+1로 커밋한 오프셋을 빼면: 랙은 얼마로 보이는가?"
    ),
    "What sits right after the last record of a committed transaction?": "커밋된 트랜잭션의 "
    "마지막 레코드 바로 뒤에는 무엇이 있는가?",
    "1, forever: the committed offset points at the COMMIT marker, which no consumer returns. "
    "Commit the position instead.": "영원히 1: 커밋된 오프셋이 COMMIT 마커를 가리키는데, 어떤 "
    "컨슈머도 마커는 반환하지 않는다. 대신 position을 커밋하라.",
    "30 s into the stuck transaction, how many offsets is the LSO behind the HW?": "트랜잭션이 "
    "멈춘 지 30초, LSO는 HW보다 오프셋 몇 개 뒤에 있는가?",
    "The LSO is stuck at the open transaction's first offset; the HW moves with every write.": (
        "LSO는 열린 트랜잭션의 첫 오프셋에 붙잡혀 있고, HW는 쓰기마다 움직인다."
    ),
    "HW - LSO grows with every record written after the open transaction: watch it (the "
    "consumers view shows lag by both definitions) to spot a stuck or hanging transaction.": (
        "HW - LSO는 열린 트랜잭션 뒤에 레코드가 쓰일 때마다 커진다. 이 값을 지켜보면(컨슈머 뷰가 두 "
        "가지 정의의 랙을 모두 보여 준다) 멈춘 트랜잭션이나 행잉 트랜잭션을 찾을 수 있다."
    ),
    "One record every 100 ms, a commit every 1000 ms: the mean read_committed latency in ms?": (
        "100ms마다 레코드 하나, 1000ms마다 커밋: read_committed의 평균 지연은 몇 ms인가?"
    ),
    "A record written just after a commit waits a whole interval, one written just before it "
    "waits 100 ms.": "커밋 직후에 쓰인 레코드는 간격 전체를 기다리고, 커밋 직전에 쓰인 레코드는 "
    "100ms를 기다린다.",
    "About half the interval on average: read_committed latency is the commit interval's price; "
    "shorter intervals cost more transactions and markers.": "평균으로 간격의 절반쯤: "
    "read_committed의 지연은 커밋 간격의 대가다. 간격을 줄이면 트랜잭션과 마커가 늘어난다.",
    # 04 read_committed는 정확히 한 번이 아니다
    "How many rows does the sink hold after the restarted consumer has caught up?": "재시작한 "
    "컨슈머가 따라잡은 뒤 싱크에는 행이 몇 개 있는가?",
    "The rows of the first batch were written; their offsets were never committed. Where does "
    "the restarted consumer start?": "첫 배치의 행은 쓰였지만, 그 오프셋은 커밋되지 않았다. "
    "재시작한 컨슈머는 어디서 시작하는가?",
    "At the last committed offset: the batch written before the crash is written again.": (
        "마지막으로 커밋된 오프셋에서: 장애 전에 쓴 배치를 다시 쓴다."
    ),
    "How many records never reached the sink?": "싱크에 끝내 닿지 못한 레코드는 몇 개인가?",
    "librdkafka stored each offset when poll() returned the record, and its timer committed the "
    "store while the records were still being written.": "librdkafka는 poll()이 레코드를 "
    "돌려줄 때 그 오프셋을 저장했고, 레코드를 아직 쓰는 동안 타이머가 저장된 오프셋을 커밋했다.",
    "librdkafka's timer commits the offset store, which poll() fills before the application has "
    "processed anything: at-most-once for those records.": "librdkafka의 타이머는 오프셋 저장소를 "
    "커밋하는데, poll()은 애플리케이션이 아무것도 처리하기 전에 그것을 채운다: 그 레코드들은 최대 "
    "한 번.",
    "With enable.auto.offset.store=false and store_offsets() after each write: how many lost?": (
        "enable.auto.offset.store=false로 두고 쓰기마다 store_offsets()를 부르면: 몇 개를 잃는가?"
    ),
    "The timer commits only what the application stored, and it stores after writing.": "타이머는 "
    "애플리케이션이 저장한 것만 커밋하고, 애플리케이션은 쓴 다음에 저장한다.",
    "None lost: the committed offset never passes a record that is not in the sink. A crash can "
    "still repeat a batch: at-least-once.": "잃는 것은 없다: 커밋된 오프셋은 싱크에 없는 레코드를 "
    "넘어가지 않는다. 그래도 장애가 나면 배치가 반복될 수 있다: 적어도 한 번.",
    # 05 컨슘-메시지 처리-프로듀싱
    "Once your loop has drained `in`, what is the group's committed offset for in-0?": "여러분의 "
    "루프가 `in`을 다 읽은 뒤, in-0에 대한 그룹의 커밋된 오프셋은?",
    "send_offsets_to_transaction sends the consumer's position: the next offset to read.": (
        "send_offsets_to_transaction은 컨슈머의 position, 곧 다음에 읽을 오프셋을 보낸다."
    ),
    "The position after the last record: offsets sent in a transaction count once it commits, "
    "like offsets from commit().": "마지막 레코드 다음 위치: 트랜잭션 안에서 보낸 오프셋은 "
    "트랜잭션이 커밋되면 commit()으로 보낸 오프셋처럼 유효해진다.",
    "How many records does a read_committed reader of `out` see?": "`out`을 읽는 read_committed "
    "컨슈머는 레코드를 몇 개 보는가?",
    "One output per input, each transaction committed.": "입력 하나에 출력 하나, 트랜잭션마다 "
    "커밋.",
    "Every input once; the markers between them take offsets but are never returned.": "모든 입력이 "
    "한 번씩. 그 사이의 마커는 오프셋을 차지하지만 반환되지 않는다.",
    "After the failed batch was aborted, what is the group's committed offset for in-0?": (
        "실패한 배치가 중단된 뒤, in-0에 대한 그룹의 커밋된 오프셋은?"
    ),
    "The aborted transaction carried offsets too. What does an ABORT marker do to them?": (
        "중단된 트랜잭션에도 오프셋이 실려 있었다. ABORT 마커는 그 오프셋을 어떻게 하는가?"
    ),
    "Unchanged: the ABORT marker discards the pending offsets with the output, and the rewind "
    "makes the consumer read the batch again from there.": "그대로다: ABORT 마커는 출력과 함께 "
    "보류 중인 오프셋도 버리고, 되감기로 컨슈머는 거기서부터 배치를 다시 읽는다.",
    "After the batch was processed again, how many records does a read_committed reader of `out` "
    "see?": "배치를 다시 처리한 뒤, `out`을 읽는 read_committed 컨슈머는 레코드를 몇 개 보는가?",
    "The aborted attempt is invisible; the retry wrote each of the batch's records once.": (
        "중단된 시도는 보이지 않고, 재시도가 배치의 레코드를 하나씩 한 번 썼다."
    ),
    "One per input, nothing twice: abort and rewind is how a transactional loop retries.": (
        "입력마다 하나, 두 번은 없다: 중단하고 되감는 것이 트랜잭션 루프의 재시도 방법이다."
    ),
    "What does committed() raise for a new read_committed member while the offsets are "
    "pending?": "오프셋이 보류 중인 동안 새 read_committed 멤버의 committed()는 어떤 오류를 내는가?",
    "commit_transaction() has returned, but the marker on __consumer_offsets is still queued. "
    "What does OffsetFetch with RequireStable answer then?": "commit_transaction()은 돌아왔지만 "
    "__consumer_offsets의 마커는 아직 대기 중이다. 그때 RequireStable이 붙은 OffsetFetch는 무엇을 "
    "응답하는가?",
    "UNSTABLE_OFFSET_COMMIT (retriable): a read_committed consumer waits rather than start from "
    "an offset that may still be aborted.": "UNSTABLE_OFFSET_COMMIT (재시도 가능): read_committed "
    "컨슈머는 아직 중단될 수도 있는 오프셋에서 시작하지 않고 기다린다.",
    "What does the group coordinator answer the offsets sent with the stale group metadata?": (
        "낡은 그룹 메타데이터와 함께 보낸 오프셋에 그룹 코디네이터는 무엇을 응답하는가?"
    ),
    "The group has rebalanced since the metadata was taken: its generation moved on.": "메타데이터를 "
    "받은 뒤 그룹이 리밸런스되었다: 제너레이션이 바뀌었다.",
    "ILLEGAL_GENERATION (abortable): since KIP-447 the group coordinator fences a member that "
    "lost its partitions, so one producer per instance is enough.": "ILLEGAL_GENERATION (중단 "
    "가능): KIP-447부터 그룹 코디네이터가 파티션을 잃은 멤버를 펜싱하므로, 인스턴스마다 프로듀서 "
    "하나면 충분하다.",
    "After the crash inside the transaction, what is the group's committed offset?": "트랜잭션 "
    "도중 장애가 난 뒤 그룹의 커밋된 오프셋은?",
    "The offsets were sent inside the transaction, which never committed.": "오프셋은 트랜잭션 "
    "안에서 보내졌고, 그 트랜잭션은 커밋되지 않았다.",
    "None (confluent_kafka shows -1001, OFFSET_INVALID): offsets sent with "
    "send_offsets_to_transaction count only when the transaction commits.": "None "
    "(confluent_kafka는 -1001, OFFSET_INVALID로 보여 준다): send_offsets_to_transaction으로 보낸 "
    "오프셋은 트랜잭션이 커밋되어야만 유효하다.",
    "How many output records does a read_committed reader of the output see in the end?": (
        "출력을 읽는 read_committed 컨슈머는 결국 출력 레코드를 몇 개 보는가?"
    ),
    "Every input once: nothing lost, nothing twice.": "모든 입력이 한 번씩: 잃은 것도, 두 번 "
    "쓴 것도 없다.",
    "One per input: the aborted attempt is invisible and the restart redid exactly it.": "입력마다 "
    "하나: 중단된 시도는 보이지 않고, 재시작이 바로 그 시도를 다시 했다.",
    "Before KIP-447, how many transactional producers did an application reading 6 input "
    "partitions on 2 instances need?": "KIP-447 이전에는, 입력 파티션 6개를 인스턴스 2개로 읽는 "
    "애플리케이션에 트랜잭션 프로듀서가 몇 개 필요했는가?",
    "Only InitProducerId could fence a zombie, and only one with the same transactional.id: the "
    "id had to follow the input partition.": "좀비를 펜싱할 수 있는 것은 InitProducerId뿐이었고, "
    "그것도 같은 transactional.id를 쓰는 좀비만이었다: ID가 입력 파티션을 따라가야 했다.",
    "6, one per input partition (a static transactional.id per task); since KIP-447 one per "
    "instance (or thread) is enough, because the group coordinator fences by generation.": (
        "6, 입력 파티션마다 하나(태스크마다 고정된 transactional.id). KIP-447부터는 그룹 "
        "코디네이터가 제너레이션으로 펜싱하므로 인스턴스(또는 스레드)마다 하나면 충분하다."
    ),
    # 06 좀비, 타임아웃, 행잉 트랜잭션
    "With which producer epoch is the zombie's transaction aborted?": "좀비의 트랜잭션은 어떤 "
    "프로듀서 에포크로 중단되는가?",
    "The new instance's InitProducerId bumps the epoch before it aborts the open transaction.": (
        "새 인스턴스의 InitProducerId는 열린 트랜잭션을 중단하기 전에 에포크를 올린다."
    ),
    "The fence writes PrepareAbort at epoch+1 and the ABORT marker carries it; the next "
    "InitProducerId bumps once more.": "펜싱은 epoch+1(에포크 + 1)로 PrepareAbort를 쓰고, ABORT "
    "마커도 그 에포크를 단다. 다음 InitProducerId가 한 번 더 올린다.",
    "Which epoch does the new instance get?": "새 인스턴스는 어떤 에포크를 받는가?",
    "Its first InitProducerId was answered CONCURRENT_TRANSACTIONS after the fence; the retry "
    "bumps again.": "펜싱 뒤 첫 InitProducerId는 CONCURRENT_TRANSACTIONS 응답을 받았고, 재시도가 "
    "에포크를 다시 올린다.",
    "e+2: e+1 went to the abort of the zombie's transaction.": "e+2: e+1은 좀비의 트랜잭션을 "
    "중단하는 데 쓰였다.",
    "Where is the LSO once the coordinator has aborted the timed-out transaction?": "트랜잭션 "
    "코디네이터가 타임아웃된 트랜잭션을 중단한 뒤 LSO는 어디에 있는가?",
    "After the ABORT marker nothing is open on the partition any more.": "ABORT 마커 뒤로는 그 "
    "파티션에 열린 것이 더 없다.",
    "The LSO caught up with the HW: read_committed consumers move again.": "LSO가 HW를 따라잡았다: "
    "read_committed 컨슈머가 다시 움직인다.",
    "At which offset does the hanging transaction start?": "행잉 트랜잭션은 몇 번 오프셋에서 "
    "시작하는가?",
    "The late batch was appended after the ABORT marker.": "늦게 도착한 배치가 ABORT 마커 뒤에 "
    "추가되었다.",
    "Its first offset is where the LSO is stuck.": "그 첫 오프셋이 LSO가 붙잡힌 곳이다.",
    # 07 정확히 한 번 싱크
    "How many rows does the idempotent sink hold after the crash and the restart?": "장애와 재시작 "
    "뒤 멱등성 싱크에는 행이 몇 개 있는가?",
    "The batch is written again, but every row is keyed by (topic, partition, offset).": "배치는 "
    "다시 쓰이지만, 모든 행의 키는 (토픽, 파티션, 오프셋)이다.",
    "One per input: the second write of a row replaces the first.": "입력마다 하나: 같은 행을 두 "
    "번째 쓰면 첫 번째를 대체한다.",
    "From which offset does the restarted task read, with the atomic sink?": "원자적 싱크에서 "
    "재시작한 태스크는 몇 번 오프셋부터 읽는가?",
    "The sink keeps its offsets in the same SQLite transaction as its rows; Kafka's committed "
    "offset is not used at all.": "싱크는 행과 같은 SQLite 트랜잭션 안에 오프셋을 보관한다. "
    "카프카의 커밋된 오프셋은 전혀 쓰지 않는다.",
    "The next offset the sink itself stored: rows and offsets can never disagree.": "싱크가 직접 "
    "저장한 다음 오프셋: 행과 오프셋이 어긋날 수 없다.",
    "Four orders, one e-mail each; the pipeline crashed once and restarted. E-mails sent?": (
        "주문 4건, 주문마다 이메일 한 통. 파이프라인이 한 번 장애 후 재시작했다. 보낸 이메일은?"
    ),
    "The crashed attempt's output records were aborted. Were its e-mails?": "장애가 난 시도의 "
    "출력 레코드는 중단되었다. 그 이메일도 그랬을까?",
    "More than four: the transaction undid the records, not the e-mails. Side effects outside "
    "Kafka need an outbox or an idempotent receiver.": "4통보다 많다: 트랜잭션은 레코드를 "
    "되돌렸지 이메일을 되돌리지 않았다. 카프카 밖의 부수 효과에는 아웃박스나 멱등성 있는 수신자가 "
    "필요하다.",
    "Which processing.guarantee gives a Kafka Streams application exactly-once today?": (
        "오늘날 카프카 스트림즈 애플리케이션에 정확히 한 번을 주는 processing.guarantee는?"
    ),
    "The original value (one producer per task) and the 2.6-era name were deprecated in 3.0.": (
        "처음의 값(태스크마다 프로듀서 하나)과 2.6 시절의 이름은 3.0에서 폐기 예정이 되었다."
    ),
    "exactly_once_v2 (Kafka 3.0+, KIP-732): one producer per thread, KIP-447's fencing.": (
        "exactly_once_v2 (카프카 3.0+, KIP-732): 스레드마다 프로듀서 하나, KIP-447의 펜싱."
    ),
    # 08 프로토콜이 어긋날 때
    "commit_transaction() has returned; what does a read_committed consumer read now?": (
        "commit_transaction()이 돌아왔다. 지금 read_committed 컨슈머는 무엇을 읽는가?"
    ),
    "commit returns once PrepareCommit is written; the markers are still queued.": "커밋은 "
    "PrepareCommit이 기록되면 돌아온다. 마커는 아직 대기 중이다.",
    "Nothing yet: visibility comes with the marker, not with the commit call.": "아직 아무것도: "
    "보이게 되는 것은 커밋 호출이 아니라 마커와 함께다.",
    "After one step, how many of the transaction's two records can read_committed readers of t-0 "
    "and t-1 read together?": "한 단계 뒤, t-0과 t-1을 읽는 read_committed 컨슈머들은 트랜잭션의 "
    "레코드 두 개 중 모두 합쳐 몇 개를 읽을 수 있는가?",
    "The step wrote the marker on t-0 only.": "그 단계는 t-0에만 마커를 썼다.",
    "One: a reader of t-0 sees its half of the transaction, a reader of t-1 nothing yet. "
    "read_committed is per partition; a transaction becomes visible piecemeal.": "하나: t-0을 "
    "읽는 쪽은 트랜잭션의 제 몫 절반을 보고, t-1을 읽는 쪽은 아직 아무것도 못 본다. "
    "read_committed는 파티션 단위다. 트랜잭션은 조각조각 보이게 된다.",
    "What does the coordinator answer the late EndTxn under TV2?": "TV2에서 늦게 도착한 EndTxn에 "
    "트랜잭션 코디네이터는 무엇을 응답하는가?",
    "Under TV2 every EndTxn bumps the epoch. Which epoch does the late request carry?": "TV2에서는 "
    "EndTxn마다 에포크가 오른다. 늦은 요청은 어떤 에포크를 달고 있는가?",
    "PRODUCER_FENCED: the late request's epoch is older than the transaction's, and a retry at "
    "epoch-1 is accepted only while the previous commit is Prepare*/Complete*.": "PRODUCER_FENCED: "
    "늦은 요청의 에포크는 트랜잭션의 에포크보다 오래되었고, epoch-1(에포크 - 1)의 재시도는 이전 "
    "커밋이 Prepare*/Complete* 상태일 때만 받아들여진다.",
    # -- dashboards: widgets, banners, "what changed" lines, glossary, column help --------------
    "A newer instance with the same transactional.id ran init_transactions(): this producer is a zombie, its transaction was aborted, and it can only be closed.": "같은 transactional.id를 쓰는 더 새로운 인스턴스가 init_transactions()를 실행했습니다. 이 프로듀서는 좀비이고, 트랜잭션은 중단되었으며, 닫는 것 말고는 할 수 있는 일이 없습니다.",
    "The call is not allowed in the producer's (or consumer's) current state, e.g. commit or produce outside a transaction, or begin twice.": "프로듀서(또는 컨슈머)의 지금 상태에서는 허용되지 않는 호출입니다. 예: 트랜잭션 밖에서 커밋이나 produce, begin 두 번.",
    "The transactional API needs a transactional.id in the producer's configuration.": "트랜잭션 API를 쓰려면 프로듀서 설정에 transactional.id가 있어야 합니다.",
    "The producer hit a fatal error earlier; nothing more can be done with it but close it and create a new one.": "이 프로듀서는 앞서 치명적인 오류를 만났습니다. 닫고 새로 만드는 것 말고는 할 수 있는 일이 없습니다.",
    "The call could not finish in time (in step pacing the coordinator is still busy): release the pending steps, then call it again.": "호출이 제시간에 끝나지 못했습니다(스텝 페이싱에서 트랜잭션 코디네이터가 아직 일하는 중). 대기 중인 단계를 풀어 준 뒤 다시 호출하세요.",
    "The configuration or an argument was refused, as librdkafka refuses it.": "librdkafka가 거부하듯 설정이나 인자가 거부되었습니다.",
    "That partition does not exist (or is not assigned to this consumer).": "그 파티션은 없습니다(또는 이 컨슈머에 할당되지 않았습니다).",
    "That topic does not exist.": "그 토픽은 없습니다.",
    "Some records of the transaction failed delivery: it must be aborted.": "트랜잭션의 레코드 일부가 전달되지 못했습니다. 트랜잭션을 중단해야 합니다.",
    "Another transactional call is still in progress on this producer.": "이 프로듀서에서 다른 트랜잭션 호출이 아직 진행 중입니다.",
    "There is no offset to commit yet: poll a message first.": "아직 커밋할 오프셋이 없습니다. 먼저 메시지를 poll하세요.",
    "Queued records were purged (the transaction was aborted) before being sent.": "대기 중이던 레코드가 보내지기 전에 지워졌습니다(트랜잭션이 중단되었습니다).",
    "A record was not delivered within message.timeout.ms.": "레코드가 message.timeout.ms 안에 전달되지 못했습니다.",
    "The consumer reached the end of the partition.": "컨슈머가 파티션의 끝에 닿았습니다.",
    "No committed offset and auto.offset.reset=error.": "커밋된 오프셋이 없고 auto.offset.reset=error입니다.",
    "The coordinator is still finishing the previous transaction (markers pending): release the pending steps and try again.": "트랜잭션 코디네이터가 아직 이전 트랜잭션을 마무리하는 중입니다(마커 대기 중). 대기 중인 단계를 풀어 주고 다시 시도하세요.",
    "The coordinator refused the request in the transaction's current state.": "트랜잭션 코디네이터가 트랜잭션의 지금 상태에서는 그 요청을 거부했습니다.",
    "The request carried an old producer epoch: a newer instance fenced this one.": "요청에 옛 프로듀서 에포크가 실려 있었습니다. 더 새로운 인스턴스가 이 인스턴스를 펜싱했습니다.",
    "A newer instance with the same transactional.id fenced this producer.": "같은 transactional.id를 쓰는 더 새로운 인스턴스가 이 프로듀서를 펜싱했습니다.",
    "The coordinator does not know this producer id for the transactional.id (it expired or was replaced).": "트랜잭션 코디네이터는 이 transactional.id에 대해 이 프로듀서 ID를 모릅니다(만료되었거나 대체되었습니다).",
    "The transaction cannot commit any more: abort it and start again.": "이 트랜잭션은 더는 커밋할 수 없습니다. 중단하고 다시 시작하세요.",
    "A partition could not be added to the transaction, so the transaction must be aborted.": "파티션을 트랜잭션에 추가하지 못했으므로 트랜잭션을 중단해야 합니다.",
    "The broker does not host that topic-partition.": "브로커에 그 토픽-파티션이 없습니다.",
    "The group coordinator no longer knows this consumer (its session expired or it was replaced).": "그룹 코디네이터가 더는 이 컨슈머를 모릅니다(세션이 만료되었거나 대체되었습니다).",
    "The group rebalanced since this consumer joined: its offsets are refused (KIP-447 fencing).": "이 컨슈머가 합류한 뒤 그룹이 리밸런스되었습니다. 그 오프셋은 거부됩니다(KIP-447 펜싱).",
    "The group is rebalancing: poll to rejoin, then commit again.": "그룹이 리밸런스 중입니다. poll로 다시 합류한 뒤 다시 커밋하세요.",
    "Another consumer joined with the same group.instance.id.": "다른 컨슈머가 같은 group.instance.id로 합류했습니다.",
    "The coordinator is not available right now; try again.": "코디네이터를 지금은 쓸 수 없습니다. 다시 시도하세요.",
    "The request went to a broker that is not the coordinator; try again.": "요청이 코디네이터가 아닌 브로커로 갔습니다. 다시 시도하세요.",
    "The offset is outside the partition's log.": "오프셋이 파티션의 로그 범위 밖에 있습니다.",
    "The broker saw a gap in the producer's sequence numbers.": "브로커가 프로듀서의 시퀀스 번호에서 빈틈을 보았습니다.",
    "The broker no longer has state for this producer id.": "브로커에 이 프로듀서 ID의 상태가 더는 없습니다.",
    "This producer was fenced by a newer instance with the same transactional.id: it cannot get a new epoch; close it, the newer instance carries on.": "이 프로듀서는 같은 transactional.id를 쓰는 더 새로운 인스턴스에게 펜싱되었습니다. 새 에포크를 받을 수 없습니다. 닫으세요. 더 새로운 인스턴스가 일을 이어 갑니다.",
    "begin_transaction() is refused: a newer instance with the same transactional.id fenced this producer earlier, so it is in a fatal state and can start no transaction. Close it; the newer instance carries on.": "begin_transaction()이 거부되었습니다. 같은 transactional.id를 쓰는 더 새로운 인스턴스가 앞서 이 프로듀서를 펜싱했으므로, 치명적인 상태이고 트랜잭션을 시작할 수 없습니다. 닫으세요. 더 새로운 인스턴스가 일을 이어 갑니다.",
    "commit_transaction() is refused: a newer instance with the same transactional.id fenced this producer and the coordinator aborted its transaction, so nothing it wrote will ever be committed. Close it.": "commit_transaction()이 거부되었습니다. 같은 transactional.id를 쓰는 더 새로운 인스턴스가 이 프로듀서를 펜싱했고 트랜잭션 코디네이터가 그 트랜잭션을 중단했으므로, 이 프로듀서가 쓴 것은 결코 커밋되지 않습니다. 닫으세요.",
    "abort_transaction() is refused: the producer is fenced; the coordinator already aborted its transaction when the newer instance started. Close it.": "abort_transaction()이 거부되었습니다. 프로듀서는 펜싱되었고, 더 새로운 인스턴스가 시작할 때 트랜잭션 코디네이터가 이미 그 트랜잭션을 중단했습니다. 닫으세요.",
    "The records were refused: a newer instance with the same transactional.id fenced this producer (its epoch is old). Close it.": "레코드가 거부되었습니다. 같은 transactional.id를 쓰는 더 새로운 인스턴스가 이 프로듀서를 펜싱했습니다(에포크가 낡았습니다). 닫으세요.",
    "The queued records were refused: a newer instance with the same transactional.id fenced this producer (its epoch is old). Close it.": "대기 중이던 레코드가 거부되었습니다. 같은 transactional.id를 쓰는 더 새로운 인스턴스가 이 프로듀서를 펜싱했습니다(에포크가 낡았습니다). 닫으세요.",
    "send_offsets_to_transaction() is refused: a newer instance with the same transactional.id fenced this producer. Close it.": "send_offsets_to_transaction()이 거부되었습니다. 같은 transactional.id를 쓰는 더 새로운 인스턴스가 이 프로듀서를 펜싱했습니다. 닫으세요.",
    "The client was closed (or crashed): create a new instance to go on.": "클라이언트가 닫혔습니다(또는 장애가 났습니다). 계속하려면 새 인스턴스를 만드세요.",
    "There is nothing at that position (no pending step, no held request).": "그 위치에는 아무것도 없습니다(대기 중인 단계도, 붙잡힌 요청도 없습니다).",
    "The producer's local queue is full: flush it first.": "프로듀서의 로컬 큐가 가득 찼습니다. 먼저 flush하세요.",
    "An argument has the wrong type.": "인자의 타입이 잘못되었습니다.",
    "An argument has a value the call does not accept.": "호출이 받아들이지 않는 값의 인자가 있습니다.",
    "No such topic or partition.": "그런 토픽이나 파티션은 없습니다.",
    "The call was refused.": "호출이 거부되었습니다.",
    "fatal: close this producer and create a new one": "치명적: 이 프로듀서를 닫고 새로 만드세요",
    "abortable: call abort_transaction(), then go on": "중단 가능: abort_transaction()을 부른 뒤 계속하세요",
    "retriable: the same call may succeed if tried again": "재시도 가능: 같은 호출을 다시 하면 성공할 수 있습니다",
    "(librdkafka repeats the text of the error that first made this producer fatal, at an earlier call)": "(librdkafka는 이 프로듀서를 처음 치명적으로 만든, 앞선 호출의 오류 문구를 되풀이합니다)",
    "A refused call leaves the cluster as it was; the code log shows it inside try/except.": "거부된 호출은 클러스터를 그대로 둡니다. 코드 로그는 그 호출을 try/except 안에 보여 줍니다.",
    "InitProducerId: get a producer id and epoch for the transactional.id; a newer instance fences the older one and the coordinator aborts its open transaction": "InitProducerId: transactional.id에 대한 프로듀서 ID와 에포크를 받는다. 더 새로운 인스턴스가 옛 인스턴스를 펜싱하고, 트랜잭션 코디네이터가 옛 인스턴스의 열린 트랜잭션을 중단한다",
    "start a transaction (local only: nothing is sent until the first produce)": "트랜잭션을 시작한다(로컬에서만: 첫 produce까지는 아무것도 보내지 않는다)",
    "EndTxn(COMMIT): the coordinator writes PrepareCommit, a COMMIT marker to every partition of the transaction, then CompleteCommit; read_committed can read past it": "EndTxn(COMMIT): 트랜잭션 코디네이터가 PrepareCommit을 쓰고, 트랜잭션의 모든 파티션에 COMMIT 마커를, 그다음 CompleteCommit을 쓴다. read_committed는 그 너머까지 읽을 수 있다",
    "EndTxn(ABORT): ABORT markers; read_committed skips the aborted records": "EndTxn(ABORT): ABORT 마커. read_committed는 중단된 레코드를 건너뛴다",
    "send the queued records and wait for the broker's answer": "대기 중인 레코드를 보내고 브로커의 응답을 기다린다",
    "queue the records (value, or value-0, value-1, ... for several); with 'then flush()' they are sent at once": "레코드를 큐에 넣는다(값 하나, 여러 개면 value-0, value-1, ...). 'then flush()'를 켜면 바로 보낸다",
    "commit the chosen consumer's positions inside this transaction (TxnOffsetCommit): they count only if the transaction commits": "고른 컨슈머의 position을 이 트랜잭션 안에서 커밋한다(TxnOffsetCommit). 트랜잭션이 커밋되어야만 유효하다",
    "eoslab fault: the process dies here, nothing is closed; its transaction stays open": "eoslab 장애 주입: 프로세스가 여기서 죽는다. 아무것도 닫히지 않고, 트랜잭션은 열린 채로 남는다",
    "poll() returned None: nothing more to read now": "poll()이 None을 돌려주었다: 지금은 더 읽을 것이 없다",
    "fetch and return the next message (None when there is nothing to read below the consumer's limit: the LSO for read_committed, the HW for read_uncommitted)": "다음 메시지를 가져와 돌려준다(컨슈머의 한계 아래에 읽을 것이 없으면 None: read_committed는 LSO, read_uncommitted는 HW)",
    "return up to n messages": "메시지를 최대 n개 돌려준다",
    "OffsetCommit: store the consumer's positions as its group's committed offsets": "OffsetCommit: 컨슈머의 position을 그룹의 커밋된 오프셋으로 저장한다",
    "move the consumer's position on the chosen partition": "고른 파티션에서 컨슈머의 position을 옮긴다",
    "eoslab fault: the consumer dies here without committing or leaving its group": "eoslab 장애 주입: 컨슈머가 커밋하지도 그룹을 떠나지도 않고 여기서 죽는다",
    "leave the group and close": "그룹을 떠나고 닫는다",
    "move the virtual clock: transaction timeouts, linger and expiry fall due": "가상 시계를 움직인다: 트랜잭션 타임아웃, linger, 만료가 때를 맞는다",
    "step pacing: run the first pending step (a marker write, a coordinator record)": "스텝 페이싱: 대기 중인 첫 단계를 실행한다(마커 쓰기, 코디네이터 레코드)",
    "step pacing: run the pending step chosen in the list, out of order": "스텝 페이싱: 목록에서 고른 대기 단계를 순서와 상관없이 실행한다",
    "step pacing: run every pending step": "스텝 페이싱: 대기 중인 모든 단계를 실행한다",
    "eoslab fault: the chosen pending step never happens (a marker that never arrives)": "eoslab 장애 주입: 고른 대기 단계가 일어나지 않는다(끝내 도착하지 않는 마커)",
    "eoslab fault: the chosen pending step happens twice": "eoslab 장애 주입: 고른 대기 단계가 두 번 일어난다",
    "eoslab fault: the broker handles the next such request but its answer is lost": "eoslab 장애 주입: 브로커는 다음의 그런 요청을 처리하지만 응답이 사라진다",
    "eoslab fault: the next such request waits in the network until delivered": "eoslab 장애 주입: 다음의 그런 요청이 전달될 때까지 네트워크에서 기다린다",
    "deliver the held request chosen in the list (late)": "목록에서 고른, 붙잡혀 있던 요청을 (늦게) 전달한다",
    "eoslab fault: a new coordinator loads __transaction_state and finishes what it finds": "eoslab 장애 주입: 새 트랜잭션 코디네이터가 __transaction_state를 읽고 찾은 일을 마무리한다",
    "eoslab fault: followers stop replicating; the HW stays where it is": "eoslab 장애 주입: 팔로워가 복제를 멈춘다. HW는 제자리에 있다",
    "followers catch up: the HW moves to the log end": "팔로워가 따라잡는다: HW가 로그 끝으로 움직인다",
    "advance clock": "시계 진행",
    "release next step": "다음 단계 풀기",
    "release selected": "고른 단계 풀기",
    "release all": "모두 풀기",
    "drop selected": "고른 단계 버리기",
    "duplicate selected": "고른 단계 중복",
    "lose next response": "다음 응답 잃기",
    "hold next request": "다음 요청 붙잡기",
    "deliver held request": "붙잡힌 요청 전달",
    "fail over transaction coordinator": "트랜잭션 코디네이터 장애 조치",
    "hold HW": "HW 붙잡기",
    "release HW": "HW 풀기",
    "new instance (same transactional.id)": "새 인스턴스 (같은 transactional.id)",
    "start another producer with this configuration: the zombie lesson": "같은 설정으로 프로듀서를 하나 더 시작한다: 좀비 수업",
    "create producer": "프로듀서 만들기",
    "create consumer": "컨슈머 만들기",
    "then flush()": "그다음 flush()",
    "offsets of": "오프셋 출처",
    "no transactions": "트랜잭션 없음",
    "no transactional.id": "transactional.id 없음",
    "to offset": "옮길 오프셋",
    "own group": "자기 그룹",
    "its own name": "자기 이름",
    "subscribed, not yet assigned": "구독함, 아직 할당 없음",
    "nothing assigned": "할당 없음",
    "keep stale markers": "옛 마커 유지",
    "rebuild the cluster": "클러스터 다시 만들기",
    "keep this cluster": "이 클러스터 유지",
    "kept the cluster": "클러스터를 유지했습니다",
    "a fresh cluster with the same topics and starting clients": "같은 토픽과 시작 클라이언트로 새 클러스터",
    "auto: a call completes everything it causes before it returns": "auto: 호출은 돌아오기 전에 그 결과로 생기는 모든 일을 끝낸다",
    "step: markers and coordinator records wait until you release them": "step: 마커와 코디네이터 레코드가 풀어 줄 때까지 기다린다",
    "TV1: classic transactions (one epoch per producer instance)": "TV1: 클래식 트랜잭션(프로듀서 인스턴스마다 에포크 하나)",
    "TV2: KIP-890 part 2, the epoch goes up at every commit and abort": "TV2: KIP-890 2부, 커밋과 중단 때마다 에포크가 오른다",
    "Code log": "코드 로그",
    "dashboard ready": "대시보드 준비됨",
    "A transactional producer and two consumers": "트랜잭션 프로듀서 하나와 컨슈머 둘",
    "Consume-process-produce with a sink": "싱크가 있는 컨슘-메시지 처리-프로듀싱",
    "Zombie fencing": "좀비 펜싱",
    "Glossary: HW, LSO, LEO, -1001, lags, TV1/TV2, pacing, fate colours": "용어집: HW, LSO, LEO, -1001, 랙, TV1/TV2, 페이싱, 운명별 색",
    "Log & consumers": "로그와 컨슈머",
    "Consumers: position, committed offset, HW, LSO, lag by both definitions": "컨슈머: position, 커밋된 오프셋, HW, LSO, 두 정의의 랙",
    "Log dump (kafka-dump-log.sh) of the partition chosen above, newest last": "위에서 고른 파티션의 로그 덤프(kafka-dump-log.sh), 최신이 마지막",
    "Partitions: LEO, HW, first unstable offset, LSO": "파티션: LEO, HW, 첫 불안정 오프셋, LSO",
    "Transactions (kafka-transactions.sh describe): the coordinator's memory": "트랜잭션(kafka-transactions.sh describe): 트랜잭션 코디네이터의 기억",
    "__transaction_state, newest first (TransactionLogMessageFormatter)": "__transaction_state, 최신이 처음(TransactionLogMessageFormatter)",
    "Producer state of the partition chosen above (describe-producers)": "위에서 고른 파티션의 프로듀서 상태(describe-producers)",
    "Aborted transaction index of the partition chosen above": "위에서 고른 파티션의 중단된 트랜잭션 인덱스",
    "Journal, newest first (the protocol timeline below draws the last events)": "저널, 최신이 처음(아래 프로토콜 타임라인이 마지막 이벤트들을 그린다)",
    "time travel: the cluster as it was after this journal event": "시간 여행: 이 저널 이벤트 직후의 클러스터",
    "all columns": "모든 열",
    "show every column of every table (wider than the panel)": "모든 표의 모든 열을 보여 준다(패널보다 넓다)",
    "view: live": "보기: 실시간",
    "view: all columns": "보기: 모든 열",
    "view: chosen columns": "보기: 고른 열",
    "before any event": "이벤트 전",
    "no topics": "토픽 없음",
    "no transactional ids": "transactional id 없음",
    "__transaction_state is empty": "__transaction_state가 비어 있음",
    "no events yet": "아직 이벤트 없음",
    "no consumers": "컨슈머 없음",
    "no partition": "파티션 없음",
    "no change in the cluster": "클러스터에 변화 없음",
    "not started": "시작 안 함",
    "crash point": "장애 지점",
    "start app (new instance)": "앱 시작(새 인스턴스)",
    "run one iteration": "한 번 반복",
    "a new process of the app: its init_transactions() fences the old one": "앱의 새 프로세스: 그 init_transactions()가 옛 프로세스를 펜싱한다",
    "poll a batch, produce it in a transaction with the offsets, commit": "배치를 poll하고, 오프셋과 함께 트랜잭션 안에서 produce하고, 커밋한다",
    "Consume-process-produce app": "컨슘-메시지 처리-프로듀싱 앱",
    "the offset of the next message the application will get (position()).": "애플리케이션이 다음에 받을 메시지의 오프셋(position()).",
    "a COMMIT or ABORT control record: takes one offset, never returned to apps.": "COMMIT 또는 ABORT 제어 레코드: 오프셋 하나를 차지하고, 애플리케이션에는 반환되지 않는다.",
    "Kafka's error code NONE: the request succeeded.": "카프카의 오류 코드 NONE: 요청이 성공했다.",
    "producer epoch: fences older instances of the same transactional.id.": "프로듀서 에포크: 같은 transactional.id의 옛 인스턴스를 펜싱한다.",
    "lag_lso = LSO - fetch position: what a read_committed consumer can still read (Java's records-lag for read_committed). Negative for a read_uncommitted consumer that has read past the LSO, into an open transaction": "lag_lso = LSO - fetch position: read_committed 컨슈머가 아직 읽을 수 있는 양(자바의 read_committed records-lag). LSO를 지나 열린 트랜잭션 안까지 읽은 read_uncommitted 컨슈머에게는 음수",
    "lag_hw = HW - fetch position: what a read_uncommitted consumer can still read; the LAG kafka-consumer-groups.sh prints (from the committed offset)": "lag_hw = HW - fetch position: read_uncommitted 컨슈머가 아직 읽을 수 있는 양. kafka-consumer-groups.sh가 출력하는 LAG(커밋된 오프셋 기준)",
    "the client's name (its client.id, also its name in the code log)": "클라이언트의 이름(client.id, 코드 로그에서의 이름이기도 하다)",
    "the consumer group it commits offsets for": "오프셋을 커밋하는 컨슈머 그룹",
    "read_committed stops at the LSO; read_uncommitted reads to the HW": "read_committed는 LSO에서 멈추고, read_uncommitted는 HW까지 읽는다",
    "topic-partition": "토픽-파티션",
    "next offset the application gets; -1001 = no position yet (nothing returned)": "애플리케이션이 다음에 받을 오프셋. -1001 = 아직 position 없음(반환된 것 없음)",
    "next offset the consumer will fetch (the lags are measured from it)": "컨슈머가 다음에 가져올 오프셋(랙은 여기서부터 잰다)",
    "the group's committed offset (where a restarted consumer resumes)": "그룹의 커밋된 오프셋(재시작한 컨슈머가 이어 가는 곳)",
    "messages returned to the application so far": "지금까지 애플리케이션에 반환된 메시지",
    "first offset still in the log": "로그에 아직 남은 첫 오프셋",
    "LEO: the offset the next record will get": "LEO: 다음 레코드가 받을 오프셋",
    "first offset of the oldest open transaction (holds the LSO)": "가장 오래된 열린 트랜잭션의 첫 오프셋(LSO를 붙잡는다)",
    "HW - LSO: what read_uncommitted can read and read_committed cannot yet": "HW - LSO: read_uncommitted는 읽을 수 있고 read_committed는 아직 못 읽는 양",
    "transactions with records here and no marker yet": "여기에 레코드가 있고 아직 마커가 없는 트랜잭션",
    "the record's offset": "레코드의 오프셋",
    "committed, aborted, open, non-transactional or marker (the colours)": "커밋됨, 중단됨, 진행 중, 비트랜잭션, 마커(색)",
    "COMMIT/ABORT control record (takes one offset, never returned to applications)": "COMMIT/ABORT 제어 레코드(오프셋 하나를 차지하고, 애플리케이션에는 반환되지 않는다)",
    "the producer id (from InitProducerId)": "프로듀서 ID(InitProducerId에서 받음)",
    "the producer epoch: fences older instances": "프로듀서 에포크: 옛 인스턴스를 펜싱한다",
    "the producer's transactional.id": "프로듀서의 transactional.id",
    "the transaction state (Empty, Ongoing, PrepareCommit, CompleteCommit, ...)": "트랜잭션 상태(Empty, Ongoing, PrepareCommit, CompleteCommit, ...)",
    "the state the coordinator is moving to": "트랜잭션 코디네이터가 옮겨 가는 중인 상태",
    "partitions in the transaction: they get a marker at the end": "트랜잭션에 든 파티션: 끝날 때 마커를 받는다",
    "markers not written yet (step pacing)": "아직 쓰이지 않은 마커(스텝 페이싱)",
    "partitions of the transaction as written to __transaction_state": "__transaction_state에 기록된 트랜잭션의 파티션",
    "virtual time the record was written (ms)": "레코드가 쓰인 가상 시간(ms)",
    "transaction.timeout.ms: the coordinator aborts after it": "transaction.timeout.ms: 이 시간이 지나면 트랜잭션 코디네이터가 중단한다",
    "journal event number (the time-travel slider's step)": "저널 이벤트 번호(시간 여행 슬라이더의 단계)",
    "virtual time (ms)": "가상 시간(ms)",
    "who acted: a client (by name), a coordinator or a partition leader": "행위자: 클라이언트(이름), 코디네이터, 파티션 리더",
    "the Kafka API (request) or internal step": "카프카 API(요청) 또는 내부 단계",
    "Kafka's error code; ok = NONE (no error)": "카프카의 오류 코드. ok = NONE(오류 없음)",
    "what the event changed": "이벤트가 바꾼 것",
    "sequence number of the producer's last batch (idempotence)": "프로듀서의 마지막 배치의 시퀀스 번호(멱등성)",
    "first offset of its open transaction here": "여기서 열린 트랜잭션의 첫 오프셋",
    "first offset of the aborted transaction": "중단된 트랜잭션의 첫 오프셋",
    "offset of its ABORT marker": "그 ABORT 마커의 오프셋",
    "transaction.version of the cluster (KIP-890). TV1: the classic protocol, one epoch per producer instance. TV2: the epoch goes up at every commit and abort, and partitions join the transaction with the first produce. Switching rebuilds the cluster.": "클러스터의 transaction.version(KIP-890). TV1: 클래식 프로토콜, 프로듀서 인스턴스마다 에포크 하나. TV2: 커밋과 중단 때마다 에포크가 오르고, 파티션은 첫 produce와 함께 트랜잭션에 들어간다. 바꾸면 클러스터를 다시 만든다.",
    "auto: a call completes everything it causes before it returns (commit writes every marker). step: that internal work waits in the pending list until you release it.": "auto: 호출은 돌아오기 전에 그 결과로 생기는 모든 일을 끝낸다(커밋이 모든 마커를 쓴다). step: 그 내부 작업은 풀어 줄 때까지 대기 목록에서 기다린다.",
    " &middot; HW held on {partitions}": " &middot; HW 붙잡힘: {partitions}",
    " &middot; {n} pending steps": " &middot; 대기 중인 단계 {n}개",
    " (epoch {old}→{new})": " (에포크 {old}→{new})",
    " (held by {holder})": " (붙잡은 트랜잭션: {holder})",
    " (next: {step})": " (다음: {step})",
    "(clock, pacing, faults, transaction version)": "(시계, 페이싱, 장애, 트랜잭션 버전)",
    "(leave transactional.id empty for a plain producer)": "(일반 프로듀서는 transactional.id를 비워 두세요)",
    "(the same calls in confluent_kafka; newest last)": "(같은 호출을 confluent_kafka 코드로, 최신이 마지막)",
    "({input} -> upper-case -> {output}, offsets in the transaction)": "({input} -> 대문자로 -> {output}, 오프셋은 트랜잭션 안에)",
    "+{n} record at {offsets}": "레코드 +{n}개, {offsets}",
    "+{n} records at {offsets}": "레코드 +{n}개, {offsets}",
    "+{n} transactional record at {offsets}": "트랜잭션 레코드 +{n}개, {offsets}",
    "+{n} transactional records at {offsets}": "트랜잭션 레코드 +{n}개, {offsets}",
    "-1001 (none yet)": "-1001 (아직 없음)",
    "-1001: no position yet (librdkafka OFFSET_INVALID): no message returned so far": "-1001: 아직 position 없음(librdkafka OFFSET_INVALID): 지금까지 반환된 메시지가 없다",
    "-1001: no position yet. librdkafka's OFFSET_INVALID: the consumer has returned no message on this partition yet (position() says -1001 until then).": "-1001: 아직 position 없음. librdkafka의 OFFSET_INVALID: 컨슈머가 이 파티션에서 아직 메시지를 돌려주지 않았다(그때까지 position()은 -1001).",
    "<b>Pending steps</b> ({n}): work the coordinator has queued (markers, __transaction_state records), released by the buttons below": "<b>대기 중인 단계</b> ({n}): 트랜잭션 코디네이터가 쌓아 둔 일(마커, __transaction_state 레코드). 아래 버튼으로 풀어 준다",
    "<b>Pending steps</b>: only in step pacing (auto pacing runs them at once)": "<b>대기 중인 단계</b>: 스텝 페이싱에서만(auto 페이싱은 바로 실행한다)",
    "<b>Switch to TV{tv}?</b> The transaction version is fixed when a cluster starts (KIP-890), so this <b>rebuilds the cluster</b> with transaction.version={tv}: its {events} journal events, records, clients and transactions are thrown away, the starting clients are created again, and the code log starts again.": "<b>TV{tv}로 바꿀까요?</b> 트랜잭션 버전은 클러스터가 시작할 때 정해지므로(KIP-890), 이 작업은 transaction.version={tv}로 <b>클러스터를 다시 만듭니다</b>. 지금 클러스터의 저널 이벤트 {events}개, 레코드, 클라이언트, 트랜잭션은 버려지고, 시작 클라이언트를 다시 만들고, 코드 로그도 처음부터 다시 시작합니다.",
    "<b>The cluster was rebuilt with transaction.version={tv} (TV{tv})</b>: a fresh cluster, the starting clients again, nothing of the previous run. ": "<b>클러스터를 transaction.version={tv}(TV{tv})로 다시 만들었습니다</b>: 새 클러스터, 시작 클라이언트를 다시, 이전 실행의 흔적은 없습니다. ",
    "<b>What changed</b> after each action shows here: records appended, HW and LSO, transaction states, offsets, positions.": "각 동작 뒤 <b>무엇이 바뀌었는지</b> 여기에 나옵니다: 추가된 레코드, HW와 LSO, 트랜잭션 상태, 오프셋, position.",
    "Cluster": "클러스터",
    "HW: high watermark: read_uncommitted reads below it": "HW: 하이워터마크: read_uncommitted는 그 아래까지 읽는다",
    "LSO {lso} (held by {holder})": "LSO {lso} (붙잡은 트랜잭션: {holder})",
    "LSO: last stable offset: read_committed reads below it": "LSO: 마지막 안정 오프셋: read_committed는 그 아래까지 읽는다",
    "Produce a few records to <b>{input_topic}</b>, pick a <b>crash point</b> (say, after produce), <b>run one iteration</b>: the output holds an open transaction that sink_ru reads and sink_rc does not. <b>Start the app</b> again (a new instance fences the old one and aborts its transaction), run an iteration with no crash, and poll the sinks: read_committed sees every input exactly once.": "<b>{input_topic}</b>에 레코드를 몇 개 produce하고, <b>장애 지점</b>을 고르고(예: produce 뒤), <b>한 번 반복</b>하세요. 출력에는 열린 트랜잭션이 남고, sink_ru는 그것을 읽지만 sink_rc는 읽지 않습니다. <b>앱을 다시 시작</b>하고(새 인스턴스가 옛 인스턴스를 펜싱하고 그 트랜잭션을 중단합니다), 장애 없이 한 번 반복한 뒤 싱크에서 poll하세요. read_committed는 모든 입력을 정확히 한 번 봅니다.",
    "Protocol": "프로토콜",
    "Sink": "싱크",
    "Source": "소스",
    "TV1 is the classic protocol: one epoch per instance, AddPartitionsToTxn before the first produce to a partition.": "TV1은 클래식 프로토콜입니다: 인스턴스마다 에포크 하나, 파티션에 처음 produce하기 전에 AddPartitionsToTxn.",
    "Transactions": "트랜잭션",
    "Try: <b>init_transactions</b>, <b>begin_transaction</b>, <b>produce</b>, then <b>poll</b> both consumers: read_uncommitted returns the open record, read_committed waits at the LSO. <b>commit_transaction</b> (or abort) and poll again, and find the COMMIT marker in the log dump. With pacing <b>step</b>, the commit returns before its marker is written: release it step by step.": "해 보세요: <b>init_transactions</b>, <b>begin_transaction</b>, <b>produce</b>, 그다음 두 컨슈머에서 <b>poll</b>. read_uncommitted는 열린 레코드를 돌려주고, read_committed는 LSO에서 기다립니다. <b>commit_transaction</b>(또는 중단) 뒤 다시 poll하고, 로그 덤프에서 COMMIT 마커를 찾아보세요. 페이싱이 <b>step</b>이면 커밋은 마커가 쓰이기 전에 돌아옵니다. 한 단계씩 풀어 주세요.",
    "With TV2 (KIP-890 part 2) the producer's epoch goes up at every commit and abort, and partitions join the transaction implicitly with the first produce.": "TV2(KIP-890 2부)에서는 커밋과 중단 때마다 프로듀서의 에포크가 오르고, 파티션은 첫 produce와 함께 암묵적으로 트랜잭션에 들어갑니다.",
    "aborted transaction": "중단된 트랜잭션",
    "asking: rebuild the cluster with TV{tv}?": "확인 중: TV{tv}로 클러스터를 다시 만들까요?",
    "auto: a call completes everything it causes (commit writes every marker before it returns). step: internal work (markers, coordinator records) waits in the pending list until you release it, so you can look at the cluster in between": "auto: 호출은 그 결과로 생기는 모든 일을 끝낸다(커밋은 돌아오기 전에 모든 마커를 쓴다). step: 내부 작업(마커, 코디네이터 레코드)이 풀어 줄 때까지 대기 목록에서 기다리므로, 그 사이의 클러스터를 볼 수 있다",
    "closed": "닫힘",
    "consume({n}) returned {count} message(s)": "consume({n}): 메시지 {count}개 반환",
    "crashed": "장애",
    "create a consumer first": "먼저 컨슈머를 만드세요",
    "every record, client and transaction before it is gone; the code log starts again": "그 전의 레코드, 클라이언트, 트랜잭션은 모두 사라졌다. 코드 로그도 다시 시작한다",
    "given by InitProducerId; -1 until init_transactions (or the first idempotent send). The epoch goes up when a new instance starts (fencing the old one) and, with TV2, at every commit or abort": "InitProducerId가 준다. init_transactions(또는 첫 멱등성 전송)까지는 -1. 에포크는 새 인스턴스가 시작할 때(옛 인스턴스를 펜싱), 그리고 TV2에서는 커밋이나 중단 때마다 오른다",
    "group {group} committed {partition} {old}→{new}": "그룹 {group}의 커밋된 오프셋 {partition} {old}→{new}",
    "high watermark: high watermark: read_uncommitted reads below it. The offset after the last replicated record.": "하이워터마크: read_uncommitted는 그 아래까지 읽는다. 마지막으로 복제된 레코드 다음 오프셋.",
    "instance {n} &middot; producer id {pid}, epoch {epoch}, state {state}": "인스턴스 {n} &middot; 프로듀서 ID {pid}, 에포크 {epoch}, 상태 {state}",
    "lag_hw = HW - fetch position: what a read_uncommitted consumer can still read; the LAG kafka-consumer-groups.sh prints (from the committed offset).": "lag_hw = HW - fetch position: read_uncommitted 컨슈머가 아직 읽을 수 있는 양. kafka-consumer-groups.sh가 출력하는 LAG(커밋된 오프셋 기준).",
    "lag_lso = LSO - fetch position: what a read_committed consumer can still read (Java's records-lag for read_committed). Negative for a read_uncommitted consumer that has read past the LSO, into an open transaction.": "lag_lso = LSO - fetch position: read_committed 컨슈머가 아직 읽을 수 있는 양(자바의 read_committed records-lag). LSO를 지나 열린 트랜잭션 안까지 읽은 read_uncommitted 컨슈머에게는 음수.",
    "last stable offset: last stable offset: read_committed reads below it. It stops at the first record of the oldest open transaction (which 'holds' it); equal to the HW when no transaction is open.": "마지막 안정 오프셋: read_committed는 그 아래까지 읽는다. 가장 오래된 열린 트랜잭션의 첫 레코드에서 멈춘다(그 트랜잭션이 LSO를 '붙잡는다'). 열린 트랜잭션이 없으면 HW와 같다.",
    "live": "실시간",
    "log end offset (LEO): the offset the next record gets; HW (high watermark): read_uncommitted reads below it; LSO (last stable offset): read_committed reads below it": "로그 끝 오프셋(LEO): 다음 레코드가 받을 오프셋. HW(하이워터마크): read_uncommitted는 그 아래까지 읽는다. LSO(마지막 안정 오프셋): read_committed는 그 아래까지 읽는다",
    "log end offset: the offset the next record will get. log end offset (shown when the HW is held below it).": "로그 끝 오프셋: 다음 레코드가 받을 오프셋. HW가 그 아래에 붙잡혀 있을 때 표시된다.",
    "no aborted transactions on {partition}": "{partition}에 중단된 트랜잭션 없음",
    "no producer state on {partition}": "{partition}에 프로듀서 상태 없음",
    "none": "없음",
    "offset {offset}": "오프셋 {offset}",
    "offsets {first}..{last}": "오프셋 {first}..{last}",
    "offsets {offsets}": "오프셋 {offsets}",
    "pacing": "페이싱",
    "partition": "파티션",
    "pending steps {old}→{new}{following}": "대기 중인 단계 {old}→{new}{following}",
    "producer id {pid}": "프로듀서 ID {pid}",
    "producer1 has an open transaction. Click <b>new instance</b> on it, then <b>init_transactions</b> on producer2: the coordinator bumps the epoch and aborts producer1's transaction (an ABORT marker appears). Now <b>commit_transaction</b> on producer1, the zombie: _FENCED. Then switch to <b>TV2</b> (the dashboard asks first: it rebuilds the cluster and starts again) and compare the epochs.": "producer1에 열린 트랜잭션이 있습니다. 거기서 <b>새 인스턴스</b>를 누르고, producer2에서 <b>init_transactions</b>를 누르세요. 트랜잭션 코디네이터가 에포크를 올리고 producer1의 트랜잭션을 중단합니다(ABORT 마커가 나타납니다). 이제 좀비인 producer1에서 <b>commit_transaction</b>: _FENCED. 그다음 <b>TV2</b>로 바꾸고(대시보드가 먼저 묻습니다: 클러스터를 다시 만들고 처음부터 시작합니다) 에포크를 비교해 보세요.",
    "refused ({name}): no change in the cluster": "거부됨({name}): 클러스터에 변화 없음",
    "reset: a fresh cluster, transaction.version={tv}": "초기화: 새 클러스터, transaction.version={tv}",
    "start a new instance": "새 인스턴스를 시작하세요",
    "step": "단계",
    "t={ms} ms &middot; {events} journal events &middot; pacing {pacing}": "t={ms} ms &middot; 저널 이벤트 {events}개 &middot; 페이싱 {pacing}",
    "the client's transaction state (librdkafka)": "클라이언트의 트랜잭션 상태(librdkafka)",
    "time travel: the cluster as it was after journal event {step}": "시간 여행: 저널 이벤트 {step} 직후의 클러스터",
    "transactions": "트랜잭션",
    "view: after journal event {step}": "보기: 저널 이벤트 {step} 직후",
    "view: partition {partition}": "보기: 파티션 {partition}",
    "view: {tab}": "보기: {tab}",
    "virtual time <b class='eoslab-now'>{ms} ms</b> &middot; pacing <b>{pacing}</b> &middot; transaction.version <b>{tv}</b> &middot; {pending} pending step(s) &middot; {held} held request(s)": "가상 시간 <b class='eoslab-now'>{ms} ms</b> &middot; 페이싱 <b>{pacing}</b> &middot; transaction.version <b>{tv}</b> &middot; 대기 중인 단계 {pending}개 &middot; 붙잡힌 요청 {held}개",
    "what the last action changed in the cluster: records appended (with offsets), HW and LSO moves, transaction states, committed offsets and consumer positions": "마지막 동작이 클러스터에서 바꾼 것: 추가된 레코드(오프셋과 함께), HW와 LSO의 이동, 트랜잭션 상태, 커밋된 오프셋, 컨슈머 position",
    "{client} lag_lso {lag}: this {isolation} consumer has fetched {n} record(s) past the LSO, into an open transaction. Kafka's tools print such a lag as it is (negative); Java's records-lag for read_uncommitted is measured against the HW (lag_hw) instead.": "{client} lag_lso {lag}: 이 {isolation} 컨슈머는 LSO를 지나 열린 트랜잭션 안의 레코드를 {n}개 가져왔다. 카프카 도구는 이런 랙을 그대로(음수로) 출력하고, 자바의 read_uncommitted records-lag는 대신 HW 기준(lag_hw)으로 잰다.",
    "{kind} marker at offset {offset}": "{kind} 마커, 오프셋 {offset}",
    "{name} is also its client.id: the same name in the timeline, the tables and the code log": "이 이름({name})은 client.id이기도 하다: 타임라인, 표, 코드 로그에서 같은 이름",
    "{n} queued": "대기 {n}개",
    "{partition} is empty": "비어 있음: {partition}",
    "{partition}: the last {shown} records": "{partition}: 마지막 레코드 {shown}개",
    "{what} unavailable here:": "여기서 볼 수 없음({what}):",
    "(read_committed stops at the LSO, read_uncommitted reads to the HW)": "(read_committed는 LSO에서 멈추고, read_uncommitted는 HW까지 읽는다)",
    "(two readers of {topic}: what the next application, or a database, sees)": "({topic}을 읽는 둘: 다음 애플리케이션이나 데이터베이스가 보는 것)",
    "Consumers": "컨슈머",
    "Producers": "프로듀서",
    "{n} of {total}": "{total}개 중 {n}",
}
