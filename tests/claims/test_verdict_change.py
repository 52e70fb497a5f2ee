"""'What would change the verdict' and the sensitivity line, on every demo claim page."""

from html import escape

import pytest

import scoring
from claims.services import approved_evidence, scoring_items

pytestmark = pytest.mark.django_db


def items_of(claim):
    """What the page scores: the appraised links, "pooled in" mapped to the claim's reviews."""
    return scoring_items(approved_evidence([claim.pk]))


def what_if(claim) -> dict:
    return {"claim_type": claim.claim_type, "publication_bias": claim.publication_bias}


def test_it_shows_a_true_verdict_change_sentence_on_every_demo_claim(client, demo):
    assert demo.count() == 5
    for claim in demo:
        items = items_of(claim)
        current = scoring.score(items, **what_if(claim))
        change = scoring.smallest_change(items, **what_if(claim))
        assert change is not None, claim.slug
        sentence = scoring.what_would_change(items, **what_if(claim))
        # The sentence names the hypothetical study, its side and the verdict it would give…
        side = "in support" if change.study.stance == "supports" else "against"
        assert sentence == (
            f"One {scoring.describe(change.study)} {side} would make this {change.verdict}."
        )
        # …and that is true: adding that study to the claim's evidence gives that verdict.
        after = scoring.score([*items, change.study], **what_if(claim))
        assert after.verdict == change.verdict != current.verdict
        # Anonymous readers see it, under "What would change the verdict".
        html = client.get(claim.get_absolute_url()).content.decode()
        assert f"<strong>What would change the verdict:</strong> {escape(sentence)}" in html


def test_it_tries_the_trailing_side_first_from_the_weakest_study(demo):
    for claim in demo:
        items = items_of(claim)
        current = scoring.score(items, **what_if(claim))
        change = scoring.smallest_change(items, **what_if(claim))
        trailing = "contradicts" if current.pro > current.against else "supports"
        assert change.study.stance == trailing
        weaker_rungs = scoring.LADDER[
            : scoring.LADDER.index(
                (change.study.certainty, change.study.design, change.study.sample_size)
            )
        ]
        for certainty, design, n in weaker_rungs:
            weaker = scoring.hypothetical(trailing, certainty, design, n)
            assert scoring.score([*items, weaker], **what_if(claim)).verdict == current.verdict


def test_it_shows_a_true_sensitivity_line_on_every_demo_claim(client, demo):
    for claim in demo:
        items = items_of(claim)
        line = scoring.sensitivity_sentence(items, **what_if(claim))
        weak = [
            i
            for i in items
            if scoring.effective_certainty(i, claim.claim_type) in ("low", "very_low")
        ]
        if weak:
            strong_only = scoring.score([i for i in items if i not in weak], **what_if(claim))
            assert line == (
                "Leaving out the studies rated low or very low certainty, the scores would be "
                f"Pro {strong_only.pro} and Against {strong_only.against}."
            )
        else:
            assert line == (scoring.whatif.STRONG_STUDIES_ONLY)
        assert (
            f'<p class="sensitivity">{escape(line)}</p>'
            in client.get(claim.get_absolute_url()).content.decode()
        )


def test_it_leaves_out_the_derived_low_certainty_study_of_the_demo(demo):
    claim = demo.get(slug="failure-fatigue-adds-no-hypertrophy")
    items = items_of(claim)
    # The calf-raise trial has no certainty set: a non-randomised trial starts low.
    calf = [i for i in items if i["design"] == "non_randomised_trial"]
    assert len(calf) == 1 and calf[0]["certainty"] is None
    weak = [
        i for i in items if scoring.effective_certainty(i, claim.claim_type) in ("low", "very_low")
    ]
    assert calf[0] in weak
    rest = scoring.score([i for i in items if i not in weak], **what_if(claim))
    assert scoring.sensitivity(items, **what_if(claim)).pro == rest.pro
    assert rest.pro <= scoring.score(items, **what_if(claim)).pro
