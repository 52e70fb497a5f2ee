"""The five demo claims, scored by the second edition (§3), as worked examples.

Every demo study is one small randomised trial with some concerns about risk of bias, so each
claim's body of evidence starts high (randomised trials) and is rated down one level for risk
of bias and two for imprecision (18, 19 or 60 participants, far fewer than 400): very low
certainty, whatever the points. The points are the first edition's (66, 66, 66, 77, 42).
"""

import pytest

from scoring import score
from tests.scoring.demo_items import DEMO_CLAIMS

STARTS = "Starts at high certainty: the best evidence is from randomised trials."
ROB = (
    "Rated down one level for risk of bias: all of the weight comes from studies with some "
    "concerns or not yet assessed for bias."
)
INDIRECT = (
    "Rated down one level for indirectness: a study on the leading side answers a somewhat "
    "different question (other people, comparison or outcome)."
)
CLAMPED = (
    "The steps add up to more than the levels below the start, and certainty cannot go below "
    "very low."
)


def imprecision(n):
    return (
        f"Rated down two levels for imprecision: {n} participants in all, far fewer than the 400 "
        "usually needed."
    )


# slug: (pro, against, certainty, verdict, participants, reasons)
EXPECTED = {
    # Ruple 2023: 100 × 0.65 (high, one downgrade) × 0.90 × N(19) 0.7457 = 43.63 → 66.
    "failure-motor-unit-firing": (
        66,
        0,
        "very_low",
        "Very uncertain",
        19,
        (STARTS, ROB, imprecision(19)),
    ),
    "failure-distal-vl-csa": (
        66,
        0,
        "very_low",
        "Very uncertain",
        19,
        (STARTS, ROB, imprecision(19)),
    ),
    # Refalo 2024: 100 × 0.65 × 0.90 × N(18) 0.7412 = 43.36 → 66.
    "rir-similar-volume": (
        66,
        0,
        "very_low",
        "Very uncertain",
        18,
        (STARTS, ROB, imprecision(18)),
    ),
    # Refalo 43.36 + Hermann (RCT of 42, partial) 23.75 / 2 + Goli (non-randomised, derived
    # low, n unknown: 100 × 0.35 × 0.80 × 0.6 = 16.8) / 4 = 59.43 → 77. Goli starts low, so the
    # two RCTs (60 participants) form the stream; Hermann's indirectness takes one more level:
    # high − 4, clamped to very low.
    "failure-volume-equated-hypertrophy": (
        77,
        0,
        "very_low",
        "Very uncertain",
        60,
        (STARTS, ROB, INDIRECT, imprecision(60), CLAMPED),
    ),
    # Refalo 2024, a partial finding: 43.36 / 2 = 21.68 → 42.
    "quadriceps-rir-vs-failure": (
        42,
        0,
        "very_low",
        "Very uncertain",
        18,
        (STARTS, ROB, imprecision(18)),
    ),
}


@pytest.mark.parametrize(
    ("slug", "claim_type", "items"), DEMO_CLAIMS, ids=[slug for slug, _, _ in DEMO_CLAIMS]
)
def test_it_scores_the_demo_claims(slug, claim_type, items):
    card = score(items, claim_type)
    pro, against, certainty, verdict, participants, reasons = EXPECTED[slug]
    assert (card.pro, card.against, card.certainty, card.verdict) == (
        pro,
        against,
        certainty,
        verdict,
    )
    assert (card.participants, card.certainty_reasons) == (participants, reasons)
    assert card.statement == "We are very uncertain whether this is true."
    assert card.verdict != "Strong support"
    assert card.fragile is True
    assert card.counted == len(items)
    # Points are unchanged: the item-level downgrade makes each RCT moderate.
    assert all(c.certainty in ("moderate", "low") for c in card.contributions)


def test_the_demo_claims_would_not_be_strong_even_with_bias_assessed_low():
    for _, claim_type, items in DEMO_CLAIMS:
        appraised = [{**item, "risk_of_bias": "low", "imprecise": False} for item in items]
        card = score(appraised, claim_type)
        # Imprecision alone (fewer than 100 participants) takes two levels: low at best.
        assert card.certainty in ("low", "very_low")
        assert card.verdict not in ("Strong support", "Strongly contradicted")


def test_the_demo_claims_cover_the_five_slugs():
    assert [slug for slug, _, _ in DEMO_CLAIMS] == list(EXPECTED)
