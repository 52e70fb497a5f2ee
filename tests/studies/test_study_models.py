import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims.services import claim_rescore
from studies.models import DOI_NOT_NORMALISED, Study
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db

NOT_CONFIRMED = "(design not confirmed)"


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


@pytest.mark.parametrize(
    "stored", ["10.1000/ABC", "https://doi.org/10.1000/abc", "doi:10.1000/abc", "abc"]
)
def test_it_refuses_a_doi_not_in_normal_form_even_through_a_queryset_update(stored):
    study = make_study(doi="10.1000/abc")
    with pytest.raises(IntegrityError), transaction.atomic():
        Study.objects.filter(pk=study.pk).update(doi=stored)
    Study.objects.filter(pk=study.pk).update(doi="")  # no DOI stays allowed
    assert Study.objects.get(pk=study.pk).doi == ""


def test_it_explains_a_doi_not_in_normal_form_in_model_validation():
    study = Study(title="T", design="rct", doi="10.1000/ABC")
    with pytest.raises(ValidationError) as error:
        study.validate_constraints()
    assert error.value.messages == [DOI_NOT_NORMALISED]


def test_it_gives_no_short_citation_without_authors_so_links_fall_back_to_the_title():
    assert make_study(authors="", year=2026).short_citation == ""
    assert make_study(authors="Goli, Amirali", year=2026).short_citation == "Goli 2026"
    assert make_study(authors="Goli, Amirali", year=None).short_citation == "Goli"


def test_it_links_a_study_without_authors_by_its_title(member_client):
    claim = make_claim()
    study = make_study(doi="", authors="", year=2026, title="Untitled calf-raise trial")
    link(claim, study)
    claim_rescore(claim=claim)
    html = member_client.get(claim.get_absolute_url()).content.decode()
    assert f'href="/studies/id/{study.pk}/">Untitled calf-raise trial</a>' in html
    assert ">2026</a>" not in html


def test_it_says_when_a_design_was_not_confirmed(client, member_client):
    claim = make_claim()
    assumed = make_study(doi="10.1000/assumed", design_confirmed=False)
    confirmed = make_study(doi="10.1000/confirmed")
    link(claim, assumed)
    link(claim, confirmed)
    claim_rescore(claim=claim)
    assert confirmed.design_confirmed, "confirmed unless an editor says otherwise"
    assert NOT_CONFIRMED in client.get(assumed.get_absolute_url()).content.decode()
    assert NOT_CONFIRMED not in client.get(confirmed.get_absolute_url()).content.decode()
    assert NOT_CONFIRMED in member_client.get(claim.get_absolute_url()).content.decode()


@pytest.mark.parametrize("value", ["NCT 0123", "nct", "NCT<01234567>", "NCT0123;DROP"])
def test_it_refuses_a_malformed_trial_registration(value):
    study = Study(title="t", design="rct", trial_registration=value)
    with pytest.raises(ValidationError, match="trial registration"):
        study.full_clean()


def test_it_stores_a_trial_registration_and_notice_doi_normalised():
    study = make_study(
        trial_registration=" NCT01234567 ",
        retraction_status="retracted",
        retraction_notice_doi="https://doi.org/10.1000/RETRACT",
    )
    study.refresh_from_db()
    assert study.trial_registration == "NCT01234567"
    assert study.retraction_notice_doi == "10.1000/retract"
    assert study.is_retracted


def test_a_notice_needs_its_kind():
    study = Study(title="t", design="rct", retraction_notice_doi="10.1000/n")
    with pytest.raises(ValidationError, match="kind of notice"):
        study.full_clean()


@pytest.mark.parametrize("path", ["forward", "reverse"])
def test_it_refuses_a_pooled_in_loop_on_every_write_path(path):
    """An attacker's find: A pooled in B and B pooled in A made every study in the loop
    "pooled in" another, so none counted."""
    from studies.models import POOLED_IN_CYCLE

    a = make_study(title="A", design="meta_analysis_rct")
    b = make_study(title="B", design="systematic_review")
    c = make_study(title="C", design="systematic_review")
    trial = make_study(title="Trial")
    trial.pooled_in.add(a)
    a.pooled_in.add(b)
    b.pooled_in.add(c)
    with pytest.raises(ValidationError, match="pooled in itself"), transaction.atomic():
        if path == "forward":
            c.pooled_in.add(a)
        else:
            a.pools.add(c)
    with pytest.raises(ValidationError), transaction.atomic():
        a.pooled_in.add(a)
    assert not c.pooled_in.exists()
    b.pooled_in.add(make_study(title="D", design="systematic_review"))  # no loop: allowed
    assert POOLED_IN_CYCLE.startswith("A study cannot be pooled in itself")


def test_a_trial_registration_keeps_its_registry_case_and_groups_case_insensitively():
    claim = make_claim()
    first = make_study(title="First", trial_registration="ChiCTR-IOR-17012345", sample_size=40)
    second = make_study(title="Second", trial_registration="chictr-ior-17012345", sample_size=40)
    first.refresh_from_db()
    assert first.trial_registration == "ChiCTR-IOR-17012345"
    link(claim, first)
    link(claim, second)
    from claims.services import claim_scorecard

    card = claim_scorecard(claim)
    assert [c.not_counted for c in card.contributions].count("same trial") == 1


def test_a_full_width_registration_is_folded():
    study = make_study(trial_registration="ＮＣＴ01234567")
    study.refresh_from_db()
    assert study.trial_registration == "NCT01234567"


@pytest.mark.parametrize("value", ["ABCD", "NNNNNNNN", "NCT1"])
def test_a_registration_needs_a_number_and_some_length(value):
    with pytest.raises(ValidationError, match="trial registration"):
        Study(title="t", design="rct", trial_registration=value).full_clean()


def test_a_retraction_needs_its_notice_and_a_past_date():
    import datetime

    study = Study(title="t", design="rct", retraction_status="retracted")
    with pytest.raises(ValidationError, match="DOI of the notice"):
        study.full_clean()
    study.retraction_notice_doi = "10.1000/notice"
    study.retraction_date = datetime.date(2999, 1, 1)
    with pytest.raises(ValidationError, match="future"):
        study.full_clean()
    study.retraction_date = datetime.date(2024, 3, 5)
    study.full_clean()
