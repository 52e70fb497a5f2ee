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


# What a Zotero/Pandoc reviewer found (issue 17).


def test_it_writes_the_pmid_where_bibtex_and_ris_readers_find_it(client, studies):
    text = export(client, "bib").content.decode("utf-8")
    (entry,) = [e for e in pybtex_parse(text, "bibtex").entries.values() if e.fields["doi"] == SICI]
    assert entry.fields["pmid"] == "8731000"  # JabRef's and Better BibTeX's field
    (entry,) = [e for e in bibtexparser.parse_string(text).entries if e["doi"] == SICI]
    assert entry["pmid"] == "8731000"
    records = {record["doi"]: record for record in rispy.loads(export(client, "ris").text)}
    assert records[SICI]["accession_number"] == "8731000"
    assert records[SICI]["name_of_database"] == "PubMed"
    assert "accession_number" not in records[SPECIALS]  # no PMID, no AN


def test_it_writes_the_subtitle_and_pmid_in_csv_columns_of_their_own(client, studies):
    text = export(client, "csv").content.decode("utf-8-sig")
    row = {row["doi"]: row for row in csv.DictReader(io.StringIO(text))}[SICI]
    assert (row["title"], row["subtitle"], row["pmid"]) == (
        "Effects of R&D on 100% of #1 cases",
        "the ~ trial",
        "8731000",
    )


def test_it_gives_a_books_series_as_its_csl_collection_title(client, studies):
    items = {item["DOI"]: item for item in json.loads(export(client, "json").content)}
    book = items["10.1000/book"]
    assert book["collection-title"] == "Methods Series" and "container-title" not in book
    assert items["10.1000/chapter"]["container-title"] == "Handbook of Trials"
    conference = items["10.1000/conference"]
    assert conference["container-title"] == "Proceedings of the First Conference on Tests"
    jsonschema.Draft7Validator(CSL_SCHEMA).validate(list(items.values()))


def test_it_writes_only_c3_for_a_conference_paper_in_ris(client, studies):
    records = {record["doi"]: record for record in rispy.loads(export(client, "ris").text)}
    paper = records["10.1000/conference"]
    assert paper["custom3"] == "Proceedings of the First Conference on Tests"  # C3
    assert "secondary_title" not in paper  # T2: Zotero's conference name, which we do not know


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        ("151-8", ("151", "158")),  # MEDLINE drops the last page's leading digits
        ("1234-35", ("1234", "1235")),
        ("S12-9", ("S12", "S19")),
        ("S12-S19", ("S12", "S19")),
        ("199-201", ("199", "201")),
        ("e15679", ("e15679", "")),
        ("85 – 101", ("85", "101")),
    ],
)
def test_it_writes_out_abbreviated_page_ranges(pages, expected):
    assert exports.page_range(pages) == expected


def test_every_export_writes_an_abbreviated_range_out(client):
    claim = make_claim(slug="readers")
    link(claim, make_study(doi="10.1000/pages", title="Pages", pages="151-8"))
    bib = bibtexparser.parse_string(export(client, "bib").content.decode("utf-8"))
    assert bib.entries[0]["pages"] == "151--158"
    (record,) = rispy.loads(export(client, "ris").text)
    assert (record["start_page"], record["end_page"]) == ("151", "158")
    assert json.loads(export(client, "json").content)[0]["page"] == "151–158"
    text = export(client, "csv").content.decode("utf-8-sig")
    assert next(csv.DictReader(io.StringIO(text)))["pages"] == "151–158"


def bibtex_title(title: str) -> str:
    """The title as the BibTeX export writes it, with the entry parsed by both readers."""
    text = f"@misc{{k,\n  title = {{{exports.bibtex_title(title)}}}\n}}\n"
    assert bibtexparser.parse_string(text).failed_blocks == []
    return pybtex_parse(text, "bibtex").entries["k"].fields["title"]


def test_each_latex_decoder_gives_back_the_title_it_can_decode():
    # pybtex and latexcodec read "\^{}" as the spacing circumflex; neither decodes "\{" or "\$".
    power = "x^2 & 5% of #1 ~ a_b"
    pybtex_text = Text.from_latex(bibtex_title(power)).render_as("text")
    assert pybtex_text.replace("\u02c6", "^") == power
    # latexcodec decodes the commands and leaves TeX's empty groups ("\\textasciitilde{}").
    latexcodec_text = codecs.decode(bibtex_title(power)[1:-1], "ulatex").replace("{}", "")
    assert latexcodec_text.replace("\u02c6", "^") == power
    # pylatexenc (bibtexparser's LatexDecodingMiddleware) reads balanced "\{…\}" but drops "\^{}".
    braced = "The {HbA1c} test & 5% of $3 #1 ~ a_b"
    assert bibtex_title(braced) == r"{The \{HbA1c\} test \& 5\% of \$3 \#1 \textasciitilde{} a\_b}"
    assert LatexNodes2Text().latex_to_text(bibtex_title(braced)[1:-1]) == braced
    text = f"@misc{{k,\n  title = {{{exports.bibtex_title(braced)}}}\n}}\n"
    decoded = bibtexparser.parse_string(
        text, append_middleware=[middlewares.LatexDecodingMiddleware()]
    )
    assert decoded.entries[0]["title"] == braced
    # A lone brace: the command form, so the entry still balances for both readers.
    assert bibtex_title("A } b") == r"{A \textbraceright{} b}"


def test_both_bibtex_readers_keep_a_urls_percent_signs_raw(client):
    url = "https://example.org/a%20b?q=5%25#top"
    link(make_claim(slug="readers"), make_study(title="A page", url=url))
    text = export(client, "bib").content.decode("utf-8")
    assert list(pybtex_parse(text, "bibtex").entries.values())[0].fields["url"] == url
    assert bibtexparser.parse_string(text).entries[0]["url"] == url
