"""What a comment's markdown becomes: escaped, sanitised, its DOIs linked."""

import pytest
from django.urls import reverse

from tests.factories import make_study

pytestmark = pytest.mark.django_db


def thread_html(client, claim) -> str:
    response = client.get(reverse("claim-discussion", kwargs={"slug": claim.slug}))
    assert response.status_code == 200
    return response.content.decode()


def test_it_escapes_a_script(client, claim, say):
    say("Hi <script>alert('x')</script> <img src=x onerror=alert(1)>")
    html = thread_html(client, claim)
    assert "<script>alert" not in html and "onerror" not in html
    assert "alert(&#x27;x&#x27;)" in html or "alert('x')" in html  # kept as text, inert


def test_it_removes_a_javascript_link(client, claim, say):
    say("[click me](javascript:alert(1)) and <a href='javascript:alert(2)'>me</a>")
    html = thread_html(client, claim)
    assert "javascript:" not in html
    assert "click me" in html


def test_it_links_a_bare_doi_to_doi_org(client, claim, say):
    say("See 10.1000/unknown-study.")
    html = thread_html(client, claim)
    assert (
        '<a href="https://doi.org/10.1000/unknown-study" rel="nofollow noopener">'
        "10.1000/unknown-study</a>." in html
    )


def test_it_links_a_known_studys_doi_to_its_page(client, claim, say):
    study = make_study(doi="10.1000/known", title="Known trial")
    say("Compare 10.1000/KNOWN and https://doi.org/10.1000/known with (10.1000/unknown).")
    html = thread_html(client, claim)
    page = study.link_url
    assert f'<a href="{page}">10.1000/KNOWN</a>' in html
    assert f'<a href="{page}">https://doi.org/10.1000/known</a>' in html
    assert '(<a href="https://doi.org/10.1000/unknown"' in html


def test_it_leaves_a_doi_in_code_alone(client, claim, say):
    say("`10.1000/in-code`")
    assert "<code>10.1000/in-code</code>" in thread_html(client, claim)


def test_it_finds_the_studies_in_one_query(client, claim, say, django_assert_max_num_queries):
    for n in range(30):
        make_study(doi=f"10.1000/s{n}")
        say(f"About 10.1000/s{n}.")
    thread_html(client, claim)
    # the claim, the count, the threads, their replies, the studies mentioned
    with django_assert_max_num_queries(5):
        html = thread_html(client, claim)
    assert html.count('href="/studies/10.1000/s') == 20  # one page of threads


def test_it_encodes_a_percent_encoded_doi_once(client, claim, say):
    say("See 10.1000/%22%3E now.")
    html = thread_html(client, claim)
    assert 'href="https://doi.org/10.1000/%22%3E"' in html
    assert "%25" not in html


def test_it_encodes_a_literal_percent_once(client, claim, say):
    say("See 10.1000/a%b now.")
    assert 'href="https://doi.org/10.1000/a%25b"' in thread_html(client, claim)


@pytest.mark.parametrize(
    "text",
    [
        "https://doi.org/10.1000/",
        "https://doi.org/",
        "10.1000/",
    ],
)
def test_it_links_only_real_dois(client, claim, say, text):
    say(f"Broken: {text} end.")
    html = thread_html(client, claim)
    assert f"Broken: {text} end." in html
    assert 'href="https://doi.org/' not in html


def test_it_keeps_a_link_the_writer_made_and_other_urls(client, claim, say):
    say("[the resolver](https://doi.org/) and https://example.org/page")
    html = thread_html(client, claim)
    assert '<a href="https://doi.org/" rel="nofollow noopener">the resolver</a>' in html
    assert '<a href="https://example.org/page" rel="nofollow noopener">' in html


def test_a_doi_in_text_links_to_doi_org_by_the_sites_one_encoding():
    """The same href as every other doi.org link (studies.doi.doi_url): ";" encoded too, so a
    reference manager sees one form of the DOI on the page."""
    from claims.text import render_markdown_linking_dois
    from studies.doi import doi_url

    doi = "10.1016/s0140-6736(20)30183-5;v2"
    html = str(render_markdown_linking_dois(f"See {doi} for the trial.", {}))
    assert f'href="{doi_url(doi)}"' in html
    assert "%3B" in doi_url(doi)
