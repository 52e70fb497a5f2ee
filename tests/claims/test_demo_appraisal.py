"""The demo data appraised as an editor would (issue 12, item 7), and every analysis recorded as
it was published (item 6).

What the appraisals in fixtures/demo.json rest on: the four papers' abstracts. No full text,
trial registration, funding or conflict-of-interest statement was found, so those study fields
stay empty, and each reason says what the abstract does not report rather than guessing.
- Ruple et al. 2023 (10.14814/phy2.15679): parallel groups, not legs: 19 trained adults (11 men,
  8 women) randomly assigned to 0–1 RIR (n = 10) or 4–6 RIR (n = 9) for 5 weeks; blinding not
  reported. Some concerns (RoB 2).
- Refalo et al. 2024 (10.1080/02640414.2024.2321021): within-participant, legs randomised, 18
  (12 men, 6 women), 8 weeks; the RIR leg stopped at a perceived 2 / 1 RIR; regional differences
  RF −0.036 cm (−0.113 to 0.047), VL 0.033 cm (−0.046 to 0.116). Some concerns.
- Hermann et al. 2025 (10.1249/mss.0000000000003728): parallel, 42, one set per exercise to
  failure or 2 RIR, 8 weeks, volume not equated; hypertrophy "tended to favor" failure. Some
  concerns; indirect for the volume-equated claim.
- Goli et al. 2026 (10.70252/ijes2026403): design, size, population and result not confirmed,
  nobody has appraised it: awaiting appraisal, so it is listed under its side and counts for
  nothing (design §3.1).

The effects (issue 14, item 5): only Refalo et al.'s abstract gives figures (Bayesian linear
mixed-effect models): failure minus RIR, rectus femoris thickness −0.036 cm (HDI −0.113 to
0.047), vastus lateralis 0.033 cm (−0.046 to 0.116); the pre-to-post increases (0.181, 0.182 cm)
are within-arm changes, not a comparison, and are not entered. Ruple, Hermann and Goli stay
"direction only", their effect fields empty. A link holds one effect (a claim–study pair is
unique): all three Refalo links get the vastus lateralis difference. The hypertrophy claims
(rir-training…, failure-fatigue…) compare growth and no whole-quadriceps difference is reported,
so they get the difference that leaned towards failure, the one that would tell against "RIR
grows as much" and "failure adds nothing" (the rectus femoris one would suit them); the regional
claim's first prediction is failure minus RIR in the vastus lateralis (the rectus femoris figure
stays in its imprecision reason). Entered as reported: mean difference, cm, 8 weeks, n 18. The
interval is an HDI (a Bayesian credible interval), not a 95% CI: effect_reported_in says so. No
claim states a smallest important effect, so an interval including 0 reads "inconclusive" and
the derived `imprecise` is True on all three (a fixture loads raw, so it carries that value).

The versions: each claim's earlier versions are what was published under the first edition of
the scoring model (no certainty of the body of evidence, no risk-of-bias judgement; the seeds
show "Strong support", 66 Pro / 0 Against); each claim's version published 2026-12-01 is the
re-appraisal under the second edition. Where entering the effects changed a claim's counted
evidence (its Refalo link now imprecise: rir-training…, failure-fatigue…), a version published
2026-12-02 records it from the live scorecard, with the same summary and copies of the
re-appraisal's mechanisms (the page shows the latest version's); scores, verdict and certainty
are unchanged (already rated down two levels for imprecision on the participant count).

Re-recording: when an appraisal or the scoring model changes a claim's counted evidence, add a
new analysis version (never rewrite a published one; copy the previous version's mechanisms)
and record it and the claim's stored fields from the live scorecard, or
test_it_records_the_current_analysis_on_the_live_scorecard fails (and load_demo warns).
Load the fixture, then for each claim take `evidence = approved_evidence([claim.pk])`,
`card = claim_scorecard(claim, evidence)`, `rows = snapshot_rows(card, evidence)`: the latest
analysis gets pro, against, verdict, certainty, certainty_reasons, evidence_snapshot = rows and
basis_digest(rows); the claim gets pro_score, against_score, verdict, fragile, certainty and
the same basis_digest. Earlier versions keep what they were published on (their digest is
basis_digest of their own rows).
"""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

import scoring
from claims.models import Analysis, Claim, Evidence
from claims.services import (
    BASIS_FIELDS,
    approved_evidence,
    basis_digest,
    claim_scorecard,
    evidence_snapshot,
    scoring_items,
)
from tests.factories import link, make_study, stored_and_live
from tests.scoring.demo_items import DEMO_CLAIMS

pytestmark = pytest.mark.django_db

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "demo.json"
SNAPSHOT_KEYS = {*BASIS_FIELDS, "doi", "title", "counted", "not_counted"}
QUADRICEPS = "quadriceps-regional-hypertrophy-failure-vs-rir"
MECHANISTIC = "failure-fatigue-adds-no-hypertrophy"
GOLI = "10.70252/ijes2026403"
SECOND_EDITION = "Re-appraised under the second edition of the scoring model."
REFALO = "10.1080/02640414.2024.2321021"
EFFECTS_ENTERED = (
    "Effect sizes entered from the Refalo 2024 abstract; imprecision now derived from the interval."
)
# The claims whose counted evidence the effects changed: their Refalo link is now imprecise.
EFFECT_VERSIONS = {"rir-training-matches-failure-volume-and-growth", MECHANISTIC}


def versions_by_edition(claim):
    """(the first edition's versions, the 2026-12-01 re-appraisal, the versions after it)."""
    analyses = list(Analysis.objects.filter(claim=claim).order_by("version"))
    [re_appraisal] = [a for a in analyses if a.published_at.date().isoformat() == "2026-12-01"]
    earlier = [a for a in analyses if a.version < re_appraisal.version]
    return earlier, re_appraisal, [a for a in analyses if a.version > re_appraisal.version]


@pytest.fixture
def loaded(db):
    """The demo as `make run` loads it."""
    out = StringIO()
    call_command("load_demo", stdout=out, stderr=out)
    return Claim.objects.order_by("pk")


def test_it_reads_no_demo_claim_as_strong_support(loaded):
    """The defect: every demo claim read "Strong support" on one trial of 18–42 people."""
    assert loaded.count() == 5
    for claim in loaded:
        card = claim_scorecard(claim)
        assert claim.verdict != scoring.STRONG_SUPPORT, claim.slug
        assert card.verdict != scoring.STRONG_SUPPORT, claim.slug
        assert claim.certainty in ("low", "very_low"), claim.slug
        assert card.certainty_reasons, claim.slug


def test_it_gives_every_judgement_that_moves_certainty_its_reason(loaded):
    """The defect: "moderate" certainty set on each link with no reason recorded."""
    evidence = list(Evidence.objects.select_related("claim", "study").order_by("pk"))
    assert len(evidence) == 7
    for link_ in evidence:
        link_.full_clean()  # Evidence.clean() refuses a judgement without its reason
        assert link_.judgements_without_reason() == [], link_.pk
        awaiting = link_.study.doi == GOLI  # nobody has appraised it (see the docstring)
        assert link_.is_awaiting_appraisal == awaiting, link_.pk
        assert not link_.certainty, "derived from the design and the concerns, not typed"
        if link_.risk_of_bias_judgement in (Evidence.RiskOfBias.SOME, Evidence.RiskOfBias.HIGH):
            assert link_.risk_of_bias_domain, "the RoB 2 domain that drove the judgement"
    judgements = {(e.study.doi, e.risk_of_bias_judgement, e.risk_of_bias) for e in evidence}
    assert judgements == {
        ("10.14814/phy2.15679", "some", 1),
        ("10.1080/02640414.2024.2321021", "some", 1),
        ("10.1249/mss.0000000000003728", "some", 1),
        (GOLI, "not_assessed", 0),  # not confirmed: nothing invented
    }


def test_it_counts_nothing_nobody_has_appraised(loaded, client):
    """The defect: Goli et al. 2026 counted (16.8 points) though its design was not confirmed
    and its size, population and result were unknown."""
    claim = loaded.get(slug=MECHANISTIC)
    goli = Evidence.objects.get(study__doi=GOLI)
    assert goli.appraisal_status == Evidence.Appraisal.AWAITING
    assert "listed as supporting on the source page" in goli.finding
    card = claim_scorecard(claim)
    assert goli.pk not in {c.key for c in card.contributions}
    assert (card.pro, card.participants) == (71, 60)  # Refalo 18 + Hermann 42, without Goli
    assert all(row["study_id"] != goli.study_id for row in evidence_snapshot(claim))
    html = client.get(claim.get_absolute_url()).content.decode()
    assert "awaiting appraisal" in html
    # No text the reader sees cites it as showing equal growth without saying it awaits
    # appraisal: the summary, "how it works" and the mechanism.
    current = Analysis.objects.for_claim(claim).first()
    texts = [claim.summary, claim.explanation, current.summary] + [
        m.simple_summary for m in current.mechanisms.all()
    ]
    for text in texts:
        if GOLI in text or "calf-raise" in text or "Goli" in text:
            assert "awaiting appraisal" in text, text


def test_it_marks_the_indirect_and_the_imprecise_findings_with_reasons(loaded):
    hermann = Evidence.objects.get(study__doi="10.1249/mss.0000000000003728")
    assert (hermann.indirectness, hermann.imprecise, hermann.strength) == (1, True, "partial")
    assert "volume" in hermann.indirectness_reason
    regional = Evidence.objects.get(claim__slug=QUADRICEPS)
    assert (regional.imprecise, regional.strength) == (True, "partial")
    assert "could not rule out no difference" in regional.imprecision_reason
    # Refalo et al.'s links carry its interval, which includes no difference: their flag is
    # derived from it (its reason); Ruple et al. report no interval and are not marked.
    refalo = list(Evidence.objects.filter(study__doi=REFALO))
    assert len(refalo) == 3 and all(e.imprecise and e.imprecise_derived for e in refalo)
    assert set(Evidence.objects.filter(imprecise=True)) == {hermann, *refalo}


def test_it_keeps_the_quadriceps_summary_and_verdict_in_agreement(loaded):
    """The defect: "Strong support" right above "the study could not rule out no difference"."""
    claim = loaded.get(slug=QUADRICEPS)
    assert "could not rule out no difference" in claim.summary
    card = claim_scorecard(claim)
    assert card.verdict not in (scoring.STRONG_SUPPORT, scoring.MODERATE_SUPPORT)
    assert card.statement == "We are very uncertain whether this is true."


def test_it_stores_the_live_scorecard(loaded):
    for claim in loaded:
        stored, live = stored_and_live(claim)
        assert stored == live, claim.slug
        assert claim.basis_digest == basis_digest(evidence_snapshot(claim)), claim.slug


def test_the_fixture_file_states_the_scores_it_will_be_given(loaded):
    """The receivers rescore on load anyway; the file should not say otherwise."""
    rows = json.loads(FIXTURE.read_text())
    in_file = {row["pk"]: row["fields"] for row in rows if row["model"] == "claims.claim"}
    names = ("pro_score", "against_score", "verdict", "fragile", "certainty", "basis_digest")
    for claim in loaded:
        assert {name: in_file[claim.pk][name] for name in names} == {
            name: getattr(claim, name) for name in names
        }, claim.slug


def test_it_records_every_analysis_on_its_own_snapshot(loaded):
    """The defect: the demo's analyses stored no published scores, so History showed live
    scores under old dates."""
    analyses = list(Analysis.objects.order_by("pk"))
    # 6 published under the first edition, 5 re-appraisals, 2 recording the entered effects
    assert len(analyses) == 13
    for analysis in analyses:
        assert analysis.is_frozen, analysis
        assert analysis.verdict in scoring.VERDICTS
        assert analysis.evidence_snapshot, analysis
        for row in analysis.evidence_snapshot:
            assert set(row) == SNAPSHOT_KEYS, analysis
        assert analysis.basis_digest == basis_digest(analysis.evidence_snapshot), analysis


def test_it_records_the_current_analysis_on_the_live_scorecard(loaded):
    from claims.management.commands.load_demo import out_of_date

    for claim in loaded:
        current = Analysis.objects.for_claim(claim).first()
        card = claim_scorecard(claim)
        recorded = (
            current.pro,
            current.against,
            current.verdict,
            current.certainty,
            current.certainty_reasons,
            current.evidence_snapshot,
        )
        live = (
            card.pro,
            card.against,
            card.verdict,
            card.certainty or "",
            list(card.certainty_reasons),
            evidence_snapshot(claim),
        )
        assert recorded == live, f"{claim.slug}: re-record the fixture (see the docstring)"
        assert current.basis_digest == claim.basis_digest, f"{claim.slug} v{current.version}"
    assert list(out_of_date(Claim.objects.all())) == []


def test_it_keeps_the_quadriceps_v1_as_it_was_published(loaded):
    claim = loaded.get(slug=QUADRICEPS)
    v3, v2, v1 = Analysis.objects.for_claim(claim)
    assert (v1.version, v2.version, v3.version) == (1, 2, 3)
    # Published on the abstract's appraisal (the trial at low certainty); the certainty of
    # the body of evidence was not recorded then, so it stays empty rather than invented.
    assert (v1.pro, v1.against, v1.verdict, v1.certainty, v1.certainty_reasons) == (
        44,
        0,
        "Moderate support",
        "",
        [],
    )
    [row] = v1.evidence_snapshot
    assert (row["study_id"], row["certainty"], row["points"], row["counted"]) == (
        2,
        "low",
        23.3,
        True,
    )
    assert v1.basis_digest != claim.basis_digest, "written on other evidence than today's"
    # v2 as published (seed 004: "Strong Support", Analysis v2, 66 Pro / 0 Against), the trial
    # re-appraised from the full text at moderate certainty, its finding then recorded clear.
    assert (v2.pro, v2.against, v2.verdict, v2.certainty) == (66, 0, "Strong support", "")
    [row] = v2.evidence_snapshot
    assert (row["certainty"], row["points"], row["strength"]) == ("moderate", 43.4, "clear")
    assert (v3.pro, v3.against, v3.verdict, v3.certainty) == (42, 0, "Very uncertain", "very_low")
    [row] = v3.evidence_snapshot
    assert (row["points"], row["strength"], row["imprecise"]) == (21.7, "partial", True)


# What the first edition of the scoring model published for each claim (seeds 000–004; the
# first edition's code, 1e3c032:scoring/): its verdicts, no certainty of the body of evidence.
FIRST_EDITION = {
    "near-failure-training-motor-unit-firing-rate": [(66, 0, "Strong support")],
    "near-failure-training-vastus-lateralis-csa": [(66, 0, "Strong support")],
    "rir-training-matches-failure-volume-and-growth": [(66, 0, "Strong support")],
    MECHANISTIC: [(77, 0, "Strong support")],
    QUADRICEPS: [(44, 0, "Moderate support"), (66, 0, "Strong support")],
}


def test_it_records_every_earlier_version_as_the_first_edition_published_it(loaded):
    """The defect: the demo's first versions stored second-edition results ("Very uncertain",
    a label that did not exist then) as what was published."""
    designs = dict(Evidence.objects.values_list("study_id", "study__design"))
    sizes = dict(Evidence.objects.values_list("study_id", "study__sample_size"))
    for claim in loaded:
        earlier, _, _ = versions_by_edition(claim)
        published = [(a.pro, a.against, a.verdict) for a in earlier]
        assert published == FIRST_EDITION[claim.slug], claim.slug
        for analysis in earlier:
            assert (analysis.certainty, analysis.certainty_reasons) == ("", []), analysis
            assert analysis.basis_digest == basis_digest(analysis.evidence_snapshot)
            assert analysis.basis_digest != claim.basis_digest, analysis
            assert not analysis.mechanisms.exists(), "the page shows the latest version's"
            points = []
            for row in analysis.evidence_snapshot:
                # The first edition typed each certainty and judged no bias: not assessed.
                assert (row["risk_of_bias"], row["indirectness"], row["imprecise"]) == (
                    "not_assessed",
                    0,
                    False,
                ), analysis
                item = {"stance": row["stance"], "design": designs[row["study_id"]],
                        "certainty": row["certainty"], "sample_size": sizes[row["study_id"]],
                        "strength": row["strength"]}  # fmt: skip
                # Its points formula is the second edition's (§3.2 changed only upgrades).
                assert row["points"] == round(scoring.points(item, claim.claim_type), 1)
                points.append(row["points"])
            assert analysis.pro == scoring.side_score(points), analysis
            # Its verdict rules without the certainty cap: the first edition had none.
            assert analysis.verdict == scoring.verdict_for(analysis.pro, analysis.against, "high")


def test_each_claim_has_the_second_edition_re_appraisal(loaded, client):
    for claim in loaded:
        earlier, re_appraisal, later = versions_by_edition(claim)
        assert re_appraisal.version == len(earlier) + 1
        assert re_appraisal.change_note.startswith(SECOND_EDITION), claim.slug
        for words in ("risk of bias", "certainty of the body of evidence", "capped"):
            assert words in re_appraisal.change_note, (claim.slug, words)
        # It names the verdict it moved from and to, as recorded.
        assert re_appraisal.verdict in re_appraisal.change_note
        assert earlier[-1].verdict in re_appraisal.change_note
        assert re_appraisal.author is None  # the site's editors
        kinds = set(re_appraisal.mechanisms.values_list("kind", flat=True))
        assert kinds == {"most_probable", "alternative"}, claim.slug
        latest = later[-1] if later else re_appraisal
        assert latest.summary == claim.summary
        html = client.get(claim.get_absolute_url()).content.decode()
        assert f"Analysis v{latest.version}" in html


def test_load_demo_says_every_analysis_is_up_to_date(db):
    out, err = StringIO(), StringIO()
    call_command("load_demo", stdout=out, stderr=err)
    assert out.getvalue().strip() == "Loaded the demo: 5 claims, scored; every analysis up to date."
    assert err.getvalue() == ""


def test_load_demo_names_an_analysis_the_evidence_has_moved_past(db):
    call_command("load_demo", stdout=StringIO())
    claim = Claim.objects.get(slug="near-failure-training-motor-unit-firing-rate")
    link(claim, make_study(doi="10.1234/added-since", sample_size=30), certainty="")
    out, err = StringIO(), StringIO()
    call_command("load_demo", "--force", stdout=out, stderr=err)  # the added link stays
    assert "1 analysis(es) out of date" in out.getvalue()
    assert err.getvalue().startswith(f"Out of date: {claim.slug} (analysis v2 was recorded")
    stored, live = stored_and_live(claim)
    assert stored == live


def test_the_fixture_gives_the_scorecards_of_the_scoring_worked_examples(loaded):
    """tests/scoring/demo_items.py holds the five claims as plain scoring items; the fixture,
    appraised link by link, must reach the same verdict and certainty.

    Known differences, none of which moves a verdict or a certainty: demo_items downgrades
    Hermann et al. once (indirectness) where the fixture also counts its risk of bias; it
    scores Goli et al. 2026, which the fixture leaves awaiting appraisal (Pro 77 there, 71
    here); it marks every RCT imprecise where the fixture does so only where the paper shows
    it (the participant count rates imprecision down two levels anyway); its claim types
    differ where they do not change a start level.
    """
    claims = list(loaded)
    assert len(claims) == len(DEMO_CLAIMS)
    goli = Evidence.objects.get(study__doi=GOLI).study
    for claim, (name, claim_type, items) in zip(claims, DEMO_CLAIMS, strict=True):
        evidence = list(approved_evidence([claim.pk]))
        fixture_items = scoring_items(evidence)
        studies = [(i["stance"], i["design"], i["sample_size"]) for i in fixture_items]
        awaiting = [(e.stance, goli.design, goli.sample_size) for e in evidence
                    if e.is_awaiting_appraisal]  # fmt: skip
        theirs_studies = [(i["stance"], i["design"], i["sample_size"]) for i in items]
        for study in awaiting:
            theirs_studies.remove(study)
        assert studies == theirs_studies, name
        ours = claim_scorecard(claim, evidence)
        theirs = scoring.score(list(items), claim_type=claim_type)
        assert (ours.verdict, ours.certainty) == (theirs.verdict, theirs.certainty), name
