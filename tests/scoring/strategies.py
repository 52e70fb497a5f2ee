"""Hypothesis strategies for scoring items, shared by the property tests."""

from hypothesis import strategies as st

from scoring import Item
from scoring.weights import CERTAINTY_VALUES, DESIGN_VALUES, STANCES, STRENGTHS

items = st.builds(
    Item,
    stance=st.sampled_from(STANCES),
    design=st.sampled_from(DESIGN_VALUES),
    certainty=st.none() | st.sampled_from(CERTAINTY_VALUES),
    sample_size=st.none() | st.integers(1, 5000),
    strength=st.sampled_from(STRENGTHS),
    downgrades=st.integers(0, 3),
    upgrades=st.integers(0, 2),
)
