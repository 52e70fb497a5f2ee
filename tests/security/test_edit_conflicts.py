"""No lost updates: two editors saving the same claim or analysis from the same starting point."""

import pytest
from django.urls import reverse

from claims.admin.locking import EDIT_CONFLICT
from claims.models import Analysis, Claim
from tests.factories import link, make_claim, make_study

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


# --- inline rows: another path's write to a row the stale form would re-save -----------------

SLUG = "rir-training-matches-failure-volume-and-growth"
CONFLICT = "Someone else saved this {} while you were editing"


def claim_url(claim) -> str:
    return reverse("admin:claims_claim_change", args=[claim.pk])


def inline_key(data: dict, suffix: str) -> str:
    return next(key for key in sorted(data) if key.endswith(suffix))


def assert_stale_save_refused(client, url: str, data: dict, kind: str, **edits) -> None:
    """Post a form opened before another editor's change, with `edits`: the conflict shows."""
    response = client.post(url, {**data, **edits})
    assert response.status_code == 200
    assert CONFLICT.format(kind) in response.content.decode()


def test_it_refuses_a_stale_claim_form_after_an_evidence_row_was_edited_elsewhere(two_editors):
    """The reviewer's case: B edits an evidence row's finding on its own admin page while A
    has the claim open; A's save would have written the old finding back through the inline."""
    first, second = two_editors
    claim = Claim.objects.get(slug=SLUG)
    evidence = claim.evidence.get()
    data_first = form_data(first.get(claim_url(claim)))

    evidence_url = reverse("admin:claims_evidence_change", args=[evidence.pk])
    data_second = form_data(second.get(evidence_url))
    data_second["finding"] = "B's corrected finding"
    response = second.post(evidence_url, data_second)
    assert response.status_code == 302, response.context["adminform"].form.errors

    assert_stale_save_refused(
        first, claim_url(claim), data_first, "claim", summary="A's new summary"
    )
    evidence.refresh_from_db()
    claim.refresh_from_db()
    assert evidence.finding == "B's corrected finding"
    assert claim.summary != "A's new summary"


def test_it_refuses_a_stale_claim_form_after_an_evidence_row_was_deleted(two_editors):
    first, second = two_editors
    claim = Claim.objects.get(slug=SLUG)
    evidence = claim.evidence.get()
    data_first = form_data(first.get(claim_url(claim)))
    delete_url = reverse("admin:claims_evidence_delete", args=[evidence.pk])
    assert second.post(delete_url, {"post": "yes"}).status_code == 302

    assert_stale_save_refused(
        first, claim_url(claim), data_first, "claim", summary="A's new summary"
    )


def test_it_refuses_a_stale_claim_form_after_an_ideal_study_changed(two_editors):
    first, _ = two_editors
    claim = Claim.objects.get(slug=SLUG)
    data_first = form_data(first.get(claim_url(claim)))
    ideal = claim.ideal_studies.order_by("rank").first()
    ideal.why = "Changed by another path"
    ideal.save()

    assert_stale_save_refused(
        first, claim_url(claim), data_first, "claim", summary="A's new summary"
    )
    ideal.refresh_from_db()
    assert ideal.why == "Changed by another path"


def test_it_keeps_an_editors_own_consecutive_saves_with_inline_edits(two_editors):
    first, _ = two_editors
    claim = Claim.objects.get(slug=SLUG)
    for round_ in range(3):
        data = form_data(first.get(claim_url(claim)))
        data["summary"] = f"Summary {round_}"
        data[inline_key(data, "-finding")] = f"Finding {round_}"
        data[inline_key(data, "-why")] = f"Why {round_}"
        if round_ == 1:
            data["_continue"] = "Save and continue editing"
        response = first.post(claim_url(claim), data)
        assert response.status_code == 302, response.context["adminform"].form.errors
    claim.refresh_from_db()
    assert claim.summary == "Summary 2"
    assert claim.evidence.get().finding == "Finding 2"
    assert claim.ideal_studies.filter(why="Why 2").count() == 1


def test_it_does_not_refuse_an_editor_because_a_member_submitted_a_study(two_editors, member):
    from tests.factories import make_submission

    first, _ = two_editors
    claim = Claim.objects.get(slug=SLUG)
    data = form_data(first.get(claim_url(claim)))
    make_submission(claim, member, doi="10.1000/new-study")

    data["summary"] = "A's new summary"
    response = first.post(claim_url(claim), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    claim.refresh_from_db()
    assert claim.summary == "A's new summary"


def test_it_refuses_a_stale_analysis_form_after_a_mechanism_was_edited_elsewhere(two_editors):
    first, second = two_editors
    analysis = Analysis.objects.filter(mechanisms__isnull=False).order_by("pk").first()
    analysis_url = reverse("admin:claims_analysis_change", args=[analysis.pk])
    data_first = form_data(first.get(analysis_url))

    mechanism = analysis.mechanisms.order_by("pk").first()
    mechanism_url = reverse("admin:claims_mechanism_change", args=[mechanism.pk])
    data_second = form_data(second.get(mechanism_url))
    data_second["simple_summary"] = "B's clearer summary"
    response = second.post(mechanism_url, data_second)
    assert response.status_code == 302, response.context["adminform"].form.errors

    assert_stale_save_refused(first, analysis_url, data_first, "analysis", change_note="A's note")
    mechanism.refresh_from_db()
    analysis.refresh_from_db()
    assert mechanism.simple_summary == "B's clearer summary"
    assert analysis.change_note != "A's note"


def test_it_does_not_refuse_a_stale_analysis_form_because_a_mechanism_step_changed(two_editors):
    """Steps are edited on the mechanism's page; the analysis form shows and writes only the
    mechanisms' kind, rank and summaries, so a reworded step cannot be overwritten by it."""
    first, _ = two_editors
    analysis = Analysis.objects.filter(mechanisms__steps__isnull=False).order_by("pk").first()
    analysis_url = reverse("admin:claims_analysis_change", args=[analysis.pk])
    data_first = form_data(first.get(analysis_url))
    step = analysis.mechanisms.order_by("pk").first().steps.order_by("order").first()
    step.text = "Reworded step"
    step.save()

    response = first.post(analysis_url, {**data_first, "change_note": "A's note"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    analysis.refresh_from_db()
    step.refresh_from_db()
    assert analysis.change_note == "A's note"
    assert step.text == "Reworded step"


def test_it_keeps_an_editors_own_consecutive_analysis_saves_with_inline_edits(two_editors):
    first, _ = two_editors
    analysis = Analysis.objects.filter(mechanisms__isnull=False).order_by("pk").first()
    url = reverse("admin:claims_analysis_change", args=[analysis.pk])
    for round_ in range(2):
        data = form_data(first.get(url))
        data["change_note"] = f"Note {round_}"
        data[inline_key(data, "-simple_summary")] = f"Simply {round_}"
        response = first.post(url, data)
        assert response.status_code == 302, response.context["adminform"].form.errors
    analysis.refresh_from_db()
    assert analysis.change_note == "Note 1"
    assert analysis.mechanisms.filter(simple_summary="Simply 1").count() == 1


def claim_updates(queries) -> list[str]:
    """The UPDATEs of claims, except the rescore's write of their scores (claims.services)."""
    updates = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "claims_claim"')]
    return [sql for sql in updates if '"pro_score"' not in sql]


def test_it_touches_and_bumps_the_claim_in_one_update_per_evidence_write():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    claim = make_claim(slug="one-update")
    study = make_study(doi="10.1000/one-update")
    with CaptureQueriesContext(connection) as saved:
        evidence = link(claim, study)
    with CaptureQueriesContext(connection) as edited:
        evidence.finding = "A finding"
        evidence.save()
    with CaptureQueriesContext(connection) as deleted:
        evidence.delete()

    for queries in (saved, edited, deleted):
        updates = claim_updates(queries.captured_queries)
        own = [sql for sql in updates if "lock_version" in sql]
        assert len(own) == 1, updates
        assert "content_changed_at" in own[0]
        # The others touch the claims sharing the study (Related claims), never this one.
        assert all("NOT (" in sql for sql in updates if sql not in own), updates
    claim.refresh_from_db()
    assert claim.lock_version == 3
