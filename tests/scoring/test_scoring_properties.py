"""Properties the scoring model must keep for any body of evidence."""

import re
from collections import Counter
from dataclasses import asdict, replace

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from scoring import (
    NOT_COUNTED_REASONS,
    POOLED_IN,
    REFERENCE_STUDY,
    RETRACTED,
    SAME_TRIAL,
    VERDICTS,
    effective,
    points,
    score,
    side_score,
    verdict_for,
)
from scoring.weights import (
    CLAIM_TYPES,
    DESIGN_TIER,
    DESIGN_VALUES,
    LEVELS,
    NO_CERTAINTY_STATEMENT,
    OBSERVATIONAL_DESIGNS,
    REVIEW_DESIGNS,
)
from tests.scoring.strategies import items, plain_items

SCORING = settings(max_examples=200, deadline=None)

claim_types = st.sampled_from([None, *CLAIM_TYPES])
bodies = st.lists(items, max_size=10)
plain_bodies = st.lists(plain_items, max_size=10)
flags = st.booleans()


def keyed(body):
    """The body with explicit keys 0, 1, …: the indices `included_in` names, kept on removal."""
    return [replace(item, key=i) for i, item in enumerate(body)]


def flip(item):
    return replace(item, stance="contradicts" if item.stance == "supports" else "supports")


def as_if_all_counted(item):
    return replace(item, retracted=False, trial=None, included_in=())


def summary(card):
    """The whole scorecard but its contributions."""
    return {k: v for k, v in asdict(card).items() if k != "contributions"}


def rank(certainty):
    return -1 if certainty is None else LEVELS.index(certainty)


@st.composite
def weaker_and_stronger(draw):
    """Two studies alike except for one thing that makes the second at least as strong."""
    base = draw(plain_items)
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
@given(bodies, claim_types, flags)
def test_it_keeps_scores_integers_below_100(body, claim_type, publication_bias):
    card = score(body, claim_type, publication_bias)
    for value in (card.pro, card.against):
        assert type(value) is int
        assert 0 <= value < 100
    assert card.verdict in VERDICTS
    assert card.verdict == verdict_for(card.pro, card.against, card.certainty)


@SCORING
@given(bodies, claim_types, flags)
def test_it_has_a_certainty_exactly_when_something_counts(body, claim_type, publication_bias):
    card = score(body, claim_type, publication_bias)
    assert card.counted == sum(c.counted for c in card.contributions)
    assert (card.certainty is None) == (card.counted == 0)
    assert (card.statement == NO_CERTAINTY_STATEMENT) == (card.certainty is None)
    assert (card.certainty_reasons == ()) == (card.certainty is None)
    if card.certainty is None:
        assert (card.pro, card.against, card.verdict) == (0, 0, "Insufficient evidence")
    assert all(reason.endswith(".") for reason in card.certainty_reasons)
    assert card.statement.endswith(".")


@SCORING
@given(bodies, claim_types, flags)
def test_it_never_reads_strong_without_moderate_certainty(body, claim_type, publication_bias):
    card = score(body, claim_type, publication_bias)
    if card.verdict in ("Strong support", "Strongly contradicted"):
        assert card.certainty in ("moderate", "high")
    if card.certainty == "very_low":
        assert card.verdict in ("Insufficient evidence", "Very uncertain")


@SCORING
@given(bodies, claim_types, flags)
def test_it_sets_the_stream_by_the_highest_start_level(body, claim_type, publication_bias):
    card = score(body, claim_type, publication_bias)
    counted = [c for c in card.contributions if c.counted]
    assert all(c.counted for c in card.contributions if c.in_stream)
    if counted:
        top = max(LEVELS.index(c.start_level) for c in counted)
        assert [c.in_stream for c in counted] == [
            LEVELS.index(c.start_level) == top for c in counted
        ]
        stream = [c for c in counted if c.in_stream]
        assert card.participants == sum(c.sample_size or 0 for c in stream)
        # The body's certainty never rises above where its stream starts, but through rating
        # up a human observational stream, and a very low stream stays very low.
        if not all(c.design in OBSERVATIONAL_DESIGNS for c in stream):
            assert rank(card.certainty) <= top
        if top == 0:
            assert card.certainty == "very_low"
    else:
        assert card.participants == 0


STEP = re.compile(
    r"Rated (?P<way>down|up) (?P<levels>one level|two levels)"
    r"(?: for (?P<domain>risk of bias|inconsistency|indirectness|imprecision|publication bias))?"
    r": (?P<figure>.+)\.$"
)
CLAMP = {
    "The steps add up to more than the levels below the start, and certainty cannot go below "
    "very low.": 0,
    "The steps add up to more than the levels above the start, and certainty cannot go above "
    "high.": len(LEVELS) - 1,
}


@SCORING
@given(bodies, claim_types, flags)
def test_every_reason_names_its_domain_and_the_levels_add_up(body, claim_type, publication_bias):
    card = score(body, claim_type, publication_bias)
    if card.certainty is None:
        return
    start, *steps = card.certainty_reasons
    assert not STEP.match(start) and start not in CLAMP
    stream = [c for c in card.contributions if c.in_stream]
    level = LEVELS.index(stream[0].start_level)
    domains = []
    clamped = None
    for i, reason in enumerate(steps):
        if reason in CLAMP:
            assert i == len(steps) - 1, "the clamp comes last"
            clamped = CLAMP[reason]
            continue
        step = STEP.match(reason)
        assert step, reason
        # Rated down always says for what; rated up is its own domain (GRADE 9).
        assert (step["domain"] is None) == (step["way"] == "up")
        domains.append(step["domain"] or "up")
        moved = 1 if step["levels"] == "one level" else 2
        level += moved if step["way"] == "up" else -moved
        # The figure is said plainly: no "leading study" that might be the weakest one.
        assert "a leading study" not in step["figure"]
    assert len(domains) == len(set(domains)), "one reason per domain"
    if clamped is None:
        assert 0 <= level < len(LEVELS)
        assert card.certainty == LEVELS[level]
    else:
        assert not 0 <= level < len(LEVELS)
        assert card.certainty == LEVELS[clamped] and (level < 0) == (clamped == 0)


VERY_LOW_STARTS = ("animal", "in_vitro", "expert_opinion", "mechanistic")


@SCORING
@given(
    st.lists(
        st.tuples(items, st.sampled_from(VERY_LOW_STARTS)).map(
            lambda pair: replace(pair[0], design=pair[1])
        ),
        min_size=1,
        max_size=6,
    ),
    st.sampled_from([None, "causal", "correlational", "comparative", "descriptive"]),
    flags,
)
def test_a_stream_that_starts_very_low_stays_very_low(body, claim_type, publication_bias):
    card = score(body, claim_type, publication_bias)
    assert card.certainty in (None, "very_low")
    if card.certainty:
        assert len(card.certainty_reasons) == 1
        assert "very low certainty" in card.certainty_reasons[0]


@SCORING
@given(bodies, claim_types)
def test_a_side_never_scores_more_from_its_counted_items_than_from_all(body, claim_type):
    card = score(keyed(body), claim_type)
    everything = score([as_if_all_counted(item) for item in keyed(body)], claim_type)
    assert card.pro <= everything.pro
    assert card.against <= everything.against
    assert card.pro_effective <= everything.pro_effective + 1e-9
    assert card.against_effective <= everything.against_effective + 1e-9
    for c, all_c in zip(card.contributions, everything.contributions, strict=True):
        assert c.points == all_c.points  # counting never changes what an item would earn


@SCORING
@given(st.lists(items, min_size=1, max_size=10), claim_types, flags, st.data())
def test_removing_a_retracted_item_changes_nothing(body, claim_type, publication_bias, data):
    body = keyed(body)
    index = data.draw(st.integers(0, len(body) - 1))
    body[index] = replace(body[index], retracted=True)
    card = score(body, claim_type, publication_bias)
    assert card.contributions[index].not_counted == RETRACTED
    rest = body[:index] + body[index + 1 :]
    assert summary(score(rest, claim_type, publication_bias)) == summary(card)


@SCORING
@given(bodies, st.lists(plain_items, min_size=2, max_size=3), claim_types, flags, st.data())
def test_removing_a_same_trial_duplicate_changes_nothing(
    body, publications, claim_type, publication_bias, data
):
    # Publications of one more trial, which nothing else in the body shares.
    body = keyed(body) + [
        replace(item, key=f"report {i}", trial="the trial") for i, item in enumerate(publications)
    ]
    card = score(body, claim_type, publication_bias)
    duplicates = [
        i
        for i, c in enumerate(card.contributions)
        if c.not_counted == SAME_TRIAL and c.design not in REVIEW_DESIGNS
    ]
    assume(duplicates)
    index = data.draw(st.sampled_from(duplicates))
    rest = body[:index] + body[index + 1 :]
    assert summary(score(rest, claim_type, publication_bias)) == summary(card)


@SCORING
@given(bodies, claim_types)
def test_it_explains_every_item_not_counted(body, claim_type):
    card = score(keyed(body), claim_type)
    by_key = {c.key: c for c in card.contributions}
    for item, c in zip(keyed(body), card.contributions, strict=True):
        assert c.not_counted in (None, *NOT_COUNTED_REASONS)
        assert c.counted == (c.not_counted is None)
        assert c.points > 0
        if c.counted:
            assert c.not_counted_because is None
            continue
        assert (c.rank, c.weight, c.share, c.in_stream) == (None, 0.0, 0.0, False)
        if c.not_counted == RETRACTED:
            assert item.retracted and c.not_counted_because is None
        elif c.not_counted == POOLED_IN:
            review = by_key[c.not_counted_because]
            assert not item.retracted
            assert c.not_counted_because in item.included_in and review.key != c.key
            assert review.design in REVIEW_DESIGNS and review.not_counted != RETRACTED
        else:
            kept = by_key[c.not_counted_because]
            assert kept.counted and kept.key != c.key
            assert body[kept.key].trial == item.trial is not None
            assert kept.points >= c.points
            if kept.points == c.points:
                assert kept.key < c.key  # the first in input order


@SCORING
@given(plain_bodies.map(keyed), plain_items, claim_types, flags)
def test_it_never_lowers_a_side_for_adding_a_study(body, new, claim_type, publication_bias):
    new = replace(new, key="new")
    before = score(body, claim_type, publication_bias)
    after = score([*body, new], claim_type, publication_bias)
    assert side(after, new.stance) >= side(before, new.stance)
    assert other(after, new.stance) == other(before, new.stance)


@SCORING
@given(weaker_and_stronger(), plain_bodies, claim_types)
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


WORSE_RISK = {None: ("high",), "low": ("some", None, "high"), "some": ("high",), "high": ()}


@st.composite
def worsened(draw):
    """A body, and the same body with one item's appraisal worse in one domain (or the claim
    flagged for publication bias): (body, worse body, publication bias before, after)."""
    body = keyed(draw(st.lists(items, min_size=1, max_size=8)))
    flagged = draw(flags)
    index = draw(st.integers(0, len(body) - 1))
    item = body[index]
    options = ["publication_bias"] if not flagged else []
    if WORSE_RISK[item.risk_of_bias]:
        options.append("risk_of_bias")
    if item.indirectness < 2:
        options.append("indirectness")
    if not item.imprecise:
        options.append("imprecise")
    assume(options)
    domain = draw(st.sampled_from(options))
    if domain == "publication_bias":
        return body, body, False, True
    if domain == "risk_of_bias":
        worse = replace(item, risk_of_bias=draw(st.sampled_from(WORSE_RISK[item.risk_of_bias])))
    elif domain == "indirectness":
        worse = replace(item, indirectness=draw(st.integers(item.indirectness + 1, 2)))
    else:
        worse = replace(item, imprecise=True)
    return body, [*body[:index], worse, *body[index + 1 :]], flagged, flagged


@SCORING
@given(worsened(), claim_types)
def test_certainty_never_rises_when_an_appraisal_worsens(pair, claim_type):
    body, worse, flagged, worse_flagged = pair
    card = score(body, claim_type, flagged)
    after = score(worse, claim_type, worse_flagged)
    assert rank(after.certainty) <= rank(card.certainty)
    # None of these domains moves points.
    assert (after.pro, after.against) == (card.pro, card.against)
    assert after.pro_effective == card.pro_effective
    assert after.against_effective == card.against_effective
    assert [c.points for c in after.contributions] == [c.points for c in card.contributions]


@SCORING
@given(bodies, claim_types, flags)
def test_an_unassessed_risk_of_bias_counts_as_some_concerns(body, claim_type, publication_bias):
    unassessed = [
        replace(i, risk_of_bias=None if i.risk_of_bias == "some" else i.risk_of_bias) for i in body
    ]
    some = [
        replace(i, risk_of_bias="some" if i.risk_of_bias is None else i.risk_of_bias) for i in body
    ]
    assert score(unassessed, claim_type, publication_bias) == score(
        some, claim_type, publication_bias
    )


@SCORING
@given(
    bodies.map(lambda body: [replace(item, trial=None) for item in keyed(body)]).flatmap(
        lambda body: st.tuples(st.just(body), st.permutations(body))
    ),
    claim_types,
)
def test_it_ignores_the_order_of_studies(pair, claim_type):
    # Trials are left out: "the first in input order" breaks a same-trial tie on purpose.
    body, shuffled = pair
    card, again = score(body, claim_type), score(shuffled, claim_type)
    fields = (
        "pro",
        "against",
        "verdict",
        "caption",
        "balance",
        "caveat",
        "fragile",
        "certainty",
        "certainty_reasons",
        "statement",
        "participants",
        "counted",
    )
    assert [getattr(card, f) for f in fields] == [getattr(again, f) for f in fields]
    assert card.pro_effective == pytest.approx(again.pro_effective)
    assert card.against_effective == pytest.approx(again.against_effective)
    assert [c.key for c in again.contributions] == [item.key for item in shuffled]
    by_key = {c.key: c for c in again.contributions}
    for c in card.contributions:  # tied studies may swap ranks, nothing else may change
        same = by_key[c.key]
        assert (c.certainty, c.points, c.not_counted, c.in_stream) == (
            same.certainty,
            same.points,
            same.not_counted,
            same.in_stream,
        )

    def ranking(contributions):
        return Counter((c.stance, c.rank, c.points) for c in contributions)

    assert ranking(card.contributions) == ranking(again.contributions)


@SCORING
@given(bodies, claim_types, flags)
def test_it_mirrors_when_every_stance_flips(body, claim_type, publication_bias):
    card = score(body, claim_type, publication_bias)
    mirror = score([flip(item) for item in body], claim_type, publication_bias)
    assert (mirror.pro, mirror.against) == (card.against, card.pro)
    assert mirror.fragile == card.fragile
    assert (mirror.certainty, mirror.certainty_reasons) == (card.certainty, card.certainty_reasons)
    mirrored_verdict = {
        "Strong support": "Strongly contradicted",
        "Moderate support": "Moderately contradicted",
        "Leaning support": "Leaning against",
    }
    mirrored_verdict |= {v: k for k, v in mirrored_verdict.items()}
    assert mirror.verdict == mirrored_verdict.get(card.verdict, card.verdict)
    if card.pro == card.against or card.certainty in (None, "very_low"):
        assert mirror.statement == card.statement
    else:
        assert mirror.statement != card.statement
        assert ("not" in mirror.statement.split()) != ("not" in card.statement.split())


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
        None,
    )
    assert (card.certainty, card.certainty_reasons, card.participants, card.counted) == (
        None,
        (),
        0,
        0,
    )
    assert (
        card.statement == "No appraised study counts yet, so there is not enough evidence to say."
    )


@SCORING
@given(bodies, claim_types, flags)
def test_it_flags_fragility_as_defined(body, claim_type, publication_bias):
    card = score(body, claim_type, publication_bias)
    if card.pro == card.against:
        assert card.fragile is None
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
        mine = [c for c in card.contributions if c.stance == stance and c.counted]
        assert sorted(c.rank for c in mine) == list(range(1, len(mine) + 1))
        for c in mine:
            assert c.weight == pytest.approx(c.points * 0.5 ** (c.rank - 1))
            assert 0 < c.share <= 1
            assert c.share == pytest.approx(c.weight / e)
        if mine:
            assert sum(c.share for c in mine) == pytest.approx(1)
            assert sum(c.weight for c in mine) == pytest.approx(e)
            by_rank = sorted(mine, key=lambda c: c.rank)
            assert all(a.points >= b.points for a, b in zip(by_rank, by_rank[1:], strict=False))
        else:
            assert e == 0


@SCORING
@given(bodies, claim_types)
def test_it_scores_dicts_exactly_like_items(body, claim_type):
    as_dicts = [{**asdict(item), "included_in": list(item.included_in)} for item in body]
    assert score(as_dicts, claim_type) == score(body, claim_type)
