"""Two refusals of a link's effect: more participants analysed than the study had, and a
number too large for a float ("1e309" parses as infinity): each one clear field error."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from claims.models import Evidence
from claims.models.effect import N_ANALYSED_ABOVE_SAMPLE, VALUE_TOO_LARGE
from tests.admin.admin_forms import change_form_data, evidence_url
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db


@pytest.fixture
def evidence():
    return link(make_claim(), make_study(sample_size=40), certainty="")


def test_clean_refuses_more_analysed_than_the_study_had(evidence):
    evidence.n_analysed = 41
    with pytest.raises(ValidationError) as refused:
        evidence.full_clean()
    assert refused.value.message_dict == {
        "n_analysed": [N_ANALYSED_ABOVE_SAMPLE.format(n=41, sample_size=40)]
    }
    assert "41" in refused.value.message_dict["n_analysed"][0]
    assert "40" in refused.value.message_dict["n_analysed"][0]


def test_clean_allows_up_to_the_study_s_size_or_any_without_one(evidence):
    evidence.n_analysed = 40
    evidence.full_clean()
    unsized = link(
        make_claim(slug="unsized"),
        make_study(doi="10.1000/unsized", sample_size=None),
        certainty="",
    )
    assert unsized.study.sample_size is None
    unsized.n_analysed = 5000
    unsized.full_clean()


def test_the_evidence_admin_refuses_it_on_the_field(editor_client, evidence):
    url = evidence_url(evidence)
    response = editor_client.post(url, change_form_data(editor_client, url, n_analysed="41"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["n_analysed"] == [N_ANALYSED_ABOVE_SAMPLE.format(n=41, sample_size=40)]
    evidence.refresh_from_db()
    assert evidence.n_analysed is None


def test_the_claim_admin_s_inline_refuses_it_too(editor_client, evidence):
    url = reverse("admin:claims_claim_change", args=[evidence.claim_id])
    data = change_form_data(editor_client, url, **{"evidence-0-n_analysed": "41"})
    response = editor_client.post(url, data)
    assert response.status_code == 200
    [formset] = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is Evidence
    ]
    message = N_ANALYSED_ABOVE_SAMPLE.format(n=41, sample_size=40)
    assert formset.forms[0].errors["n_analysed"] == [message]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"effect_measure": "md", "effect_estimate": "1e309"}, "effect_estimate"),
        ({"effect_measure": "md", "effect_estimate": "-1e309"}, "effect_estimate"),
        (
            {"effect_measure": "md", "effect_ci_lower": "1e309", "effect_ci_upper": "1"},
            "effect_ci_lower",
        ),
        (
            {
                "effect_measure": "rr",
                "effect_estimate": "1",
                "effect_ci_lower": "0.5",
                "effect_ci_upper": "1e309",
            },
            "effect_ci_upper",
        ),
    ],
)
def test_an_overflowing_number_is_one_clear_error(editor_client, evidence, changes, field):
    url = evidence_url(evidence)
    response = editor_client.post(url, change_form_data(editor_client, url, **changes))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors == {field: [VALUE_TOO_LARGE]}
    assert response.context["adminform"].form[field].value() == changes[field]  # kept as typed
    evidence.refresh_from_db()
    assert evidence.effect_measure == ""


def test_the_inline_gives_one_clear_error_for_an_overflowing_number(editor_client, evidence):
    url = reverse("admin:claims_claim_change", args=[evidence.claim_id])
    changes = {
        "evidence-0-effect_measure": "md",
        "evidence-0-effect_ci_lower": "-1e309",
        "evidence-0-effect_ci_upper": "1",
    }
    response = editor_client.post(url, change_form_data(editor_client, url, **changes))
    [formset] = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is Evidence
    ]
    assert formset.forms[0].errors == {"effect_ci_lower": [VALUE_TOO_LARGE]}


def test_not_a_number_is_refused_once_too(editor_client, evidence):
    url = evidence_url(evidence)
    changes = {"effect_measure": "md", "effect_ci_lower": "nan", "effect_ci_upper": "1"}
    response = editor_client.post(url, change_form_data(editor_client, url, **changes))
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["effect_ci_lower"] and len(errors["effect_ci_lower"]) == 1


def test_the_claim_s_smallest_important_effect_overflowing_is_the_range_error(editor_client):
    """It said only "Enter a number." for 1e309: the range is what the editor needs to know."""
    claim = make_claim(slug="threshold")
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = change_form_data(
        editor_client, url, important_effect="1e309", important_effect_measure="md"
    )
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["important_effect"] == [VALUE_TOO_LARGE]
    claim.refresh_from_db()
    assert claim.important_effect is None
