"""A PMID however an editor pastes it ("PMID:123", "pmid 123", a PubMed link) is one PMID, in
the admin's import form and in duplicate detection; a default design is said to be one."""

import pytest
from django.urls import reverse

from jobs.models import Job
from studies import import_tasks, pubmed
from studies.duplicates import find_duplicates
from studies.models import Study
from studies.services import DEFAULT_DESIGN
from tests import pubmed_server as server
from tests.factories import make_study

PUBMED = reverse("admin:studies_study_import_pubmed")


@pytest.fixture
def efetch(settings):
    with server.serving(settings) as running:
        yield running


@pytest.mark.parametrize(
    "typed",
    [
        "9997",
        " PMID:9997 ",
        "pmid 9997",
        "PMID: 9997",
        "https://pubmed.ncbi.nlm.nih.gov/9997/",
        "https://pubmed.ncbi.nlm.nih.gov/9997",
        "pubmed.ncbi.nlm.nih.gov/9997/?otool=x",
        "http://www.ncbi.nlm.nih.gov/pubmed/9997",
    ],
)
def test_it_normalises_a_pmid_however_it_is_written(typed):
    assert pubmed.normalize_pmid(typed) == "9997"


@pytest.mark.parametrize(
    "typed", ["", "abc", "0123", "https://example.org/9997/", "9997 12", "PMC9997"]
)
def test_it_refuses_what_is_not_a_pmid(typed):
    with pytest.raises(pubmed.PubmedError):
        pubmed.normalize_pmid(typed)


@pytest.mark.django_db
def test_duplicates_match_a_pmid_written_with_its_label():
    stored = make_study(pmid="9997", title="Magnetic studies", year=1976)
    matches = find_duplicates(
        [{"title": "Other", "pmid": "PMID: 9997"}, {"title": "B", "pmid": "PMID:42"}]
    )
    assert matches[0].study == stored and matches[0].by == "pmid"
    assert 1 not in matches


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["PMID:368090", "https://pubmed.ncbi.nlm.nih.gov/368090/"])
def test_the_admin_imports_a_pasted_pmid_and_opens_the_study(efetch, editor_client, typed):
    response = editor_client.post(PUBMED, {"pmid": typed}, follow=True)
    study = Study.objects.get(pmid="368090")
    assert response.redirect_chain[-1][0] == reverse("admin:studies_study_change", args=[study.pk])
    job = Job.objects.get()
    assert job.target_label == "PMID 368090"


@pytest.mark.django_db
def test_the_admin_refuses_a_non_pmid_on_the_field_and_queues_nothing(efetch, editor_client):
    response = editor_client.post(PUBMED, {"pmid": "PMC9997"})
    assert response.status_code == 200
    assert response.context["form"].errors["pmid"] == [
        pubmed.NOT_A_PMID_MESSAGE.format(pmid="PMC9997")
    ]
    assert b'value="PMC9997"' in response.content  # what was typed is kept
    assert not Job.objects.exists() and not Study.objects.exists()


@pytest.mark.django_db
def test_it_says_the_design_was_set_by_default_when_nothing_suggested_one(efetch, editor_client):
    response = editor_client.post(PUBMED, {"pmid": "368090"}, follow=True)
    study = Study.objects.get(pmid="368090")
    assert study.design == DEFAULT_DESIGN
    (message,) = [str(m) for m in response.context["messages"]]
    assert message == import_tasks.DEFAULT_DESIGN_SUMMARY.format(
        study=study, label=study.design_label, types="Comparative Study; Journal Article"
    )
    assert "Design set to “Case series” by default" in message and "check it" in message


@pytest.mark.django_db
def test_it_says_a_suggested_design_is_a_suggestion(efetch, editor_client):
    response = editor_client.post(PUBMED, {"pmid": "11748933"}, follow=True)
    (message,) = [str(m) for m in response.context["messages"]]
    assert "by default" not in message and "animal study" in message
