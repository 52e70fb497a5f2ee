"""Posting admin forms as a browser would: the fields of the form the page rendered."""

from django.urls import reverse


def form_values(form, prefix: str = "") -> dict:
    """What a browser posts for a rendered (unbound) form: booleans as "on" or left out."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[f"{prefix}{name}"] = "on" if value is True else value
    return data


def change_form_data(client, url: str, **changes) -> dict:
    """The change form at `url` as rendered, with `changes` (None removes a field)."""
    response = client.get(url)
    assert response.status_code == 200
    data = form_values(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(
            {
                f"{formset.prefix}-TOTAL_FORMS": str(formset.total_form_count()),
                f"{formset.prefix}-INITIAL_FORMS": str(formset.initial_form_count()),
                f"{formset.prefix}-MIN_NUM_FORMS": "0",
                f"{formset.prefix}-MAX_NUM_FORMS": "1000",
            }
        )
        for form in formset.forms:
            data.update(form_values(form, prefix=f"{form.prefix}-"))
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def evidence_url(evidence) -> str:
    return reverse("admin:claims_evidence_change", args=[evidence.pk])
