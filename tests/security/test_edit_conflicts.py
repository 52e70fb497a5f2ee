"""No lost updates: two editors saving the same claim or analysis from the same starting point."""

import pytest
from django.urls import reverse

from claims.admin import EDIT_CONFLICT
from claims.models import Analysis, Claim

pytestmark = pytest.mark.django_db


def form_data(response) -> dict:
    """What the browser would post back, unchanged, from an admin change page."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms.append(formset.management_form)
        forms.extend(formset.forms)
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            key = form.add_prefix(name)
            if value is None or value is False:
                continue
            if hasattr(field.widget, "decompress"):  # split date/time inputs
                for index, part in enumerate(field.widget.decompress(value)):
                    data[f"{key}_{index}"] = str(part)
                continue
            if isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            else:
                data[key] = "on" if value is True else str(value)
            if hasattr(field, "queryset") and hasattr(value, "pk"):
                data[key] = str(value.pk)
    return data


@pytest.fixture
def two_editors(demo, editor, django_user_model, client):
    from django.contrib.auth.models import Group
    from django.test import Client

    other = django_user_model.objects.create_user("editor2", "e2@example.org", "pw", is_staff=True)
    other.groups.add(Group.objects.get(name="editors"))
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(other)
    return first, second


def test_it_refuses_the_second_stale_save_of_a_claim(two_editors):
    first, second = two_editors
    claim = Claim.objects.get(slug="rir-training-matches-failure-volume-and-growth")
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data_first, data_second = form_data(first.get(url)), form_data(second.get(url))
    assert data_first["lock_version"] == str(claim.lock_version)

    data_first["topic"] = "First editor's topic"
    response = first.post(url, data_first)
    assert response.status_code == 302, response.context["adminform"].form.errors

    data_second["topic"] = "Second editor's topic"
    response = second.post(url, data_second)
    assert response.status_code == 200
    html = response.content.decode()
    detail = "you started from revision 0; it is now at revision 1"
    assert EDIT_CONFLICT.format(name="claim", detail=detail) in html
    claim.refresh_from_db()
    assert claim.topic == "First editor's topic"
    assert claim.lock_version == 1

    # After a reload the second editor can save.
    data_again = form_data(second.get(url))
    data_again["topic"] = "Second editor's topic"
    assert second.post(url, data_again).status_code == 302
    claim.refresh_from_db()
    assert (claim.topic, claim.lock_version) == ("Second editor's topic", 2)


def test_it_refuses_a_form_without_its_version(two_editors):
    first, _ = two_editors
    claim = Claim.objects.get(slug="rir-training-matches-failure-volume-and-growth")
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = form_data(first.get(url))
    del data["lock_version"]
    data["topic"] = "Overwrite"
    response = first.post(url, data)
    assert response.status_code == 200
    assert "Someone else saved this claim" in response.content.decode()
    claim.refresh_from_db()
    assert claim.topic != "Overwrite"


def test_it_refuses_the_second_stale_save_of_an_analysis(two_editors):
    first, second = two_editors
    analysis = Analysis.objects.order_by("pk").first()
    url = reverse("admin:claims_analysis_change", args=[analysis.pk])
    data_first, data_second = form_data(first.get(url)), form_data(second.get(url))

    data_first["change_note"] = "First note"
    response = first.post(url, data_first)
    assert response.status_code == 302, response.context["adminform"].form.errors
    data_second["change_note"] = "Second note"
    response = second.post(url, data_second)
    assert response.status_code == 200
    assert "Someone else saved this analysis while you were editing" in response.content.decode()
    analysis.refresh_from_db()
    assert (analysis.change_note, analysis.lock_version) == ("First note", 1)


def test_it_still_adds_claims(editor_client):
    url = reverse("admin:claims_claim_add")
    data = form_data(editor_client.get(url))
    data.update(
        slug="new-claim",
        statement="X raises Y.",
        plain_statement="X ups Y.",
        claim_type="causal",
        status="draft",
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Claim.objects.get(slug="new-claim").lock_version == 0
