"""Reading RIS files (studies/ris.py) and importing them (studies/import_services.py).

The 50-reference file is assembled from recorded real records only (tests/data/ris/README.md):
3 RIS exports and the 7 recorded PubMed records written out in RIS, then repeats of them in the
forms real exports repeat a paper.
"""

from pathlib import Path

import pytest

from studies import ris
from studies.import_services import ris_import_plan, studies_import_ris
from studies.models import Study
from studies.pubmed import parse_pubmed_xml
from tests.factories import make_study

DATA = Path(__file__).parents[1] / "data"
RIS_FILES = ("scopus_export.ris", "scopus_with_references.ris", "pmc_export.ris")


def recorded_ris(name: str) -> str:
    return (DATA / "ris" / name).read_text(encoding="utf-8")


def pubmed_records():
    for path in sorted((DATA / "pubmed").glob("*.xml")):
        yield from parse_pubmed_xml(path.read_bytes())


def as_ris(record, *, title=None, doi=None, with_pmid=True) -> str:
    """A PubMed record in RIS, as EndNote writes one from PubMed (its real fields)."""
    lines = ["TY  - JOUR", f"TI  - {title or record.title}"]
    lines += [f"AU  - {name}" for name in record.authors.split("; ") if name]
    lines += [f"JO  - {record.journal}", f"VL  - {record.volume}", f"IS  - {record.issue}"]
    lines += [f"SP  - {record.pages}", f"PY  - {record.year}"]
    if record.abstract:
        lines.append("AB  - " + record.abstract.replace("\n\n", " "))
    if doi if doi is not None else record.doi:
        lines.append(f"DO  - {doi if doi is not None else record.doi}")
    if with_pmid:
        lines += [f"AN  - {record.pmid}", "DB  - PubMed"]
    return "\n".join([*lines, "ER  - ", ""])


def fifty_references() -> str:
    """10 distinct real papers, then 40 repeats in the forms real exports repeat them."""
    records = list(pubmed_records())
    distinct = [recorded_ris(name) for name in RIS_FILES] + [as_ris(r) for r in records]
    repeats = []
    for record in records:
        repeats.append(as_ris(record, title=record.title.upper().rstrip("."), doi=""))
        repeats.append(as_ris(record, title=record.title.replace(",", ""), doi="", with_pmid=True))
        if record.doi:
            repeats.append(
                as_ris(
                    record,
                    title="Another title",
                    doi=f"https://doi.org/{record.doi.upper()}",
                    with_pmid=False,
                )
            )
        else:
            repeats.append(as_ris(record, title="Another title", with_pmid=True))
    for name in RIS_FILES:
        repeats.append(recorded_ris(name).replace("DO  - ", "DO  - https://dx.doi.org/"))
    while len(distinct) + len(repeats) < 50:
        repeats.append(recorded_ris(RIS_FILES[len(repeats) % 3]))
    text = "\n".join(distinct + repeats)
    assert text.count("TY  - ") == 50
    return text


# Reading


def test_it_maps_a_scopus_export():
    (reference,) = ris.parse_ris(recorded_ris("scopus_export.ris").encode()).references
    assert reference.fields == {
        "title": "A transversely isotropic composite with a statistical distribution of "
        "spheroidal inclusions: A geometrical approach to overall properties",
        "authors": "Federico, S.; Grillo, A.; Herzog, W.",
        "journal": "Journal of the Mechanics and Physics of Solids",
        "volume": "52",
        "issue": "10",
        "pages": "2309–2327",
        "year": 2004,
        "doi": "10.1016/j.jmps.2004.03.010",
        "url": "http://www.scopus.com/inward/record.url?eid=2-s2.0-4544289390&partnerID=40"
        "&md5=ad1a4baab95650b103a3467b787b83aa",
        "work_type": "JOUR",
    }


def test_it_maps_a_pmc_export_and_finds_its_pmid():
    (reference,) = ris.parse_ris(recorded_ris("pmc_export.ris")).references
    fields = reference.fields
    assert fields["title"].startswith("Chelation: Harnessing and Enhancing")  # T1
    assert (fields["journal"], fields["year"], fields["issn"]) == (
        "The Scientific World Journal",  # JF
        2013,  # Y1
        "1537-744X",
    )
    assert fields["pmid"] == "23690738"  # from "U1  - 23690738[pmid]", not the PMC id in AN


def test_it_reads_a_multi_line_note_without_losing_the_record():
    (reference,) = ris.parse_ris(recorded_ris("scopus_with_references.ris")).references
    assert (reference.fields["doi"], reference.fields["year"]) == ("10.1063/5.0020407", 2020)
    assert reference.fields["authors"] == "Pierrot, A.; Béron, F.; Blon, T."


def test_it_takes_a_pmid_from_an_accession_number_of_pubmed():
    record = next(r for r in pubmed_records() if r.pmid == "368090")
    (reference,) = ris.parse_ris(as_ris(record)).references
    assert reference.fields["pmid"] == "368090"
    embase = as_ris(record).replace("DB  - PubMed", "DB  - Embase")
    assert "pmid" not in ris.parse_ris(embase).references[0].fields


@pytest.mark.parametrize(
    "text, message",
    [
        ("Some notes I wrote\n", ris.NO_RECORDS_MESSAGE),
        ("", ris.NO_RECORDS_MESSAGE),
        (recorded_ris("scopus_export.ris")[:300], ris.UNCLOSED_MESSAGE.format(line=1)),
        (
            recorded_ris("pmc_export.ris").replace("ER  - \n", "") + recorded_ris("pmc_export.ris"),
            ris.NEW_BEFORE_END_MESSAGE.format(line=19, start=1),
        ),
        ("TI  - A title\nER  - \n", ris.OUTSIDE_MESSAGE.format(line=1, text="TI  - A title")),
    ],
)
def test_it_refuses_a_broken_file_with_the_line(text, message):
    with pytest.raises(ris.RisError) as refused:
        ris.parse_ris(text.encode())
    assert str(refused.value) == message


def test_it_reads_a_windows_1252_export_as_such():
    """Review: older EndNote exports are Latin-1 / Windows-1252; they were refused outright."""
    text = recorded_ris("scopus_export.ris")
    assert "à" in text
    legacy = text.encode("cp1252", errors="replace")
    assert ris.parse_ris(legacy) == ris.parse_ris(legacy.decode("cp1252"))
    assert ris.parse_ris(legacy).references  # read, not refused


def test_it_refuses_a_file_that_is_not_text_with_the_line():
    data = recorded_ris("scopus_export.ris").encode("utf-8").replace("à".encode(), b"\x00")
    with pytest.raises(ris.RisError) as refused:
        ris.parse_ris(data)
    assert str(refused.value) == ris.NOT_TEXT_MESSAGE.format(line=13)


def test_it_reads_a_file_with_a_byte_order_mark_and_windows_line_ends():
    data = "\ufeff" + recorded_ris("scopus_export.ris").replace("\n", "\r\n")
    (reference,) = ris.parse_ris(data.encode("utf-8")).references
    assert reference.fields["doi"] == "10.1016/j.jmps.2004.03.010"


def test_it_reports_a_reference_without_a_title_and_a_bad_doi():
    untitled = recorded_ris("scopus_export.ris").replace("TI  - ", "N1  - ")
    bad_doi = recorded_ris("pmc_export.ris").replace("DO  - 10.1155/2013/219840", "DO  - n/a")
    parsed = ris.parse_ris(untitled + "\n" + bad_doi)
    assert [r.number for r in parsed.references] == [2]
    assert "doi" not in parsed.references[0].fields
    assert parsed.errors == [
        ris.NO_TITLE_MESSAGE.format(number=1, line=1),
        ris.BAD_DOI_MESSAGE.format(number=2, line=28, doi="n/a"),
    ]


# Importing


@pytest.mark.django_db
def test_it_imports_fifty_references_and_reports_the_duplicates(django_assert_max_num_queries):
    records = {r.pmid: r for r in pubmed_records()}
    by_doi = make_study(doi="10.1016/j.jmps.2004.03.010", title="Stored by DOI", year=2004)
    by_pmid = make_study(pmid="368090", title="Stored by PMID", year=1979)
    title = records["9997"].title.upper()
    by_title = make_study(title=title, year=1976)
    text = fifty_references()

    plan = ris_import_plan(text)
    assert Study.objects.count() == 3  # the preview creates nothing
    assert (len(plan.new), len(plan.duplicates), plan.errors) == (7, 43, [])

    # The duplicate queries (DOI, PMID, years), one INSERT, the transaction's savepoint.
    with django_assert_max_num_queries(3 + 1 + 2):
        report = studies_import_ris(text.encode())
    assert len(report.created) == 7 and len(report.duplicates) == 43
    assert Study.objects.count() == 10
    matched = {d.reference.number: d.match for d in report.duplicates}
    assert (matched[1].by, matched[1].study) == ("doi", by_doi)
    pmid_number = 4 + list(records).index("368090")
    assert (matched[pmid_number].by, matched[pmid_number].study) == ("pmid", by_pmid)
    title_number = 4 + list(records).index("9997")
    assert (matched[title_number].by, matched[title_number].study) == ("title", by_title)
    # Every repeat of a new paper names the study the import just created, or the reference
    # it repeats; none was created twice.
    assert Study.objects.filter(doi="10.1117/1.jmi.5.2.026002").count() == 1
    assert all(not s.design_confirmed and s.design == "case_series" for s in report.created)


@pytest.mark.django_db
def test_a_second_import_of_the_same_file_creates_nothing():
    text = fifty_references()
    first = studies_import_ris(text)
    second = studies_import_ris(text)
    assert (len(first.created), len(second.created), len(second.duplicates)) == (10, 0, 50)
    assert {d.match.study for d in second.duplicates} <= set(first.created)


@pytest.mark.django_db
def test_a_broken_file_imports_nothing():
    text = recorded_ris("pmc_export.ris") + recorded_ris("scopus_export.ris")[:200]
    with pytest.raises(ris.RisError):
        studies_import_ris(text)
    assert not Study.objects.exists()
