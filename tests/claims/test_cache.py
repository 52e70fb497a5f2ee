"""Claim page caching: no stale page after an edit, and conditional GET (ETag → 304)."""

import re

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse

from claims.models import Analysis, Mechanism, MechanismStep
from claims.services import claim_scorecard
from community.models import Submission
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim():
    claim = make_claim(slug="cached")
    study = make_study(doi="10.1000/cached", title="The original study title")
    link(claim, study, finding="The original finding.")
    analysis = Analysis.objects.create(claim=claim, version=1)
    mechanism = Mechanism.objects.create(
        analysis=analysis, kind="most_probable", rank=1, simple_summary="Simple."
    )
    step = MechanismStep.objects.create(mechanism=mechanism, order=1, text="The original step.")
    step.citations.add(study)
    claim.ideal_studies.create(rank=1, design="rct", description="The original ideal.", why="w")
    return claim


def html(client, claim):
    return client.get(claim.get_absolute_url()).content.decode()


def test_it_serves_the_second_view_from_the_cache(
    member_client, claim, django_assert_max_num_queries
):
    html(member_client, claim)
    # session, user, claim
    with django_assert_max_num_queries(3):
        assert "The original finding." in html(member_client, claim)


def test_it_serves_anonymous_readers_the_whole_page_from_one_query(
    client, claim, settings, django_assert_num_queries
):
    settings.FULL_VERDICT_REQUIRES_LOGIN = False
    first = html(client, claim)
    with django_assert_num_queries(1):  # the claim, for its content version
        assert html(client, claim) == first
    assert "csrf" not in first.lower()  # nothing in it belongs to one reader


def test_it_renders_a_pending_message_for_an_anonymous_reader_once(client, claim):
    html(client, claim)  # the page is now cached
    storage = CookieStorage(HttpRequest())
    storage.add(messages.INFO, "A one-off notice.")
    response = HttpResponse()
    storage.update(response)
    client.cookies[storage.cookie_name] = response.cookies[storage.cookie_name].value

    assert "A one-off notice." in html(client, claim)
    assert "A one-off notice." not in html(client, claim)


@pytest.mark.parametrize("reader", ["member", "anonymous"])
def test_it_shows_an_edited_evidence_finding(client, member, claim, settings, reader):
    settings.FULL_VERDICT_REQUIRES_LOGIN = False  # anonymous readers see the findings too
    if reader == "member":
        client.force_login(member)
    assert "The original finding." in html(client, claim)
    evidence = claim.evidence.get()
    evidence.finding = "The corrected finding."
    evidence.save()
    assert "The corrected finding." in html(client, claim)


def test_it_shows_an_edited_study_title(member_client, claim):
    assert "The original study title" in html(member_client, claim)
    study = claim.evidence.get().study
    study.title = "The corrected study title"
    study.save()
    assert "The corrected study title" in html(member_client, claim)


def test_it_shows_an_edited_mechanism_step_and_citations(member_client, claim):
    assert "The original step." in html(member_client, claim)
    step = MechanismStep.objects.get()
    step.text = "The corrected step."
    step.save()
    page = html(member_client, claim)
    assert "The corrected step." in page
    step.citations.clear()
    # The legend names every level once; the step itself now reads "Plausible (inferred)" too.
    assert inferred_steps(html(member_client, claim)) == inferred_steps(page) + 1


@pytest.mark.parametrize("how", ["remove", "clear"])
def test_it_shows_a_citation_removed_from_the_study_side(member_client, claim, how):
    study = claim.evidence.get().study
    before = inferred_steps(html(member_client, claim))
    if how == "remove":
        study.cited_in_steps.remove(MechanismStep.objects.get())
    else:
        study.cited_in_steps.clear()
    assert inferred_steps(html(member_client, claim)) == before + 1


def inferred_steps(page: str) -> int:
    """How often the page says "Plausible (inferred)": the legend once, and each such step."""
    return page.count("Plausible (inferred)")


def test_it_shows_an_edited_claim_and_ideal_study(member_client, claim):
    html(member_client, claim)
    claim.refresh_from_db()
    claim.summary = "A **new** summary."
    claim.save()
    ideal = claim.ideal_studies.get()
    ideal.description = "The corrected ideal."
    ideal.save()
    page = html(member_client, claim)
    assert "<strong>new</strong> summary" in page
    assert "The corrected ideal." in page


def test_it_shows_new_evidence_and_a_new_score(member_client, claim):
    html(member_client, claim)
    link(claim, make_study(doi="10.1000/against", title="An opposing trial"), stance="contradicts")
    assert "An opposing trial" in html(member_client, claim)


def test_it_shows_a_new_pending_submission(member_client, member, claim):
    html(member_client, claim)
    Submission.objects.create(
        claim=claim, submitted_by=member, doi="10.1000/x", stance="supports", rationale="r"
    )
    assert "1 community submission awaiting review" in html(member_client, claim)


def test_it_shows_an_edit_made_in_the_admin(editor_client, claim):
    html(editor_client, claim)
    evidence = claim.evidence.get()
    response = editor_client.post(
        f"/admin/studies/study/{evidence.study_id}/change/",
        {
            "doi": "10.1000/cached",
            "title": "A title edited in the admin",
            "design": "rct",
            "sample_size": "40",
            "year": "2024",
        },
    )
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert "A title edited in the admin" in html(editor_client, claim)


def etag_after_cookies(client, claim):
    """The first response sets the CSRF cookie, which the ETag covers: take the second's."""
    client.get(claim.get_absolute_url())
    return client.get(claim.get_absolute_url())["ETag"]


def test_it_answers_304_when_the_etag_matches(client, claim):
    etag = etag_after_cookies(client, claim)
    assert etag
    again = client.get(claim.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""


def test_it_checks_the_etag_with_one_query(client, claim, django_assert_num_queries):
    etag = etag_after_cookies(client, claim)
    with django_assert_num_queries(1):  # the claim
        assert client.get(claim.get_absolute_url(), HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_it_changes_the_etag_after_an_edit(client, claim):
    etag = etag_after_cookies(client, claim)
    evidence = claim.evidence.get()
    evidence.finding = "Changed."
    evidence.save()
    assert client.get(claim.get_absolute_url(), HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_it_varies_the_etag_on_wording_htmx_and_login(client, member, claim):
    url = claim.get_absolute_url()
    plain = etag_after_cookies(client, claim)
    scientific = client.get(url, {"wording": "scientific"})["ETag"]
    fragment = client.get(url, {"wording": "scientific"}, HTTP_HX_REQUEST="true")["ETag"]
    assert len({plain, scientific, fragment}) == 3
    client.force_login(member)
    assert client.get(url, HTTP_IF_NONE_MATCH=plain).status_code == 200


def test_it_asks_browsers_to_revalidate(client, claim):
    response = client.get(claim.get_absolute_url())
    assert "no-cache" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_it_never_serves_an_htmx_page_request_the_wording_fragment(client, claim, settings):
    settings.FULL_VERDICT_REQUIRES_LOGIN = False
    url = claim.get_absolute_url()
    fragment = client.get(url, {"wording": "plain"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment
    page = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" in page and "The original finding." in page
    assert client.get(url, {"wording": "plain"}, HTTP_HX_REQUEST="true").content.decode() == (
        fragment
    )


def test_it_does_not_pass_one_readers_query_string_to_the_next(client, claim, settings):
    settings.FULL_VERDICT_REQUIRES_LOGIN = False
    client.get(claim.get_absolute_url(), {"ref": "first-reader"})
    later = client.get(claim.get_absolute_url()).content.decode()
    assert "first-reader" not in later
    assert f'?next={claim.get_absolute_url()}"' in later


def test_it_shares_an_anonymous_page_between_readers_with_different_csrf_cookies(
    client, claim, settings, django_assert_num_queries
):
    settings.FULL_VERDICT_REQUIRES_LOGIN = False
    client.cookies[settings.CSRF_COOKIE_NAME] = "a" * 32
    first = client.get(claim.get_absolute_url())
    client.cookies[settings.CSRF_COOKIE_NAME] = "b" * 32
    with django_assert_num_queries(1):
        second = client.get(claim.get_absolute_url())
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_it_changes_the_etag_and_the_cached_page_when_site_url_changes(client, claim, settings):
    settings.FULL_VERDICT_REQUIRES_LOGIN = False
    settings.SITE_URL = "https://old.example.org"
    etag = etag_after_cookies(client, claim)
    assert 'href="https://old.example.org/claims/cached/"' in html(client, claim)  # cached
    settings.SITE_URL = "https://claims.example.org"
    response = client.get(claim.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag
    page = response.content.decode()
    assert '<link rel="canonical" href="https://claims.example.org/claims/cached/">' in page
    assert "old.example.org" not in page


def test_it_varies_the_etag_on_the_requested_origin_without_site_url(client, claim, settings):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["claims.example.org", "mirror.example.net"]
    url = claim.get_absolute_url()
    client.get(url)  # the CSRF cookie
    etags = {
        client.get(url, headers={"Host": host}, secure=secure)["ETag"]
        for host in ("claims.example.org", "mirror.example.net")
        for secure in (True, False)
    }
    assert len(etags) == 4


def against_score(page: str) -> int:
    return int(re.search(r'score-against">.*?score-value">(\d+)<', page, re.S).group(1))


def test_it_serves_a_new_anonymous_page_once_a_waiting_study_is_appraised(client, claim):
    waiting = link(
        claim,
        make_study(doi="10.1000/waiting", title="The waiting trial"),
        stance="contradicts",
        appraisal_status="awaiting",
    )
    etag = etag_after_cookies(client, claim)
    assert against_score(html(client, claim)) == 0  # cached now
    waiting.appraisal_status = "appraised"
    waiting.save()
    response = client.get(claim.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag
    assert against_score(response.content.decode()) == claim_scorecard(claim).against > 0


def test_it_serves_a_new_page_when_a_study_is_found_pooled_in_a_review(member_client, claim):
    review = make_study(doi="10.1000/review", title="The review", design="meta_analysis_rct")
    link(claim, review)
    assert "Not counted:" not in html(member_client, claim)
    claim.evidence.get(study__doi="10.1000/cached").study.pooled_in.add(review)
    assert "pooled in" in html(member_client, claim)
