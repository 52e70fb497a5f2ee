"""The claim page as it reads since "Honest verdicts" (issue 12): the verdict panel with its
certainty, studies that do not count or await appraisal, and the analysis marked out of date."""

import datetime
import json
import re
from html import escape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim, Evidence
from claims.presentation import BasisChange, basis_change
from claims.services import analysis_publish, claim_scorecard
from tests.conftest import link, make_claim, make_study

pytestmark = pytest.mark.django_db


def text_of(html: str) -> str:
    """The page's text, tags dropped and whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def page(client, claim, **params) -> str:
    response = client.get(claim.get_absolute_url(), params)
    assert response.status_code == 200
    return response.content.decode()


def panel(html: str) -> str:
    start = html.index('<section class="verdict-panel')
    return html[start : html.index("</section>", start)]


def jsonld(html: str) -> dict:
    start = html.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def meta(html: str, prop: str) -> str:
    return re.search(rf'<meta (?:property|name)="{prop}" content="([^"]*)">', html).group(1)


@pytest.fixture
def low():
    """One low-risk RCT of 50: 84 Pro, strong on the scores, but 50 participants rate the
    body of evidence down two levels, so it is low certainty and the verdict is capped."""
    claim = make_claim(slug="low")
    trial = make_study(doi="10.1000/low50", title="A trial of 50", sample_size=50)
    link(claim, trial, certainty="", risk_of_bias_judgement="low")
    return claim


def test_it_shows_the_verdict_statement_and_certainty_with_reasons_to_anonymous_readers(
    client, low
):
    html = page(client, low)
    card = claim_scorecard(low)
    assert (card.pro, card.against, card.certainty) == (84, 0, "low")
    assert card.verdict == "Moderate support"  # capped: strong needs moderate certainty
    verdict = panel(html)
    assert '<p class="verdict-label" id="verdict-heading">Moderate support</p>' in verdict
    assert '<p class="verdict-statement">This may be true.</p>' in verdict
    assert '<p class="certainty-level">Low certainty</p>' in verdict
    assert card.certainty_reasons
    for reason in card.certainty_reasons:
        assert f"<li>{escape(reason)}</li>" in verdict
    assert "Rated down two levels for imprecision: 50 participants" in verdict
    assert "Pro 84 out of 100 Against 0 out of 100" in text_of(verdict)
    assert card.balance in verdict and card.caveat in verdict
    # In the order: label, statement, certainty and reasons, scores, caption.
    text = text_of(verdict)
    parts = ["Moderate support", "This may be true.", "Low certainty", "Rated down", "Pro 84"]
    parts.append(card.balance)
    assert [text.index(p) for p in parts] == sorted(text.index(p) for p in parts)
    assert "Sign up to see full verdict" in html  # the rest is gated, the panel is not
    assert "Strong support" not in html


def test_it_says_nothing_has_been_appraised_when_there_is_no_certainty(client):
    claim = make_claim()
    link(claim, make_study(), appraisal_status=Evidence.Appraisal.AWAITING)
    verdict = panel(page(client, claim))
    assert "certainty-level" not in verdict
    assert "Nothing has been appraised yet, so there is no certainty to report." in verdict
    assert "Insufficient evidence" in verdict


def test_it_never_shows_strong_support_on_one_small_trial(client, member_client):
    claim = make_claim(slug="one-small-trial")
    link(claim, make_study(doi="10.1000/rct18", sample_size=18), certainty="moderate")
    card = claim_scorecard(claim)
    assert card.pro == 66 and card.against == 0  # the seed's "66 Pro / 0 Against"
    for browser in (client, member_client):
        html = page(browser, claim)
        assert "Strong support" not in html
        assert card.verdict in panel(html)
    data = client.get(f"/claims/{claim.slug}.json").json()
    assert data["verdict"] == card.verdict != "Strong support"


def test_it_shows_every_demo_claim_with_its_live_verdict_and_certainty(client, demo):
    for claim in demo:
        card = claim_scorecard(claim)
        verdict = panel(page(client, claim))
        assert f'id="verdict-heading">{card.verdict}</p>' in verdict, claim.slug
        assert card.statement in verdict
        if card.certainty:
            level = {"high": "High", "moderate": "Moderate", "low": "Low", "very_low": "Very low"}
            assert f'<p class="certainty-level">{level[card.certainty]} certainty</p>' in verdict
        if card.certainty in ("low", "very_low", None):
            assert "Strong support" not in verdict, claim.slug


def awaiting_claim() -> Claim:
    """An appraised RCT in support, and a community study against, awaiting appraisal."""
    claim = make_claim(slug="awaiting")
    link(claim, make_study(doi="10.1000/counted", title="The counted trial", sample_size=60))
    link(
        claim,
        make_study(doi="10.1000/waiting", title="The waiting trial", sample_size=400),
        stance="contradicts",
        certainty="",
        appraisal_status=Evidence.Appraisal.AWAITING,
    )
    return claim


@pytest.fixture
def awaiting():
    return awaiting_claim()


def test_it_lists_a_study_awaiting_appraisal_under_its_side_and_scores_it_nothing(
    member_client, awaiting
):
    html = page(member_client, awaiting)
    card = claim_scorecard(awaiting)
    stored = Claim.objects.get(pk=awaiting.pk)
    # The page, the stored scores and the scorecard agree: the waiting trial adds nothing.
    assert (stored.pro_score, stored.against_score) == (card.pro, card.against)
    assert card.against == 0 and card.counted == 1
    assert f"Pro {card.pro} out of 100 Against 0 out of 100" in text_of(panel(html))
    contradicting = html[html.index('id="contradicting"') :]
    contradicting = contradicting[: contradicting.index("</section>")]
    assert "The waiting trial" in contradicting
    assert "awaiting appraisal" in contradicting
    assert "0.0 points" in contradicting
    assert "No contradicting evidence found" not in contradicting
    assert "1 study counted, none against; 1 awaiting appraisal." in html
    breakdown = html[html.index('id="breakdown-heading"') :]
    row = breakdown[breakdown.index("The waiting trial") :]
    row = text_of(row[: row.index("</tr>")])
    assert "awaiting appraisal" in row and "Against 0.0 — 0 none" in row


def not_counted_claim() -> Claim:
    """A claim with a counted trial, a retracted one, two publications of one trial and a
    trial pooled in a meta-analysis the claim also cites."""
    claim = make_claim(slug="not-counted")
    link(claim, make_study(doi="10.1000/plain", title="A plain trial", sample_size=30))
    link(
        claim,
        make_study(
            doi="10.1000/retracted",
            title="A retracted trial",
            retraction_status="retracted",
            retraction_notice_doi="10.1000/notice",
            retraction_date=datetime.date(2024, 3, 5),
        ),
    )
    main = make_study(
        doi="10.1000/main",
        title="The main report",
        authors="Smith, Ann; Jones, Bo",
        year=2023,
        sample_size=80,
        trial_registration="NCT01234567",
    )
    secondary = make_study(
        doi="10.1000/secondary",
        title="A secondary report",
        sample_size=40,
        trial_registration="nct01234567",
    )
    link(claim, main)
    link(claim, secondary)
    review = make_study(
        doi="10.1000/review",
        title="The meta-analysis",
        authors="Doe, Jo; Roe, Ri",
        year=2022,
        design="meta_analysis_rct",
        sample_size=600,
    )
    pooled = make_study(doi="10.1000/pooled", title="A pooled trial", sample_size=50)
    pooled.pooled_in.add(review)
    link(claim, review)
    link(claim, pooled)
    return claim


@pytest.fixture
def not_counted():
    return not_counted_claim()


def test_it_says_why_a_study_does_not_count(member_client, not_counted):
    html = page(member_client, not_counted)
    text = text_of(html)
    assert "Not counted: retracted (notice 10.1000/notice , 5 March 2024)" in text
    assert 'href="https://doi.org/10.1000/notice"' in html
    assert "Not counted: same trial as Smith et al. 2023 (NCT01234567)" in text
    assert "Not counted: pooled in Doe et al. 2022" in text
    assert 'href="/studies/10.1000/review/"' in html
    # The counts agree with what is counted.
    assert "3 studies counted, none against; 3 not counted." in text
    card = claim_scorecard(not_counted)
    assert card.counted == 3


def test_it_shows_each_studys_certainty_and_the_editors_reasons(member_client):
    claim = make_claim()
    link(
        claim,
        make_study(title="The appraised trial", sample_size=24),
        certainty="",
        risk_of_bias_judgement="some",
        risk_of_bias_domain="deviations",
        risk_of_bias=1,
        risk_of_bias_reason="Participants knew which limb trained to failure.",
        indirectness=1,
        indirectness_reason="Trained men only.",
        imprecise=True,
        imprecision_reason="The interval runs from a loss to a large gain.",
        large_effect=1,
        upgrade_reason="Twice the usual growth.",
    )
    link(
        claim,
        make_study(title="The set trial", sample_size=30),
        certainty="low",
        certainty_reason="Small, unblinded, one site.",
    )
    text = text_of(page(member_client, claim))
    assert (
        "Low certainty: a randomised controlled trial starts at high certainty, "
        "rated down two levels." in text
    )
    assert (
        "Risk of bias: some concerns, driven by Deviations from intended interventions "
        "(RoB 2, D2), a serious concern: Participants knew which limb trained to failure."
    ) in text
    assert "Serious indirectness: Trained men only." in text
    assert (
        "Its confidence interval includes both an important effect and none: "
        "The interval runs from a loss to a large gain."
    ) in text
    assert (
        "Upgrade for a large effect (not applied: only observational studies are rated up): "
        "Twice the usual growth."
    ) in text
    assert "Low certainty, set by an editor: Small, unblinded, one site." in text


def test_it_lists_studies_that_do_not_count_without_a_query_per_study(member_client):
    def claim_with(slug: str, n: int) -> Claim:
        claim = make_claim(slug=slug)
        review = make_study(doi=f"10.1000/{slug}-review", design="meta_analysis_rct")
        link(claim, review)
        for i in range(n):
            study = make_study(
                doi=f"10.1000/{slug}-{i}",
                sample_size=20 + i,
                trial_registration=f"NCT{slug.upper()}{i // 2}",
                retraction_status="retracted" if i % 5 == 0 else "none",
            )
            if i % 3 == 0:
                study.pooled_in.add(review)
            awaiting = Evidence.Appraisal.AWAITING if i % 4 == 0 else Evidence.Appraisal.APPRAISED
            link(
                claim,
                study,
                stance="contradicts" if i % 2 else "supports",
                appraisal_status=awaiting,
            )
        return claim

    counts = []
    for claim in (claim_with("few", 2), claim_with("many", 40)):
        with CaptureQueriesContext(connection) as queries:
            html = page(member_client, claim, evidence="all")
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert "awaiting appraisal" in html and "same trial as" in html and "pooled in" in html


@pytest.fixture
def published(editor):
    claim = make_claim(slug="published", summary="One study so far, none against.")
    link(claim, make_study(doi="10.1000/first", sample_size=30))
    analysis_publish(claim=claim, author=editor, summary="v1")
    return claim


def test_it_marks_the_analysis_out_of_date_once_a_study_is_appraised_after_it(
    member_client, published
):
    assert "Out of date" not in page(member_client, published)
    evidence = link(
        published,
        make_study(doi="10.1000/later", sample_size=40),
        stance="contradicts",
        appraisal_status=Evidence.Appraisal.AWAITING,
    )
    # Awaiting appraisal, it changes nothing the summary rests on.
    assert "Out of date" not in page(member_client, published)
    evidence.appraisal_status = Evidence.Appraisal.APPRAISED
    evidence.save()
    html = page(member_client, published)
    research = html[html.index('id="research-heading"') :]
    assert (
        '<p class="out-of-date" role="note"><strong>Out of date:</strong> 1 study added since '
        "this summary was written; an editor is updating it.</p>"
    ) in research
    assert "One study so far, none against." in research  # still shown, marked
    assert "2 studies counted: 1 supporting, 1 against." in research
    mechanism = html[html.index('id="mechanism-heading"') :]
    assert "<strong>Out of date (analysis v1):</strong> 1 study added since" in mechanism
    data = member_client.get(f"/claims/{published.slug}.json").json()
    assert data["analysis_out_of_date"] == {
        "added": 1,
        "no_longer_counted": 0,
        "reappraised": 0,
        "note": "1 study added since this summary was written; an editor is updating it.",
    }
    # A new version written on the new evidence is up to date again.
    analysis_publish(claim=published, summary="v2")
    assert "Out of date" not in page(member_client, published)


def test_it_carries_the_capped_verdict_and_certainty_in_claimreview_and_og(client, low):
    html = page(client, low)
    rating = jsonld(html)["reviewRating"]
    assert rating["alternateName"] == "Moderate support, low certainty"
    assert rating["ratingValue"] == 4  # as it reads: moderate, not the uncapped strong 5
    assert rating["ratingExplanation"].startswith("This may be true. Low certainty. Starts at")
    assert meta(html, "og:description").startswith(
        "Moderate support (low certainty): This may be true. X increases Y in adults."
    )
    assert meta(html, "description").startswith(
        "Moderate support (low certainty): This may be true. X makes Y go up."
    )


def test_it_gives_very_uncertain_a_label_only_rating(client):
    claim = make_claim()
    link(claim, make_study(sample_size=18), certainty="moderate")
    rating = jsonld(page(client, claim))["reviewRating"]
    assert rating["alternateName"] == "Very uncertain, very low certainty"
    assert "ratingValue" not in rating and "bestRating" not in rating


def row(study_id, stance="supports", certainty="moderate", counted=True):
    return {"study_id": study_id, "stance": stance, "certainty": certainty, "counted": counted}


def test_it_compares_two_evidence_snapshots_by_their_counted_studies():
    before = [row(1), row(2), row(3, counted=False)]
    assert basis_change(before, before) == BasisChange(0, 0, 0)
    after = [row(1, certainty="low"), row(3), row(4), row(2, counted=False)]
    assert basis_change(before, after) == BasisChange(added=2, removed=1, changed=1)
    # Snapshots recorded before "counted" existed count every row.
    assert basis_change([{"study_id": 1, "stance": "supports", "certainty": "low"}], []) == (
        BasisChange(0, 1, 0)
    )


def test_it_says_what_changed_since_the_summary_was_written():
    tail = " since this summary was written; an editor is updating it."
    assert BasisChange(1, 0, 0).sentence == "1 study added" + tail
    assert BasisChange(2, 0, 0).sentence == "2 studies added" + tail
    assert BasisChange(0, 1, 3).sentence == "1 study no longer counted and 3 re-appraised" + tail
    assert BasisChange(2, 1, 1).sentence == (
        "2 studies added, 1 no longer counted and 1 re-appraised" + tail
    )
    assert BasisChange(0, 0, 0).sentence == "The evidence has changed" + tail


def test_it_says_an_upgrade_moved_an_observational_studys_certainty(member_client):
    claim = make_claim()
    link(
        claim,
        make_study(title="The cohort", design="cohort", sample_size=2000),
        certainty="",
        risk_of_bias_judgement="low",
        large_effect=1,
        upgrade_reason="Risk halved in every subgroup.",
    )
    text = text_of(page(member_client, claim))
    assert "Moderate certainty: a cohort study starts at low certainty, rated up one level." in text
    assert "Rated up for a large effect: Risk halved in every subgroup." in text
    assert "not applied" not in text
