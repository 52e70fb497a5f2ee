"""Issue 18, from the fresh-clone review: a version page shows the version exactly as it was
published or replaced (mechanisms and step levels recorded when the next version replaced it;
bottom line, who it applied to, "How it might work" and "what would change" as they were), and
its citation is the same on the claim page, the version page and the files."""

import json
import re
from html import unescape

import pytest
import rispy
from django.core.management import call_command
from django.urls import reverse

from claims.models import Analysis, Claim, Evidence, Mechanism, MechanismStep
from claims.services import analysis_publish
from claims.versions import MECHANISMS_NOT_RECORDED
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def open_site(settings):
    settings.FULL_VERDICT_REQUIRES_LOGIN = False
    settings.SITE_URL = "https://claims.example.org"


def text_of(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def version_page(client, claim, n) -> str:
    return client.get(reverse("claim-version", args=[claim.slug, n])).content.decode()


def claim_with_a_chain():
    """v1 with one step measured in an appraised trial, then v2 published over it."""
    claim = make_claim(
        bottom_line="Old bottom line.", population="Old population", explanation="Old idea."
    )
    trial = make_study(doi="10.1000/trial", title="Strong trial", sample_size=120)
    link(claim, trial, certainty="high")
    v1 = analysis_publish(claim=claim, summary="One.")
    mechanism = Mechanism.objects.create(
        analysis=v1, kind="most_probable", rank=1, simple_summary="Old chain."
    )
    step = MechanismStep.objects.create(mechanism=mechanism, order=1, text="X binds.")
    step.citations.add(trial)
    analysis_publish(claim=claim, summary="Two.")
    return Claim.objects.get(pk=claim.pk), step, trial


def test_a_replaced_version_keeps_its_chain_and_levels_whatever_is_edited_later(client):
    claim, step, trial = claim_with_a_chain()
    before = text_of(version_page(client, claim, 1))
    assert "X binds." in before and "Supported by evidence" in before
    assert "as recorded on" in before and "when the next version replaced this one" in before
    # Later: the step is rewritten and its study's link withdrawn from the claim.
    MechanismStep.objects.filter(pk=step.pk).update(text="Y binds instead.")
    Mechanism.objects.filter(pk=step.mechanism_id).update(simple_summary="New chain.")
    evidence = Evidence.objects.get(claim=claim, study=trial)
    evidence.status = Evidence.Status.PENDING
    evidence.save()
    after = text_of(version_page(client, claim, 1))
    assert "X binds." in after and "Old chain." in after and "Supported by evidence" in after
    assert "Y binds instead." not in after and "New chain." not in after
    assert trial.link_url in version_page(client, claim, 1)


def test_the_current_version_shows_its_live_chain_without_a_note(client):
    claim, _, _ = claim_with_a_chain()
    v2 = Analysis.objects.get(claim=claim, version=2)
    Mechanism.objects.create(analysis=v2, kind="most_probable", rank=1, simple_summary="Live.")
    text = text_of(version_page(client, claim, 2))
    assert "Live." in text and "as recorded on" not in text
    assert MECHANISMS_NOT_RECORDED not in text


def test_a_version_replaced_before_records_began_says_so(client):
    claim, _, _ = claim_with_a_chain()
    Analysis.objects.filter(claim=claim, version=1).update(
        mechanisms_snapshot=[], mechanisms_recorded_at=None
    )
    assert MECHANISMS_NOT_RECORDED in text_of(version_page(client, claim, 1))


def test_it_shows_the_bottom_line_population_and_explanation_as_published(client):
    claim, _, _ = claim_with_a_chain()
    claim.bottom_line, claim.population, claim.explanation = "New line.", "New people", "New."
    claim.save()
    text = text_of(version_page(client, claim, 1))
    assert "What this means for you" in text and "Old bottom line." in text
    assert "Who this applied to: Old population" in text
    assert "How it might work" in text and "Old idea." in text
    assert "New line." not in text and "New people" not in text
    assert "Not medical advice." in text


def test_it_shows_what_would_have_changed_the_verdict_then(client):
    claim, _, _ = claim_with_a_chain()
    v1 = Analysis.objects.get(claim=claim, version=1)
    assert v1.what_would_change
    assert f"What would have changed the verdict then: {v1.what_would_change}" in text_of(
        version_page(client, claim, 1)
    )


def test_the_claim_page_cites_the_wording_the_version_was_published_with(client):
    claim, _, _ = claim_with_a_chain()
    published_title = claim.headline or claim.plain_statement
    claim.plain_statement = "A later, reworded claim."
    claim.save()
    page = client.get(claim.get_absolute_url()).content.decode()
    ris = client.get(reverse("claim-version-cite", args=[claim.slug, 2, "ris"])).content.decode()
    (record,) = rispy.loads(ris)
    assert record["title"] == published_title
    cite = page[page.index('id="cite-heading"') :]
    assert published_title in unescape(cite) and "A later, reworded claim." not in cite


def test_the_citation_names_its_author_and_follows_apa_7(client):
    claim, _, _ = claim_with_a_chain()
    ris = client.get(reverse("claim-version-cite", args=[claim.slug, 1, "ris"])).content.decode()
    (record,) = rispy.loads(ris)
    assert record["authors"] == ["Evidence Claims"]
    html = version_page(client, claim, 1)
    apa = unescape(
        re.search(r'id="cite-apa">APA</h3>\s*<pre[^>]*><code>(.*?)</code>', html).group(1)
    )
    assert apa.endswith("(Version 1). https://claims.example.org/claims/a-claim/v/1/")
    assert "Retrieved from" not in apa


def test_a_version_page_carries_citation_meta_for_reference_managers(client):
    claim, _, _ = claim_with_a_chain()
    v1 = Analysis.objects.get(claim=claim, version=1)
    html = version_page(client, claim, 1)
    meta = dict(re.findall(r'<meta name="(citation_[a-z_]+)" content="([^"]*)">', html))
    assert meta["citation_title"] == unescape(claim.headline or claim.plain_statement)
    assert meta["citation_author"] == "Evidence Claims"
    assert meta["citation_publication_date"] == f"{v1.published_at:%Y/%m/%d}"
    assert meta["citation_public_url"] == "https://claims.example.org/claims/a-claim/v/1/"


def test_the_claim_review_dates_match_the_trust_block(client):
    claim, _, _ = claim_with_a_chain()
    first = Analysis.objects.get(claim=claim, version=1)
    Analysis.objects.filter(pk=first.pk).update(published_at=first.published_at.replace(year=2020))
    claim = Claim.objects.get(pk=claim.pk)
    html = client.get(claim.get_absolute_url()).content.decode()
    (script,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    review = json.loads(script)
    assert review["@type"] == "ClaimReview"
    assert review["datePublished"].startswith("2020-")
    assert review["dateModified"] == claim.last_changed_at.date().isoformat()


def test_a_new_version_starts_with_the_mechanisms_it_replaces(client, member_client):
    """Fresh-clone review: publishing emptied the claim page's mechanism section."""
    claim, step, trial = claim_with_a_chain()
    v2 = Analysis.objects.get(claim=claim, version=2)
    (mechanism,) = v2.mechanisms.all()
    (carried,) = mechanism.steps.all()
    assert (mechanism.simple_summary, carried.text) == ("Old chain.", "X binds.")
    assert list(carried.citations.all()) == [trial]
    # Editing the copy leaves the replaced version's record as it was.
    MechanismStep.objects.filter(pk=carried.pk).update(text="Revised in v2.")
    page = text_of(member_client.get(claim.get_absolute_url()).content.decode())
    assert "Revised in v2." in page and "No mechanism has been proposed" not in page
    assert "X binds." in text_of(version_page(client, claim, 1))


def test_a_version_with_no_mechanism_says_so_and_nothing_about_steps(client):
    claim = make_claim()
    link(claim, make_study(doi="10.1000/t"), certainty="high")
    analysis_publish(claim=claim)
    analysis_publish(claim=claim)
    text = text_of(version_page(client, claim, 1))
    assert "No mechanism was recorded for this version." in text
    assert "every step is inferred" not in text


def test_a_version_page_title_is_its_og_title(client):
    claim, _, _ = claim_with_a_chain()
    html = version_page(client, claim, 1)
    title = re.search(r"<title>(.*?) · ", html).group(1)
    og = re.search(r'<meta property="og:title" content="([^"]*)">', html).group(1)
    assert unescape(title) == unescape(og)


def test_the_demo_s_first_versions_do_not_show_today_s_bottom_line(client):
    call_command("load_demo", verbosity=0)  # as `make run` loads it: history dated
    slug = "near-failure-training-motor-unit-firing-rate"
    text = text_of(client.get(f"/claims/{slug}/v/1/").content.decode())
    assert "was not recorded: shown is today's" in text
    assert "What this means for you" not in text
    latest = Analysis.objects.filter(claim__slug=slug).order_by("-version").first()
    current = text_of(client.get(f"/claims/{slug}/v/{latest.version}/").content.decode())
    assert "What this means for you" in current and "was not recorded" not in current
