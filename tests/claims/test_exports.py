"""/claims/<slug>/export.bib, .ris and .csv, and the pure functions behind them."""

import csv
import io
import re

import bibtexparser
import pytest
from bibtexparser.middlewares.names import parse_single_name_into_parts
from django.urls import reverse

import scoring
from claims import exports, exports_csv
from claims.evidence_list import evidence_rows
from claims.models import Claim, Evidence
from claims.services import approved_evidence, claim_scorecard
from scoring import CERTAINTY_LABELS
from studies.models import RetractionStatus
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db

REFALO = "10.1080/02640414.2024.2321021"
FAILURE_FATIGUE = "failure-fatigue-adds-no-hypertrophy"


def export(client, slug, fmt):
    return client.get(reverse("claim-export", kwargs={"slug": slug, "fmt": fmt}))


def parse_bibtex(text):
    """bibtexparser 2: entries read as dicts (entry["ID"], entry["ENTRYTYPE"], entry["title"])
    with the outer braces of each value removed, as 1.x did; nothing may fail to parse."""
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, [block.error for block in library.failed_blocks]
    return library


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


def contribution_of(claim, doi):
    """The live scorecard's contribution of the claim's link to the study with this DOI."""
    (row,) = [row for row in rows_of(claim) if row.study.doi == doi]
    return row.contribution


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
    claim = Claim.objects.get(slug=FAILURE_FATIGUE)
    contribution = contribution_of(claim, REFALO)
    level = CERTAINTY_LABELS[contribution.certainty].lower()
    assert "note" not in refalo  # styles print `note` in the reader's bibliography
    assert refalo["annote"].startswith(
        f"Supports the claim; Randomised controlled trial; this study: {level} certainty "
        "(GRADE); risk of bias: "
    )
    assert (
        f"counted, {contribution.points:.1f} points. Evidence for the claim “" in (refalo["annote"])
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
        r"R\&D 50\% a\_b \#1 \$5 \textasciitilde{}x\^{}2 \{b\} c\textbackslash{}d"
    )
    # A lone brace would unbalance BibTeX's count even as "\{": the command form instead.
    assert exports.latex_escape("a } b {") == r"a \textbraceright{} b \textbraceleft{}"
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
    # The journal in T2, as Zotero's own export writes it; Zotero files JO as the abbreviation.
    assert refalo["T2"] == ["Journal of Sports Sciences"]
    assert "JO" not in refalo
    assert refalo["PY"] == ["2024"]
    assert refalo["UR"] == [f"https://doi.org/{REFALO}"]
    assert refalo["N1"][0].startswith("Supports the claim; Randomised controlled trial;")
    ijes = next(r for r in records if r.get("DO") == ["10.70252/ijes2026403"])
    assert "(design not confirmed)" in ijes["N1"][0]
    card = claim_scorecard(Claim.objects.get(slug=FAILURE_FATIGUE))
    plain = Claim.objects.get(slug=FAILURE_FATIGUE).plain_statement
    assert refalo["N1"][1] == (
        f"Evidence for the claim “{plain}” at http://testserver/claims/{FAILURE_FATIGUE}/: "
        f"{exports.verdict_line(card.verdict, card.certainty)}. {card.statement}"
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
    reader = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    assert reader.fieldnames == exports_csv.CSV_COLUMNS
    # New columns go last, so a spreadsheet reading columns by position keeps working.
    assert exports_csv.CSV_COLUMNS[25:28] == [
        "claim_verdict",
        "claim_certainty",
        "claim_verdict_statement",
    ]
    assert exports_csv.CSV_COLUMNS[28] == "outcome"  # then the effect and the PICO (issue 14)
    assert exports_csv.CSV_COLUMNS[49] == "claim_expected_direction"
    assert exports_csv.CSV_COLUMNS[53] == "effect_ci_kind"  # the interval's kind, then issue 17's
    assert exports_csv.CSV_COLUMNS[54:59] == [
        "volume",
        "issue",
        "pages",
        "issn",
        "publication_type",
    ]
    assert exports_csv.CSV_COLUMNS[59:] == ["subtitle", "pmid"]
    rows = list(reader)
    assert len(rows) == 3
    by_doi = {row["doi"]: row for row in rows}
    refalo = by_doi[REFALO]
    claim = Claim.objects.get(slug=FAILURE_FATIGUE)
    card = claim_scorecard(claim)
    contribution = contribution_of(claim, REFALO)
    assert refalo["stance"] == "supports"
    assert refalo["design"] == "rct"
    assert refalo["certainty"] == contribution.certainty
    assert refalo["certainty_derived"] == ("yes" if contribution.certainty_derived else "no")
    assert float(refalo["points"]) > 0 and 0 < float(refalo["share"]) <= 1
    assert refalo["design_confirmed"] == "yes"
    assert by_doi["10.70252/ijes2026403"]["design_confirmed"] == "no"
    links = {e.study.doi: e for e in claim.evidence.select_related("study")}
    for doi, row in by_doi.items():
        assert row["appraisal_status"] == links[doi].appraisal_status
        if links[doi].is_awaiting_appraisal:  # nobody has judged it: no certainty, no points
            assert (row["counted"], row["not_counted"]) == ("no", "awaiting appraisal")
            assert (row["certainty"], row["certainty_derived"], row["rank"]) == ("", "", "")
        else:  # nothing in this claim is retracted, pooled or a second report of a trial
            assert (row["counted"], row["not_counted"]) == ("yes", "")
            assert row["certainty_derived"] == (
                "yes" if contribution_of(claim, doi).certainty_derived else "no"
            )
    counted = [row["rank"] for row in rows if row["counted"] == "yes"]
    assert len(counted) >= 2 and counted == [str(n) for n in range(1, len(counted) + 1)]
    assert (
        refalo["risk_of_bias_judgement"]
        == claim.evidence.get(study__doi=REFALO).risk_of_bias_judgement
    )
    assert refalo["certainty_reasons"]  # why the study has its certainty
    assert {
        (row["claim_verdict"], row["claim_certainty"], row["claim_verdict_statement"])
        for row in rows
    } == {(card.verdict, card.certainty, card.statement)}


def test_it_keeps_csv_cells_from_running_as_formulas(client):
    claim = make_claim()
    link(claim, make_study(title="=HYPERLINK(1)", authors="@evil"), finding='+1, a, "b"')
    (row,) = csv.DictReader(
        io.StringIO(export(client, claim.slug, "csv").content.decode("utf-8-sig"))
    )
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
    parts = [parse_single_name_into_parts(name) for name in names]
    assert parts[0].last == ["{Centers for Disease Control and Prevention}"]
    assert parts[0].first == []
    assert (parts[1].last, parts[1].first) == (["Smith"], ["Anna"])
    assert (parts[3].last, parts[3].first) == (["Anderson"], ["Bob"])


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
    assert (
        "Evidence for the claim “X makes Y go up.” at https://claims.example.org/claims/on-site/"
        in text
    )
    assert "mirror.example.net" not in text


def csv_rows(client, claim) -> dict[str, dict]:
    text = export(client, claim.slug, "csv").content.decode("utf-8-sig")
    return {row["doi"]: row for row in csv.DictReader(io.StringIO(text))}


def test_it_exports_a_study_awaiting_appraisal_as_not_counted(client):
    """Issue 12: a link awaiting appraisal has no contribution on the scorecard; the exports
    looked every link's contribution up by its pk and answered 500."""
    claim = make_claim()
    link(claim, make_study(doi="10.1000/appraised", title="Appraised trial", journal="J"))
    link(
        claim,
        make_study(doi="10.1000/waiting", title="Submitted trial", journal="J"),
        stance="contradicts",
        appraisal_status=Evidence.Appraisal.AWAITING,
    )
    for fmt in ("bib", "ris", "csv"):
        assert export(client, claim.slug, fmt).status_code == 200
    rows = csv_rows(client, claim)
    waiting = rows["10.1000/waiting"]
    assert waiting["appraisal_status"] == "awaiting"
    assert (waiting["counted"], waiting["not_counted"]) == ("no", "awaiting appraisal")
    assert waiting["certainty"] == "" and waiting["certainty_derived"] == ""
    assert (waiting["points"], waiting["rank"], waiting["weight"]) == ("0.00", "", "0.00")
    assert rows["10.1000/appraised"]["counted"] == "yes"
    entries = {
        e["doi"]: e
        for e in parse_bibtex(export(client, claim.slug, "bib").content.decode()).entries
    }
    assert entries["10.1000/waiting"]["annote"].startswith(
        "Contradicts the claim; Randomised controlled trial; awaiting appraisal, not counted. "
        "Evidence for the claim"
    )
    (record,) = [
        r
        for r in parse_ris(export(client, claim.slug, "ris").content.decode())
        if r["DO"] == ["10.1000/waiting"]
    ]
    assert record["N1"][0].endswith("awaiting appraisal, not counted")


def test_it_says_why_a_retracted_study_does_not_count(client):
    claim = make_claim()
    link(claim, make_study(doi="10.1000/kept", title="Kept"))
    link(
        claim,
        make_study(
            doi="10.1000/retracted",
            title="Retracted",
            retraction_status=RetractionStatus.RETRACTED,
            retraction_notice_doi="10.1000/notice",
        ),
    )
    row = csv_rows(client, claim)["10.1000/retracted"]
    assert (row["counted"], row["not_counted"], row["points"]) == ("no", "retracted", "0.00")
    assert row["rank"] == "" and row["share"] == "0.0000"
    assert row["certainty"]  # it was appraised: its own certainty is still shown
    entries = {
        e["doi"]: e
        for e in parse_bibtex(export(client, claim.slug, "bib").content.decode()).entries
    }
    assert (
        "; not counted: retracted (notice 10.1000/notice). Evidence for the claim"
        in entries["10.1000/retracted"]["annote"]
    )


def test_it_names_the_publication_of_the_same_trial_that_counts_instead(client):
    claim = make_claim()
    main = make_study(
        doi="10.1000/main",
        title="Main report",
        authors="Smith, A.; Jones, B.",
        sample_size=200,
        trial_registration="NCT01234567",
    )
    secondary = make_study(
        doi="10.1000/secondary",
        title="Secondary report",
        sample_size=60,
        trial_registration="nct01234567",
    )
    link(claim, main)
    link(claim, secondary)
    rows = csv_rows(client, claim)
    assert rows["10.1000/main"]["counted"] == "yes"
    row = rows["10.1000/secondary"]
    assert (row["counted"], row["not_counted"]) == ("no", scoring.SAME_TRIAL)
    assert row["not_counted_because"] == "Smith et al. 2024 (10.1000/main)"
    text = export(client, claim.slug, "ris").content.decode()
    (record,) = [r for r in parse_ris(text) if r["DO"] == ["10.1000/secondary"]]
    # Registry numbers are compared without regard to case; the note names the registration.
    assert "not counted: same trial as Smith et al. 2024 (" in record["N1"][0]
    assert record["N1"][0].lower().endswith("(nct01234567)")


def test_it_names_the_review_a_pooled_study_counts_in(client):
    claim = make_claim()
    review = make_study(
        doi="10.1000/review",
        title="Review",
        authors="Lee, C.; Park, D.",
        design="meta_analysis_rct",
        sample_size=900,
    )
    trial = make_study(doi="10.1000/pooled", title="Pooled trial")
    trial.pooled_in.add(review)
    link(claim, review)
    link(claim, trial)
    row = csv_rows(client, claim)["10.1000/pooled"]
    assert (row["counted"], row["not_counted"]) == ("no", scoring.POOLED_IN)
    assert row["not_counted_because"] == "Lee et al. 2024 (10.1000/review)"
    entries = {
        e["doi"]: e
        for e in parse_bibtex(export(client, claim.slug, "bib").content.decode()).entries
    }
    assert (
        "; not counted: pooled in Lee et al. 2024. Evidence for the claim"
        in (entries["10.1000/pooled"]["annote"])
    )


def test_it_lists_counted_studies_first_then_uncounted_then_awaiting(client):
    claim = make_claim()
    link(claim, make_study(doi="10.1000/waiting"), appraisal_status=Evidence.Appraisal.AWAITING)
    link(claim, make_study(doi="10.1000/gone", retraction_status=RetractionStatus.RETRACTED))
    link(claim, make_study(doi="10.1000/small", sample_size=20))
    link(claim, make_study(doi="10.1000/large", sample_size=300))
    text = export(client, claim.slug, "csv").content.decode("utf-8-sig")
    assert [row["doi"] for row in csv.DictReader(io.StringIO(text))] == [
        "10.1000/large",
        "10.1000/small",
        "10.1000/gone",
        "10.1000/waiting",
    ]


def test_it_carries_the_claims_capped_verdict_and_certainty(client):
    claim = make_claim(slug="capped")
    link(claim, make_study(doi="10.1000/capped", title="A trial", journal="J"))
    card = claim_scorecard(claim)
    assert card.certainty  # one trial counted: there is a certainty to carry
    line = f"{exports.verdict_line(card.verdict, card.certainty)}. {card.statement}"
    assert " · " in line and "certainty" in line
    (entry,) = parse_bibtex(export(client, "capped", "bib").content.decode()).entries
    (row,) = rows_of(claim)
    assert entry["annote"] == exports.latex_escape(
        f"{exports.note(row)}. "
        f"Evidence for the claim “X makes Y go up.” at http://testserver/claims/capped/: {line}"
    )
    (record,) = parse_ris(export(client, "capped", "ris").content.decode())
    assert record["N1"][1].endswith(line)
    (row,) = csv_rows(client, claim).values()
    assert (row["claim_verdict"], row["claim_certainty"]) == (card.verdict, card.certainty)
    assert row["claim_verdict_statement"] == card.statement


def test_it_writes_the_verdict_line_as_the_claim_cards_do():
    assert exports.verdict_line("Moderate support", "low") == "Moderate support · Low certainty"
    assert exports.verdict_line("Very uncertain", "very_low") == (
        "Very uncertain · Very low certainty"
    )
    assert exports.verdict_line("Insufficient evidence", None) == "Insufficient evidence"
    assert exports.verdict_line("Insufficient evidence", "") == "Insufficient evidence"


def test_it_exports_in_a_flat_number_of_queries(client, django_assert_max_num_queries):
    claim = make_claim()
    for i in range(20):
        study = make_study(doi=f"10.1000/q{i}", trial_registration=f"NCT0000{i % 5:04d}")
        link(claim, study, appraisal_status="awaiting" if i % 7 == 0 else "appraised")
    # claim, evidence with studies, pooled-in pairs
    with django_assert_max_num_queries(3):
        assert export(client, claim.slug, "csv").status_code == 200


def test_it_keeps_the_sites_commentary_out_of_bibtex_note(client, demo):
    """Issue 12 review: standard .bst styles print `note`, so "Supports the claim; …; counted,
    23.1 points" appeared in the reader's own reference list. The commentary is an `annote`,
    which Zotero imports as a note and the styles do not print."""
    for claim in demo:
        text = export(client, claim.slug, "bib").content.decode()
        for entry in parse_bibtex(text).entries:
            assert "note" not in entry, (claim.slug, entry["ID"])
            assert entry["annote"].startswith(("Supports the claim", "Contradicts the claim"))
        assert not re.search(r"^\s*note\s*=", text, re.MULTILINE)


def test_it_names_the_claim_and_keeps_the_studys_certainty_apart_from_the_claims(client):
    """Issue 12 review: the notes said neither which claim they were about nor whose
    certainty "low certainty (GRADE)" was: the study's own level beside the claim's."""
    claim = make_claim(
        slug="very-uncertain", plain_statement="Muscles grow whether or not you train to failure."
    )
    # One RCT of 40, risk of bias not assessed: very low certainty for the body of evidence.
    Evidence.objects.create(
        claim=claim,
        study=make_study(doi="10.1000/small", title="A small trial", journal="J"),
        stance="supports",
    )
    card = claim_scorecard(claim)
    assert (card.verdict, card.certainty) == (scoring.VERY_UNCERTAIN, "very_low")
    expected = (
        "Evidence for the claim “Muscles grow whether or not you train to failure.” at "
        "http://testserver/claims/very-uncertain/: Very uncertain · Very low certainty. "
        "We are very uncertain whether this is true."
    )
    (row,) = rows_of(claim)
    study_level = CERTAINTY_LABELS[row.certainty].lower()
    (record,) = parse_ris(export(client, claim.slug, "ris").content.decode())
    assert record["N1"] == [
        f"Supports the claim; Randomised controlled trial; this study: {study_level} certainty "
        f"(GRADE); risk of bias: not assessed; counted, {row.points:.1f} points",
        expected,
    ]
    (entry,) = parse_bibtex(export(client, claim.slug, "bib").content.decode()).entries
    assert entry["annote"] == f"{record['N1'][0]}. {expected}"


def test_the_csv_and_the_claim_json_carry_the_study_facts(client):
    """Issue 14, item 7 (review): funding, conflicts of interest and trial registration were in
    /api/studies/ only; the claim's JSON and CSV, where readers take a claim's studies from, had
    none of them."""
    claim = make_claim(slug="facts")
    study = make_study(
        doi="10.1000/facts",
        title="Funded trial",
        funding="National Research Council grant 123",
        conflicts_of_interest="One author consults for a supplement maker.",
        trial_registration="NCT01234567",
    )
    link(claim, study)
    (row,) = list(
        csv.DictReader(io.StringIO(export(client, "facts", "csv").content.decode("utf-8-sig")))
    )
    assert row["funding"] == "National Research Council grant 123"
    assert row["conflicts_of_interest"] == "One author consults for a supplement maker."
    assert row["trial_registration"] == "NCT01234567"
    facts = ["funding", "conflicts_of_interest", "trial_registration"]
    assert exports_csv.CSV_COLUMNS[50:53] == facts  # then the interval's kind
    (item,) = client.get("/claims/facts.json").json()["evidence"]
    assert item["study"]["funding"] == "National Research Council grant 123"
    assert item["study"]["conflicts_of_interest"].startswith("One author consults")
