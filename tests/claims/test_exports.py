"""/claims/<slug>/export.bib, .ris and .csv, and the pure functions behind them."""

import csv
import io
import re

import bibtexparser
import pytest
from bibtexparser.bparser import BibTexParser
from bibtexparser.customization import splitname
from django.urls import reverse

from claims import exports
from claims.presentation import evidence_rows
from claims.services import approved_evidence, claim_scorecard
from tests.conftest import link, make_claim, make_study

pytestmark = pytest.mark.django_db

REFALO = "10.1080/02640414.2024.2321021"
FAILURE_FATIGUE = "failure-fatigue-adds-no-hypertrophy"


def export(client, slug, fmt):
    return client.get(reverse("claim-export", kwargs={"slug": slug, "fmt": fmt}))


def parse_bibtex(text):
    parser = BibTexParser(common_strings=True)
    parser.ignore_nonstandard_types = False
    return bibtexparser.loads(text, parser=parser)


def parse_ris(text):
    records, record = [], {}
    assert text.endswith("ER  - \r\n")
    for line in text.split("\r\n"):
        if not line:
            continue
        tag, separator, value = line.partition("  - ")
        assert separator, line
        assert len(tag) == 2 and tag.isupper(), line
        if tag == "ER":
            records.append(record)
            record = {}
        else:
            record.setdefault(tag, []).append(value)
    assert record == {}, "every record ends with ER"
    return records


def rows_of(claim):
    evidence = list(approved_evidence([claim.pk]))
    return exports.flatten(evidence_rows(evidence, claim_scorecard(claim, evidence)))


def test_it_exports_every_demo_claim_as_bibtex_that_parses(client, demo):
    for claim in demo:
        response = export(client, claim.slug, "bib")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
        assert response["Content-Disposition"] == f'attachment; filename="{claim.slug}.bib"'
        database = parse_bibtex(response.content.decode("utf-8"))
        assert len(database.entries) == claim.evidence.count()
        assert len({entry["ID"] for entry in database.entries}) == len(database.entries)


def test_it_writes_the_bibtex_fields_of_a_demo_claim(client, demo):
    text = export(client, FAILURE_FATIGUE, "bib").content.decode()
    entries = {entry["ID"]: entry for entry in parse_bibtex(text).entries}
    assert len(entries) == 3
    assert {"refalo2024similar", "hermann2025fail"} <= set(entries)
    refalo = entries["refalo2024similar"]
    assert refalo["ENTRYTYPE"] == "article"
    # The title's own braces keep its case in styles that lower-case titles.
    assert refalo["title"].startswith("{Similar muscle hypertrophy following eight weeks")
    assert refalo["title"].endswith("resistance-trained individuals}")
    assert refalo["author"] == (
        "Refalo, M. C. and Helms, E. R. and Robinson, Z. P. and Hamilton, D. L. and Fyfe, J. J."
    )
    assert refalo["journal"] == "Journal of Sports Sciences"
    assert refalo["year"] == "2024"
    assert refalo["doi"] == REFALO
    assert refalo["url"] == f"https://doi.org/{REFALO}"
    assert refalo["note"].startswith(
        "Supports the claim; Randomised controlled trial; moderate certainty (GRADE)"
    )
    hermann = entries["hermann2025fail"]
    assert hermann["journal"] == r"Medicine \& Science in Sports \& Exercise"


def study_without_details():
    claim = make_claim()
    link(claim, make_study(title="Five weeks of training", authors="", year=None, journal=""))
    return claim


def test_it_gives_a_study_without_authors_year_or_doi_a_key(client):
    text = export(client, study_without_details().slug, "bib").content.decode()
    (entry,) = parse_bibtex(text).entries
    assert entry["ID"] == "studyfive"
    assert entry["ENTRYTYPE"] == "misc"
    assert "doi" not in entry and "year" not in entry and "author" not in entry


def test_it_escapes_latex_specials_and_keeps_unicode():
    assert exports.latex_escape("R&D 50% a_b #1 $5 ~x^2 {b} c\\d") == (
        r"R\&D 50\% a\_b \#1 \$5 \textasciitilde{}x\textasciicircum{}2 "
        r"\textbraceleft{}b\textbraceright{} c\textbackslash{}d"
    )
    assert exports.latex_escape("Müller–Łukasz\n  café") == "Müller–Łukasz café"


def test_it_writes_bibtex_a_parser_reads_back_despite_awkward_text(client):
    claim = make_claim()
    study = make_study(
        doi="10.1000/a_b%c",
        title="Unbalanced { brace & 100% _under_ #hash: Ærøskøbing café",
        authors="Ødegård, Åse; O'Brien, Seán; von Müller, J.",
        journal="J. Tests & Trials",
    )
    link(claim, study, finding="=SUM(A1)")
    text = export(client, claim.slug, "bib").content.decode("utf-8")
    (entry,) = parse_bibtex(text).entries
    assert entry["ID"] == "odegard2024unbalanced"
    assert entry["title"] == (
        r"{Unbalanced \textbraceleft{} brace \& 100\% \_under\_ \#hash: Ærøskøbing café}"
    )
    assert entry["author"] == r"Ødegård, Åse and O'Brien, Seán and von Müller, J."
    assert entry["doi"] == "10.1000/a_b%c"
    assert text.count("{") == text.count("}")


def test_it_makes_repeated_keys_unique(client):
    claim = make_claim()
    for i in range(3):
        link(
            claim,
            make_study(doi=f"10.1000/same{i}", title="Same title", authors="Smith, A."),
        )
    keys = exports.unique_keys(rows_of(claim))
    assert sorted(keys) == ["smith2024same", "smith2024samea", "smith2024sameb"]


def test_it_exports_ris_records(client, demo):
    response = export(client, FAILURE_FATIGUE, "ris")
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    records = parse_ris(response.content.decode("utf-8"))
    assert len(records) == 3
    refalo = next(r for r in records if r.get("DO") == [REFALO])
    assert refalo["TY"] == ["JOUR"]
    assert refalo["AU"][0] == "Refalo, M. C." and len(refalo["AU"]) == 5
    assert refalo["TI"][0].startswith("Similar muscle hypertrophy")
    assert refalo["JO"] == ["Journal of Sports Sciences"]
    assert refalo["PY"] == ["2024"]
    assert refalo["UR"] == [f"https://doi.org/{REFALO}"]
    assert refalo["N1"][0].startswith("Supports the claim; Randomised controlled trial;")
    ijes = next(r for r in records if r.get("DO") == ["10.70252/ijes2026403"])
    assert "(design not confirmed)" in ijes["N1"][0]
    assert (
        refalo["N1"][1] == f"Evidence for the claim at http://testserver/claims/{FAILURE_FATIGUE}/"
    )
    assert records[0]["TY"] and all("ER" not in r for r in records)


def test_it_exports_a_study_without_a_journal_as_a_generic_ris_record(client):
    text = export(client, study_without_details().slug, "ris").content.decode()
    (record,) = parse_ris(text)
    assert record["TY"] == ["GEN"]
    assert "AU" not in record and "DO" not in record


def test_it_exports_csv_with_stance_design_certainty_and_weight(client, demo):
    response = export(client, FAILURE_FATIGUE, "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    reader = csv.DictReader(io.StringIO(response.content.decode("utf-8")))
    assert reader.fieldnames == exports.CSV_COLUMNS
    rows = list(reader)
    assert len(rows) == 3
    by_doi = {row["doi"]: row for row in rows}
    refalo = by_doi[REFALO]
    assert refalo["stance"] == "supports"
    assert refalo["design"] == "rct"
    assert refalo["certainty"] == "moderate" and refalo["certainty_derived"] == "no"
    assert float(refalo["points"]) > 0 and 0 < float(refalo["share"]) <= 1
    assert refalo["design_confirmed"] == "yes"
    assert by_doi["10.70252/ijes2026403"]["certainty_derived"] == "yes"
    assert by_doi["10.70252/ijes2026403"]["design_confirmed"] == "no"
    assert [row["rank"] for row in rows] == ["1", "2", "3"]


def test_it_keeps_csv_cells_from_running_as_formulas(client):
    claim = make_claim()
    link(claim, make_study(title="=HYPERLINK(1)", authors="@evil"), finding='+1, a, "b"')
    (row,) = csv.DictReader(io.StringIO(export(client, claim.slug, "csv").content.decode()))
    assert row["title"] == "'=HYPERLINK(1)"
    assert row["authors"] == "'@evil"
    assert row["finding"] == '\'+1, a, "b"'


def test_it_hides_draft_exports_from_readers(client):
    make_claim(slug="draft", status="draft")
    assert export(client, "draft", "bib").status_code == 404
    assert client.get("/claims/draft/export.pdf").status_code == 404


def test_it_links_the_exports_from_the_claim_page(client, demo):
    html = client.get(f"/claims/{FAILURE_FATIGUE}/").content.decode()
    for fmt in ("bib", "ris", "csv"):
        assert f'href="/claims/{FAILURE_FATIGUE}/export.{fmt}"' in html


def bibtex_names(field: str) -> list[str]:
    """Split an author field as BibTeX does: on "and" between spaces, outside braces."""
    names, depth, start, i = [], 0, 0, 0
    while i < len(field):
        if field[i] == "{":
            depth += 1
        elif field[i] == "}":
            depth -= 1
        elif depth == 0 and re.match(r"\s+and\s+", field[i:], re.IGNORECASE):
            names.append(field[start:i])
            i = start = i + re.match(r"\s+and\s+", field[i:], re.IGNORECASE).end()
            continue
        i += 1
    return [name.strip() for name in [*names, field[start:]]]


def test_it_round_trips_titles_and_authors_through_a_bibtex_parser(client):
    claim = make_claim()
    title = "An RCT of metformin on HbA1c in the DiRECT and UKPDS cohorts"
    authors = (
        "Centers for Disease Control and Prevention; Smith, Anna; "
        "World Health Organization; Anderson, Bob; Research AND Development Group"
    )
    link(claim, make_study(doi="10.1000/hba1c", title=title, authors=authors))
    (entry,) = parse_bibtex(export(client, claim.slug, "bib").content.decode()).entries
    # One brace pair of its own around the title: the case is kept as written.
    assert entry["title"] == "{" + title + "}"
    names = bibtex_names(entry["author"])
    assert names == [
        "{Centers for Disease Control and Prevention}",
        "Smith, Anna",
        "{World Health Organization}",
        "Anderson, Bob",
        "{Research AND Development Group}",
    ]
    parts = [splitname(name) for name in names]
    assert parts[0]["last"] == ["{Centers for Disease Control and Prevention}"]
    assert parts[0]["first"] == []
    assert (parts[1]["last"], parts[1]["first"]) == (["Smith"], ["Anna"])
    assert (parts[3]["last"], parts[3]["first"]) == (["Anderson"], ["Bob"])


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ("Refalo, M. C.", "Refalo, M. C."),
        ("Anderson, Andrea", "Anderson, Andrea"),
        ("Food and Drug Administration", "{Food and Drug Administration}"),
        ("Cochrane Collaboration", "{Cochrane Collaboration}"),
        ("Johnson and Johnson, Research", "{Johnson and Johnson, Research}"),
        ("R&D Team", r"{R\&D Team}"),
    ],
)
def test_it_braces_authors_bibtex_would_split_or_reorder(name, written):
    assert exports.bibtex_name(name) == written


def test_it_writes_urls_and_dois_as_they_are(client):
    claim = make_claim()
    url = "https://example.org/paper_one/full_text?id=a_b%20c&x=1"
    link(claim, make_study(title="No DOI", url=url))
    link(claim, make_study(doi="10.1000/under_score", title="With DOI"))
    text = export(client, claim.slug, "bib").content.decode()
    entries = {entry["title"]: entry for entry in parse_bibtex(text).entries}
    assert entries["{No DOI}"]["url"] == url
    assert entries["{With DOI}"]["doi"] == "10.1000/under_score"
    assert entries["{With DOI}"]["url"] == "https://doi.org/10.1000/under_score"
    assert "\\_" not in entries["{No DOI}"]["url"]


@pytest.mark.parametrize("fmt", ["ris", "bib"])
def test_it_links_the_claim_on_site_url(client, settings, fmt):
    settings.ALLOWED_HOSTS = ["mirror.example.net"]
    settings.SITE_URL = "https://claims.example.org"
    claim = make_claim(slug="on-site")
    link(claim, make_study(doi="10.1000/site", title="A trial", journal="J"))
    response = client.get(
        reverse("claim-export", kwargs={"slug": claim.slug, "fmt": fmt}),
        headers={"Host": "mirror.example.net"},
    )
    text = response.content.decode()
    assert "Evidence for the claim at https://claims.example.org/claims/on-site/" in text
    assert "mirror.example.net" not in text
