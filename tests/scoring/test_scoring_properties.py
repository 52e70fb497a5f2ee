"""Properties the scoring model must keep for any body of evidence."""

from collections import Counter
from dataclasses import asdict, replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import (
    REFERENCE_STUDY,
    VERDICTS,
    effective,
    points,
    score,
    side_score,
    verdict_for,
)
from scoring.weights import (
    DESIGN_TIER,
    DESIGN_VALUES,
    LEVELS,
)
from tests.scoring.strategies import items

SCORING = settings(max_examples=200, deadline=None)

claim_types = st.sampled_from([None, "mechanistic", "causal", "correlational"])
bodies = st.lists(items, max_size=10)


def keyed(body):
    return [replace(item, key=i) for i, item in enumerate(body)]


def flip(item):
    return replace(item, stance="contradicts" if item.stance == "supports" else "supports")


@st.composite
def weaker_and_stronger(draw):
    """Two studies alike except for one thing that makes the second at least as strong."""
    base = draw(items)
    aspect = draw(st.sampled_from(["design", "certainty", "rating", "sample_size", "strength"]))
    if aspect == "design":  # stronger = higher tier, with certainty given or derived alike
        pair = draw(st.lists(st.sampled_from(DESIGN_VALUES), min_size=2, max_size=2))
        a, b = sorted(pair, key=DESIGN_TIER.get)
        return replace(base, design=a), replace(base, design=b)
    if aspect == "certainty":
        pair = draw(st.lists(st.sampled_from(LEVELS), min_size=2, max_size=2))
        a, b = sorted(pair, key=LEVELS.index)
        return replace(base, certainty=a), replace(base, certainty=b)
    if aspect == "rating":  # derived certainty: fewer downgrades, more upgrades
        weaker = replace(base, certainty=None)
        stronger = replace(
            weaker,
            downgrades=draw(st.integers(0, base.downgrades)),
            upgrades=base.upgrades + draw(st.integers(0, 2)),
        )
        return weaker, stronger
    if aspect == "sample_size":
        a, b = sorted(draw(st.lists(st.integers(1, 5000), min_size=2, max_size=2)))
        return replace(base, sample_size=a), replace(base, sample_size=b)
    return replace(base, strength="partial"), replace(base, strength="clear")


def side(card, stance):
    return card.pro if stance == "supports" else card.against


def other(card, stance):
    return card.against if stance == "supports" else card.pro


@SCORING
@given(bodies, claim_types)
def test_it_keeps_scores_integers_below_100(body, claim_type):
    card = score(body, claim_type)
    for value in (card.pro, card.against):
        assert type(value) is int
        assert 0 <= value < 100
    assert card.verdict in VERDICTS
    assert card.verdict == verdict_for(card.pro, card.against)


@SCORING
@given(bodies, items, claim_types)
def test_it_never_lowers_a_side_for_adding_a_study(body, new, claim_type):
    before = score(body, claim_type)
    after = score([*body, new], claim_type)
    assert side(after, new.stance) >= side(before, new.stance)
    assert other(after, new.stance) == other(before, new.stance)


@SCORING
@given(weaker_and_stronger(), bodies, claim_types)
def test_it_never_scores_a_stronger_study_lower(pair, body, claim_type):
    weaker, stronger = pair
    assert points(stronger, claim_type) >= points(weaker, claim_type)
    assert side(score([stronger], claim_type), stronger.stance) >= side(
        score([weaker], claim_type), weaker.stance
    )
    with_weaker = score([*body, weaker], claim_type)
    with_stronger = score([*body, stronger], claim_type)
    assert side(with_stronger, stronger.stance) >= side(with_weaker, weaker.stance)
    assert other(with_stronger, stronger.stance) == other(with_weaker, weaker.stance)


@SCORING
@given(bodies.map(keyed).flatmap(lambda body: st.tuples(st.just(body), st.permutations(body))))
def test_it_ignores_the_order_of_studies(pair):
    body, shuffled = pair
    card, again = score(body), score(shuffled)
    summary = ("pro", "against", "verdict", "caption", "balance", "caveat", "fragile")
    assert [getattr(card, f) for f in summary] == [getattr(again, f) for f in summary]
    assert card.pro_effective == pytest.approx(again.pro_effective)
    assert card.against_effective == pytest.approx(again.against_effective)
    assert [c.key for c in again.contributions] == [item.key for item in shuffled]
    by_key = {c.key: c for c in again.contributions}
    for c in card.contributions:  # tied studies may swap ranks, nothing else may change
        assert (c.certainty, c.points) == (by_key[c.key].certainty, by_key[c.key].points)

    def ranking(contributions):
        return Counter((c.stance, c.rank, c.points) for c in contributions)

    assert ranking(card.contributions) == ranking(again.contributions)


@SCORING
@given(bodies, claim_types)
def test_it_mirrors_when_every_stance_flips(body, claim_type):
    card = score(body, claim_type)
    mirror = score([flip(item) for item in body], claim_type)
    assert (mirror.pro, mirror.against) == (card.against, card.pro)
    assert mirror.fragile == card.fragile
    mirrored_verdict = {
        "Strong support": "Strongly contradicted",
        "Moderate support": "Moderately contradicted",
        "Leaning support": "Leaning against",
    }
    mirrored_verdict |= {v: k for k, v in mirrored_verdict.items()}
    assert mirror.verdict == mirrored_verdict.get(card.verdict, card.verdict)


@SCORING
@given(items, st.lists(items, max_size=30), claim_types)
def test_it_lets_no_pile_of_weaker_studies_beat_one_twice_as_strong(strong, others, claim_type):
    best = points(strong, claim_type)
    weak = [s for s in (points(item, claim_type) for item in others) if s <= best / 2]
    assert effective(weak) < best
    assert side_score(weak) <= side_score([best])


def test_it_gives_no_verdict_without_studies():
    card = score([])
    assert (card.pro, card.against, card.verdict) == (0, 0, "Insufficient evidence")
    assert (card.pro_effective, card.against_effective, card.contributions) == (0, 0, ())
    assert (card.caption, card.caveat, card.fragile) == (
        "No studies have been scored yet.",
        "",
        False,
    )


@SCORING
@given(bodies, claim_types)
def test_it_flags_fragility_as_defined(body, claim_type):
    card = score(body, claim_type)
    if card.pro == card.against:
        assert not card.fragile
        assert card.caveat == ""
        return
    trailing = "contradicts" if card.pro > card.against else "supports"
    leading_score = max(card.pro, card.against)
    challenged = score([*body, replace(REFERENCE_STUDY, stance=trailing)], claim_type)
    assert card.fragile == (side(challenged, trailing) >= leading_score)
    assert card.caveat.endswith("can change this.") == card.fragile
    assert card.caption == f"{card.balance} {card.caveat}"


@SCORING
@given(bodies, claim_types)
def test_it_accounts_for_every_point_on_each_side(body, claim_type):
    card = score(keyed(body), claim_type)
    assert [c.key for c in card.contributions] == list(range(len(body)))
    for stance, e in (("supports", card.pro_effective), ("contradicts", card.against_effective)):
        mine = [c for c in card.contributions if c.stance == stance]
        assert sorted(c.rank for c in mine) == list(range(1, len(mine) + 1))
        for c in mine:
            assert c.weight == pytest.approx(c.points * 0.5 ** (c.rank - 1))
            assert 0 < c.share <= 1
        if mine:
            assert sum(c.share for c in mine) == pytest.approx(1)
            assert sum(c.weight for c in mine) == pytest.approx(e)
            by_rank = sorted(mine, key=lambda c: c.rank)
            assert all(a.points >= b.points for a, b in zip(by_rank, by_rank[1:], strict=False))


@SCORING
@given(bodies, claim_types)
def test_it_scores_dicts_exactly_like_items(body, claim_type):
    assert score([asdict(item) for item in body], claim_type) == score(body, claim_type)
