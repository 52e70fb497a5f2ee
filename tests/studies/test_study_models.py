import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from studies.models import Study
from tests.conftest import make_claim, make_study

pytestmark = pytest.mark.django_db


def test_it_stores_the_normalised_doi():
    study = make_study(doi="https://doi.org/10.1249/MSS.0000000000003728")
    study.refresh_from_db()
    assert study.doi == "10.1249/mss.0000000000003728"


def test_it_refuses_a_second_study_with_the_same_doi():
    make_study(doi="10.1000/abc")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_study(doi="https://doi.org/10.1000/ABC")


def test_it_allows_many_studies_without_a_doi():
    make_study(doi="")
    make_study(doi="")
    assert Study.objects.filter(doi="").count() == 2


def test_it_gives_a_clear_validation_error_for_a_bad_doi():
    study = Study(title="T", design="rct", doi="doi: nonsense")
    with pytest.raises(ValidationError) as error:
        study.full_clean()
    assert "doi" in error.value.message_dict


def test_it_refuses_an_unknown_design_in_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_study(design="horoscope")


def test_it_refuses_a_zero_sample_size_in_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_study(sample_size=0)


def test_it_reports_a_short_citation():
    study = make_study(authors="Refalo, M. C.; Helms, E. R.", year=2024)
    assert study.short_citation == "Refalo et al. 2024"


def test_it_links_to_the_study_page_by_doi_or_by_id():
    with_doi = make_study(doi="10.1080/02640414.2024.2321021")
    without = make_study(doi="")
    assert with_doi.get_absolute_url() == "/studies/10.1080/02640414.2024.2321021/"
    assert without.get_absolute_url() == f"/studies/id/{without.pk}/"


def test_it_refuses_two_pending_submissions_of_one_doi_for_one_claim(member):
    from studies.models import Submission

    claim = make_claim()
    fields = {"claim": claim, "submitted_by": member, "doi": "10.1000/x", "rationale": "r"}
    Submission.objects.create(stance="supports", **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Submission.objects.create(stance="contradicts", **fields)
