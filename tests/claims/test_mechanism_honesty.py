"""Mechanism honesty (issue 18): a step names whether a study measured it directly or the step is
inferred from the study, and only direct measurements raise the step's evidence level, on the
page, in the JSON and in the API; the demo marks its steps as seed 002 words them."""

import re

import pytest
from django.urls import reverse

from claims.models import Analysis, Claim, Mechanism, MechanismStep
from claims.services import analysis_publish, claim_rescore
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db

REFALO = "10.1080/02640414.2024.2321021"
SEED_002 = "rir-training-matches-failure-volume-and-growth"


@pytest.fixture
def claim():
    claim = make_claim()
    refalo = make_study(
        doi="10.1000/refalo", authors="Refalo, M. C.; Helms, E. R.", year=2024, title="RIR"
    )
    link(claim, refalo)
    analysis = analysis_publish(claim=claim, summary="first")
    mechanism = Mechanism.objects.create(
        analysis=analysis, kind="most_probable", simple_summary="X pulls Y up."
    )
    measured = MechanismStep.objects.create(mechanism=mechanism, order=1, text="Fatigue drops.")
    measured.citations.add(refalo)
    inferred = MechanismStep.objects.create(mechanism=mechanism, order=2, text="mTOR fires.")
    inferred.inferred_from.add(refalo)
    claim_rescore(claim=claim)
    return claim


def step_meta(html: str, text: str) -> str:
    """The text of the level and citations under the step whose text is `text`."""
    start = html.index(f"{text}</p>")
    meta = html[start : html.index("</p>", html.index('<p class="step-meta">', start))]
    return " ".join(re.sub(r"<[^>]+>", "", meta.split("</p>", 1)[1]).split())


def test_it_counts_only_direct_measurements_in_a_step_level():
    claim = make_claim()
    mechanism = Mechanism.objects.create(
        analysis=Analysis.objects.create(claim=claim, version=1), kind="most_probable"
    )
    step = MechanismStep.objects.create(mechanism=mechanism, order=1, text="A step.")
    a, b = make_study(doi="10.1000/a"), make_study(doi="10.1000/b")
    link(claim, a)  # only a study with a standing link on the claim counts (test_honest_levels)
    step.inferred_from.add(a)
    assert step.evidence_level == "Inferred from 1 study"
    step.inferred_from.add(b)
    assert step.evidence_level == "Inferred from 2 studies"  # never "Verified"
    step.citations.add(a)
    assert step.evidence_level == MechanismStep.SUPPORTED  # one direct study, not three
    step.inferred_from.clear()
    step.citations.clear()
    assert step.evidence_level == MechanismStep.PLAUSIBLE


def test_it_says_on_the_page_how_each_study_bears_on_a_step(member_client, claim):
    html = member_client.get(claim.get_absolute_url()).content.decode()
    assert step_meta(html, "Fatigue drops.") == (
        "Supported by evidence As directly measured in Refalo et al. 2024"
    )
    assert (
        step_meta(html, "mTOR fires.")
        == "Inferred from 1 study As inferred from Refalo et al. 2024"
    )
    assert 'class="level level-plausible-inferred">Inferred from 1 study' in html


def test_it_names_both_kinds_of_study_on_a_step_with_both(member_client, claim):
    step = MechanismStep.objects.get(text="Fatigue drops.")
    step.inferred_from.add(make_study(doi="10.1000/other", title="Other"))
    html = member_client.get(claim.get_absolute_url()).content.decode()
    assert step_meta(html, "Fatigue drops.") == (
        "Supported by evidence As directly measured in Refalo et al. 2024; "
        "as inferred from 10.1000/other"
    )


def test_it_gives_inferred_from_and_the_level_in_the_json_and_the_api(client, claim):
    for url in (reverse("api-claim", args=[claim.slug]), reverse("claim-json", args=[claim.slug])):
        steps = client.get(url).json()["mechanisms"][0]["steps"]
        assert [(s["evidence_level"], s["citations"], s["inferred_from"]) for s in steps] == [
            ("Supported by evidence", ["10.1000/refalo"], []),
            ("Inferred from 1 study", [], ["10.1000/refalo"]),
        ], url


def test_inferred_from_written_either_way_moves_the_page_version(claim):
    step = MechanismStep.objects.get(text="Fatigue drops.")
    study = make_study(doi="10.1000/new")

    def version():
        return Claim.objects.get(pk=claim.pk).cache_version

    seen = [version()]
    for write in (
        lambda: step.inferred_from.add(study),
        lambda: step.inferred_from.remove(study),
        lambda: study.inferred_in_steps.add(step),
        lambda: study.inferred_in_steps.clear(),
    ):
        write()
        seen.append(version())
    assert len(set(seen)) == len(seen)


def test_saving_a_study_a_step_is_inferred_from_moves_the_page_version(claim):
    inferred_only = make_study(doi="10.1000/inferred-only")
    MechanismStep.objects.get(text="mTOR fires.").inferred_from.add(inferred_only)
    before = Claim.objects.get(pk=claim.pk).cache_version
    inferred_only.title = "A new title"
    inferred_only.save()
    assert Claim.objects.get(pk=claim.pk).cache_version != before


def test_the_admin_step_inline_edits_both_lists(editor_client, claim):
    mechanism = Mechanism.objects.get(kind="most_probable")
    html = editor_client.get(
        reverse("admin:claims_mechanism_change", args=[mechanism.pk])
    ).content.decode()
    assert 'name="steps-0-citations"' in html and 'name="steps-0-inferred_from"' in html
    assert "Directly measured in" in html and "Inferred from" in html


def test_the_demo_marks_its_steps_as_seed_002_words_them(demo, member_client):
    claim = demo.get(slug=SEED_002)
    analyses = claim.analyses.filter(mechanisms__isnull=False).distinct()
    assert analyses.count() == 2
    for analysis in analyses:  # v2 and v3 carry the same chain
        steps = {
            step.order: step
            for step in MechanismStep.objects.filter(
                mechanism__analysis=analysis, mechanism__kind="most_probable"
            )
        }
        # "as directly measured in" / "as confirmed by direct measurements": measured.
        for order in (1, 2):
            assert [s.doi for s in steps[order].citations.all()] == [REFALO]
            assert not steps[order].inferred_from.exists()
        # "as inferred from the study with DOI …": inferred, not measured. Step 4 says "as
        # directly measured by increased muscle thickness", but its claim is mTOR signalling
        # and protein synthesis, which the trial never measured (review): inferred too.
        assert "as inferred from the study" in steps[3].text
        assert "mTOR signaling" in steps[4].text
        for order in (3, 4):
            assert not steps[order].citations.exists()
            assert [s.doi for s in steps[order].inferred_from.all()] == [REFALO]
        # The alternative's first step: "as observed in", of rectus femoris activation, which
        # the trial did not measure (it measured muscle thickness): inferred.
        alternative = MechanismStep.objects.get(
            mechanism__analysis=analysis, mechanism__kind="alternative", order=1
        )
        assert not alternative.citations.exists()
        assert [s.doi for s in alternative.inferred_from.all()] == [REFALO]
    html = member_client.get(claim.get_absolute_url()).content.decode()
    meta = step_meta(html, "supported by established mechanistic literature cited therein.")
    assert meta.startswith("Inferred from 1 study As inferred from Refalo et al. 2024")
