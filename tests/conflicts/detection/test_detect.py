from datetime import date

import pytest

from apps.conflicts.detection import Kind, Severity, check_one, detect, detect_naive
from apps.conflicts.detection.explain import RULES

from .builders import candidate, kinds


def test_two_experiments_on_one_surface_for_the_same_users_collide():
    a = candidate(1, title="Checkout redesign", start=(3, 1), end=(3, 14))
    b = candidate(2, title="Express pay", start=(3, 10), end=(4, 10), allocation=0.5)

    [finding] = detect([a, b])

    assert (finding.kind, finding.severity, finding.a, finding.b) == (
        Kind.SURFACE_COLLISION, Severity.BLOCKING, 1, 2)  # fmt: skip
    assert (finding.window_start, finding.window_end) == (date(2027, 3, 10), date(2027, 3, 14))
    assert finding.overlap_share == pytest.approx(0.5)
    assert finding.rule == RULES[(Kind.SURFACE_COLLISION, Severity.BLOCKING)]
    assert "checkout page from 10 March to 14 March" in finding.explanation
    assert "start “Express pay” after “Checkout redesign” ends on 14 March" in finding.remedy
    assert finding.figures["surfaces"] == ["checkout page"]


def test_a_small_overlap_of_independent_hashes_is_only_a_warning():
    # 20 % × 20 % = 4 % of the traffic both target sees both: below the 5 % rule.
    [finding] = detect([candidate(1, allocation=0.2), candidate(2, allocation=0.2)])

    assert finding.severity == Severity.WARNING and finding.overlap_share == pytest.approx(0.04)


@pytest.mark.parametrize(
    "b",
    [
        candidate(2, audience=[{"attribute": "country", "values": ["FR"]}]),  # disjoint audiences
        candidate(2, surfaces=frozenset({2})),  # another surface
        candidate(2, start=(4, 1), end=(4, 30)),  # after A ends
        candidate(2, layer_id=7, layer_share=0.5),  # one layer: mutually exclusive
    ],
    ids=["disjoint-audiences", "other-surface", "after", "same-layer"],
)
def test_no_conflict_when_something_keeps_them_apart(b):
    a = candidate(1, audience=[{"attribute": "country", "values": ["DE"]}], layer_id=7,
                  layer_share=0.5) if b.layer_id else candidate(
        1, audience=[{"attribute": "country", "values": ["DE"]}])  # fmt: skip

    assert detect([a, b]) == []


def test_a_collision_remedy_names_the_layer_and_the_exclusion():
    a = candidate(1, title="A", layer_id=4, layer_name="checkout", layer_share=0.5)
    b = candidate(
        2, title="B", start=(3, 5), audience=[{"attribute": "platform", "values": ["ios"]}]
    )

    [finding] = detect([a, b])

    assert finding.remedy == (
        "Move “B” into layer checkout, exclude ios (platform) from “A”, "
        "or start “B” after “A” ends on 31 March."
    )
    assert "Everyone “B” targets is also in “A”'s audience." in finding.explanation


def test_an_unknown_attribute_is_said_to_be_assumed_overlapping():
    a = candidate(1, stored=[{"attribute": "colour", "operator": "in", "values": ["red"]}])
    b = candidate(2, stored=[{"attribute": "colour", "operator": "in", "values": ["blue"]}])

    [finding] = detect([a, b])

    assert "does not know colour, so those conditions are assumed to overlap" in finding.explanation
    assert finding.figures["unknown_attributes"] == ["colour"]


def test_a_layer_is_judged_at_its_peak_not_by_everyone_ever_in_it():
    # 60 % in March, then 60 % in April and 40 % in May: 160 % in total, never above 100 %.
    sequential = [
        candidate(1, start=(3, 1), end=(3, 31), layer_id=5, layer_share=0.6, surfaces=frozenset()),
        candidate(2, start=(4, 1), end=(4, 30), layer_id=5, layer_share=0.6, surfaces=frozenset()),
        candidate(3, start=(5, 1), end=(5, 31), layer_id=5, layer_share=0.4, surfaces=frozenset()),
    ]
    assert detect(sequential) == []

    # A third one from 20 April overlaps the second: 60 % + 50 % = 110 % until 30 April.
    late = candidate(4, title="Late", start=(4, 20), end=(5, 10), layer_id=5,
                     layer_name="search", layer_share=0.5, surfaces=frozenset())  # fmt: skip
    [finding] = detect([*sequential, late])

    assert (finding.kind, finding.severity, finding.layer_id) == (
        Kind.LAYER_OVERALLOCATION, Severity.BLOCKING, 5)  # fmt: skip
    assert (finding.a, finding.b) == (2, 4)  # the newest at the peak and its largest neighbour
    assert (finding.window_start, finding.window_end) == (date(2027, 4, 20), date(2027, 4, 30))
    assert finding.figures["peak_share"] == pytest.approx(1.1)
    assert finding.overlap_share == pytest.approx(0.1)
    assert "layer search is promised 110 %" in finding.explanation
    assert finding.remedy.startswith("Cut “Late”'s share of layer search to 40 %")
    assert finding.identity == (2, 4, "layer_overallocation", 5)


def test_exactly_one_hundred_percent_is_not_over_allocated():
    thirds = [candidate(n, layer_id=5, layer_share=s, surfaces=frozenset())
              for n, s in ((1, 0.3), (2, 0.3), (3, 0.4))]  # fmt: skip

    assert detect(thirds) == []


def test_two_episodes_of_one_layer_are_two_findings():
    members = [
        candidate(1, start=(1, 1), end=(12, 31), layer_id=5, layer_share=0.7, surfaces=frozenset()),
        candidate(2, start=(3, 1), end=(3, 31), layer_id=5, layer_share=0.4, surfaces=frozenset()),
        candidate(3, start=(6, 1), end=(6, 30), layer_id=5, layer_share=0.4, surfaces=frozenset()),
    ]

    found = detect(members)

    assert [(f.a, f.b, f.window_start.month) for f in found] == [(1, 2, 3), (1, 3, 6)]


def test_a_shared_primary_metric_outside_a_common_layer_is_flagged():
    a = candidate(1, surfaces=frozenset({1}), primary_metric_id=8, primary_metric_name="revenue")
    b = candidate(2, surfaces=frozenset({2}), primary_metric_id=8, primary_metric_name="revenue",
                  allocation=0.02)  # fmt: skip
    in_layer = [candidate(n, surfaces=frozenset({n}), primary_metric_id=8, layer_id=3,
                          layer_share=0.5) for n in (3, 4)]  # fmt: skip

    [finding] = detect([a, b])

    assert (finding.kind, finding.severity) == (Kind.SHARED_PRIMARY_METRIC, Severity.INFO)
    assert "both judge success on revenue" in finding.explanation
    assert detect(in_layer) == []


def test_a_session_and_a_user_experiment_on_one_surface_mismatch_even_in_one_layer():
    a = candidate(1, unit="user", layer_id=2, layer_share=0.5)
    b = candidate(2, unit="session", layer_id=2, layer_share=0.5)

    [finding] = detect([a, b])

    assert (finding.kind, finding.severity) == (Kind.UNIT_MISMATCH, Severity.WARNING)
    assert finding.remedy.startswith("Randomize “Experiment 2” by user")


def test_a_cluster_experiment_beside_a_user_one_is_contamination_not_a_mismatch():
    found = detect([candidate(1, unit="cluster"), candidate(2, unit="user", allocation=0.5)])

    assert kinds(found) == [("surface_collision", 1, 2), ("cluster_contamination", 1, 2)]
    assert found[1].severity == Severity.BLOCKING
    assert found[1].remedy.startswith("Randomize “Experiment 2” by cluster too")


def test_a_running_holdout_reserves_its_units():
    holdout = candidate(1, type="holdout", title="Q1 holdout", surfaces=frozenset(),
                        allocation=0.05, end=(3, 20))  # fmt: skip
    inside = candidate(2, surfaces=frozenset({3}))
    elsewhere = candidate(
        3, surfaces=frozenset({2}), audience=[{"attribute": "country", "values": ["US"]}]
    )
    exclusive = candidate(4, layer_id=1, layer_share=0.95, audience=[])
    holdout_in_layer = candidate(5, type="holdout", surfaces=frozenset({1}), layer_id=1,
                                 layer_share=0.05, allocation=1.0)  # fmt: skip

    found = detect([holdout, inside, elsewhere, exclusive])

    assert kinds(found) == [("holdout_breach", 1, 2), ("holdout_breach", 1, 3),
                            ("holdout_breach", 1, 4)]  # fmt: skip
    assert all(f.severity == Severity.BLOCKING for f in found)
    assert "start “Experiment 2” after “Q1 holdout” ends on 20 March" in found[0].remedy
    # A holdout in the layer is exclusive by construction; one with surfaces reaches only them.
    assert kinds(detect([holdout_in_layer, exclusive, elsewhere])) == []


def test_identities_are_stable_and_never_repeat():
    exps = [candidate(n, start=(3, n), unit="session" if n % 2 else "user",
                      primary_metric_id=1, layer_id=n % 3 or None, layer_share=0.6)
            for n in range(1, 9)]  # fmt: skip

    first, again = detect(exps), detect(list(reversed(exps)))

    assert first == again
    identities = [f.identity for f in first]
    assert len(identities) == len(set(identities))
    assert all(f.a < f.b for f in first)


def test_a_candidate_ending_before_it_starts_takes_no_part():
    assert detect([candidate(1), candidate(2, start=(3, 10), end=(3, 1))]) == []


def test_check_one_answers_what_a_launch_faces_without_the_rest():
    others = [candidate(1, layer_id=5, layer_share=0.7), candidate(2, surfaces=frozenset({2})),
              candidate(3, surfaces=frozenset({2}))]  # fmt: skip
    launch = candidate(4, layer_id=5, layer_share=0.4)

    found = check_one(launch, others)

    assert kinds(found) == [("layer_overallocation", 1, 4)]
    assert [f for f in detect([*others, launch]) if 4 in (f.a, f.b)] == found
    assert detect_naive([*others, launch]) == detect([*others, launch])


def _counting(monkeypatch):
    from apps.conflicts.detection import sweep

    judged = []
    real = sweep.judge_pair

    def judge(x, y, *args):
        judged.append((x.id, y.id))
        return real(x, y, *args)

    monkeypatch.setattr(sweep, "judge_pair", judge)
    return judged


def test_the_sweep_never_looks_at_pairs_that_do_not_share_a_day(monkeypatch):
    judged = _counting(monkeypatch)
    one_after_another = [
        candidate(n, start=(1 + n // 28, 1 + n % 28), end=(1 + n // 28, 1 + n % 28))
        for n in range(300)
    ]  # fmt: skip

    assert detect(one_after_another) == []
    assert judged == []


def test_the_sweep_never_looks_at_pairs_one_layer_keeps_apart(monkeypatch):
    judged = _counting(monkeypatch)
    layer = [candidate(n, layer_id=1, layer_share=0.002, primary_metric_id=3) for n in range(300)]
    outsider = candidate(1000, start=(3, 10), end=(3, 12), allocation=0.01)

    found = detect([*layer, outsider])

    # The 300 × 299 / 2 pairs inside the layer are never enumerated; the outsider meets each.
    assert len(judged) == 300
    assert {f.kind for f in found} == {Kind.SURFACE_COLLISION}
