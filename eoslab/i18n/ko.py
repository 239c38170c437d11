"""한국어 메시지 카탈로그: 영어 메시지 -> 한국어 (용어는 docs/ko/glossary.md를 따른다).

Kafka's identifiers (API names, config keys, error codes, states, column names) stay as they are.
"""

MESSAGES: dict[str, str] = {
    # -- labkit: verdicts --------------------------------------------------------------------
    " (at journal event {step})": " (저널 이벤트 {step} 시점)",
    "Not {answer!r}. Hint: {hint}": "{answer!r}이(가) 아닙니다. 힌트: {hint}",
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
    "expected a whole number, got {answer!r}": "정수가 와야 하는데 {answer!r}이(가) 왔습니다",
    "expected an error name such as 'PRODUCER_FENCED', got {answer!r}": "'PRODUCER_FENCED' 같은 "
    "오류 이름이 와야 하는데 {answer!r}이(가) 왔습니다",
    "expected a state name such as 'Ongoing', got {name!r}": "'Ongoing' 같은 상태 이름이 와야 "
    "하는데 {name!r}이(가) 왔습니다",
    "expected a word, got {answer!r}": "낱말이 와야 하는데 {answer!r}이(가) 왔습니다",
    "expected a list, got {answer!r}": "리스트가 와야 하는데 {answer!r}이(가) 왔습니다",
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
    "request, answered NONE": "요청, 응답 NONE",
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
}
