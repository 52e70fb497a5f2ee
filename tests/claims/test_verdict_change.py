"""'What would change the verdict' and the sensitivity line, on every demo claim page."""

from html import escape

import pytest

import scoring
from claims.models import Evidence
from claims.services import approved_evidence, scoring_items
from tests.factories import link, make_claim, make_study

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
        assert sentence.startswith(f"One more study {side}, of the kind rated "), sentence
        assert f"of {change.study.sample_size} people), would move this to {change.verdict}." in (
            sentence
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


def weak_and_strong(items, claim) -> tuple[list, list]:
    """The counted items rated low or very low on their own, and the other counted items."""
    card = scoring.score(items, **what_if(claim))
    counted = [(i, c) for i, c in zip(items, card.contributions, strict=True) if c.counted]
    weak = [i for i, c in counted if c.certainty in ("low", "very_low")]
    return weak, [i for i, _ in counted if i not in weak]


def test_it_shows_a_true_sensitivity_line_on_every_demo_claim(client, demo):
    for claim in demo:
        items = items_of(claim)
        line = scoring.sensitivity_sentence(items, **what_if(claim))
        weak, strong = weak_and_strong(items, claim)
        if weak:
            strong_only = scoring.score(strong, **what_if(claim))
            assert line.startswith("Leaving out the studies rated low or very low certainty")
            assert line.endswith(f"Pro {strong_only.pro} and Against {strong_only.against}.")
        html = client.get(claim.get_absolute_url()).content.decode()
        if line:
            assert f'<p class="sensitivity">{escape(line)}</p>' in html
        else:  # nothing counted, or no counted study is weak: nothing to say
            assert 'class="sensitivity"' not in html


def test_it_leaves_out_an_empty_sensitivity_line(client, demo, monkeypatch):
    monkeypatch.setattr(scoring, "sensitivity_sentence", lambda *args, **kwargs: "")
    for claim in demo:
        html = client.get(claim.get_absolute_url()).content.decode()
        assert 'class="sensitivity"' not in html, claim.slug
        assert "What would change the verdict:" in html


def test_it_says_nothing_about_sensitivity_when_nothing_counts(client):
    claim = make_claim()
    link(claim, make_study(), appraisal_status=Evidence.Appraisal.AWAITING)
    link(claim, make_study(doi="10.1000/gone", retraction_status="retracted"))
    html = client.get(claim.get_absolute_url()).content.decode()
    assert "No study counted yet" in html
    assert 'class="sensitivity"' not in html
    assert "Leaving out" not in html and "Each study here" not in html


def test_it_leaves_out_the_derived_low_certainty_study_of_the_demo(demo):
    claim = demo.get(slug="failure-fatigue-adds-no-hypertrophy")
    items = items_of(claim)
    weak, strong = weak_and_strong(items, claim)
    # Hermann et al. 2025 has no certainty set: a trial rated down two levels is low.
    assert weak and all(item["certainty"] is None for item in weak)
    rest = scoring.score(strong, **what_if(claim))
    assert scoring.sensitivity(items, **what_if(claim)).pro == rest.pro
    assert rest.pro <= scoring.score(items, **what_if(claim)).pro
