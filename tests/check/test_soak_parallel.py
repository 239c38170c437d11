"""The soak's schedules give the same results on two worker processes as serially, schedule for
schedule: each depends on its seed alone (its own RNG, no wall clock, no global random)."""

from __future__ import annotations

from bench.soak import soak


def test_two_workers_give_the_serial_results_seed_for_seed():
    serial, _ = soak(schedules=16, steps=12, workers=1, seed=500)
    parallel, _ = soak(schedules=16, steps=12, workers=2, seed=500)
    assert [r.seed for r in serial] == list(range(500, 516))
    assert parallel == serial
    # the fingerprints cover what each schedule did: different seeds, different schedules
    assert all(len(r.fingerprint) == 16 for r in serial)
    assert len({r.fingerprint for r in serial}) == 16


def test_a_schedule_repeats_exactly_from_its_seed():
    first, _ = soak(schedules=3, steps=12, workers=1, seed=7)
    again, _ = soak(schedules=1, steps=12, workers=1, seed=8)
    assert again == first[1:2]
