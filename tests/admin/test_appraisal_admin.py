"""Appraising evidence in the admin: reasons required, the effect previewed, own work refused."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from claims.admin.claim import HELD_MESSAGE, PREVIEWED
from claims.admin.evidence import PREVIEW_HINT, PREVIEW_MESSAGE
from claims.appraisal import OWN_SUBMISSION, evidence_appraise
from claims.models import REASON_REQUIRED, Analysis, Claim, Evidence
from claims.services import analysis_publish, claim_scorecard
from claims.verdict_text import verdict_and_certainty as verdict_text
from community.services import submission_accept
from tests.admin.admin_forms import change_form_data, evidence_url
from tests.factories import (
    assert_scores_current,
    editors_group,
    link,
    make_claim,
    make_study,
    make_submission,
)

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


# --- the submitter's own link, re-appraisals, the study of a link, the claim form's preview --


def another_editor(django_user_model, name: str):
    user = django_user_model.objects.create_user(name, f"{name}@example.org", "pw", is_staff=True)
    user.groups.add(editors_group())
    return user


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def claim_url(claim) -> str:
    return reverse("admin:claims_claim_change", args=[claim.pk])


def inline_index(data: dict, evidence) -> int:
    total = int(data["evidence-TOTAL_FORMS"])
    return next(i for i in range(total) if str(data[f"evidence-{i}-id"]) == str(evidence.pk))


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def submitter(django_user_model):
    return another_editor(django_user_model, "submitter")


@pytest.fixture
def appraised_submission(claim, editor, submitter):
    """The submitter's contradicting trial, accepted and appraised by `editor`: high risk."""
    study = make_study(doi="10.1000/submitted", title="Submitted trial", sample_size=400)
    submission = make_submission(claim, submitter, doi=study.doi, stance="contradicts")
    evidence = submission_accept(submission=submission, moderator=editor).evidence
    return evidence_appraise(
        evidence=evidence,
        editor=editor,
        risk_of_bias_judgement="high",
        risk_of_bias=2,
        risk_of_bias_reason="Allocation was not concealed.",
    )


def test_the_submitter_cannot_reappraise_their_submission_after_another_editor(
    submitter, editor, claim, appraised_submission
):
    """The defect: the submitter set "low" and cleared the reason on their own link after
    another editor appraised it: saved (302), and the appraisal still named the other editor."""
    client, evidence = client_of(submitter), appraised_submission
    before, scored = stored(evidence), scores(claim)
    url = evidence_url(evidence)
    lowered = {"risk_of_bias_judgement": "low", "risk_of_bias": "0", "risk_of_bias_reason": ""}
    data = change_form_data(client, url, **lowered)

    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"appraisal_status": [OWN_SUBMISSION]}
    # Nor through the preview, nor the claim's inline.
    response = client.post(url, {**data, "_preview": "Preview effect"})
    assert response.context["adminform"].form.errors == {"appraisal_status": [OWN_SUBMISSION]}
    assert not messages_of(response)
    data = change_form_data(client, claim_url(claim))
    index = inline_index(data, evidence)
    data.update({f"evidence-{index}-{name}": value for name, value in lowered.items()})
    response = client.post(claim_url(claim), data)
    assert response.status_code == 200
    assert escape(OWN_SUBMISSION) in response.content.decode()

    assert stored(evidence) == before
    assert (before["appraised_by_id"], before["risk_of_bias_judgement"]) == (editor.pk, "high")
    assert scores(claim) == scored


def test_a_reappraisal_records_who_and_when_and_says_what_it_did(
    django_user_model, editor, claim, appraised_submission
):
    third = another_editor(django_user_model, "third")
    client, evidence = client_of(third), appraised_submission
    first_at = stored(evidence)["appraised_at"]
    live = claim_scorecard(claim)
    url = evidence_url(evidence)
    data = change_form_data(
        client,
        url,
        risk_of_bias_judgement="some",
        risk_of_bias="1",
        risk_of_bias_reason="Concealment unclear; outcome assessors were blinded.",
    )

    response = client.post(url, data, follow=True)

    assert response.redirect_chain[0][1] == 302
    evidence.refresh_from_db()
    assert evidence.appraised_by == third and evidence.appraised_at > first_at
    claim.refresh_from_db()
    assert claim.against_score != live.against
    [message] = [m for m in messages_of(response) if m.startswith("Appraised “Submitted trial")]
    assert f"Against {live.against} → {claim.against_score}" in message
    assert_scores_current()

    # A finding alone is not a re-appraisal: who appraised it stays.
    data = change_form_data(client_of(editor), url, finding="Growth was similar.")
    assert client_of(editor).post(url, data).status_code == 302
    evidence.refresh_from_db()
    assert (evidence.finding, evidence.appraised_by) == ("Growth was similar.", third)


def test_the_study_of_an_existing_link_cannot_be_changed(editor_client, claim, community):
    """Swapping the study kept the other study's appraisal and its reasons."""
    other = make_study(doi="10.1000/other", title="Other trial", sample_size=400)
    url = evidence_url(community)
    assert 'name="study"' not in editor_client.get(url).content.decode()
    data = change_form_data(editor_client, url, study=str(other.pk), finding="Changed.")
    assert editor_client.post(url, data).status_code == 302
    assert (stored(community)["study_id"], stored(community)["finding"]) == (
        community.study_id,
        "Changed.",
    )

    data = change_form_data(editor_client, claim_url(claim))
    index = inline_index(data, community)
    data[f"evidence-{index}-study"] = str(other.pk)
    data[f"evidence-{index}-finding"] = "Changed inline."
    response = editor_client.post(claim_url(claim), data)
    assert response.status_code == 302
    assert (stored(community)["study_id"], stored(community)["finding"]) == (
        community.study_id,
        "Changed inline.",
    )
    assert not other.evidence.exists()


def test_appraising_in_the_claim_inline_shows_the_effect_before_it_saves(
    editor_client, editor, claim, community
):
    """The defect: the inline saved an appraisal without showing the before → after first."""
    url = claim_url(claim)
    data = change_form_data(editor_client, url)
    data[f"evidence-{inline_index(data, community)}-appraisal_status"] = "appraised"
    before, scored = stored(community), scores(claim)
    live = claim_scorecard(claim)

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert stored(community) == before and scores(claim) == scored
    [message] = messages_of(response)
    effect = message.removeprefix(HELD_MESSAGE.split("{")[0]).split(". Check")[0]
    assert message == HELD_MESSAGE.format(effect=effect)
    assert effect.startswith(f"{verdict_text(live.verdict, live.certainty)} → ")
    token = response.context["previewed"]
    assert f'name="{PREVIEWED}" value="{token}"' in response.content.decode()
    assert not response.context["errors"]

    # Saved with the token of what was previewed, it does what the preview said.
    response = editor_client.post(url, {**data, PREVIEWED: token}, follow=True)
    assert response.redirect_chain[0][1] == 302
    community.refresh_from_db()
    assert (community.appraisal_status, community.appraised_by) == ("appraised", editor)
    claim.refresh_from_db()
    assert effect.startswith(
        f"{verdict_text(live.verdict, live.certainty)} → "
        f"{verdict_text(claim.verdict, claim.certainty)} ("
    )
    assert any(m.startswith("Appraised “Community trial") for m in messages_of(response))
    assert_scores_current()


def test_a_token_for_other_changes_does_not_save_them(editor_client, claim, community):
    url = claim_url(claim)
    data = change_form_data(editor_client, url)
    index = inline_index(data, community)
    data[f"evidence-{index}-appraisal_status"] = "appraised"
    token = editor_client.post(url, data).context["previewed"]
    before = stored(community)
    data[f"evidence-{index}-stance"] = "supports"
    response = editor_client.post(url, {**data, PREVIEWED: token})
    assert response.status_code == 200
    assert stored(community) == before
    assert response.context["previewed"] != token


def test_the_claim_form_previews_the_combined_effect_of_its_changes_without_saving(
    editor_client, claim, community
):
    url = claim_url(claim)
    html = editor_client.get(url).content.decode()
    assert 'name="_preview"' in html and escape(PREVIEW_HINT) in html
    data = change_form_data(
        editor_client,
        url,
        publication_bias="on",
        publication_bias_reason="Only small positive trials were ever published.",
        summary="Edited summary.",
    )
    data[f"evidence-{inline_index(data, community)}-appraisal_status"] = "appraised"
    before, scored = stored(community), scores(claim)
    live = claim_scorecard(claim)

    response = editor_client.post(url, {**data, "_preview": "Preview effect"})

    assert response.status_code == 200
    assert stored(community) == before and scores(claim) == scored
    assert Claim.objects.get(pk=claim.pk).summary != "Edited summary."
    [message] = messages_of(response)
    effect = message.removeprefix(PREVIEW_MESSAGE.split("{")[0])
    assert message == PREVIEW_MESSAGE.format(effect=effect)
    assert escape(effect) in response.content.decode().replace(escape(message), "", 1)

    response = editor_client.post(url, {**data, PREVIEWED: response.context["previewed"]})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.publication_bias and claim.summary == "Edited summary."
    assert effect == (
        f"{verdict_text(live.verdict, live.certainty)} → "
        f"{verdict_text(claim.verdict, claim.certainty)} "
        f"(Pro {live.pro}{'' if live.pro == claim.pro_score else f' → {claim.pro_score}'}, "
        f"Against {live.against} → {claim.against_score})"
    )


def test_the_claim_preview_of_an_invalid_form_shows_the_errors(editor_client, claim, community):
    url = claim_url(claim)
    data = change_form_data(editor_client, url, publication_bias="on")
    response = editor_client.post(url, {**data, "_preview": "Preview effect"})
    assert response.status_code == 200
    assert "publication_bias_reason" in response.context["adminform"].form.errors
    assert "Correct the errors below, then preview again." in response.content.decode()
    assert not messages_of(response)


def test_claim_edits_that_move_no_score_save_at_once(editor_client, claim, community):
    url = claim_url(claim)
    data = change_form_data(editor_client, url, summary="Only the summary.")
    data[f"evidence-{inline_index(data, community)}-finding"] = "A finding."
    assert editor_client.post(url, data).status_code == 302
    assert stored(community)["finding"] == "A finding."
