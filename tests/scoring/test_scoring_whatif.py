"""What would change a verdict, and how much it rests on low-certainty studies."""

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import (
    LADDER,
    Item,
    describe,
    effective_certainty,
    score,
    sensitivity,
    sensitivity_sentence,
    smallest_change,
    what_would_change,
)
from scoring.weights import STANCES
from tests.scoring.strategies import items

STRONG_RCT_AGAINST = Item("contradicts", "rct", "high", 60)
WEAK_TRIALS_FOR = [Item("supports", "rct", "low", 20)] * 3
META_EACH_WAY = [
    Item("supports", "meta_analysis_rct", "high", 400),
    Item("contradicts", "meta_analysis_rct", "high", 400),
]


def ladder_studies():
    return [
        Item(stance, design, certainty, n) for stance in STANCES for certainty, design, n in LADDER
    ]


@pytest.mark.parametrize(
    ("items", "sentence"),
    [
        (
            [],
            "A single low-certainty cohort study (n=100) either way would give a first verdict.",
        ),
        (
            [Item("supports", "rct", "high", 60)],
            "One low-certainty cohort study (n=100) against would make this Moderate support.",
        ),
        (
            [STRONG_RCT_AGAINST, *WEAK_TRIALS_FOR],
            "One moderate-certainty randomised controlled trial (n=100) in support would make "
            "this Mixed evidence.",
        ),
        (
            META_EACH_WAY,
            "No single new study would change this verdict; it would take several strong studies.",
        ),
    ],
)
def test_it_names_the_smallest_study_that_changes_the_verdict(items, sentence):
    assert what_would_change(items) == sentence


def test_it_tells_the_truth_about_what_would_change():
    body = [STRONG_RCT_AGAINST, *WEAK_TRIALS_FOR]
    change = smallest_change(body)
    assert change.verdict in what_would_change(body)
    assert describe(change.study) in what_would_change(body)
    assert score([*body, change.study]).verdict == change.verdict != score(body).verdict
    # The weaker rung on the same side would not have done it.
    weaker = Item("supports", "cohort", "low", 100)
    assert score([*body, weaker]).verdict == score(body).verdict


def test_it_gives_a_first_verdict_either_way():
    change = smallest_change([])
    for stance in STANCES:
        assert score([replace(change.study, stance=stance)]).verdict != "Insufficient evidence"


def test_it_finds_no_single_study_for_a_settled_tie():
    assert smallest_change(META_EACH_WAY) is None
    verdict = score(META_EACH_WAY).verdict
    assert all(score([*META_EACH_WAY, study]).verdict == verdict for study in ladder_studies())


def test_it_describes_hypothetical_studies_in_plain_words():
    assert describe(Item("supports", "meta_analysis_rct", "high", 400)) == (
        "high-certainty meta-analysis of RCTs (n=400)"
    )
    assert describe(Item("supports", "animal", "very_low", 12)) == (
        "very-low-certainty animal study (n=12)"
    )


@settings(max_examples=100, deadline=None)
@given(st.lists(items, max_size=6))
def test_it_only_ever_says_true_things_about_what_would_change(body):
    verdict = score(body).verdict
    change = smallest_change(body)
    sentence = what_would_change(body)
    if change is None:
        assert sentence.startswith("No single new study")
        assert all(score([*body, study]).verdict == verdict for study in ladder_studies())
        return
    assert score([*body, change.study]).verdict == change.verdict != verdict
    assert describe(change.study) in sentence
    if body:
        assert change.verdict in sentence
    card = score(body)
    trailing = "contradicts" if card.pro > card.against else "supports"
    if card.pro != card.against and change.study.stance != trailing:
        # The leading side was only tried because nothing on the trailing side worked.
        tried = [s for s in ladder_studies() if s.stance == trailing]
        assert all(score([*body, study]).verdict == verdict for study in tried)


def test_it_leaves_out_low_and_very_low_certainty_studies():
    body = [
        Item("supports", "rct", "moderate", 50, key=1),
        Item("supports", "cohort", None, 50, key=2),  # derived low
        Item("contradicts", "animal", None, 30, key=3),  # derived very low
        Item("contradicts", "rct", None, 20, downgrades=2, key=4),  # derived low
    ]
    card = sensitivity(body)
    assert [c.key for c in card.contributions] == [1]
    assert (card.pro, card.against) == (score(body[:1]).pro, 0)
    assert sensitivity_sentence(body) == (
        "Leaving out the studies rated low or very low certainty, the scores would be "
        f"Pro {card.pro} and Against 0."
    )
    assert card.pro == 70


def test_it_says_when_there_is_nothing_to_leave_out():
    body = [Item("supports", "rct", "moderate", 50), *META_EACH_WAY]
    assert sensitivity_sentence(body) == (
        "No study here is rated low certainty, so the scores do not rest on weak evidence."
    )
    assert sensitivity(body) == score(body)


def test_it_uses_the_claim_type_when_leaving_studies_out():
    mechanism = [Item("supports", "mechanistic", None, 40, upgrades=1)]
    # Low + 1 = moderate for a mechanistic claim; very low + 1 = low otherwise.
    assert sensitivity(mechanism, "mechanistic").pro == score(mechanism, "mechanistic").pro
    assert sensitivity(mechanism, "causal").pro == 0


def test_it_has_no_sensitivity_without_studies():
    assert sensitivity_sentence([]) == "No studies have been scored yet."
    assert sensitivity([]) == score([])


@settings(max_examples=100, deadline=None)
@given(st.lists(items, max_size=6), st.sampled_from([None, "causal", "mechanistic"]))
def test_it_only_ever_says_true_things_about_weak_studies(body, claim_type):
    sentence = sensitivity_sentence(body, claim_type)
    if not body:
        assert sentence == "No studies have been scored yet."
        return
    weak = [i for i in body if effective_certainty(i, claim_type) in ("low", "very_low")]
    if not weak:
        assert sentence.startswith("No study here is rated low certainty")
        return
    strong_only = score([i for i in body if i not in weak], claim_type)
    assert sentence.endswith(f"Pro {strong_only.pro} and Against {strong_only.against}.")
