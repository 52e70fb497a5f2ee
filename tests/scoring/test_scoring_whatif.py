"""What would change a verdict, and how much it rests on low-certainty studies."""

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import (
    HYPOTHETICAL,
    LADDER,
    Item,
    as_items,
    describe,
    effective_certainty,
    hypothetical,
    score,
    sensitivity,
    sensitivity_sentence,
    smallest_change,
    what_would_change,
)
from scoring.weights import STANCES
from scoring.whatif import LEAVING_OUT
from tests.scoring.strategies import items

# Appraised at low risk of bias, so only the model's other domains move their certainty.
STRONG_RCT_AGAINST = Item("contradicts", "rct", "high", 60, risk_of_bias="low")
WEAK_TRIALS_FOR = [Item("supports", "rct", "low", 20, risk_of_bias="low")] * 3
META_EACH_WAY = [
    Item("supports", "meta_analysis_rct", "high", 400, risk_of_bias="low"),
    Item("contradicts", "meta_analysis_rct", "high", 400, risk_of_bias="low"),
]


def ladder_studies():
    return [
        hypothetical(stance, certainty, design, n)
        for stance in STANCES
        for certainty, design, n in LADDER
    ]


@pytest.mark.parametrize(
    ("items", "sentence"),
    [
        (
            [],
            "A single study either way, of the kind rated low certainty (a cohort study of 100 "
            "people), would give a first verdict.",
        ),
        # Strong support at high certainty: a low cohort against (not in the randomised
        # stream) brings Against to 44 and the verdict to moderate.
        (
            [Item("supports", "rct", "high", 400, risk_of_bias="low")],
            "One more study against, of the kind rated low certainty (a cohort study of 100 "
            "people), would move this to Moderate support.",
        ),
        # Leaning against at low certainty (inconsistency and imprecision): one more trial in
        # support makes the trials disagree so much that the body is very uncertain.
        (
            [STRONG_RCT_AGAINST, *WEAK_TRIALS_FOR],
            "One more study in support, of the kind rated moderate certainty (a randomised "
            "controlled trial of 100 people), would move this to Very uncertain.",
        ),
        # A single RCT of 60, risk of bias not assessed: very uncertain (risk of bias and
        # imprecision); only a meta-analysis against, bringing 400 participants, changes it.
        (
            [Item("supports", "rct", "high", 60)],
            "One more study against, of the kind rated high certainty (a meta-analysis of RCTs "
            "of 400 people), would move this to Mixed evidence.",
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
    assert f"of {change.study.sample_size} people" in what_would_change(body)
    assert score([*body, change.study]).verdict == change.verdict != score(body).verdict
    # The weaker rung on the same side would not have done it.
    weaker = hypothetical("supports", "low", "cohort", 100)
    assert score([*body, weaker]).verdict == score(body).verdict


def test_it_imagines_counted_appraised_studies_with_their_own_key():
    study = smallest_change([]).study
    assert (study.key, study.risk_of_bias, study.retracted) == (HYPOTHETICAL, "low", False)
    assert (study.trial, study.included_in, study.indirectness, study.imprecise) == (
        None,
        (),
        0,
        False,
    )
    # Evidence keyed like the site's (database ids) never collides with it …
    evidence = [{"key": 1, "stance": "supports", "design": "rct", "sample_size": 19}]
    change = smallest_change(evidence)
    assert score([*evidence, change.study]).verdict == change.verdict
    assert score([*evidence, change.study]).contributions[-1].counted
    # … nor does an item that already has its key.
    taken = [Item("supports", "rct", "high", 400, key=HYPOTHETICAL, risk_of_bias="low")]
    assert smallest_change(taken).study.key == f"{HYPOTHETICAL} 2"


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
    assert f"of {change.study.sample_size} people" in sentence
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
        "Leaving out the studies rated low or very low certainty on their own, the scores "
        f"would be Pro {card.pro} and Against 0."
    )
    assert card.pro == 70


def test_it_says_nothing_when_there_is_nothing_to_leave_out():
    body = [Item("supports", "rct", "moderate", 50), *META_EACH_WAY]
    assert sensitivity_sentence(body) == ""
    assert sensitivity(body) == score(body)


def test_it_does_not_reassure_under_a_very_low_certainty_body():
    # One moderate-certainty trial of 18: no study is weak on its own, but the body is very
    # low (risk of bias not assessed, 18 participants). Nothing reassuring may be said.
    body = [Item("supports", "rct", "moderate", 18)]
    assert score(body).certainty == "very_low"
    assert sensitivity_sentence(body) == ""


def test_it_says_nothing_when_every_study_is_retracted():
    strong = [Item("supports", "rct", "high", 400, retracted=True)]
    weak = [Item("contradicts", "cohort", None, 50, retracted=True)]
    for body in (strong, weak, strong + weak):
        assert score(body).counted == 0
        assert sensitivity_sentence(body) == ""


def test_it_looks_only_at_counted_studies():
    trial = Item("supports", "rct", "high", 100, risk_of_bias="low", key="trial")
    # A weak study that does not count (retracted, pooled in the trial's review, or a weaker
    # report of the same trial) has nothing to be left out of.
    review = Item("supports", "meta_analysis_rct", "moderate", 400, key="review")
    not_counted = [
        Item("contradicts", "cohort", None, 50, retracted=True, key="retracted"),
        Item("supports", "rct", "low", 30, included_in=("review",), key="pooled"),
        Item("supports", "rct", "low", 30, trial="T", key="later report"),
    ]
    first = replace(trial, trial="T")
    body = [first, review, *not_counted]
    assert [c.counted for c in score(body).contributions] == [True, True, False, False, False]
    assert sensitivity_sentence(body) == ""
    assert sensitivity(body) == score([first, review])
    # A weak review leaves with the study it pools: the trial was not counted on its own (its
    # participants were the review's), so it does not come back when the review is left out.
    weak_review = replace(review, certainty="low")
    pooled = replace(trial, included_in=("review",))
    other = Item("contradicts", "rct", "moderate", 60, key="other")
    body = [weak_review, pooled, other]
    card = sensitivity(body)
    assert [c.key for c in card.contributions] == ["other"]
    assert all(c.counted for c in card.contributions)
    assert sensitivity_sentence(body) == LEAVING_OUT.format(pro=0, against=card.against)
    # Of two weak reports of one trial, the one not counted does not stand in for the other.
    reports = [
        Item("supports", "rct", "low", 100, trial="T", key="full"),
        Item("supports", "rct", "low", 30, trial="T", key="pilot"),
        other,
    ]
    assert [c.key for c in sensitivity(reports).contributions] == ["other"]
    assert sensitivity_sentence(reports) == LEAVING_OUT.format(pro=0, against=card.against)


def test_it_uses_the_claim_type_when_leaving_studies_out():
    cohort = [Item("supports", "cohort", None, 40, downgrades=1)]
    # High − 1 = moderate for a correlational claim; low − 1 = very low for a causal one.
    assert sensitivity(cohort, "correlational").pro == score(cohort, "correlational").pro > 0
    assert sensitivity(cohort, "causal").pro == 0
    # Mechanistic studies are not rated up (second edition): low for a mechanistic claim.
    mechanism = [Item("supports", "mechanistic", None, 40, upgrades=1)]
    assert sensitivity(mechanism, "mechanistic").pro == 0


def test_it_keeps_keys_when_leaving_studies_out():
    body = [
        Item("supports", "cohort", None, 50),  # derived low: left out
        Item("supports", "meta_analysis_rct", "high", 400),
        Item("supports", "rct", "high", 100, included_in=[1]),  # pooled in item 1: not counted
        Item("contradicts", "rct", "moderate", 60),
    ]
    card = sensitivity(body)
    assert [c.key for c in card.contributions] == [1, 3]
    assert sensitivity_sentence(body) == LEAVING_OUT.format(pro=card.pro, against=card.against)


def test_it_passes_the_publication_bias_flag_on():
    body = [Item("supports", "meta_analysis_rct", "high", 400, risk_of_bias="low")]
    assert sensitivity(body, publication_bias=True) == score(body, publication_bias=True)
    assert score(body).certainty == "high"
    assert sensitivity(body, publication_bias=True).certainty == "moderate"
    change = smallest_change(body, publication_bias=True)
    assert score([*body, change.study], publication_bias=True).verdict == change.verdict
    assert what_would_change(body, publication_bias=True).endswith(f"{change.verdict}.")


def test_it_has_no_sensitivity_without_studies():
    assert sensitivity_sentence([]) == ""
    assert sensitivity([]) == score([])


@settings(max_examples=200, deadline=None)
@given(st.lists(items, max_size=6), st.sampled_from([None, "causal", "mechanistic"]), st.booleans())
def test_it_only_ever_says_true_things_about_weak_studies(body, claim_type, publication_bias):
    sentence = sensitivity_sentence(body, claim_type, publication_bias)
    card = score(body, claim_type, publication_bias)
    # Items keep their keys (by default their index in the body) when others are left out.
    body = as_items(body)
    counted = [i for i, c in zip(body, card.contributions, strict=True) if c.counted]
    weak = [i for i in counted if effective_certainty(i, claim_type) in ("low", "very_low")]
    if not weak:
        # Nothing counted, or no counted study weak on its own: nothing to say, and no
        # reassurance about a body of evidence whose certainty the verdict panel states.
        assert sentence == ""
        return
    strong_only = score([i for i in counted if i not in weak], claim_type, publication_bias)
    assert strong_only.counted == len(counted) - len(weak)
    assert sentence == LEAVING_OUT.format(pro=strong_only.pro, against=strong_only.against)
    assert sensitivity(body, claim_type, publication_bias) == strong_only
