"""Randomized fault schedules (hypothesis): every operation of `eoslab.check.schedule` interleaved
at random, every invariant checked after every step, the end-of-run checks in teardown.

CI runs a fixed, derandomized set of examples so a failure reproduces on any machine; the soak in
`bench/soak.py` runs the same operations for many more schedules.
"""

from __future__ import annotations

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule

from eoslab.check.schedule import OPERATIONS, Workload

EXAMPLES = 500
STEPS = 40


def choices(name: str, i: int = 0) -> st.SearchStrategy:
    return st.sampled_from(OPERATIONS[name][i])


class ExactlyOnceSchedules(RuleBasedStateMachine):
    """Writers, readers, the exactly-once pipeline and the faults, in any order."""

    world: Workload

    @initialize(
        transaction_version=st.sampled_from((1, 2)), pacing=st.sampled_from(("auto", "step"))
    )
    def start(self, transaction_version: int, pacing: str) -> None:
        self.world = Workload(transaction_version, pacing)
        event(f"TV{transaction_version}, {pacing} pacing")

    def apply(self, name: str, *args: object) -> None:
        if self.world.known_bug:
            return  # what follows a known broker bug is its consequence, not news
        violations = self.world.apply(name, *args)
        if violations and self.world.known_bug:
            event(f"known bug: {self.world.known_bug}")
            return
        assert not violations, "\n".join([*violations, "schedule:", *self.world.trace])

    # -- applications ---------------------------------------------------------------------------
    @rule(
        w=choices("txn_write", 0),
        topic=choices("txn_write", 1),
        partition=choices("txn_write", 2),
        count=choices("txn_write", 3),
        flush=choices("txn_write", 4),
    )
    def txn_write(self, w: int, topic: str, partition: int, count: int, flush: bool) -> None:
        self.apply("txn_write", w, topic, partition, count, flush)

    @rule(w=choices("txn_commit"))
    def txn_commit(self, w: int) -> None:
        self.apply("txn_commit", w)

    @rule(w=choices("txn_abort"))
    def txn_abort(self, w: int) -> None:
        self.apply("txn_abort", w)

    @rule(
        topic=choices("idempotent_write", 0),
        partition=choices("idempotent_write", 1),
        count=choices("idempotent_write", 2),
    )
    def idempotent_write(self, topic: str, partition: int, count: int) -> None:
        self.apply("idempotent_write", topic, partition, count)

    @rule(reader=choices("poll", 0), count=choices("poll", 1))
    def poll(self, reader: int, count: int) -> None:
        self.apply("poll", reader, count)

    @rule(reader=choices("restart_reader"))
    def restart_reader(self, reader: int) -> None:
        self.apply("restart_reader", reader)

    @rule()
    def pipeline_step(self) -> None:
        self.apply("pipeline_step")

    @rule()
    def pipeline_run(self) -> None:
        self.apply("pipeline_run")

    # -- crashes, restarts, zombies -------------------------------------------------------------
    @rule(w=choices("crash_writer"))
    def crash_writer(self, w: int) -> None:
        self.apply("crash_writer", w)

    @rule(w=choices("new_writer_instance"))
    def new_writer_instance(self, w: int) -> None:
        self.apply("new_writer_instance", w)

    @rule(z=choices("zombie_write", 0), commit=choices("zombie_write", 1))
    def zombie_write(self, z: int, commit: bool) -> None:
        self.apply("zombie_write", z, commit)

    @rule()
    def pipeline_crash(self) -> None:
        self.apply("pipeline_crash")

    @rule()
    def pipeline_new_instance(self) -> None:
        self.apply("pipeline_new_instance")

    @rule(z=choices("zombie_pipeline_step"))
    def zombie_pipeline_step(self, z: int) -> None:
        self.apply("zombie_pipeline_step", z)

    # -- time, coordinator, network -------------------------------------------------------------
    @rule(ms=choices("advance"))
    def advance(self, ms: int) -> None:
        self.apply("advance", ms)

    @rule(keep_stale_markers=choices("restart_coordinator"))
    def restart_coordinator(self, keep_stale_markers: bool) -> None:
        self.apply("restart_coordinator", keep_stale_markers)

    @rule(api=choices("delay", 0), client=choices("delay", 1))
    def delay(self, api: str, client: str) -> None:
        self.apply("delay", api, client)

    @rule(client=choices("delay_end_txn"))
    def delay_end_txn(self, client: str) -> None:
        self.apply("delay_end_txn", client)

    @rule(api=choices("lose", 0), client=choices("lose", 1))
    def lose(self, api: str, client: str) -> None:
        self.apply("lose", api, client)

    @rule(i=choices("release"))
    def release(self, i: int) -> None:
        self.apply("release", i)

    # -- markers in step pacing -----------------------------------------------------------------
    @rule(i=choices("step"))
    def step(self, i: int) -> None:
        self.apply("step", i)

    @rule(i=choices("duplicate_step"))
    def duplicate_step(self, i: int) -> None:
        self.apply("duplicate_step", i)

    @rule()
    def run_pending(self) -> None:
        self.apply("run_pending")

    def teardown(self) -> None:
        world = getattr(self, "world", None)
        if world is None or world.known_bug:
            return
        violations = world.finish()
        if world.hole_effects:
            event("a documented hole broke exactly-once; the checker reported it")
        assert not violations, "\n".join([*violations, "schedule:", *world.trace])


def test_every_operation_has_a_rule() -> None:
    rules = {name for name in vars(ExactlyOnceSchedules) if not name.startswith("_")}
    assert set(OPERATIONS) <= rules


TestExactlyOnceSchedules = ExactlyOnceSchedules.TestCase
TestExactlyOnceSchedules.settings = settings(
    max_examples=EXAMPLES,
    stateful_step_count=STEPS,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
