"""The claim page as it reads since "Honest verdicts" (issue 12): the verdict panel with its
certainty, studies that do not count or await appraisal, and the analysis marked out of date."""

import datetime
import json
import re
from html import escape, unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.basis import BasisChange, basis_change
from claims.models import Claim, Evidence
from claims.services import analysis_publish, claim_scorecard
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db

BODY_ONLY = "affects the certainty of the whole body of evidence, not this study's points"


def text_of(html: str) -> str:
    """The page's text, tags dropped, entities decoded and whitespace collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


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
    assert '<h2 class="verdict-label" id="verdict-heading">Moderate support</h2>' in verdict
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
    assert "Strong support" not in above_the_legend(html)


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
        assert "Strong support" not in above_the_legend(html)
        assert card.verdict in panel(html)
    data = client.get(f"/claims/{claim.slug}.json").json()
    assert data["verdict"] == card.verdict != "Strong support"


def test_it_shows_every_demo_claim_with_its_live_verdict_and_certainty(client, demo):
    for claim in demo:
        card = claim_scorecard(claim)
        verdict = panel(page(client, claim))
        assert f'id="verdict-heading">{card.verdict}</h2>' in verdict, claim.slug
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
    assert "<dt>Points</dt><dd>0.0</dd>" in contradicting
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
    assert 'href="/studies/10.1000/review"' in html  # Study.link_url
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
    # The levels it is rated down are named, so they match the judgements listed under it.
    assert (
        "Low certainty: a randomised controlled trial starts at high certainty, "
        "rated down two levels for risk of bias and indirectness." in text
    )
    # The RoB 2 judgement is said as RoB 2 says it; the GRADE concern is the level above.
    assert (
        "Risk of bias (RoB 2): some concerns, driven by deviations from intended interventions "
        "(D2) — Participants knew which limb trained to failure."
    ) in text
    assert "a serious concern" not in text
    assert "Serious indirectness: Trained men only." in text
    # The flag moves the body of evidence only, and says so beside it; set by hand, with no
    # interval recorded, it does not claim to have read one.
    assert (
        "Imprecise as the editor judged it, with no interval recorded here "
        f"({BODY_ONLY}): The interval runs from a loss to a large gain."
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
    # One description, in the wording the page shows (issue 18: og's was scientific).
    assert meta(html, "og:description").startswith(
        "Moderate support (low certainty): This may be true. X makes Y go up."
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


def reasons_of(client, claim) -> list[list[str]]:
    return [
        entry["reasons"] for entry in client.get(f"/claims/{claim.slug}.json").json()["evidence"]
    ]


def test_it_does_not_repeat_the_label_the_editors_reason_already_starts_with(client):
    """The demo's reasons begin "Some concerns (RoB 2).", "Not assessed:", "Indirect for this
    claim:": the page said each twice ("…a serious concern: Some concerns (RoB 2). Each…")."""
    claim = make_claim()
    link(
        claim,
        make_study(doi="10.1000/legs", title="Legs", sample_size=18),
        certainty="",
        risk_of_bias_judgement="some",
        risk_of_bias_domain="measurement",
        risk_of_bias=1,
        risk_of_bias_reason="Some concerns (RoB 2). Each person's legs were randomised.",
        indirectness=1,
        indirectness_reason="Indirect for this claim: volume was not equated.",
    )
    link(
        claim,
        make_study(doi="10.1000/unsure", title="Unsure", design="non_randomised_trial"),
        certainty="",
        risk_of_bias_reason="Not assessed: the paper's design could not be confirmed.",
    )
    legs, unsure = reasons_of(client, claim)
    assert legs == [
        "Low certainty: a randomised controlled trial starts at high certainty, "
        "rated down two levels for risk of bias and indirectness.",
        "Risk of bias (RoB 2): some concerns, driven by measurement of the outcome (D4) — "
        "Each person's legs were randomised.",
        "Serious indirectness: Volume was not equated.",
    ]
    assert unsure == [
        "Low certainty: a non-randomised trial starts at low certainty.",
        f"Risk of bias not yet assessed, counted as some concerns ({BODY_ONLY}) — "
        "The paper's design could not be confirmed.",
    ]


def test_it_says_each_label_once_in_the_demos_reasons(client, demo):
    for claim in demo:
        for reasons in reasons_of(client, claim):
            for reason in reasons:
                lowered = reason.lower()
                assert lowered.count("some concerns") <= 1, reason
                assert "serious concern" not in lowered, reason
                assert "indirect for this claim" not in lowered, reason
                assert "not assessed:" not in lowered, reason
                assert "of rcts" not in lowered or "of RCTs" in reason, reason


def test_it_keeps_the_acronym_in_a_designs_name(client):
    claim = make_claim()
    link(
        claim,
        make_study(design="meta_analysis_rct", sample_size=600),
        certainty="",
        risk_of_bias_judgement="low",
    )
    [reasons] = reasons_of(client, claim)
    assert reasons[0] == "High certainty: a meta-analysis of RCTs starts at high certainty."
    assert reasons[1] == "Risk of bias: low."


def test_it_says_which_judgements_do_not_move_the_studys_own_certainty(client):
    claim = make_claim()
    link(
        claim,
        make_study(doi="10.1000/flagged", sample_size=100),
        certainty="",
        risk_of_bias_judgement="some",  # RoB 2 says some concerns; GRADE rates down nothing
        risk_of_bias_reason="Outcome assessors were not blinded.",
        imprecision=1,
        imprecise=True,
        imprecision_reason="The interval runs from a small loss to a large gain.",
    )
    link(
        claim,
        make_study(doi="10.1000/set-by-hand", sample_size=100),
        certainty="low",
        certainty_reason="Set from the review's GRADE table.",
        risk_of_bias_judgement="low",
        inconsistency=1,
        inconsistency_reason="Two sites disagree.",
        indirectness=1,
        indirectness_reason="Older adults only.",
    )
    flagged, set_by_hand = reasons_of(client, claim)
    assert flagged == [
        "Moderate certainty: a randomised controlled trial starts at high certainty, "
        "rated down one level for imprecision.",
        f"Risk of bias: some concerns ({BODY_ONLY}) — Outcome assessors were not blinded.",
        "Serious imprecision: The interval runs from a small loss to a large gain.",
        f"Imprecise as the editor judged it, with no interval recorded here ({BODY_ONLY}).",
    ]
    assert set_by_hand == [
        "Low certainty, set by an editor: Set from the review's GRADE table.",
        "Risk of bias: low.",
        "Serious inconsistency (not applied: a certainty set directly is used as it is): "
        "Two sites disagree.",
        f"Serious indirectness ({BODY_ONLY}): Older adults only.",
    ]


def test_it_says_how_many_levels_each_concern_took_when_they_differ(client):
    claim = make_claim()
    link(
        claim,
        make_study(sample_size=100),
        certainty="",
        risk_of_bias_judgement="high",
        risk_of_bias=2,
        risk_of_bias_reason="Allocation by day of the week.",
        publication_bias=1,
        publication_bias_reason="Funded by the maker; no registration.",
    )
    [reasons] = reasons_of(client, claim)
    assert reasons == [
        "Very low certainty: a randomised controlled trial starts at high certainty, "
        "rated down three levels (two for risk of bias, one for publication bias).",
        "Risk of bias: high — Allocation by day of the week.",
        "Serious publication bias: Funded by the maker; no registration.",
    ]


def test_it_shows_the_claims_publication_bias_reason_under_the_certainty_reasons(client):
    claim = make_claim(
        publication_bias=True,
        publication_bias_reason="Only small positive trials were ever published.",
    )
    link(claim, make_study(sample_size=100), certainty="", risk_of_bias_judgement="low")
    verdict = panel(page(client, claim))
    note = (
        '<p class="publication-bias-note">Publication bias suspected: '
        "Only small positive trials were ever published.</p>"
    )
    assert note in verdict
    reasons = verdict[verdict.index('class="certainty-reasons"') :]
    assert reasons.index("</ul>") < reasons.index(note)
    # Not flagged: not shown, even with a reason left over from an earlier edit.
    Claim.objects.filter(pk=claim.pk).update(publication_bias=False)
    claim.refresh_from_db()
    claim.save()
    assert "Publication bias suspected" not in page(client, claim)


def test_it_names_the_points_and_the_share_of_the_weighted_total_as_they_are(member_client):
    """The list said "Weight 16.8 points" of a study's points, and the breakdown's share column
    "Share of its side's points" of weight / E, a share of the side's weighted total."""
    claim = make_claim()
    first = link(claim, make_study(doi="10.1000/big", sample_size=100), certainty="high")
    second = link(claim, make_study(doi="10.1000/small", sample_size=20), certainty="low")
    card = claim_scorecard(claim)
    by_key = {c.key: c for c in card.contributions}
    small = by_key[second.pk]
    assert small.weight < small.points  # the second study counts half
    html = page(member_client, claim)
    supporting = html[html.index('id="supporting"') :]
    assert f"<dt>Points</dt><dd>{small.points:.1f}</dd>" in supporting
    assert "<dt>Weight</dt>" not in html
    breakdown = html[html.index('id="breakdown-heading"') :]
    assert '<th scope="col">Share of its side\'s weighted total</th>' in breakdown
    assert "Share of its side's points" not in breakdown
    for evidence in (first, second):
        share = round(100 * by_key[evidence.pk].share)
        assert f'<td data-label="Share of side">{share}% of Pro\'s weighted total</td>' in breakdown
    effective = card.pro_effective
    assert f"Pro: weighted total {effective:.1f} → score {card.pro}" in text_of(breakdown)


def test_a_flag_derived_from_a_recorded_interval_says_what_the_interval_shows(client):
    """Review: the reason claimed a confidence interval even when none was recorded; with one
    recorded (the flag derived from it) it says what that interval includes."""
    claim = make_claim(important_effect=1.0, important_effect_measure="md")
    link(
        claim,
        make_study(doi="10.1000/wide", title="Wide", sample_size=40),
        effect_measure="md",
        effect_estimate=0.5,
        effect_ci_lower=-1.0,
        effect_ci_upper=2.0,
    )
    (reasons,) = reasons_of(client, claim)
    assert f"Its 95% CI is compatible with both an important effect and none ({BODY_ONLY})." in (
        reasons
    )


def test_without_a_threshold_the_flag_says_the_interval_includes_no_effect(client):
    """Review: the card said "includes both an important effect and none" beside a question
    with no smallest important effect, where the plot says "includes no effect"; and it named
    an HDI a "95% interval"."""
    claim = make_claim()
    link(
        claim,
        make_study(doi="10.1000/hdi", title="HDI", sample_size=40),
        effect_measure="md",
        effect_estimate=0.03,
        effect_ci_lower=-0.05,
        effect_ci_upper=0.12,
        effect_ci_kind="hdi",
    )
    (reasons,) = reasons_of(client, claim)
    assert (
        "Its 95% HDI includes no effect (no smallest important effect is set for this claim) "
        f"({BODY_ONLY})."
    ) in reasons


def above_the_legend(html: str) -> str:
    """The page above the legend of the verdict scale, which names every verdict on purpose."""
    return html.split('<details class="legend"')[0]
