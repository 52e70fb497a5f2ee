"""Issue 18, fresh-clone review: a published version cannot be moved to another claim or
re-dated in the admin (its page, History, the trust block's dates and every citation read
them), and a new version cannot be dated before the claim's latest one."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from claims.models import Analysis
from claims.services import analysis_publish
from tests.admin.admin_forms import change_form_data
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    claim = make_claim(slug="one")
    link(claim, make_study(doi="10.1000/one"), certainty="high")
    return analysis_publish(claim=claim, summary="One.")


def test_a_published_version_keeps_its_claim_and_date(editor_client, published):
    other = make_claim(slug="other")
    url = reverse("admin:claims_analysis_change", args=[published.pk])
    data = change_form_data(
        editor_client,
        url,
        claim=str(other.pk),
        published_at_0="2020-01-01",
        published_at_1="00:00:00",
        summary="Edited summary.",
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:1500]
    after = Analysis.objects.get(pk=published.pk)
    assert after.claim_id == published.claim_id
    assert after.published_at == published.published_at
    assert after.summary == "Edited summary."  # what may change still does
    page = editor_client.get(url).content.decode()
    assert 'name="claim"' not in page and 'name="published_at_0"' not in page


def test_a_scheduled_version_may_be_re_dated(editor_client, published):
    ahead = timezone.now() + timedelta(days=30)
    Analysis.objects.filter(pk=published.pk).update(published_at=ahead)
    page = editor_client.get(reverse("admin:claims_analysis_change", args=[published.pk]))
    assert 'name="published_at_0"' in page.content.decode()
    assert 'name="claim"' not in page.content.decode()


def test_a_new_version_dated_before_the_latest_is_refused(editor_client, published):
    data = {
        "claim": published.claim_id,
        "summary": "Back-dated",
        "published_at_0": "2020-01-01",
        "published_at_1": "09:30:00",
        "mechanisms-TOTAL_FORMS": "0",
        "mechanisms-INITIAL_FORMS": "0",
        "mechanisms-MIN_NUM_FORMS": "0",
        "mechanisms-MAX_NUM_FORMS": "1000",
    }
    response = editor_client.post(reverse("admin:claims_analysis_add"), data)
    assert response.status_code == 200
    assert "a new version cannot be dated before it" in response.content.decode()
    assert not Analysis.objects.filter(summary="Back-dated").exists()


def test_a_replaced_version_s_mechanisms_are_read_only(editor_client, published):
    """Review: an edit to a replaced version's mechanism said "changed successfully" and
    showed nowhere (its page shows the record taken when it was replaced)."""
    from claims.models import Mechanism, MechanismStep  # noqa: PLC0415

    mechanism = Mechanism.objects.create(
        analysis=published, kind="most_probable", rank=1, simple_summary="Then."
    )
    MechanismStep.objects.create(mechanism=mechanism, order=1, text="A step.")
    analysis_publish(claim=published.claim)  # replaces it: its mechanisms are recorded
    url = reverse("admin:claims_mechanism_change", args=[mechanism.pk])
    page = editor_client.get(url).content.decode()
    assert 'name="simple_summary"' not in page and 'name="_save"' not in page
    response = editor_client.post(url, {"simple_summary": "Rewritten.", "kind": "most_probable"})
    assert response.status_code == 403
    mechanism.refresh_from_db()
    assert mechanism.simple_summary == "Then."
    version = reverse("admin:claims_analysis_change", args=[published.pk])
    assert 'name="mechanisms-0-simple_summary"' not in editor_client.get(version).content.decode()
    # The current version's copy stays editable.
    current = Mechanism.objects.exclude(pk=mechanism.pk).get()
    page = editor_client.get(reverse("admin:claims_mechanism_change", args=[current.pk]))
    assert 'name="simple_summary"' in page.content.decode()
