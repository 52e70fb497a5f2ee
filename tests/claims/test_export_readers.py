"""Issue 17: the exports read by the tools people import them with, not by our own parsing.

BibTeX in pybtex and bibtexparser 2, RIS in rispy, CSL-JSON against the CSL 1.0.2 input
schema, CSV as Excel and Python's csv read it. Every field must come back as the study holds it,
for studies with awkward values: name suffixes, a consortium, "Müller", a SICI DOI, `&` and `%`.
"""

import codecs
import csv
import io
import json
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
import rispy
from bibtexparser import middlewares
from django.urls import reverse
from pybtex.database import parse_string as pybtex_parse
from pybtex.richtext import Text
from pylatexenc.latex2text import LatexNodes2Text

from claims import exports
from studies.authors import parse_authors
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db

CSL_SCHEMA = json.loads((Path(__file__).parents[1] / "data" / "csl-data.json").read_text())
SICI = "10.1002/(sici)1097-4636(199606)31:2<151::aid-jbm1>3.0.co;2-k"
SPECIALS = "10.1000/x_y%z#1~2"  # every character LaTeX treats specially that a DOI may hold
CONSORTIUM = "Writing Group for the Women's Health Initiative Investigators"
AGENCY = "Centers for Disease Control and Prevention"


@pytest.fixture
def studies():
    """By DOI: a journal article with everything, an article number, a book, a chapter and a
    conference paper."""
    made = [
        make_study(
            doi=SICI,
            title="Effects of R&D on 100% of #1 cases",
            subtitle="the ~ trial",
            authors=f"King, Martin Luther, Jr.; Müller, Anna; {CONSORTIUM}; Smith, John Jr.; "
            f"{AGENCY}; von Neumann, J.",
            journal="Journal of Biomedical Materials Research",
            year=1996,
            volume="31",
            issue="2",
            pages="151–158",
            issn="0021-9304, 1097-4636",
            pmid="8731000",
            work_type="journal-article",
        ),
        make_study(
            doi=SPECIALS,
            title="An article number",
            authors="Østergaard, Åse",
            journal="PLoS ONE",
            volume="6",
            pages="e15679",
        ),
        make_study(doi="10.1000/book", title="A book", journal="Methods Series", work_type="book"),
        make_study(
            doi="10.1000/chapter",
            title="A chapter",
            authors="Lee, C.",
            journal="Handbook of Trials",
            work_type="book-chapter",
        ),
        make_study(
            doi="10.1000/conference",
            title="A conference paper",
            journal="Proceedings of the First Conference on Tests",
            work_type="proceedings-article",
        ),
    ]
    claim = make_claim(slug="readers")
    for study in made:
        link(claim, study)
    return {study.doi: study for study in made}


def export(client, fmt):
    response = client.get(reverse("claim-export", kwargs={"slug": "readers", "fmt": fmt}))
    assert response.status_code == 200
    return response


def full_title(study):
    return f"{study.title}: {study.subtitle}" if study.subtitle else study.title


def expected_names(study) -> list[tuple[str, str, str]]:
    """(family, given, suffix) per author; a literal name is (name, "", "")."""
    return [
        (author.literal, "", "") if author.literal else (author.family, author.given, author.suffix)
        for author in parse_authors(study.authors)
    ]


CONTAINER_FIELD = {"article": "journal", "incollection": "booktitle", "inproceedings": "booktitle"}
ENTRY_TYPES = {
    SICI: "article",
    SPECIALS: "article",
    "10.1000/book": "book",
    "10.1000/chapter": "incollection",
    "10.1000/conference": "inproceedings",
}
BIBTEX_FIELDS = {
    SICI: {"volume": "31", "number": "2", "pages": "151--158", "issn": "0021-9304, 1097-4636"},
    SPECIALS: {"volume": "6", "pages": "e15679"},
}


def test_it_writes_bibtex_that_pybtex_reads_field_for_field(client, studies):
    text = export(client, "bib").content.decode("utf-8")
    database = pybtex_parse(text, "bibtex")
    assert len(database.entries) == len(studies)
    latex = lambda value: Text.from_latex(value).render_as("text")  # noqa: E731
    for entry in database.entries.values():
        study = studies[entry.fields["doi"]]
        assert entry.type == ENTRY_TYPES[study.doi]
        assert latex(entry.fields["title"]) == full_title(study)
        names = [
            (
                latex(" ".join(person.prelast_names + person.last_names)),
                latex(" ".join(person.first_names + person.middle_names)),
                latex(" ".join(person.lineage_names)),
            )
            for person in entry.persons.get("author", [])
        ]
        assert names == expected_names(study)
        if entry.type in CONTAINER_FIELD:
            assert latex(entry.fields[CONTAINER_FIELD[entry.type]]) == study.journal
        assert entry.fields["year"] == str(study.year)
        for name, value in BIBTEX_FIELDS.get(study.doi, {}).items():
            assert entry.fields[name] == value, name
        assert entry.fields["url"] == study.doi_url
    (article,) = [e for e in database.entries.values() if e.fields["doi"] == SICI]
    king = article.persons["author"][0]
    assert (king.last_names, king.first_names, king.lineage_names) == (
        ["King"],
        ["Martin"],
        ["Jr."],
    )


def test_it_writes_bibtex_that_bibtexparser_2_reads_field_for_field(client, studies):
    text = export(client, "bib").content.decode("utf-8")
    library = bibtexparser.parse_string(
        text,
        append_middleware=[middlewares.SeparateCoAuthors(), middlewares.SplitNameParts()],
    )
    assert library.failed_blocks == []
    assert len(library.entries) == len(studies)
    latex = LatexNodes2Text().latex_to_text
    for entry in library.entries:
        study = studies[entry["doi"]]
        assert entry.entry_type == ENTRY_TYPES[study.doi]
        assert latex(entry["title"]) == full_title(study)
        names = [
            (
                latex(" ".join(parts.von + parts.last)),
                latex(" ".join(parts.first)),
                latex(" ".join(parts.jr)),
            )
            for parts in (entry["author"] if "author" in entry.fields_dict else [])
        ]
        assert names == expected_names(study)
        if entry.entry_type in CONTAINER_FIELD:
            assert latex(entry[CONTAINER_FIELD[entry.entry_type]]) == study.journal
        assert entry["year"] == str(study.year)
        for name, value in BIBTEX_FIELDS.get(study.doi, {}).items():
            assert entry[name] == value, name
        assert entry["url"] == study.doi_url
    (article,) = [entry for entry in library.entries if entry["doi"] == SICI]
    king, muller, consortium, smith = article["author"][:4]
    assert (king.last, king.first, king.jr) == (["King"], ["Martin", "Luther"], ["Jr."])
    assert (smith.last, smith.first, smith.jr) == (["Smith"], ["John"], ["Jr."])
    assert (muller.last, muller.first) == (["Müller"], ["Anna"])
    assert consortium.last == ["{" + CONSORTIUM + "}"] and consortium.first == []


def test_it_writes_bibtex_suffixes_in_family_jr_given_order(client, studies):
    text = export(client, "bib").content.decode("utf-8")
    assert "King, Jr., Martin Luther and Müller, Anna and {" + CONSORTIUM + "} and " in text
    assert "Smith, Jr., John and {" + AGENCY + "} and von Neumann, J.}" in text


def test_it_writes_ris_that_rispy_reads_with_every_tag_intact(client, studies):
    text = export(client, "ris").content.decode("utf-8")
    records = {record["doi"]: record for record in rispy.loads(text)}
    assert set(records) == set(studies)
    article = records[SICI]
    assert article["type_of_reference"] == "JOUR"
    assert article["secondary_title"] == "Journal of Biomedical Materials Research"  # T2
    assert "journal_name" not in article  # JO: Zotero reads it as the abbreviation
    assert article["title"] == "Effects of R&D on 100% of #1 cases: the ~ trial"
    assert article["authors"] == [
        "King, Martin Luther, Jr.",
        "Müller, Anna",
        CONSORTIUM,
        "Smith, John, Jr.",
        AGENCY,
        "von Neumann, J.",
    ]
    assert (article["volume"], article["number"]) == ("31", "2")
    assert (article["start_page"], article["end_page"]) == ("151", "158")
    assert article["issn"] == "0021-9304, 1097-4636"
    # One link, percent-encoded: the raw SICI DOI's ";" made rispy split it in two.
    assert article["urls"] == [studies[SICI].doi_url]
    assert "%3B" in article["urls"][0] and "<" not in article["urls"][0]
    numbered = records[SPECIALS]
    assert numbered["start_page"] == "e15679" and "end_page" not in numbered
    assert numbered["urls"] == ["https://doi.org/10.1000/x_y%25z%231~2"]
    types = {doi: record["type_of_reference"] for doi, record in records.items()}
    assert types["10.1000/book"] == "BOOK"
    assert types["10.1000/chapter"] == "CHAP"
    assert types["10.1000/conference"] == "CONF"
    assert records["10.1000/chapter"]["secondary_title"] == "Handbook of Trials"


def test_it_writes_csl_json_that_validates_and_round_trips(client, studies):
    response = export(client, "json")
    assert response["Content-Type"] == "application/vnd.citationstyles.csl+json"
    assert response["Content-Disposition"] == 'attachment; filename="readers.csl.json"'
    items = json.loads(response.content.decode("utf-8"))
    jsonschema.Draft7Validator(CSL_SCHEMA).validate(items)
    by_doi = {item["DOI"]: item for item in items}
    assert set(by_doi) == set(studies)
    article = by_doi[SICI]
    assert article["type"] == "article-journal"
    assert article["title"] == "Effects of R&D on 100% of #1 cases: the ~ trial"
    assert article["author"] == [
        {"family": "King", "given": "Martin Luther", "suffix": "Jr."},
        {"family": "Müller", "given": "Anna"},
        {"literal": CONSORTIUM},
        {"family": "Smith", "given": "John", "suffix": "Jr."},
        {"literal": AGENCY},
        {"family": "von Neumann", "given": "J."},
    ]
    assert article["container-title"] == "Journal of Biomedical Materials Research"
    assert (article["volume"], article["issue"], article["page"]) == ("31", "2", "151–158")
    assert article["ISSN"] == "0021-9304, 1097-4636"
    assert article["issued"] == {"date-parts": [[1996]]}
    assert article["URL"] == studies[SICI].doi_url
    assert article["PMID"] == "8731000"
    assert article["note"].startswith("Supports the claim; Randomised controlled trial;")
    assert (
        "Evidence for the claim “X makes Y go up.” at http://testserver/claims/readers/"
        in (article["note"])
    )
    types = {doi: item["type"] for doi, item in by_doi.items()}
    assert types["10.1000/book"] == "book"
    assert types["10.1000/chapter"] == "chapter"
    assert types["10.1000/conference"] == "paper-conference"
    assert by_doi[SPECIALS]["page"] == "e15679"
    # The ids are the BibTeX citation keys: one document can cite either file.
    bib = bibtexparser.parse_string(export(client, "bib").content.decode("utf-8"))
    assert {item["id"] for item in items} == {entry.key for entry in bib.entries}


def test_the_csl_schema_rejects_what_citeproc_would_not_read():
    """The vendored schema has teeth: an unknown field or type fails."""
    validator = jsonschema.Draft7Validator(CSL_SCHEMA)
    assert not validator.is_valid([{"id": "a", "type": "journal-article"}])
    assert not validator.is_valid([{"id": "a", "type": "article", "journal": "J"}])
    assert validator.is_valid([{"id": "a", "type": "article", "author": [{"literal": "W"}]}])


def test_it_writes_csv_that_excel_reads_as_utf_8(client, studies):
    content = export(client, "csv").content
    assert content.startswith(codecs.BOM_UTF8)  # Excel on Windows: UTF-8, not the code page
    rows = {row["doi"]: row for row in csv.DictReader(io.StringIO(content.decode("utf-8-sig")))}
    article = rows[SICI]
    assert "Müller, Anna" in article["authors"]
    assert article["stance"] == "supports"  # the first column's name has no BOM stuck to it
    assert (article["volume"], article["issue"], article["pages"]) == ("31", "2", "151–158")
    assert article["issn"] == "0021-9304, 1097-4636"
    assert article["publication_type"] == "article"
    assert rows["10.1000/chapter"]["publication_type"] == "chapter"
    assert rows["10.1000/conference"]["publication_type"] == "conference"


def test_it_links_the_csl_json_export_from_the_claim_page(client, studies):
    html = client.get("/claims/readers/").content.decode()
    assert 'href="/claims/readers/export.json"' in html


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ("King, Martin Luther Jr.", "King, Jr., Martin Luther"),  # the suffix after the names
        ("King, Martin Luther, Jr.", "King, Jr., Martin Luther"),
        ("Smith, Jr.", "{Smith, Jr.}"),  # "Smith, Jr.," would not parse in bibtexparser 2
        ("Van Der Berg,", "{Van Der Berg}"),  # unbraced, "Van Der" would be given names
        (", John", "{John}"),
    ],
)
def test_it_writes_each_name_so_both_bibtex_readers_split_it_right(name, written):
    assert exports.bibtex_name(name) == written
    text = f"@misc{{k,\n  author = {{{written}}}\n}}\n"
    assert (
        bibtexparser.parse_string(
            text, append_middleware=[middlewares.SeparateCoAuthors(), middlewares.SplitNameParts()]
        ).failed_blocks
        == []
    )
    assert len(pybtex_parse(text, "bibtex").entries["k"].persons["author"]) == 1
