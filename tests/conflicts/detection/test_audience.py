import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.conflicts.detection.audience import Relation, audience_overlap, overlap_share
from apps.experiments.audience import AudienceError, parse_conditions, read_stored

from .builders import candidate


def _conds(*lines):
    out = []
    for line in lines:
        attribute, operator, values = line.split(" ", 2)
        out.append({"attribute": attribute, "operator": operator, "values": values.split(",")})
    return parse_conditions(out)


@pytest.mark.parametrize(
    ("a", "b", "relation", "disjoint_on"),
    [
        # Disjoint: no unit can meet both.
        (["country in DE,AT"], ["country in FR"], Relation.DISJOINT, "country"),
        (["platform in ios"], ["platform in web,android"], Relation.DISJOINT, "platform"),
        (["platform in ios"], ["platform not_in ios"], Relation.DISJOINT, "platform"),
        (["country in DE", "device in mobile"], ["device eq desktop"], Relation.DISJOINT, "device"),
        (["country in DE"], ["country not_in DE,FR"], Relation.DISJOINT, "country"),
        # Nested: everyone one targets, the other targets too.
        (["country in DE"], ["country in DE,AT"], Relation.A_IN_B, None),
        ([], ["platform in ios"], Relation.B_IN_A, None),
        (["country in DE", "platform in web"], ["country in DE"], Relation.A_IN_B, None),
        (["country not_in DE,FR"], ["country not_in DE"], Relation.A_IN_B, None),
        (["platform not_in ios"], ["platform in web,android"], Relation.IDENTICAL, None),
        # Partial: each targets someone the other does not.
        (["country in DE,AT"], ["country in AT,CH"], Relation.PARTIAL, None),
        (["country in DE"], ["platform in ios"], Relation.PARTIAL, None),
        (["country not_in DE"], ["country not_in FR"], Relation.PARTIAL, None),
        ([], [], Relation.IDENTICAL, None),
    ],
)
def test_it_relates_two_audiences_from_their_conditions(a, b, relation, disjoint_on):
    overlap = audience_overlap(_conds(*a), _conds(*b))

    assert (overlap.relation, overlap.disjoint_on) == (relation, disjoint_on)
    assert overlap.overlaps == (relation != Relation.DISJOINT)


def test_it_counts_an_unknown_attribute_as_overlapping_and_names_it():
    # Stored before the catalogue existed: colour can't be reasoned on, so even two
    # different colours are assumed to overlap; the known attribute still decides.
    a = read_stored([{"attribute": "colour", "operator": "in", "values": ["red"]}])
    b = read_stored([{"attribute": "colour", "operator": "in", "values": ["blue"]}])

    overlap = audience_overlap(a, b)

    assert overlap.relation == Relation.PARTIAL and overlap.unknown == ("colour",)
    country = read_stored([{"attribute": "country", "values": ["fr"]},
                           {"attribute": "colour", "values": ["red"]}])  # fmt: skip
    assert audience_overlap(country, _conds("country in DE")).relation == Relation.DISJOINT


def test_an_unknown_operator_is_assumed_to_overlap_too():
    a = read_stored([{"attribute": "country", "operator": "like", "values": ["D%"]}])

    overlap = audience_overlap(a, _conds("country in FR"))

    assert overlap.overlaps and overlap.unknown == ("country",)


def test_equal_unknown_conditions_keep_two_audiences_identical():
    raw = [{"attribute": "colour", "operator": "in", "values": ["red"]}]

    assert audience_overlap(read_stored(raw), read_stored(raw)).relation == Relation.IDENTICAL


def test_independent_hashes_multiply_and_one_layer_excludes():
    a = candidate(1, allocation=0.2)
    b = candidate(2, allocation=0.2)
    in_layer = candidate(3, layer_id=9, layer_share=0.5, allocation=0.4)
    same_layer = candidate(4, layer_id=9, layer_share=0.5)

    assert overlap_share(a, b) == pytest.approx(0.04)
    assert overlap_share(a, in_layer) == pytest.approx(0.2 * 0.5 * 0.4)
    assert overlap_share(in_layer, same_layer) == 0.0


# The set algebra against brute force: every unit of a small universe that stands for all
# (XX is any country no condition names), checked condition by condition.
UNIVERSE = [
    {"country": c, "platform": p, "device": d}
    for c in ("DE", "FR", "US", "XX")
    for p in ("web", "ios", "android")
    for d in ("desktop", "mobile", "tablet")
]
VALUES = {"country": ["DE", "FR", "US"], "platform": ["web", "ios", "android"],
          "device": ["desktop", "mobile", "tablet"]}  # fmt: skip


@st.composite
def audiences(draw):
    raw = []
    for _ in range(draw(st.integers(0, 3))):
        attribute = draw(st.sampled_from(sorted(VALUES)))
        values = draw(st.lists(st.sampled_from(VALUES[attribute]), min_size=1, max_size=3,
                               unique=True))  # fmt: skip
        raw.append({"attribute": attribute, "operator": draw(st.sampled_from(["in", "not_in"])),
                    "values": values})  # fmt: skip
    try:
        return parse_conditions(raw)
    except AudienceError:  # conditions that leave no one: refused before they get here
        return ()


def _members(conditions):
    def meets(unit, c):
        return (unit[c.attribute] in c.values) != c.negated

    return {i for i, unit in enumerate(UNIVERSE) if all(meets(unit, c) for c in conditions)}


@settings(max_examples=300, deadline=None)
@given(audiences(), audiences())
def test_the_relation_is_what_brute_force_over_units_finds(a, b):
    overlap = audience_overlap(a, b)
    in_a, in_b = _members(a), _members(b)

    assert overlap.overlaps == bool(in_a & in_b)
    if overlap.overlaps:
        expected = {(True, True): Relation.IDENTICAL, (True, False): Relation.A_IN_B,
                    (False, True): Relation.B_IN_A, (False, False): Relation.PARTIAL}  # fmt: skip
        assert overlap.relation == expected[(in_a <= in_b, in_b <= in_a)]
