import pytest

from tests.conftest import link, make_claim, make_study

pytestmark = pytest.mark.django_db


def test_it_shows_a_study_and_the_claims_it_informs(client):
    study = make_study(doi="10.1080/02640414.2024.2321021", title="Refalo", journal="J Sports Sci")
    link(make_claim(slug="one", plain_statement="First claim"), study)
    link(make_claim(slug="two", plain_statement="Second claim"), study, stance="contradicts")
    link(make_claim(slug="three", plain_statement="Draft claim", status="draft"), study)
    html = client.get("/studies/10.1080/02640414.2024.2321021/").content.decode()
    assert "Refalo" in html and "J Sports Sci" in html
    assert 'href="https://doi.org/10.1080/02640414.2024.2321021"' in html
    assert "First claim" in html and "supports" in html
    assert "Second claim" in html and "contradicts" in html
    assert "Draft claim" not in html


def test_it_finds_the_study_whatever_the_doi_case(client):
    make_study(doi="10.1249/mss.0000000000003728")
    assert client.get("/studies/10.1249/MSS.0000000000003728/").status_code == 200


def test_it_answers_404_for_unknown_or_malformed_dois(client):
    assert client.get("/studies/10.1000/unknown/").status_code == 404
    assert client.get("/studies/not-a-doi/").status_code == 404


def test_it_shows_a_study_without_doi_by_id(client):
    study = make_study(doi="", title="No DOI trial")
    assert "No DOI trial" in client.get(study.get_absolute_url()).content.decode()
