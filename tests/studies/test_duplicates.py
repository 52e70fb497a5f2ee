"""Duplicate detection before an import (studies/duplicates.py)."""

import pytest

from studies.duplicates import find_duplicates, normalised_title
from tests.factories import make_study

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "title",
    [
        "Proton MRI of (13)C distribution by J and chemical shift editing.",
        "PROTON MRI OF (13)C DISTRIBUTION BY J AND CHEMICAL SHIFT EDITING",
        "Proton  MRI of (13)C distribution by J, and chemical-shift editing",
        "Ｐｒｏｔｏｎ MRI of (13)C distribution by J and chemical shift editing.",  # full width
    ],
)
def test_it_normalises_case_width_punctuation_spacing_and_the_final_period(title):
    expected = "proton mri of 13 c distribution by j and chemical shift editing"
    assert normalised_title(title) == expected


def test_it_finds_existing_studies_by_doi_pmid_and_title_with_three_queries(
    django_assert_num_queries,
):
    by_doi = make_study(doi="10.1006/cryo.2001.2328", title="Whatever", year=2001)
    by_pmid = make_study(pmid="9997", title="Magnetic studies", year=1976)
    by_title = make_study(
        title="Mechanical pretreatments and etching of primary-tooth enamel", year=1979
    )
    make_study(title="Mechanical pretreatments and etching of primary-tooth enamel", year=1980)
    candidates = [
        {"title": "Is cryopreservation a homogeneous process?", "doi": "10.1006/cryo.2001.2328"},
        {"title": "Other words", "pmid": "9997", "year": 1976},
        {"title": "MECHANICAL PRETREATMENTS AND ETCHING OF PRIMARY-TOOTH ENAMEL.", "year": 1979},
        {"title": "Mechanical pretreatments and etching of primary-tooth enamel", "year": 1990},
        {"title": "Brand new", "doi": "10.5555/new", "pmid": "1", "year": 2020},
    ]
    # One query each: studies with these DOIs, with these PMIDs, of these years.
    with django_assert_num_queries(3):
        matches = find_duplicates(candidates)
    assert {i: (m.by, m.study) for i, m in matches.items()} == {
        0: ("doi", by_doi),
        1: ("pmid", by_pmid),
        2: ("title", by_title),
    }
    assert matches[0].describe() == f"same DOI as “Whatever (2001)” (study {by_doi.pk})"


def test_the_query_count_does_not_grow_with_the_batch(django_assert_num_queries):
    candidates = [
        {"title": f"Paper {n}", "doi": f"10.5555/{n}", "pmid": str(n + 1), "year": 2000 + n % 20}
        for n in range(200)
    ]
    with django_assert_num_queries(3):
        assert find_duplicates(candidates) == {}


def test_it_finds_duplicates_inside_the_batch():
    candidates = [
        {"title": "A trial", "doi": "10.5555/a", "year": 2020},
        {"title": "A TRIAL.", "year": 2020},  # the first, by title and year
        {"title": "Unrelated", "doi": "10.5555/a"},  # the first, by DOI
        {"title": "B trial", "pmid": "42", "year": 2021},
        {"title": "b trial", "pmid": "42", "year": 2021},  # the fourth, by PMID first
        {"title": "A trial", "year": 2019},  # another year: not a duplicate
    ]
    matches = find_duplicates(candidates)
    assert {i: (m.by, m.earlier) for i, m in matches.items()} == {
        1: ("title", 0),
        2: ("doi", 0),
        4: ("pmid", 3),
    }
    assert matches[1].describe() == "same title and year as reference 1 of this batch"


def test_a_repeat_of_a_duplicate_names_the_study_it_matched():
    existing = make_study(doi="10.5555/a", title="Stored", year=2020)
    candidates = [
        {"title": "A trial", "doi": "10.5555/a", "year": 2020},
        {"title": "A trial", "year": 2020},
    ]
    matches = find_duplicates(candidates)
    assert (matches[1].by, matches[1].study, matches[1].earlier) == ("title", existing, None)


def test_it_needs_nothing_when_nothing_identifies_a_candidate(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert find_duplicates([{"title": "No year, no DOI"}]) == {}
