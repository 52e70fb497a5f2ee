"""Hypothesis strategies for scoring items, shared by the property tests."""

from hypothesis import strategies as st

from scoring import Item
from scoring.weights import (
    CERTAINTY_VALUES,
    DESIGN_VALUES,
    RISKS_OF_BIAS,
    STANCES,
    STRENGTHS,
)

# A plain item: counted unless something else in the body pools it (it names no review, has no
# trial and is not retracted), with any appraisal of the body-of-evidence domains.
plain_items = st.builds(
    Item,
    stance=st.sampled_from(STANCES),
    design=st.sampled_from(DESIGN_VALUES),
    certainty=st.none() | st.sampled_from(CERTAINTY_VALUES),
    sample_size=st.none() | st.integers(1, 5000),
    strength=st.sampled_from(STRENGTHS),
    downgrades=st.integers(0, 3),
    upgrades=st.integers(0, 2),
    risk_of_bias=st.none() | st.sampled_from(RISKS_OF_BIAS),
    indirectness=st.integers(0, 2),
    imprecise=st.booleans(),
)

# Any item. Keys are left to default to the item's index, so `included_in` (small integers)
# names other items of a body of up to ten, and trials 0–2 make duplicates likely.
items = st.builds(
    Item,
    stance=st.sampled_from(STANCES),
    design=st.sampled_from(DESIGN_VALUES),
    certainty=st.none() | st.sampled_from(CERTAINTY_VALUES),
    sample_size=st.none() | st.integers(1, 5000),
    strength=st.sampled_from(STRENGTHS),
    downgrades=st.integers(0, 3),
    upgrades=st.integers(0, 2),
    trial=st.none() | st.integers(0, 2),
    included_in=st.lists(st.integers(0, 9), max_size=2).map(tuple),
    retracted=st.booleans() | st.just(False),
    risk_of_bias=st.none() | st.sampled_from(RISKS_OF_BIAS),
    indirectness=st.integers(0, 2),
    imprecise=st.booleans(),
)
