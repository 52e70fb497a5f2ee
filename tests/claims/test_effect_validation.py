"""A link's effect and a claim's smallest important effect: validation in clean() with field
errors, check constraints for every other write path, and the admin's clear refusals."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from claims.models import Claim, Evidence
from tests.admin.admin_forms import change_form_data, evidence_url
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db


@pytest.fixture
def evidence():
    return link(make_claim(), make_study(), certainty="")


def errors_of(instance, **fields) -> dict:
    for name, value in fields.items():
        setattr(instance, name, value)
    with pytest.raises(ValidationError) as refused:
        instance.full_clean()
    return refused.value.message_dict


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"effect_estimate": 1.0}, "effect_measure", "Choose the effect measure"),
        (
            {"effect_ci_lower": 1.0, "effect_ci_upper": 2.0},
            "effect_measure",
            "Choose the effect measure",
        ),
        ({"effect_measure": "md", "effect_ci_lower": 1.0}, "effect_ci_upper", "both bounds"),
        ({"effect_measure": "md", "effect_ci_upper": 1.0}, "effect_ci_lower", "both bounds"),
        (
            {"effect_measure": "md", "effect_ci_lower": 3.0, "effect_ci_upper": 1.0},
            "effect_ci_upper",
            "must not be above",
        ),
        (
            {
                "effect_measure": "md",
                "effect_estimate": 4.0,
                "effect_ci_lower": 1.0,
                "effect_ci_upper": 3.0,
            },
            "effect_estimate",
            "lower ≤ estimate ≤ upper",
        ),
        ({"effect_measure": "rr", "effect_estimate": 0.0}, "effect_estimate", "above 0"),
        (
            {"effect_measure": "hr", "effect_ci_lower": -0.5, "effect_ci_upper": 1.2},
            "effect_ci_lower",
            "above 0",
        ),
        ({"effect_measure": "mean"}, "effect_measure", "not a valid choice"),
    ],
)
def test_clean_refuses_an_invalid_effect_on_its_field(evidence, fields, field, words):
    errors = errors_of(evidence, **fields)
    assert field in errors, errors
    assert words in " ".join(errors[field])


def test_a_valid_effect_passes(evidence):
    evidence.effect_measure = "md"
    evidence.effect_estimate, evidence.effect_ci_lower, evidence.effect_ci_upper = 1, 1, 3
    evidence.full_clean()  # an estimate on a bound is within its CI
    evidence.effect_measure = "smd"
    evidence.effect_estimate, evidence.effect_ci_lower, evidence.effect_ci_upper = -0.4, -0.9, 0.1
    evidence.full_clean()  # a difference may be negative
    evidence.outcome, evidence.effect_measure, evidence.imprecise = "Muscle thickness", "", False
    evidence.effect_estimate = evidence.effect_ci_lower = evidence.effect_ci_upper = None
    evidence.full_clean()  # everything optional


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"important_effect": 2.0}, "important_effect_measure", "Choose the measure"),
        (
            {"important_effect": 1.0, "important_effect_measure": "rr"},
            "important_effect",
            "not 1",
        ),
        (
            {"important_effect": -0.2, "important_effect_measure": "or"},
            "important_effect",
            "above 0",
        ),
        (
            {"important_effect": 0.0, "important_effect_measure": "md"},
            "important_effect",
            "cannot be 0",
        ),
        ({"expected_direction": "up"}, "expected_direction", "not a valid choice"),
    ],
)
def test_the_claims_threshold_is_validated(fields, field, words):
    errors = errors_of(make_claim(), **fields)
    assert field in errors, errors
    assert words in " ".join(errors[field])


def test_constraints_refuse_bad_rows_from_any_path(evidence):
    bad_rows = [
        {"effect_ci_lower": 3.0, "effect_ci_upper": 1.0, "effect_measure": "md"},
        {"effect_ci_lower": 1.0, "effect_measure": "md"},
        {"effect_estimate": 1.0},
        {"effect_estimate": 5.0, "effect_ci_lower": 1.0, "effect_ci_upper": 2.0},
        {"effect_estimate": -1.0, "effect_measure": "rr"},
        {"effect_measure": "nonsense"},
    ]
    for changes in bad_rows:
        with pytest.raises(IntegrityError), transaction.atomic():
            Evidence.objects.filter(pk=evidence.pk).update(**changes)
    for changes in (
        {"important_effect": 2.0},
        {"important_effect": 1.0, "important_effect_measure": "hr"},
        {"important_effect": 0.0, "important_effect_measure": "md"},
        {"expected_direction": "sideways"},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Claim.objects.filter(pk=evidence.claim_id).update(**changes)


def test_the_evidence_admin_refuses_an_inverted_ci_with_a_clear_message(editor_client, evidence):
    url = evidence_url(evidence)
    data = change_form_data(
        editor_client, url, effect_measure="md", effect_ci_lower="3", effect_ci_upper="1"
    )
    response = editor_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "must not be above the upper bound" in str(errors["effect_ci_upper"])
    evidence.refresh_from_db()
    assert evidence.effect_ci_lower is None


def test_the_claim_admin_refuses_a_threshold_without_its_measure(editor_client, evidence):
    url = reverse("admin:claims_claim_change", args=[evidence.claim_id])
    response = editor_client.post(url, change_form_data(editor_client, url, important_effect="2"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Choose the measure" in str(errors["important_effect_measure"])


def test_the_claim_admin_refuses_an_invalid_effect_in_the_inline(editor_client, evidence):
    url = reverse("admin:claims_claim_change", args=[evidence.claim_id])
    changes = {"evidence-0-effect_measure": "rr", "evidence-0-effect_estimate": "-2"}
    response = editor_client.post(url, change_form_data(editor_client, url, **changes))
    assert response.status_code == 200
    [formset] = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is Evidence
    ]
    assert "above 0" in str(formset.forms[0].errors["effect_estimate"])


def test_the_admin_shows_the_pico_and_effect_fieldsets(editor_client, evidence):
    claim_page = editor_client.get(reverse("admin:claims_claim_change", args=[evidence.claim_id]))
    html = claim_page.content.decode()
    assert "PICO" in html and 'name="important_effect"' in html and 'name="comparator"' in html
    assert 'name="evidence-0-effect_ci_lower"' in html
    link_page = editor_client.get(evidence_url(evidence)).content.decode()
    assert "Effect" in link_page and 'name="effect_reported_in"' in link_page
