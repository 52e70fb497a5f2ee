"""Issue 18: a permanent page per analysis version (/claims/<slug>/v/<n>/), and "Cite this
claim" (APA, BibTeX, RIS) on it and on the claim page."""

import re
from datetime import timedelta
from html import unescape

import bibtexparser
import pytest
import rispy
from django.urls import reverse
from django.utils import timezone
from pybtex.database import parse_string as pybtex_parse
from pylatexenc.latex2text import LatexNodes2Text

from claims.history import NOT_RECORDED
from claims.models import Analysis, Claim, Evidence, Mechanism, MechanismStep
from claims.services import analysis_publish
from claims.versions import WORDING_NOT_RECORDED
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db


def version_url(claim, n) -> str:
    return reverse("claim-version", args=[claim.slug, n])


def text_of(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def published_claim(**fields):
    """A claim with one supporting trial, published as v1, then its evidence weakened."""
    claim = make_claim(**fields)
    trial = make_study(doi="10.1000/trial", title="Strong trial", sample_size=120)
    link(claim, trial, certainty="high")
    v1 = analysis_publish(claim=claim, summary="Version one says yes.")
    return claim, v1, trial


@pytest.fixture
def settings_open(settings):
    settings.FULL_VERDICT_REQUIRES_LOGIN = False
    settings.SITE_URL = "https://claims.example.org"
    return settings


def test_it_shows_the_recorded_scores_not_todays(client, settings_open):
    claim, v1, _ = published_claim()
    assert v1.pro > 0
    recorded = (v1.pro, v1.against, v1.verdict)
    # After publishing: the evidence turns against the claim.
    link(claim, make_study(doi="10.1000/big", title="Big null trial", sample_size=900),
         stance="contradicts", certainty="high")  # fmt: skip
    claim.refresh_from_db()
    assert (claim.pro_score, claim.against_score) != recorded[:2]
    html = client.get(version_url(claim, 1)).content.decode()
    text = text_of(html)
    assert f'<rect width="{v1.pro}" height="1">' in html
    assert f'<rect width="{v1.against}" height="1">' in html
    assert v1.verdict in text
    assert "Strong trial" in text and "Big null trial" not in text
    assert "Version one says yes." in text
    # Today's claim page has the new scores.
    today = client.get(claim.get_absolute_url()).content.decode()
    assert f'<rect width="{claim.against_score}" height="1">' in today


def test_it_says_which_version_is_current(client, settings_open):
    claim, _, _ = published_claim()
    text = text_of(client.get(version_url(claim, 1)).content.decode())
    assert "You are reading version 1, published" in text
    assert "This is the current version." in text
    analysis_publish(claim=claim)
    html = client.get(version_url(claim, 1)).content.decode()
    assert "The current version is 2:" in text_of(html)
    assert f'href="{version_url(claim, 2)}"' in html
    assert "This is the current version." in text_of(
        client.get(version_url(claim, 2)).content.decode()
    )


def test_it_is_its_own_canonical_page_with_the_medical_notice(client, settings_open):
    claim, _, _ = published_claim()
    html = client.get(version_url(claim, 1)).content.decode()
    assert (
        f'<link rel="canonical" href="https://claims.example.org{version_url(claim, 1)}">' in html
    )
    assert "Not medical advice." in html


@pytest.mark.parametrize(
    "path",
    [
        "/claims/a-claim/v/2/",  # no such version
        "/claims/a-claim/v/0/",
        "/claims/a-claim/v/one/",  # not a number
        "/claims/a-claim/v/-1/",
        "/claims/a-claim/v/99999999999999999999999/",  # past any database integer
        "/claims/no-such-claim/v/1/",
        "/claims/a-claim/v/2/cite.bib",
        "/claims/a-claim/v/x/cite.ris",
        "/claims/a-claim/v/1/cite.txt",
    ],
)
def test_it_404s(client, path):
    published_claim()
    assert client.get(path).status_code == 404


def test_it_404s_for_a_draft_even_for_editors(client, editor_client):
    claim, _, _ = published_claim()
    Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.DRAFT)
    assert client.get(version_url(claim, 1)).status_code == 404
    assert editor_client.get(version_url(claim, 1)).status_code == 404


def test_it_404s_for_a_version_dated_in_the_future(client):
    claim, _, _ = published_claim()
    analysis_publish(claim=claim, published_at=timezone.now() + timedelta(days=3))
    assert client.get(version_url(claim, 2)).status_code == 404
    assert "This is the current version." in client.get(version_url(claim, 1)).content.decode()


def test_it_moves_an_upper_case_slug_for_good(client):
    published_claim()
    response = client.get("/claims/A-Claim/v/1/")
    assert response.status_code == 301 and response["Location"] == "/claims/a-claim/v/1/"
    response = client.get("/claims/A-Claim/v/1/cite.bib")
    assert response.status_code == 301 and response["Location"] == "/claims/a-claim/v/1/cite.bib"
    assert client.get("/claims/No-Such/v/1/").status_code == 404


def test_it_shows_the_wording_as_published(client, settings_open):
    claim, _, _ = published_claim()
    claim.plain_statement = "Reworded later."
    claim.save()
    html = client.get(version_url(claim, 1)).content.decode()
    assert '<h1 class="statement-text" id="claim-heading">X makes Y go up.</h1>' in html
    assert "Reworded later." not in html
    assert WORDING_NOT_RECORDED not in html


def test_it_says_when_the_wording_was_not_recorded(client, settings_open):
    claim = make_claim()
    # Published before the claim's audit trail starts.
    analysis_publish(claim=claim, published_at=claim.created_at - timedelta(days=400))
    text = text_of(client.get(version_url(claim, 1)).content.decode())
    assert WORDING_NOT_RECORDED in text and "X makes Y go up." in text


def test_it_says_when_the_scores_were_not_recorded(client, settings_open):
    claim = make_claim()
    Analysis.objects.create(claim=claim, version=1, summary="Old text.")
    text = text_of(client.get(version_url(claim, 1)).content.decode())
    assert NOT_RECORDED in text and "Old text." in text


def test_it_shows_that_versions_mechanisms_and_gates_them(client, member_client, settings):
    claim, v1, trial = published_claim()
    mechanism = Mechanism.objects.create(
        analysis=v1, kind="most_probable", rank=1, simple_summary="More X, more Y."
    )
    step = MechanismStep.objects.create(mechanism=mechanism, order=1, text="X binds the receptor.")
    step.citations.add(trial)
    v2 = analysis_publish(claim=claim)
    Mechanism.objects.create(analysis=v2, kind="most_probable", rank=1, simple_summary="New idea.")
    html = member_client.get(version_url(claim, 1)).content.decode()
    assert "More X, more Y." in html and "X binds the receptor." in html
    assert "New idea." not in html
    assert "Supported by evidence" in html and trial.link_url in html
    settings.FULL_VERDICT_REQUIRES_LOGIN = True
    anonymous = client.get(version_url(claim, 1)).content.decode()
    assert "More X, more Y." not in anonymous and "Sign up to see the full version" in anonymous
    assert f'<rect width="{v1.pro}" height="1">' in anonymous  # the verdict is for everyone


def test_it_bounds_its_queries(member_client, django_assert_max_num_queries):
    claim, v1, _ = published_claim()
    for n in range(30):
        study = make_study(doi=f"10.1000/s{n}", title=f"Study {n}")
        link(claim, study)
    mechanism = Mechanism.objects.create(analysis=v1, kind="most_probable", rank=1)
    for order in range(1, 6):
        MechanismStep.objects.create(mechanism=mechanism, order=order, text=f"Step {order}")
    v2 = analysis_publish(claim=claim)
    assert len(v2.evidence_snapshot) == 31
    member_client.get(version_url(claim, 2))
    # session, user, claim, the version, its mechanisms, steps, their citations and inferred
    # studies, the claim as published (audit trail), the snapshot's studies, the current version,
    # the standing links its steps' levels count (v1's steps carried into v2)
    with django_assert_max_num_queries(12):
        response = member_client.get(version_url(claim, 2))
    assert response.status_code == 200 and "Study 29" in response.content.decode()


def cite_block(html: str, heading: str) -> str:
    """The text of one <pre> of the cite block, as a reader copies it."""
    match = re.search(
        rf'id="cite-{heading}">[^<]*</h3>\s*<pre class="cite-text"><code>(.*?)</code>', html, re.S
    )
    assert match, heading
    return unescape(match.group(1))


def test_it_gives_an_apa_citation(client, settings_open):
    claim, v1, _ = published_claim(headline="X & Y: the {real} story")
    html = client.get(version_url(claim, 1)).content.decode()
    date = timezone.localdate(v1.published_at)
    assert cite_block(html, "apa") == (
        f"Evidence Claims. ({date.year}, {date:%B} {date.day}). X & Y: the {{real}} story "
        f"(Version 1). https://claims.example.org/claims/a-claim/v/1/"
    )


def test_its_bibtex_reads_back_in_bibtexparser_and_pybtex(client, settings_open):
    claim, v1, _ = published_claim(headline="X & Y: 50% more_of it #2 {real}")
    html = client.get(version_url(claim, 1)).content.decode()
    download = client.get(f"{version_url(claim, 1)}cite.bib")
    assert download["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert download["Content-Disposition"] == 'attachment; filename="a-claim-v1.bib"'
    text = download.content.decode()
    assert cite_block(html, "bibtex") == text
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.entry_type == "misc" and entry.key == "a-claim-v1"
    fields = {field.key: field.value for field in entry.fields}
    date = timezone.localdate(v1.published_at)
    url = "https://claims.example.org/claims/a-claim/v/1/"
    assert LatexNodes2Text().latex_to_text(fields["title"]) == "X & Y: 50% more_of it #2 {real}"
    assert fields["url"] == url and fields["howpublished"] == rf"\url{{{url}}}"
    assert fields["note"] == "Version 1" and fields["year"] == str(date.year)
    assert fields["urldate"] == timezone.localdate().isoformat()
    pybtex_entry = pybtex_parse(text, "bibtex").entries["a-claim-v1"]
    assert pybtex_entry.fields["month"] == f"{date:%B}"
    assert str(pybtex_entry.persons["author"][0]) == "{Evidence Claims}"


def test_its_ris_reads_back_in_rispy(client, settings_open):
    claim, v1, _ = published_claim()
    html = client.get(version_url(claim, 1)).content.decode()
    download = client.get(f"{version_url(claim, 1)}cite.ris")
    assert download["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    assert download["Content-Disposition"] == 'attachment; filename="a-claim-v1.ris"'
    text = download.content.decode()
    assert cite_block(html, "ris") == text
    (record,) = rispy.loads(text)
    date = timezone.localdate(v1.published_at)
    assert record["type_of_reference"] == "ELEC"
    assert record["title"] == "X makes Y go up."
    assert record["urls"] == ["https://claims.example.org/claims/a-claim/v/1/"]
    assert record["year"] == str(date.year) and record["date"] == f"{date:%Y/%m/%d}"
    assert record["edition"] == "Version 1" and record["publisher"] == "Evidence Claims"


def test_the_claim_page_cites_its_current_version(client, member_client, settings_open):
    claim, _, _ = published_claim()
    analysis_publish(claim=claim)
    for browser in (client, member_client):
        html = browser.get(claim.get_absolute_url()).content.decode()
        assert "Cite this claim" in html
        assert "(Version 2). https://claims.example.org/claims/a-claim/v/2/" in html
        assert f'href="{version_url(claim, 2)}cite.bib"' in html
        assert f'href="{version_url(claim, 2)}cite.ris"' in html
        assert (
            cite_block(html, "bibtex")
            == client.get(f"{version_url(claim, 2)}cite.bib").content.decode()
        )


def test_the_claim_page_has_no_cite_block_before_a_version_is_published(client, settings_open):
    claim = make_claim()
    assert "Cite this claim" not in client.get(claim.get_absolute_url()).content.decode()


def test_the_history_page_links_each_version(client):
    claim, _, _ = published_claim()
    analysis_publish(claim=claim)
    html = client.get(reverse("claim-history", args=[claim.slug])).content.decode()
    assert html.count("Permanent link") == 2
    assert f'href="{version_url(claim, 1)}">Permanent link' in html
    assert f'href="{version_url(claim, 2)}">Permanent link' in html


def test_evidence_changes_after_publishing_do_not_touch_the_snapshot(client, settings_open):
    claim, v1, trial = published_claim()
    Evidence.objects.filter(claim=claim, study=trial).update(certainty="very_low")
    v1.refresh_from_db()
    html = client.get(version_url(claim, 1)).content.decode()
    assert "high certainty (this study)" in html


def test_it_says_so_when_the_certainty_was_not_recorded(client, settings_open):
    claim, v1, _ = published_claim()
    # A version scored before certainty was recorded: scores and studies, no certainty.
    Analysis.objects.filter(pk=v1.pk).update(certainty="", certainty_reasons=[])
    text = text_of(client.get(version_url(claim, 1)).content.decode())
    assert "Certainty not recorded" in text
    assert "not enough evidence" not in text


def test_a_zero_padded_version_moves_for_good_to_its_one_address(client, demo):
    slug = "near-failure-training-vastus-lateralis-csa"
    response = client.get(f"/claims/{slug}/v/01/")
    assert response.status_code == 301
    assert response["Location"] == f"/claims/{slug}/v/1/"
    cite = client.get(f"/claims/{slug}/v/001/cite.bib")
    assert cite.status_code == 301 and cite["Location"] == f"/claims/{slug}/v/1/cite.bib"
