"""Ids that are not ids in staff POSTs: a form error or an admin message, never a 500.

The autocomplete widgets re-rendered a posted "abc" by querying for it (ValueError), and every
changelist action filtered the selection by it; an id beyond the database's integers overflowed.
"""

import pytest
from django.contrib import admin
from django.urls import reverse

from claims.models import Analysis, Evidence, Mechanism
from core.admin import BAD_IDS_MESSAGE, SafeIdsMixin
from studies.models import Study
from tests.admin.admin_forms import change_form_data
from tests.factories import link, make_claim, make_study, make_submission

pytestmark = pytest.mark.django_db

NOT_IDS = ["abc", "1.5", "99999999999999999999999"]
OUR_ADMINS = {
    model: model_admin
    for model, model_admin in admin.site._registry.items()
    if model._meta.app_label in ("claims", "studies", "community")
}


def changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def site(member):
    """One row of every model, so each changelist offers its actions."""
    claim = make_claim()
    study = make_study(doi="10.1000/lead", title="Lead trial", sample_size=400)
    link(claim, study, certainty="", risk_of_bias_judgement="low")
    analysis = Analysis.objects.create(claim=claim, version=1, summary="One trial.")
    Mechanism.objects.create(analysis=analysis, kind="most_probable", simple_summary="Simply.")
    make_submission(claim, member, doi="10.1000/submitted")
    return claim


def action_cases():
    for model, model_admin in OUR_ADMINS.items():
        for name in ("delete_selected", *(model_admin.actions or ())):
            yield pytest.param(model, name, id=f"{model._meta.model_name}-{name}")


# What each action's confirmation page posts back.
CONFIRMATIONS = {
    "delete_selected": {"post": "yes"},
    "accept_selected": {"confirm": "1"},
    "reject_with_note": {"apply": "1", "note": "Not relevant."},
}


@pytest.mark.parametrize(("model", "name"), list(action_cases()))
@pytest.mark.parametrize("confirmed", [False, True], ids=["asked", "confirmed"])
def test_every_action_ignores_what_is_not_an_id(editor_client, site, model, name, confirmed):
    rows = model.objects.count()
    data = {"action": name, "_selected_action": NOT_IDS, "index": "0"}
    if confirmed:
        data.update(CONFIRMATIONS.get(name, {}))
    response = editor_client.post(changelist(model), data)
    assert response.status_code in (200, 302)
    response = editor_client.get(changelist(model))
    ignored = "“abc”, “1.5”, “9999999999999999999…”"
    assert messages_of(response)[0] == BAD_IDS_MESSAGE.format(
        ids=ignored, name=model._meta.verbose_name
    )
    assert model.objects.count() == rows


def test_an_action_still_applies_to_the_real_ids_beside_them(editor_client, site):
    study = make_study(doi="", title="Unpublished thesis")
    data = {
        "action": "delete_selected",
        "_selected_action": [str(study.pk), "abc"],
        "index": "0",
        "post": "yes",
    }
    response = editor_client.post(changelist(Study), data, follow=True)
    assert response.status_code == 200
    assert not Study.objects.filter(pk=study.pk).exists()
    messages = messages_of(response)
    assert any(m.startswith("Ignored") and "“abc”" in m for m in messages)
    assert any("Successfully deleted 1" in m for m in messages)


@pytest.mark.parametrize("bad", NOT_IDS)
def test_the_evidence_add_form_and_its_preview_refuse_bad_ids(editor_client, site, bad):
    url = reverse("admin:claims_evidence_add")
    data = change_form_data(editor_client, url, claim=bad, study=bad, stance="supports")
    for extra in ({}, {"_preview": "Preview effect"}):
        response = editor_client.post(url, {**data, **extra})
        assert response.status_code == 200
        assert set(response.context["adminform"].form.errors) >= {"claim", "study"}
    assert Evidence.objects.count() == 1


def test_the_evidence_change_form_ignores_a_bad_study(editor_client, site):
    evidence = Evidence.objects.get()
    url = reverse("admin:claims_evidence_change", args=[evidence.pk])
    data = change_form_data(editor_client, url, study="abc", claim="abc")
    for extra in ({"_preview": "Preview effect"}, {}):
        assert editor_client.post(url, {**data, **extra}).status_code in (200, 302)
    assert Evidence.objects.get().study_id == evidence.study_id


@pytest.mark.parametrize("bad", NOT_IDS)
def test_a_new_inline_evidence_row_with_a_bad_study_is_a_form_error(editor_client, site, bad):
    url = reverse("admin:claims_claim_change", args=[site.pk])
    data = change_form_data(editor_client, url)
    new = int(data["evidence-TOTAL_FORMS"])
    data["evidence-TOTAL_FORMS"] = str(new + 1)
    data.update(
        {
            f"evidence-{new}-study": bad,
            f"evidence-{new}-stance": "supports",
            f"evidence-{new}-status": "approved",
            f"evidence-{new}-appraisal_status": "appraised",
            f"evidence-{new}-strength": "clear",
            f"evidence-{new}-risk_of_bias_judgement": "not_assessed",
            f"evidence-{new}-risk_of_bias": "0",
        }
    )
    for extra in ({}, {"_preview": "Preview effect"}):
        response = editor_client.post(url, {**data, **extra})
        assert response.status_code == 200
        [formset] = [
            inline.formset
            for inline in response.context["inline_admin_formsets"]
            if inline.formset.model is Evidence
        ]
        assert "study" in formset.forms[new].errors
    assert Evidence.objects.count() == 1


@pytest.mark.parametrize("bad", NOT_IDS)
def test_pooled_in_with_a_bad_id_is_a_form_error(editor_client, site, bad):
    study = Study.objects.get(doi="10.1000/lead")
    url = reverse("admin:studies_study_change", args=[study.pk])
    data = change_form_data(editor_client, url, pooled_in=[bad])
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "pooled_in" in response.context["adminform"].form.errors
    assert not study.pooled_in.exists()


@pytest.mark.parametrize("bad", NOT_IDS)
def test_the_analysis_and_mechanism_forms_refuse_bad_ids(editor_client, site, bad):
    response = editor_client.post(reverse("admin:claims_analysis_add"), {"claim": bad})
    assert response.status_code == 200
    assert "claim" in response.context["adminform"].form.errors

    response = editor_client.post(reverse("admin:claims_mechanism_add"), {"analysis": bad})
    assert response.status_code == 200
    assert "analysis" in response.context["adminform"].form.errors

    mechanism = Mechanism.objects.get()
    url = reverse("admin:claims_mechanism_change", args=[mechanism.pk])
    data = change_form_data(editor_client, url)
    data.update(
        {
            "steps-TOTAL_FORMS": "1",
            "steps-0-order": "1",
            "steps-0-text": "A step.",
            "steps-0-citations": [bad],
        }
    )
    response = editor_client.post(url, data)
    assert response.status_code == 200
    [formset] = [inline.formset for inline in response.context["inline_admin_formsets"]]
    assert "citations" in formset.forms[0].errors
    assert not mechanism.steps.exists()


def test_no_admin_form_offers_an_autocomplete_that_could_crash():
    """Every autocomplete in our admins renders through the widgets that skip bad ids."""
    for model_admin in OUR_ADMINS.values():
        assert isinstance(model_admin, SafeIdsMixin), type(model_admin).__name__
        for inline in model_admin.inlines:
            assert issubclass(inline, SafeIdsMixin), inline.__name__
