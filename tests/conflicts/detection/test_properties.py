"""The sweep looks at fewer pairs than the naive comparison, never at different ones."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from apps.conflicts.detection import Candidate, check_one, detect, detect_naive
from apps.conflicts.detection.checks import involves
from apps.conflicts.detection.sweep import overlapping_pairs
from apps.experiments.audience import parse_conditions

DAY0 = date(2027, 1, 1)

AUDIENCES = [
    [],
    [{"attribute": "country", "values": ["DE"]}],
    [{"attribute": "country", "values": ["DE", "FR"]}],
    [{"attribute": "country", "operator": "not_in", "values": ["DE"]}],
    [{"attribute": "platform", "values": ["ios"]}],
    [{"attribute": "platform", "operator": "neq", "values": ["ios"]}],
    [{"attribute": "country", "values": ["FR"]}, {"attribute": "device", "values": ["mobile"]}],
]


@st.composite
def candidates(draw, max_size=24):
    n = draw(st.integers(min_value=0, max_value=max_size))
    out = []
    for i in range(1, n + 1):
        start = draw(st.integers(min_value=0, max_value=60))
        length = draw(st.integers(min_value=0, max_value=30))
        layer = draw(st.sampled_from([None, None, 1, 2]))
        out.append(Candidate(
            id=i, key=f"e{i}", title=f"E{i}", group_id=1, status="running",
            type=draw(st.sampled_from(["ab", "ab", "ab", "holdout"])),
            unit=draw(st.sampled_from(["user", "user", "session", "cluster"])),
            start=DAY0 + timedelta(days=start), end=DAY0 + timedelta(days=start + length),
            surfaces=frozenset(draw(st.sets(st.integers(1, 4), max_size=2))),
            layer_id=layer, layer_name=f"L{layer}" if layer else None,
            layer_share=draw(st.sampled_from([0.1, 0.25, 0.3, 0.5, 0.7, 1.0])),
            allocation=draw(st.sampled_from([0.05, 0.2, 0.5, 1.0])),
            audience=parse_conditions(draw(st.sampled_from(AUDIENCES))),
            primary_metric_id=draw(st.sampled_from([None, 1, 2])),
        ))  # fmt: skip
    return out


@settings(max_examples=300, deadline=None)
@given(candidates())
def test_the_sweep_finds_exactly_what_the_naive_comparison_finds(cands):
    swept, naive = detect(cands), detect_naive(cands)

    assert swept == naive
    assert [f.figures for f in swept] == [f.figures for f in naive]
    assert [(f.explanation, f.remedy) for f in swept] == [(f.explanation, f.remedy) for f in naive]
    assert len({f.identity for f in swept}) == len(swept)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 50), st.integers(0, 20)), max_size=30))
def test_overlapping_pairs_are_exactly_the_pairs_sharing_a_day(intervals):
    cands = [
        Candidate(id=i, key="k", title="t", group_id=1, status="running", type="ab", unit="user",
                  start=DAY0 + timedelta(days=s), end=DAY0 + timedelta(days=s + n))
        for i, (s, n) in enumerate(intervals)
    ]  # fmt: skip

    swept = {tuple(sorted((x.id, y.id))) for x, y in overlapping_pairs(cands)}
    naive = {(x.id, y.id) for x in cands for y in cands
             if x.id < y.id and x.start <= y.end and y.start <= x.end}  # fmt: skip

    assert swept == naive
    assert len(list(overlapping_pairs(cands))) == len(naive)  # each pair once


@settings(max_examples=150, deadline=None)
@given(candidates(max_size=12), st.data())
def test_check_one_is_the_scan_seen_from_one_experiment(cands, data):
    if not cands:
        return
    one = data.draw(st.sampled_from(cands))
    others = [c for c in cands if c.id != one.id]

    assert check_one(one, others) == [f for f in detect(cands) if involves(one, f)]
