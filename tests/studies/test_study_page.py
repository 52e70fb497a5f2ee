import datetime

import pytest

from claims.models import Evidence
from tests.factories import link, make_claim, make_study

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


def test_it_shows_a_retraction_with_its_notice(client):
    study = make_study(
        doi="10.1000/withdrawn",
        retraction_status="retracted",
        retraction_notice_doi="10.1000/notice",
        retraction_date=datetime.date(2024, 3, 5),
    )
    html = client.get(study.get_absolute_url()).content.decode()
    notice = html[html.index('<p class="retraction-notice') : html.index("</p>")]
    assert "<strong>Retracted</strong>" in notice
    assert '<a href="https://doi.org/10.1000/notice" rel="noopener">10.1000/notice</a>' in notice
    assert "5 March 2024" in notice
    assert "it counts for nothing on any claim" in notice


def test_it_shows_an_expression_of_concern_that_still_counts(client):
    study = make_study(doi="10.1000/concern", retraction_status="expression_of_concern")
    html = client.get(study.get_absolute_url()).content.decode()
    assert "<strong>Expression of concern</strong>" in html
    assert "It still counts" in html


def test_it_shows_no_retraction_notice_for_a_study_in_good_standing(client):
    html = client.get(make_study(doi="10.1000/fine").get_absolute_url()).content.decode()
    assert "retraction-notice" not in html


def test_it_shows_the_trial_its_other_publications_funding_and_conflicts(client):
    study = make_study(
        doi="10.1000/main",
        trial_registration="nct01234567",
        funding="National Research Council grant 42.",
        conflicts_of_interest="One author consults for a supplement maker.",
    )
    make_study(
        doi="10.1000/followup", title="The follow-up report", trial_registration="NCT01234567"
    )
    make_study(doi="10.1000/other", title="Another trial", trial_registration="NCT99999999")
    html = client.get(study.get_absolute_url()).content.decode()
    # Kept as the editor typed it; grouped with the other publication whatever the case.
    assert "<dt>Trial registration</dt><dd>nct01234567</dd>" in html
    assert "Other publications of this trial" in html and "The follow-up report" in html
    assert "Another trial" not in html
    assert "<dd>National Research Council grant 42.</dd>" in html
    assert "<dd>One author consults for a supplement maker.</dd>" in html


def test_it_says_what_is_not_recorded(client):
    html = client.get(make_study(doi="10.1000/bare").get_absolute_url()).content.decode()
    assert "<dt>Trial registration</dt><dd>not recorded</dd>" in html
    assert "<dt>Funding</dt><dd>not recorded</dd>" in html
    assert "<dt>Conflicts of interest</dt><dd>not recorded</dd>" in html
    assert "Other publications of this trial" not in html


def test_it_links_a_trial_to_the_reviews_that_pool_it_and_back(client):
    review = make_study(doi="10.1000/review", title="The meta-analysis", design="meta_analysis_rct")
    trial = make_study(doi="10.1000/trial", title="The pooled trial")
    trial.pooled_in.add(review)
    html = client.get(trial.get_absolute_url()).content.decode()
    assert "Pooled in these reviews" in html
    # Linked by id: their DOIs in the links would be offered to a reference manager too.
    assert f'href="/studies/id/{review.pk}/"' in html and "The meta-analysis" in html
    html = client.get(review.get_absolute_url()).content.decode()
    assert "Studies this review pools" in html
    assert f'href="/studies/id/{trial.pk}/"' in html and "The pooled trial" in html
    assert "Pooled in these reviews" not in html


def test_it_marks_a_claim_whose_link_awaits_appraisal(client):
    study = make_study(doi="10.1000/community")
    link(
        make_claim(plain_statement="A claim"),
        study,
        appraisal_status=Evidence.Appraisal.AWAITING,
    )
    html = client.get(study.get_absolute_url()).content.decode()
    assert "A claim" in html and "(awaiting appraisal: it counts for nothing yet)" in html


def test_it_shows_a_study_in_a_bounded_number_of_queries(client, django_assert_num_queries):
    review = make_study(doi="10.1000/review", design="meta_analysis_rct")
    study = make_study(doi="10.1000/busy", trial_registration="NCT01234567")
    study.pooled_in.add(review)
    for i in range(5):
        make_study(doi=f"10.1000/report{i}", trial_registration="NCT01234567")
        link(make_claim(slug=f"claim-{i}", plain_statement=f"Claim {i}"), study)
    # the study, its claims, the reviews pooling it, the studies it pools, the trial's others
    with django_assert_num_queries(5):
        assert client.get(study.get_absolute_url()).status_code == 200


def test_it_shows_the_abstract_and_links_the_full_text(client):
    study = make_study(doi="10.1000/paper", abstract="First paragraph.\n\nSecond <b>paragraph</b>.")
    html = client.get(study.get_absolute_url()).content.decode()
    assert '<h2 id="abstract-heading">Abstract</h2><p>First paragraph.</p>' in html
    assert "<p>Second &lt;b&gt;paragraph&lt;/b&gt;.</p>" in html  # escaped, never markup
    assert (
        '<dt>Full text</dt><dd><a class="full-text" href="https://doi.org/10.1000/paper" '
        'rel="noopener">at the publisher, via doi.org</a></dd>'
    ) in html


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://journal.example/paper", 'href="https://journal.example/paper"'),
        ("javascript:alert(1)", 'href="https://doi.org/10.1000/linked"'),
    ],
)
def test_it_links_the_recorded_full_text_only_when_it_is_a_web_address(client, url, shown):
    study = make_study(doi="10.1000/linked", url=url)
    html = client.get(study.get_absolute_url()).content.decode()
    assert f'<a class="full-text" {shown}' in html
    assert "javascript:" not in html


def test_it_says_when_the_full_text_is_not_recorded(client):
    html = client.get(make_study().get_absolute_url()).content.decode()
    assert "<dt>Full text</dt><dd>not recorded</dd>" in html
    assert "abstract-heading" not in html
