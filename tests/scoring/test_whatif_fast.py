"""What would change the verdict, and the sensitivity line, from one scorecard's sorted points:
the same answers as scoring the claim again with each hypothetical study (the oracle below is
the code it replaced), and no full rescore per rung."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import scoring
from scoring import LADDER, Item, as_items, hypothetical, score
from scoring import whatif as whatif_module
from scoring.weights import CLAIM_TYPES
from scoring.whatif import HYPOTHETICAL, LEAVING_OUT, WEAK_CERTAINTIES, Change, _fresh_key
from tests.scoring.strategies import items, plain_items

# The oracle: what whatif.py did before, one score() per rung.


def old_smallest_change(items, claim_type=None, publication_bias=False):
    checked = as_items(items)
    current = score(checked, claim_type, publication_bias)
    if current.pro > current.against:
        stances = ("contradicts", "supports")
    else:
        stances = ("supports", "contradicts")
    key = _fresh_key(checked)
    for stance in stances:
        for certainty, design, n in LADDER:
            study = hypothetical(stance, certainty, design, n, key)
            verdict = score([*checked, study], claim_type, publication_bias).verdict
            if verdict != current.verdict:
                return Change(study, verdict)
    return None


def old_sensitivity_sentence(items, claim_type=None, publication_bias=False):
    checked = as_items(items)
    card = score(checked, claim_type, publication_bias)
    strong, weak = [], []
    for item, contribution in zip(checked, card.contributions, strict=True):
        if contribution.counted:
            (weak if contribution.certainty in WEAK_CERTAINTIES else strong).append(item)
    if not weak:
        return ""
    rest = score(strong, claim_type, publication_bias)
    return LEAVING_OUT.format(pro=rest.pro, against=rest.against)


# Bodies of evidence: any items, plain ones (all counted), and some naming the hypothetical
# study's key as a review pooling them (the one case where adding it changes the counting).
naming_the_hypothetical = st.builds(
    Item,
    stance=st.sampled_from(("supports", "contradicts")),
    design=st.sampled_from(("rct", "cohort", "case_control")),
    certainty=st.none() | st.sampled_from(("low", "moderate", "high")),
    sample_size=st.none() | st.integers(1, 5000),
    included_in=st.just((HYPOTHETICAL,)),
)
bodies = (
    st.lists(items, max_size=10)
    | st.lists(plain_items, max_size=25)
    | st.lists(items | naming_the_hypothetical, max_size=10)
)
claim_types = st.none() | st.sampled_from(CLAIM_TYPES)


@settings(max_examples=600, deadline=None)
@given(bodies, claim_types, st.booleans())
def test_it_finds_the_same_smallest_change_as_a_full_rescore_per_rung(body, claim_type, bias):
    assert scoring.smallest_change(body, claim_type, bias) == old_smallest_change(
        body, claim_type, bias
    )


@settings(max_examples=600, deadline=None)
@given(bodies, claim_types, st.booleans())
def test_it_says_the_same_sensitivity_as_scoring_the_strong_studies(body, claim_type, bias):
    assert scoring.sensitivity_sentence(body, claim_type, bias) == old_sensitivity_sentence(
        body, claim_type, bias
    )


@settings(max_examples=200, deadline=None)
@given(bodies, claim_types, st.booleans())
def test_it_gives_the_same_answers_from_a_scorecard_passed_in(body, claim_type, bias):
    card = score(body, claim_type, bias)
    assert scoring.what_would_change(body, claim_type, bias, card=card) == (
        scoring.what_would_change(body, claim_type, bias)
    )
    assert scoring.sensitivity_sentence(body, claim_type, bias, card=card) == (
        old_sensitivity_sentence(body, claim_type, bias)
    )


@pytest.fixture
def score_calls(monkeypatch):
    """How many times whatif.py scores a body of evidence in full."""
    calls = []

    def counting(*args, **kwargs):
        calls.append(args)
        return score(*args, **kwargs)

    monkeypatch.setattr(whatif_module, "score", counting)
    return calls


# Level sides of moderate trials: no rung short of the top changes the verdict, so every rung
# of both sides is tried.
LEVEL = [Item("supports", "rct", "high", 100 + i, risk_of_bias="low") for i in range(50)] + [
    Item("contradicts", "rct", "high", 100 + i, risk_of_bias="low") for i in range(50)
]


def test_it_scores_the_claim_once_for_what_would_change(score_calls):
    scoring.what_would_change(LEVEL)
    assert len(score_calls) == 1


def test_it_scores_nothing_when_given_the_scorecard(score_calls):
    card = score(LEVEL)
    scoring.what_would_change(LEVEL, card=card)
    scoring.sensitivity_sentence(LEVEL, card=card)
    assert score_calls == []


def test_it_scores_the_claim_once_for_the_sensitivity_line(score_calls):
    body = [*LEVEL, Item("supports", "cohort", "low", 50)]
    assert scoring.sensitivity_sentence(body).startswith("Leaving out")
    assert len(score_calls) == 1
