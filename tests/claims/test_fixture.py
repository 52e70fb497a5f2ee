import pytest
from django.core.management import call_command

from claims.models import Analysis, Claim, Evidence, IdealStudy, Mechanism
from studies.models import Study
from tests.claims.test_demo_appraisal import (
    EFFECT_VERSIONS,
    EFFECTS_ENTERED,
    REFALO,
    versions_by_edition,
)

pytestmark = pytest.mark.django_db


def test_it_loads_five_published_claims_with_their_parts(demo):
    assert Claim.objects.published().count() == 5
    for claim in Claim.objects.all():
        assert claim.statement and claim.plain_statement and claim.summary
        assert claim.evidence.exists()
        assert 3 <= claim.ideal_studies.count() <= 5
        current = Analysis.objects.for_claim(claim).first()
        assert current.mechanisms.filter(kind="most_probable").exists()
        assert current.mechanisms.filter(kind="alternative").exists()


def test_it_shares_one_study_between_the_two_five_week_claims(demo):
    ruple = Study.objects.get(doi="10.14814/phy2.15679")
    assert set(ruple.evidence.values_list("claim__slug", flat=True)) == {
        "near-failure-training-motor-unit-firing-rate",
        "near-failure-training-vastus-lateralis-csa",
    }
    assert ruple.title.startswith("The effects of resistance training to near failure")
    assert "(" not in ruple.title, "the real title, not a description"
    assert ruple.short_citation == "Ruple et al. 2023"
    assert (ruple.journal, ruple.design, ruple.sample_size, ruple.duration_weeks) == (
        "Physiological Reports",
        "rct",
        19,
        5,
    )
    assert ruple.authors.count(";") == 15, "16 authors"


def test_it_gives_every_demo_study_its_authors_and_a_doi(demo):
    for study in Study.objects.all():
        assert study.doi and study.authors and study.year, study
    hermann = Study.objects.get(doi="10.1249/mss.0000000000003728")
    assert hermann.authors.startswith("Hermann, Thomas; Mohan, Adam E.;")
    assert hermann.authors.endswith("Swinton, Paul A.; Schoenfeld, Brad J.")


def test_it_marks_the_design_of_the_calf_raise_study_as_not_confirmed(demo):
    unconfirmed = Study.objects.filter(design_confirmed=False)
    assert list(unconfirmed.values_list("doi", "sample_size", "duration_weeks")) == [
        ("10.70252/ijes2026403", None, 10)
    ]
    finding = Evidence.objects.get(study__doi="10.70252/ijes2026403").finding
    assert "not confirmed" in finding


def test_it_counts_every_study_the_seed_cites_in_the_synthesis(demo):
    claim = Claim.objects.get(slug="failure-fatigue-adds-no-hypertrophy")
    analysis = Analysis.objects.for_claim(claim).with_mechanisms().first()
    assert analysis.cited_study_count == 3  # seed 003: Refalo 2024, Hermann 2025, IJES 2026


# Hand check of the first row, from design.md §3 (second edition): one approved RCT of 19
# (Ruple et al. 2023), appraised "some concerns" with one GRADE level down for risk of bias, so
# its own certainty derives to moderate: C = 0.65, T = 0.90, N = 0.5 + 0.5 × log10(19) /
# log10(400) = 0.7457, d = 1: s = 100 × 0.65 × 0.90 × 0.7457 = 43.63, so Pro = round(100 ×
# (1 − e^(−43.63/40))) = round(66.4) = 66, Against 0. The body of evidence starts high
# (randomised), loses one level for risk of bias and two for imprecision (19 participants,
# fewer than 100): very low, so the verdict is "Very uncertain" (§3.4 rule 2), not "Strong
# support". Adding the reference strong study (79.59 points) against gives Against 86 ≥ 66, so
# the lead is fragile.
# The mechanistic claim: Refalo 43.36 + Hermann (RCT of 42, risk of bias and indirectness:
# low, partial: 100 × 0.35 × 0.90 × 0.8119 × 0.5 = 12.79) / 2 = 49.75 → round(100 × (1 −
# e^(−49.75/40))) = 71; the calf-raise study (Goli et al. 2026) is awaiting appraisal and
# scores nothing (it scored 16.8 before: 75). The quadriceps claim: Refalo as a partial
# finding, 43.36 / 2 = 21.68 → 42.
FRAGILE_SUPPORT = (
    "Supports is higher. Support is ahead, but a single strong opposing study can change this."
)
VERY_UNCERTAIN = ("Very uncertain", "very_low")
DEMO_SCORES = {
    "near-failure-training-motor-unit-firing-rate": (66, 0, *VERY_UNCERTAIN, FRAGILE_SUPPORT),
    "near-failure-training-vastus-lateralis-csa": (66, 0, *VERY_UNCERTAIN, FRAGILE_SUPPORT),
    "rir-training-matches-failure-volume-and-growth": (66, 0, *VERY_UNCERTAIN, FRAGILE_SUPPORT),
    "failure-fatigue-adds-no-hypertrophy": (71, 0, *VERY_UNCERTAIN, FRAGILE_SUPPORT),
    "quadriceps-regional-hypertrophy-failure-vs-rir": (42, 0, *VERY_UNCERTAIN, FRAGILE_SUPPORT),
}


def test_it_scores_each_demo_claim_as_pinned(db):
    from io import StringIO

    from claims.services import claim_scorecard

    call_command("load_demo", stdout=StringIO())  # loads and rescores, as `make run` does
    stored, live = {}, {}
    for claim in Claim.objects.all():
        stored[claim.slug] = (claim.pro_score, claim.against_score, claim.verdict, claim.certainty)
        card = claim_scorecard(claim)
        live[claim.slug] = (card.pro, card.against, card.verdict, card.certainty, card.caption)
    assert live == DEMO_SCORES
    assert stored == {slug: pinned[:4] for slug, pinned in DEMO_SCORES.items()}


def test_it_reloads_without_duplicating(demo):
    counts = [m.objects.count() for m in (Claim, Study, Evidence, Mechanism, IdealStudy)]
    call_command("loaddata", "demo", verbosity=0)
    assert [m.objects.count() for m in (Claim, Study, Evidence, Mechanism, IdealStudy)] == counts


def test_it_keeps_every_published_version_and_adds_the_re_appraisal(demo):
    """v1 of each claim and v2 of the regional claim as published, then one re-appraisal
    under the second edition of the scoring model each (tests/claims/test_demo_appraisal.py),
    then a version recording the entered effects where they changed the counted evidence."""
    latest = {}
    for slug, version in Analysis.objects.values_list("claim__slug", "version"):
        latest[slug] = max(version, latest.get(slug, 0))
    assert latest == {
        "near-failure-training-motor-unit-firing-rate": 2,
        "near-failure-training-vastus-lateralis-csa": 2,
        "rir-training-matches-failure-volume-and-growth": 3,
        "failure-fatigue-adds-no-hypertrophy": 3,
        "quadriceps-regional-hypertrophy-failure-vs-rir": 3,
    }


def _mechanisms(analysis):
    """Each mechanism with its steps and their citations, as the page shows them."""
    return [
        (
            m.kind,
            m.rank,
            m.simple_summary,
            m.scientific_summary,
            [
                (step.order, step.text, sorted(step.citations.values_list("pk", flat=True)))
                for step in m.steps.order_by("order")
            ],
        )
        for m in analysis.mechanisms.order_by("pk")
    ]


def test_it_records_the_entered_effects_in_a_new_version(demo):
    """The effects made the Refalo link imprecise: a new version where that changed the counted
    evidence; the 2026-12-01 re-appraisals stay as published (Refalo not imprecise there)."""
    for claim in demo.exclude(evidence__study__doi=REFALO):
        assert versions_by_edition(claim)[2] == [], claim.slug
    refalo = Study.objects.get(doi=REFALO).pk
    for claim in demo.filter(evidence__study__doi=REFALO):
        _, re_appraisal, later = versions_by_edition(claim)
        was = {row["study_id"]: row["imprecise"] for row in re_appraisal.evidence_snapshot}
        if claim.slug not in EFFECT_VERSIONS:  # the regional claim: already imprecise
            assert (later, was[refalo], re_appraisal.basis_digest) == ([], True, claim.basis_digest)
            continue
        [effects] = later
        assert (was[refalo], re_appraisal.basis_digest != claim.basis_digest) == (False, True)
        assert effects.change_note.startswith(EFFECTS_ENTERED), claim.slug
        assert f"Pro {effects.pro}, the verdict ({effects.verdict})" in effects.change_note
        assert effects.published_at.date().isoformat() == "2026-12-02"
        assert (effects.author, effects.summary) == (None, re_appraisal.summary)
        assert _mechanisms(effects) == _mechanisms(re_appraisal) != []  # copies, not moved
        assert not set(effects.mechanisms.all()) & set(re_appraisal.mechanisms.all())


def test_it_loads_the_demo_once_and_keeps_editors_changes(db):
    from io import StringIO

    call_command("load_demo", stdout=StringIO())
    claim = Claim.objects.first()
    assert claim.pro_score > 0
    claim.plain_statement = "Edited by an editor"
    claim.save()
    out = StringIO()
    call_command("load_demo", stdout=out)
    claim.refresh_from_db()
    assert claim.plain_statement == "Edited by an editor"
    assert "not loaded" in out.getvalue()
