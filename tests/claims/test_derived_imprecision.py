"""Where a link's CI is known, its `imprecise` flag is derived and stored; scoring reads it.
It follows the link's save and the claim's threshold, measure and direction."""

import pytest

from claims.models import Claim, Evidence
from claims.services import claim_scorecard
from tests.admin.admin_forms import change_form_data, evidence_url
from tests.factories import assert_scores_current, link, make_claim, make_study

pytestmark = pytest.mark.django_db

CI = {"effect_measure": "md", "effect_ci_lower": -1.0, "effect_ci_upper": 3.0, "certainty": ""}


@pytest.fixture
def claim():
    return make_claim(important_effect=2.0, important_effect_measure="md")


def big_study(**fields):
    # Large enough that only the CI can make the body imprecise (not its size).
    return make_study(sample_size=2000, **fields)


def test_a_link_with_a_ci_stores_the_derived_flag(claim):
    wide = link(claim, make_study(title="Wide"), **CI)
    assert Evidence.objects.get(pk=wide.pk).imprecise is True
    precise = link(
        claim, make_study(title="Precise"), **{**CI, "effect_ci_lower": 2.5, "effect_ci_upper": 4}
    )
    assert Evidence.objects.get(pk=precise.pk).imprecise is False


def test_the_editors_flag_cannot_override_a_ci(claim):
    evidence = link(claim, make_study(), **CI)
    evidence.imprecise = False
    evidence.save()
    assert Evidence.objects.get(pk=evidence.pk).imprecise is True


def test_without_a_ci_the_editors_flag_stands(claim):
    evidence = link(claim, make_study(), imprecise=True, imprecision_reason="Few events.")
    assert Evidence.objects.get(pk=evidence.pk).imprecise is True
    evidence.imprecise = False
    evidence.save()
    assert Evidence.objects.get(pk=evidence.pk).imprecise is False


@pytest.mark.parametrize(
    ("upper", "imprecise"),
    [(2.0, True), (1.9999, False)],  # touching the threshold exactly includes it
)
def test_the_boundary_at_the_threshold(claim, upper, imprecise):
    evidence = link(claim, make_study(), **{**CI, "effect_ci_upper": upper})
    assert Evidence.objects.get(pk=evidence.pk).imprecise is imprecise


@pytest.mark.parametrize(("lower", "imprecise"), [(0.0, True), (0.0001, False)])
def test_the_boundary_at_no_effect(claim, lower, imprecise):
    evidence = link(claim, make_study(), **{**CI, "effect_ci_lower": lower})
    assert Evidence.objects.get(pk=evidence.pk).imprecise is imprecise


@pytest.mark.parametrize(("lower", "imprecise"), [(0.0, True), (0.5, False)])
def test_any_effect(lower, imprecise):
    claim = make_claim()  # no threshold: any effect matters
    evidence = link(claim, make_study(), **{**CI, "effect_ci_lower": lower})
    assert Evidence.objects.get(pk=evidence.pk).imprecise is imprecise


def test_a_derived_flag_needs_no_editors_reason(claim):
    evidence = link(claim, make_study(), **CI)
    evidence.full_clean()
    assert evidence.imprecise and not evidence.imprecision_reason


def test_changing_the_claims_threshold_rederives_and_rescores(claim):
    evidence = link(claim, big_study(), **CI)
    before = Claim.objects.get(pk=claim.pk).certainty
    assert Evidence.objects.get(pk=evidence.pk).imprecise is True
    claim.important_effect = 5.0  # the CI (−1 to 3) now lies within ±5: little or no effect
    claim.save()
    assert Evidence.objects.get(pk=evidence.pk).imprecise is False
    assert_scores_current()  # the rescore read the re-derived flag
    after = Claim.objects.get(pk=claim.pk).certainty
    assert after != before
    claim.important_effect, claim.important_effect_measure = None, ""  # any effect
    claim.save()
    assert Evidence.objects.get(pk=evidence.pk).imprecise is True
    assert_scores_current()
    assert Claim.objects.get(pk=claim.pk).certainty == before


def test_the_direction_and_measure_rederive_too(claim):
    evidence = link(claim, make_study(), **{**CI, "effect_ci_lower": -3.0, "effect_ci_upper": 0.5})
    assert Evidence.objects.get(pk=evidence.pk).imprecise is True  # reaches −2: important too
    claim.important_effect_measure = "smd"  # now on another measure: read against no effect
    claim.important_effect = 0.5
    claim.save()
    assert Evidence.objects.get(pk=evidence.pk).imprecise is True
    claim.important_effect_measure, claim.important_effect = "md", 4.0
    claim.save()
    assert Evidence.objects.get(pk=evidence.pk).imprecise is False
    assert_scores_current()


def test_the_admin_shows_a_derived_flag_read_only_with_its_reason(editor_client, claim):
    evidence = link(claim, make_study(), **CI)
    url = evidence_url(evidence)
    response = editor_client.get(url)
    field = response.context["adminform"].form.fields["imprecise"]
    assert field.disabled
    assert "Derived from the CI and the claim's smallest important effect" in field.help_text
    assert "compatible with both an important effect and none" in field.help_text
    # Posting it unticked changes nothing: the CI decides.
    data = change_form_data(editor_client, url)
    data.pop("imprecise", None)
    editor_client.post(url, data)
    assert Evidence.objects.get(pk=evidence.pk).imprecise is True
    plain = link(claim, make_study(title="No CI"))
    assert (
        not editor_client.get(evidence_url(plain))
        .context["adminform"]
        .form.fields["imprecise"]
        .disabled
    )


def test_scoring_reads_the_derived_flag(claim):
    evidence = link(claim, big_study(), **CI)
    card = claim_scorecard(Claim.objects.get(pk=claim.pk))
    assert any("imprecision" in reason.lower() for reason in card.certainty_reasons)
    Evidence.objects.filter(pk=evidence.pk).update(effect_ci_lower=2.5, effect_ci_upper=4.0)
    Evidence.objects.get(pk=evidence.pk).save()
    card = claim_scorecard(Claim.objects.get(pk=claim.pk))
    assert not any("imprecis" in reason.lower() for reason in card.certainty_reasons)


def test_removing_the_ci_in_the_admin_gives_the_flag_back_to_the_editor(editor_client, claim):
    evidence = link(claim, make_study(), **CI)
    url = evidence_url(evidence)
    data = change_form_data(editor_client, url, effect_ci_lower=None, effect_ci_upper=None)
    data.pop("imprecise", None)  # a disabled checkbox posts nothing
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    stored = Evidence.objects.get(pk=evidence.pk)
    assert (stored.effect_ci_lower, stored.imprecise) == (None, False)
    assert not editor_client.get(url).context["adminform"].form.fields["imprecise"].disabled


def test_a_partial_save_of_the_ci_stores_the_flag_with_it(claim):
    evidence = link(claim, make_study(), **{**CI, "effect_ci_lower": 2.5})
    assert Evidence.objects.get(pk=evidence.pk).imprecise is False
    evidence.effect_ci_lower = -1.0
    evidence.save(update_fields=["effect_ci_lower"])
    assert Evidence.objects.get(pk=evidence.pk).imprecise is True
