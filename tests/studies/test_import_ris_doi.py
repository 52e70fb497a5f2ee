"""A RIS file's DO field as exporters really write it (quoted, with a full stop, as a link, or
with a "doi:" label) is stored as normalize_doi gives it: never with a quote or a stop."""

import pytest

from studies import ris
from studies.import_services import studies_import_ris
from studies.models import Study
from tests.studies.test_ris_import import recorded_ris

RECORDED = "DO  - 10.1155/2013/219840"


def with_doi(written: str) -> str:
    text = recorded_ris("pmc_export.ris")
    assert RECORDED in text
    return text.replace(RECORDED, f"DO  - {written}")


@pytest.mark.parametrize(
    "written",
    [
        '"10.1155/2013/219840"',
        "“10.1155/2013/219840”",
        "'10.1155/2013/219840'",
        "10.1155/2013/219840.",
        "10.1155/2013/219840;",
        '"10.1155/2013/219840".',
        "<10.1155/2013/219840>",
        "https://doi.org/10.1155/2013/219840",
        "https://doi.org/10.1155/2013/219840.",
        "doi: 10.1155/2013/219840",
        "DOI:10.1155/2013/219840",
        '"https://dx.doi.org/10.1155/2013/219840"',
    ],
)
def test_it_reads_the_doi_however_it_is_written(written):
    (reference,) = ris.parse_ris(with_doi(written)).references
    assert reference.fields["doi"] == "10.1155/2013/219840"
    assert not reference.warnings


@pytest.mark.django_db
def test_it_stores_a_quoted_doi_without_its_quotes():
    report = studies_import_ris(with_doi('"10.1155/2013/219840."'))
    assert [study.doi for study in report.created] == ["10.1155/2013/219840"]
    assert Study.objects.get().doi == "10.1155/2013/219840"


def test_a_quote_alone_is_still_not_a_doi():
    parsed = ris.parse_ris(with_doi('"n/a"'))
    assert "doi" not in parsed.references[0].fields
    assert parsed.errors == [ris.BAD_DOI_MESSAGE.format(number=1, line=1, doi='"n/a"')]
