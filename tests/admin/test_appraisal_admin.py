"""Appraising evidence in the admin: reasons required, the effect previewed, own work refused."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from claims.admin import PREVIEW_HINT
from claims.appraisal import OWN_SUBMISSION, verdict_text
from claims.models import REASON_REQUIRED, Analysis, Claim, Evidence
from claims.services import analysis_publish, claim_scorecard
from tests.admin.admin_forms import change_form_data, evidence_url
from tests.conftest import assert_scores_current, link, make_claim, make_study

pytestmark = pytest.mark.django_db

EVIDENCE_LIST = reverse("admin:claims_evidence_changelist")
ANALYSIS_LIST = reverse("admin:claims_analysis_changelist")
# Each judgement that moves certainty, and the reason it needs (Evidence.clean).
JUDGEMENTS = [
    ({"certainty": "low"}, "certainty_reason", "a certainty set directly"),
    ({"risk_of_bias_judgement": "some"}, "risk_of_bias_reason", "a risk-of-bias judgement"),
    ({"risk_of_bias_judgement": "high"}, "risk_of_bias_reason", "a risk-of-bias judgement"),
    ({"risk_of_bias": "1"}, "risk_of_bias_reason", "a risk-of-bias judgement"),
    ({"inconsistency": "1"}, "inconsistency_reason", "an inconsistency concern"),
    ({"indirectness": "2"}, "indirectness_reason", "an indirectness concern"),
    ({"imprecision": "1"}, "imprecision_reason", "an imprecision concern"),
    ({"imprecise": "on"}, "imprecision_reason", "an imprecision concern"),
    ({"publication_bias": "1"}, "publication_bias_reason", "a publication-bias concern"),
    ({"large_effect": "1"}, "upgrade_reason", "an upgrade"),
    ({"dose_response": "on"}, "upgrade_reason", "an upgrade"),
    ({"plausible_confounding": "on"}, "upgrade_reason", "an upgrade"),
]
JUDGEMENT_IDS = [next(iter(judgement)) + "-" + reason for judgement, reason, _ in JUDGEMENTS]


def scores(claim) -> tuple:
    claim = Claim.objects.get(pk=claim.pk)
    return (claim.pro_score, claim.against_score, claim.verdict, claim.certainty)


def stored(evidence) -> dict:
    return Evidence.objects.filter(pk=evidence.pk).values().get()


@pytest.fixture
def claim():
    """A claim resting on one appraised trial of 400 with a low risk of bias."""
    claim = make_claim()
    study = make_study(doi="10.1000/lead", title="Lead trial", sample_size=400)
    link(claim, study, certainty="", risk_of_bias_judgement="low")
    return claim


@pytest.fixture
def community(claim, member):
    """A member's contradicting trial, accepted and awaiting appraisal."""
    study = make_study(doi="10.1000/community", title="Community trial", sample_size=400)
    return link(
        claim,
        study,
        stance="contradicts",
        certainty="",
        appraisal_status=Evidence.Appraisal.AWAITING,
        added_by=member,
    )


def appraise(client, evidence, **changes):
    url = evidence_url(evidence)
    data = change_form_data(client, url, appraisal_status="appraised", **changes)
    return client.post(url, data)


@pytest.mark.parametrize(("judgement", "reason", "words"), JUDGEMENTS, ids=JUDGEMENT_IDS)
def test_the_evidence_admin_refuses_a_judgement_without_its_reason(
    editor_client, claim, community, judgement, reason, words
):
    before, scored = stored(community), scores(claim)
    response = appraise(editor_client, community, **judgement)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert list(form.errors) == [reason]
    [error] = form.errors[reason]
    assert error.startswith(REASON_REQUIRED.split("{")[0]) and words in error
    assert escape(form.errors[reason][0]) in response.content.decode()
    assert stored(community) == before
    assert scores(claim) == scored


@pytest.mark.parametrize(("judgement", "reason", "words"), JUDGEMENTS[::3], ids=JUDGEMENT_IDS[::3])
def test_the_claim_inline_refuses_a_judgement_without_its_reason(
    editor_client, claim, community, judgement, reason, words
):
    """The inline showed no reason fields: the model's refusal had nowhere to go (a 500)."""
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = change_form_data(editor_client, url)
    index = next(i for i in range(2) if str(data[f"evidence-{i}-id"]) == str(community.pk))
    data[f"evidence-{index}-appraisal_status"] = "appraised"
    for name, value in judgement.items():
        data[f"evidence-{index}-{name}"] = value
    before, scored = stored(community), scores(claim)
    response = editor_client.post(url, data)
    assert response.status_code == 200
    [evidence_formset] = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is Evidence
    ]
    errors = evidence_formset.forms[index].errors
    assert list(errors) == [reason]
    assert words in errors[reason][0]
    assert stored(community) == before
    assert scores(claim) == scored


def test_appraising_in_the_admin_records_who_and_when_and_changes_the_score(
    editor_client, editor, claim, community
):
    before = scores(claim)
    response = appraise(
        editor_client,
        community,
        risk_of_bias_judgement="some",
        risk_of_bias_domain="deviations",
        risk_of_bias_reason="Participants knew their allocation.",
    )
    assert response.status_code == 302
    community.refresh_from_db()
    assert community.appraisal_status == "appraised"
    assert (community.appraised_by, community.risk_of_bias_judgement) == (editor, "some")
    assert community.appraised_at is not None
    after = scores(claim)
    assert after[1] > 0 and after != before
    assert_scores_current()


def test_the_success_message_says_what_the_appraisal_did(editor_client, claim, community):
    live = claim_scorecard(claim)
    response = editor_client.post(
        evidence_url(community),
        change_form_data(editor_client, evidence_url(community), appraisal_status="appraised"),
        follow=True,
    )
    claim.refresh_from_db()
    messages = [str(m) for m in response.context["messages"]]
    expected = (
        f"{verdict_text(live.verdict, live.certainty)} → "
        f"{verdict_text(claim.verdict, claim.certainty)}"
    )
    assert any(m.startswith("Appraised “Community trial") and expected in m for m in messages)


def test_preview_shows_before_and_after_and_saves_nothing(editor_client, claim, community):
    before, scored = stored(community), scores(claim)
    live = claim_scorecard(claim)
    url = evidence_url(community)
    judgements = {
        "appraisal_status": "appraised",
        "risk_of_bias_judgement": "high",
        "risk_of_bias_reason": "No allocation concealment.",
    }
    data = change_form_data(editor_client, url, **judgements)

    response = editor_client.post(url, {**data, "_preview": "Preview effect"})

    assert response.status_code == 200
    assert stored(community) == before
    assert scores(claim) == scored
    [message] = [str(m) for m in response.context["messages"]]
    assert message.startswith(
        f"Preview, nothing saved: {verdict_text(live.verdict, live.certainty)} → "
    )
    preview = message.removeprefix("Preview, nothing saved: ")
    html = response.content.decode()
    assert html.count(escape(preview)) == 2  # the message and the read-only field
    form = response.context["adminform"].form
    assert form.is_bound and not form.errors
    assert 'value="No allocation concealment."' in html or "No allocation concealment." in html

    # Saving the same appraisal does exactly what the preview said.
    assert editor_client.post(url, data).status_code == 302
    claim.refresh_from_db()
    after = verdict_text(claim.verdict, claim.certainty)
    assert preview.startswith(f"{verdict_text(live.verdict, live.certainty)} → {after} (")
    assert f"Against 0 → {claim.against_score}" in preview


def test_preview_of_an_invalid_appraisal_shows_the_errors_and_saves_nothing(
    editor_client, claim, community
):
    before = stored(community)
    url = evidence_url(community)
    data = change_form_data(editor_client, url, appraisal_status="appraised", indirectness="1")
    response = editor_client.post(url, {**data, "_preview": "Preview effect"})
    assert response.status_code == 200
    assert "indirectness_reason" in response.context["adminform"].form.errors
    assert "Correct the errors below, then preview again." in response.content.decode()
    assert not list(response.context["messages"])
    assert stored(community) == before


def test_the_change_form_has_the_preview_button_and_the_effect_of_appraising(
    editor_client, claim, community
):
    html = editor_client.get(evidence_url(community)).content.decode()
    assert 'name="_preview"' in html and "Preview effect" in html
    assert "If appraised as it stands: " in html
    lead = Evidence.objects.get(claim=claim, stance="supports")
    assert "Without this link: " in editor_client.get(evidence_url(lead)).content.decode()
    add = editor_client.get(reverse("admin:claims_evidence_add")).content.decode()
    assert escape(PREVIEW_HINT) in add


def test_preview_of_a_new_link_on_the_add_form_saves_nothing(editor_client, claim):
    study = make_study(doi="10.1000/added", title="Added trial", sample_size=400)
    data = change_form_data(
        editor_client,
        reverse("admin:claims_evidence_add"),
        claim=str(claim.pk),
        study=str(study.pk),
        stance="contradicts",
        risk_of_bias_judgement="low",
    )
    response = editor_client.post(
        reverse("admin:claims_evidence_add"), {**data, "_preview": "Preview effect"}
    )
    assert response.status_code == 200
    [message] = [str(m) for m in response.context["messages"]]
    assert "→" in message and "Against 0 → " in message
    assert Evidence.objects.filter(claim=claim).count() == 1


def test_an_editor_cannot_appraise_their_own_submission(editor_client, editor, claim, community):
    community.added_by = editor
    community.save()
    before, scored = stored(community), scores(claim)
    response = appraise(editor_client, community)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"appraisal_status": [OWN_SUBMISSION]}
    assert stored(community) == before
    assert scores(claim) == scored
    # Nor through the preview, nor the claim's inline.
    url = evidence_url(community)
    data = change_form_data(editor_client, url, appraisal_status="appraised")
    response = editor_client.post(url, {**data, "_preview": "Preview effect"})
    assert response.context["adminform"].form.errors == {"appraisal_status": [OWN_SUBMISSION]}
    claim_url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = change_form_data(editor_client, claim_url)
    index = next(i for i in range(2) if str(data[f"evidence-{i}-id"]) == str(community.pk))
    data[f"evidence-{index}-appraisal_status"] = "appraised"
    response = editor_client.post(claim_url, data)
    assert response.status_code == 200
    assert escape(OWN_SUBMISSION) in response.content.decode()
    assert stored(community) == before


def test_the_evidence_list_shows_and_filters_what_awaits_appraisal(editor_client, claim, community):
    response = editor_client.get(EVIDENCE_LIST + "?appraisal_status__exact=awaiting")
    assert list(response.context["cl"].result_list) == [community]
    html = response.content.decode()
    assert "Awaiting appraisal" in html
    assert f'href="{evidence_url(community)}">appraise</a>' in html
    everything = editor_client.get(EVIDENCE_LIST)
    assert len(everything.context["cl"].result_list) == 2


def test_the_evidence_list_runs_a_fixed_number_of_queries(editor_client, claim, member):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert editor_client.get(EVIDENCE_LIST).status_code == 200
        return len(queries)

    few = count()
    for n in range(3):
        study = make_study(doi=f"10.1000/more{n}", title=f"More {n}")
        link(claim, study, certainty="", appraisal_status="awaiting", added_by=member)
    assert count() == few


def test_the_claim_admin_refuses_publication_bias_without_a_reason(editor_client, claim):
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = change_form_data(editor_client, url, publication_bias="on")
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "publication_bias_reason" in response.context["adminform"].form.errors
    assert not Claim.objects.get(pk=claim.pk).publication_bias

    data = change_form_data(
        editor_client,
        url,
        publication_bias="on",
        publication_bias_reason="Only small positive trials were ever published.",
    )
    assert editor_client.post(url, data).status_code == 302
    claim.refresh_from_db()
    assert claim.publication_bias
    assert_scores_current()
    html = editor_client.get(url).content.decode()
    assert verdict_text(claim.verdict, claim.certainty) in html


def test_the_out_of_date_filter_lists_an_analysis_once_new_evidence_is_appraised(
    editor_client, editor, claim, community
):
    analysis = analysis_publish(claim=claim, author=editor, summary="One trial.")
    out_of_date = ANALYSIS_LIST + "?out_of_date=yes"
    up_to_date = ANALYSIS_LIST + "?out_of_date=no"
    # Awaiting appraisal, the community trial counts for nothing: still up to date.
    assert list(editor_client.get(out_of_date).context["cl"].result_list) == []
    assert list(editor_client.get(up_to_date).context["cl"].result_list) == [analysis]

    assert appraise(editor_client, community).status_code == 302

    response = editor_client.get(out_of_date)
    assert list(response.context["cl"].result_list) == [analysis]
    assert "Out of date: the counted evidence changed" in response.content.decode()
    assert list(editor_client.get(up_to_date).context["cl"].result_list) == []

    # A new version on the new evidence is current and up to date; v1 is superseded.
    v2 = analysis_publish(claim=claim, author=editor, summary="Two trials.")
    assert list(editor_client.get(out_of_date).context["cl"].result_list) == []
    assert list(editor_client.get(up_to_date).context["cl"].result_list) == [v2]
    html = editor_client.get(ANALYSIS_LIST).content.decode()
    assert "Superseded" in html and "Up to date" in html


def test_the_analysis_list_shows_what_each_version_recorded_in_fixed_queries(editor_client, editor):
    def count():
        with CaptureQueriesContext(connection) as queries:
            response = editor_client.get(ANALYSIS_LIST)
        assert response.status_code == 200
        return len(queries), response

    first = make_claim(slug="first")
    link(first, make_study(doi="10.1000/a", sample_size=400), certainty="")
    analysis_publish(claim=first, author=editor)
    few, response = count()
    [row] = response.context["cl"].result_list
    first.refresh_from_db()
    assert (row.pro, row.against, row.verdict, row.certainty) == (
        first.pro_score,
        first.against_score,
        first.verdict,
        first.certainty,
    )
    assert first.certainty  # recorded, and shown
    assert row.get_certainty_display() in response.content.decode()
    for n in range(3):
        claim = make_claim(slug=f"claim-{n}")
        analysis_publish(claim=claim, author=editor)
        analysis_publish(claim=claim, author=editor)
    many, _ = count()
    assert many == few
    assert Analysis.objects.count() == 7
