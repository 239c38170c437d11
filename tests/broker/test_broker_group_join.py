"""JoinGroup from a member the classic group already knows (reference §5.7), request by request:
what GroupMetadataManager.classicGroupJoinExistingMember (Kafka 3.7+, the KIP-848-era coordinator;
GroupCoordinator.doExistingMemberJoinGroup before it) answers in each group state."""

from __future__ import annotations

import pytest

from eoslab.broker import Cluster, Errors
from eoslab.broker.consumer_group import GroupState

P = [("range", b"\x00\x00\x00\x00\x00\x01\x00\x01t\x00\x00\x00\x00")]  # subscription to `t`
CHANGED = [("range", b"\x00\x00\x00\x00\x00\x02\x00\x01t\x00\x01u\x00\x00\x00\x00")]


def answer(r) -> tuple:
    return (r.error, r.generation_id, r.protocol_name, r.leader, r.member_id, r.members, r.pending)


@pytest.fixture
def completing() -> tuple[Cluster, str, str]:
    """Group `g` in CompletingRebalance at generation 2: leader `a`, follower `b`, no SyncGroup
    yet (a joined alone, synced, then b's join made a rejoin)."""
    cluster = Cluster()
    cluster.create_topics([("t", 2, 1), ("u", 1, 1)])
    a = cluster.join_group("g", "", P, client_id="a")
    assert answer(a)[:4] == (Errors.NONE, 1, "range", a.member_id)
    assert cluster.sync_group("g", 1, a.member_id, {a.member_id: b""}).error == Errors.NONE
    b = cluster.join_group("g", "", P, client_id="b")
    assert (b.error, b.pending) == (Errors.NONE, True)  # held until a rejoins
    assert cluster.heartbeat("g", 1, a.member_id) == Errors.REBALANCE_IN_PROGRESS
    again = cluster.join_group("g", a.member_id, P, client_id="a")
    assert answer(again) == (
        Errors.NONE,
        2,
        "range",
        a.member_id,
        a.member_id,
        [(a.member_id, None, P[0][1]), (b.member_id, None, P[0][1])],
        False,
    )
    group = cluster.group_coordinator.group("g")
    assert (group.state, group.generation_id) == (GroupState.CompletingRebalance, 2)
    return cluster, a.member_id, b.member_id


def test_classic_group_join_existing_member_in_completing_rebalance_with_same_metadata_gets_the_current_generation(
    completing: tuple[Cluster, str, str],
) -> None:
    """classicGroupJoinExistingMember, COMPLETING_REBALANCE, member.matches(protocols): "it failed
    to receive the initial JoinGroup response", so the current generation's answer (the members
    only for the leader) and no rebalance, for the leader as for a follower."""
    cluster, a, b = completing
    events = len(cluster.journal)
    leader = cluster.join_group("g", a, P, client_id="a")
    assert answer(leader) == (
        Errors.NONE,
        2,
        "range",
        a,
        a,
        [(a, None, P[0][1]), (b, None, P[0][1])],
        False,
    )
    follower = cluster.join_group("g", b, P, client_id="b")
    assert answer(follower) == (Errors.NONE, 2, "range", a, b, [], False)
    group = cluster.group_coordinator.group("g")
    assert (group.state, group.generation_id, group.leader_id) == (
        GroupState.CompletingRebalance,
        2,
        a,
    )
    joins = cluster.journal.events(api="JoinGroup")[-2:]
    assert [e.seq for e in joins] == [events, events + 1]  # nothing else happened
    assert [tuple(map(str, e.effects)) for e in joins] == [(), ()]  # no GroupChanged
    # the generation completes as if nothing had been asked again
    plan = {a: b"assignment-a", b: b"assignment-b"}
    sync_a = cluster.sync_group("g", 2, a, plan)
    sync_b = cluster.sync_group("g", 2, b)
    assert [(s.error, s.assignment, s.pending) for s in (sync_a, sync_b)] == [
        (Errors.NONE, b"assignment-a", False),
        (Errors.NONE, b"assignment-b", False),
    ]
    assert (group.state, group.generation_id) == (GroupState.Stable, 2)


def test_classic_group_join_existing_member_in_completing_rebalance_with_changed_metadata_rebalances(
    completing: tuple[Cluster, str, str],
) -> None:
    """COMPLETING_REBALANCE, metadata changed: "Updating metadata for member ... during
    CompletingRebalance" (updateMemberThenRebalanceOrCompleteJoin): PreparingRebalance, the
    SyncGroup of the old generation is REBALANCE_IN_PROGRESS, and generation 3 once all rejoin."""
    cluster, a, b = completing
    changed = cluster.join_group("g", b, CHANGED, client_id="b")
    assert answer(changed) == (Errors.NONE, -1, None, "", b, [], True)
    group = cluster.group_coordinator.group("g")
    assert (group.state, group.generation_id) == (GroupState.PreparingRebalance, 2)
    assert cluster.sync_group("g", 2, a, {a: b"", b: b""}).error == Errors.REBALANCE_IN_PROGRESS
    rejoined = cluster.join_group("g", a, P, client_id="a")
    assert answer(rejoined) == (
        Errors.NONE,
        3,
        "range",
        a,
        a,
        [(a, None, P[0][1]), (b, None, CHANGED[0][1])],
        False,
    )
    assert answer(cluster.join_group_result("g", b)) == (Errors.NONE, 3, "range", a, b, [], False)
    assert (group.state, group.generation_id) == (GroupState.CompletingRebalance, 3)


def test_classic_group_join_existing_member_in_stable_leader_rebalances_follower_does_not(
    completing: tuple[Cluster, str, str],
) -> None:
    """STABLE: the leader's JoinGroup forces a rebalance (it may have seen topic metadata
    change); a follower with the same metadata gets the current generation without members."""
    cluster, a, b = completing
    cluster.sync_group("g", 2, a, {a: b"", b: b""})
    cluster.sync_group("g", 2, b)
    group = cluster.group_coordinator.group("g")
    assert (group.state, group.generation_id) == (GroupState.Stable, 2)
    follower = cluster.join_group("g", b, P, client_id="b")
    assert answer(follower) == (Errors.NONE, 2, "range", a, b, [], False)
    assert (group.state, group.generation_id) == (GroupState.Stable, 2)
    leader = cluster.join_group("g", a, P, client_id="a")
    assert (leader.error, leader.pending) == (Errors.NONE, True)
    assert (group.state, group.generation_id) == (GroupState.PreparingRebalance, 2)
