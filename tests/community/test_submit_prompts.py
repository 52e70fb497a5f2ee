"""The claim page's one submit prompt, the stance its links preselect, and where the keyboard
focus lands when the inline form loads, fails or succeeds (issue 18)."""

import lxml.html
import pytest
from django.urls import reverse

from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db

DOI = "10.1080/02640414.2024.2321021"
HTMX = {"HTTP_HX_REQUEST": "true"}
PROMPT = "Community contributions welcome"


@pytest.fixture
def claim():
    claim = make_claim(slug="failure-training")
    link(claim, make_study(doi="10.5555/supporting"))
    return claim


@pytest.fixture
def url(claim):
    return reverse("claim-submit", args=[claim.slug])


def tree(response):
    return lxml.html.fromstring(response.content.decode())


def checked_stance(response) -> list[str]:
    return tree(response).xpath("//input[@name='stance'][@checked]/@value")


def autofocused(response) -> list:
    return tree(response).xpath("//*[@autofocus]")


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
@pytest.mark.parametrize("stance", ["supports", "contradicts"])
def test_the_stance_in_the_address_is_preselected(member_client, url, stance, headers):
    response = member_client.get(url, {"stance": stance}, **headers)
    assert response.status_code == 200
    assert checked_stance(response) == [stance]


@pytest.mark.parametrize("stance", ["", "neutral", "SUPPORTS", "<script>"])
def test_an_unknown_stance_is_ignored(member_client, url, stance):
    response = member_client.get(url, {"stance": stance})
    assert response.status_code == 200
    assert checked_stance(response) == []


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_the_loaded_form_focuses_its_first_field(member_client, url, headers):
    focused = autofocused(member_client.get(url, **headers))
    assert [element.get("name") for element in focused] == ["doi"]


def test_a_failed_post_focuses_the_first_invalid_field_not_the_first_field(member_client, url):
    response = member_client.post(url, {"doi": DOI, "stance": "supports"}, **HTMX)
    focused = autofocused(response)
    assert [element.get("name") for element in focused] == ["rationale"]


def test_a_refused_post_focuses_its_message(member_client, url, settings):
    settings.SUBMISSIONS_PER_HOUR = 1
    data = {"doi": DOI, "stance": "supports", "rationale": "Why."}
    assert member_client.post(url, data).status_code == 302
    response = member_client.post(url, {**data, "doi": "10.5555/second"}, **HTMX)
    focused = autofocused(response)
    assert len(focused) == 1
    assert focused[0].get("role") == "alert" and focused[0].get("tabindex") == "-1"


def test_the_confirmation_takes_the_focus(member_client, url):
    data = {"doi": DOI, "stance": "contradicts", "rationale": "Similar growth."}
    response = member_client.post(url, data, **HTMX)
    focused = autofocused(response)
    assert len(focused) == 1
    assert focused[0].get("tabindex") == "-1"
    assert "an editor will review it" in focused[0].text_content()


def test_a_member_sees_one_prompt_whose_links_preselect_each_side(member_client, claim, url):
    content = member_client.get(claim.get_absolute_url()).content.decode()
    assert content.count(PROMPT) == 1
    page = lxml.html.fromstring(content)
    links = page.xpath("//*[@id='submit-study']//a[contains(@href, '/submit/')]")
    assert [(a.text_content(), a.get("href"), a.get("data-hx-get")) for a in links] == [
        ("submit a supporting study", f"{url}?stance=supports", f"{url}?stance=supports"),
        ("submit a contradicting study", f"{url}?stance=contradicts", f"{url}?stance=contradicts"),
    ]
    # No other way onto the form elsewhere on the page.
    assert len(page.xpath("//a[contains(@href, '/submit/')]")) == 2


def test_an_anonymous_reader_sees_the_same_one_prompt(client, claim, url):
    content = client.get(claim.get_absolute_url()).content.decode()
    assert content.count(PROMPT) == 1
    prompt = lxml.html.fromstring(content).xpath("//*[@id='submit-study']")[0]
    assert " ".join(prompt.text_content().split()) == (
        f"{PROMPT}: sign up or log in to submit a supporting or contradicting study."
    )
    hrefs = prompt.xpath(".//a/@href")
    assert hrefs == [
        f"{reverse('signup')}?next=/claims/failure-training/submit/",
        f"{reverse('login')}?next=/claims/failure-training/submit/",
    ]


def test_the_doi_box_fits_a_doi_org_link(member_client, url):
    doi = tree(member_client.get(url)).xpath("//input[@name='doi']")[0]
    # A doi.org link of a typical DOI is about 50 characters.
    assert int(doi.get("size", 20)) >= 50
    assert "input-wide" in doi.get("class", "").split()
