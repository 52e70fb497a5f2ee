"""The PubMed client (studies/pubmed.py) on recorded efetch bodies, served by a real local
HTTP server (tests/pubmed_server.py), and study_import_pmid (studies/import_services.py)."""

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from studies import pubmed
from studies.import_services import study_import_pmid
from studies.models import Study
from tests import pubmed_server as server
from tests.factories import make_study

DATA = Path(__file__).parents[1] / "data" / "pubmed"


def records(name: str) -> dict[str, pubmed.PubmedRecord]:
    return {r.pmid: r for r in pubmed.parse_pubmed_xml((DATA / name).read_bytes())}


@pytest.fixture
def efetch(settings):
    with server.serving(settings) as running:
        yield running


# Reading the XML (pure)


def test_it_reads_every_field_of_a_journal_article():
    record = records("11748933_11700088.xml")["11748933"]
    assert record.title.startswith("Is cryopreservation a homogeneous process? Ultrastructure")
    assert record.authors.split("; ")[:2] == ["Taddei, A R", "Barbato, F"]
    assert (record.journal, record.volume, record.issue) == ("Cryobiology", "42", "4")
    # StartPage and EndPage written out, not MedlinePgn's abbreviated "244-55".
    assert (record.pages, record.year, record.issn) == ("244–255", 2001, "0011-2240")
    assert record.doi == "10.1006/cryo.2001.2328"
    assert record.mesh_terms[:3] == ("Animals", "Cell Membrane", "Cryopreservation")
    assert "P < 0.001" in record.abstract


def test_it_keeps_an_authors_suffix_and_reads_a_medline_date():
    record = records("368090.xml")["368090"]
    assert record.authors == "Bozalis, W G; Marshall, G W Jr; Cooley, R O"
    assert record.year == 1979  # from <MedlineDate>1979 Jan-Feb</MedlineDate>
    assert record.doi == ""  # the record has none
    assert record.study_fields()["url"] == "https://pubmed.ncbi.nlm.nih.gov/368090/"


def test_it_keeps_medline_pages_when_start_and_end_are_missing():
    """368090 has only <MedlinePgn>43-9</MedlinePgn>: kept, the exports write it out."""
    assert records("368090.xml")["368090"].pages == "43-9"


def test_it_reads_a_collective_author_as_a_group_author():
    record = records("29963580.xml")["29963580"]
    assert record.authors.split("; ")[-2:] == [
        "Parraga, Grace",
        "Canadian Respiratory Research Network",
    ]


def test_it_labels_the_paragraphs_of_a_structured_abstract():
    abstract = records("28775130.xml")["28775130"].abstract
    paragraphs = abstract.split("\n\n")
    assert [p.split(":")[0] for p in paragraphs] == [
        "OBJECTIVES",
        "METHODS",
        "RESULTS",
        "CONCLUSIONS",
    ]
    assert "Competing" not in abstract and "©" not in abstract  # copyright is not abstract


def test_it_keeps_inline_markup_readable():
    abstract = records("28775130.xml")["28775130"].abstract
    assert "OR_Q3=4.15" in abstract and "p_trend=0.01" in abstract  # <sub> not glued on
    assert "(0.4-≤4.5 mIU/L)" in abstract  # PubMed's underlined < is ≤
    mathml = records("29963580.xml")["29963580"].abstract
    assert "inhaled ³He/¹²⁹Xe MRI ventilation" in mathml  # MathML prescripts, spaced
    assert "ultrashort echo-time ¹H MRI proton" in mathml


def test_it_renders_superscripts_and_subscripts():
    body = (DATA / "28775130.xml").read_text()
    # The recorded title, with the markup PubMed puts in other titles (see the module doc).
    marked = body.replace(
        "among male pesticide applicators.</ArticleTitle>",
        "at 10<sup>-3</sup> M, r<sup>2</sup>, <i>TERT</i> and CO<sub>2</sub>.</ArticleTitle>",
    )
    (record,) = pubmed.parse_pubmed_xml(marked)
    assert record.title.endswith("at 10⁻³ M, r², TERT and CO₂.")


def test_it_takes_the_doi_from_the_elocation_when_the_id_list_has_none():
    body = (DATA / "28775130.xml").read_text()
    without_id = body.replace('<ArticleId IdType="doi">10.1136/oemed-2017-104431</ArticleId>', "")
    (record,) = pubmed.parse_pubmed_xml(without_id)
    assert record.doi == "10.1136/oemed-2017-104431"


def test_it_normalises_the_doi():
    assert records("29963580.xml")["29963580"].doi == "10.1117/1.jmi.5.2.026002"


@pytest.mark.parametrize(
    "types, mesh, design",
    [
        (("Journal Article", "Randomized Controlled Trial"), (), "rct"),
        (("Meta-Analysis", "Systematic Review"), (), "systematic_review"),
        (("Journal Article", "Observational Study"), (), "cohort"),
        (("Case Reports",), (), "case_series"),
        (("Journal Article", "Review"), (), "expert_opinion"),
        (("Clinical Trial", "Randomized Controlled Trial"), (), "rct"),  # the strongest
        (("Journal Article",), ("Animals", "Male"), "animal"),
        (("Journal Article",), ("Animals", "Humans"), None),
        (("Journal Article", "Comparative Study"), (), None),
    ],
)
def test_it_suggests_a_design_from_the_publication_types(types, mesh, design):
    record = pubmed.PubmedRecord(pmid="1", title="T", publication_types=types, mesh_terms=mesh)
    assert record.suggested_design == design


def test_it_suggests_designs_for_the_recorded_records():
    assert records("12091962_9997.xml")["12091962"].suggested_design == "expert_opinion"
    assert records("11748933_11700088.xml")["11748933"].suggested_design == "animal"  # sea bream
    assert records("368090.xml")["368090"].suggested_design is None


def test_it_refuses_a_billion_laughs_body():
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    doctype = f"<!DOCTYPE lolz [{''.join(entities)}]>"
    laughs = f"<?xml version='1.0'?>{doctype}<PubmedArticleSet>&lol9;</PubmedArticleSet>"
    with pytest.raises(pubmed.PubmedError) as refused:
        pubmed.parse_pubmed_xml(laughs)
    assert str(refused.value) == pubmed.ENTITIES_MESSAGE


def test_it_never_fetches_the_external_dtd_it_names():
    # Every recorded body names NCBI's DTD on dtd.nlm.nih.gov, which does not resolve here:
    # parsing works, so nothing is fetched.
    assert b"https://dtd.nlm.nih.gov" in (DATA / "28775130.xml").read_bytes()
    assert records("28775130.xml")


@pytest.mark.parametrize("body", [b"", b"<html>Service down</html>", b"<PubmedArticleSet>"])
def test_it_refuses_what_is_not_an_article_set(body):
    with pytest.raises(pubmed.PubmedError):
        pubmed.parse_pubmed_xml(body)


# Fetching (a real HTTP server)


def test_it_fetches_a_record_with_ncbis_etiquette(efetch, settings):
    settings.PUBMED_API_KEY = "k3y"
    record = pubmed.fetch_pubmed("368090")
    assert record.title == "Mechanical pretreatments and etching of primary-tooth enamel."
    (request,) = efetch.requests
    assert request["query"] == {
        "db": "pubmed",
        "id": "368090",
        "retmode": "xml",
        "tool": pubmed.TOOL,
        "email": settings.CROSSREF_CONTACT,
        "api_key": "k3y",
    }


def test_it_picks_the_requested_record_of_a_set(efetch):
    assert pubmed.fetch_pubmed("11700088").title.startswith("Proton MRI of (13)C distribution")


def test_it_sends_no_api_key_without_one(efetch):
    pubmed.fetch_pubmed("9997")
    assert "api_key" not in efetch.requests[0]["query"]
    assert urlsplit(pubmed.efetch_url("9997")).path.endswith("/efetch.fcgi")


@pytest.mark.parametrize(
    "pmid, message",
    [
        ("123456789", pubmed.NOT_FOUND_MESSAGE.format(pmid="123456789")),
        ("12a", pubmed.NOT_A_PMID_MESSAGE.format(pmid="12a")),
        ("0", pubmed.NOT_A_PMID_MESSAGE.format(pmid="0")),
        (server.ERROR_PMID, "PubMed refused the request: Empty id list - nothing todo"),
        (server.SERVER_ERROR_PMID, f"PubMed answered HTTP 503 for PMID {server.SERVER_ERROR_PMID}"),
    ],
)
def test_it_says_why_a_fetch_failed(efetch, pmid, message):
    with pytest.raises(pubmed.PubmedError) as failed:
        pubmed.fetch_pubmed(pmid)
    assert str(failed.value).startswith(message)


def test_it_marks_a_503_as_worth_retrying_with_its_retry_after(efetch):
    with pytest.raises(pubmed.PubmedError) as failed:
        pubmed.fetch_pubmed(server.SERVER_ERROR_PMID)
    assert (failed.value.transient, failed.value.retry_after) == (True, 7.0)


def test_it_gives_up_at_the_deadline(efetch):
    with pytest.raises(pubmed.PubmedError) as failed:
        pubmed.fetch_pubmed(server.SLOW_PMID)
    assert "within 1 s" in str(failed.value) and failed.value.transient


def test_it_refuses_a_truncated_body(efetch):
    with pytest.raises(pubmed.PubmedError) as failed:
        pubmed.fetch_pubmed(server.TRUNCATED_PMID)
    assert str(failed.value).startswith("PubMed sent a response that is not readable XML")


def test_it_accepts_a_pmid_written_with_its_label(efetch):
    assert pubmed.fetch_pubmed(" PMID: 9997 ").pmid == "9997"


# Importing one PMID


@pytest.mark.django_db
def test_it_creates_a_study_with_the_suggested_design_unconfirmed(efetch):
    study, created = study_import_pmid("11748933")
    assert created
    study.refresh_from_db()
    assert (study.design, study.design_confirmed) == ("animal", False)
    assert (study.pmid, study.doi, study.volume, study.pages) == (
        "11748933",
        "10.1006/cryo.2001.2328",
        "42",
        "244–255",
    )
    assert study.mesh_terms.splitlines()[:2] == ["Animals", "Cell Membrane"]
    assert study.work_type == "Journal Article; Research Support, Non-U.S. Gov't"


@pytest.mark.django_db
def test_it_uses_the_default_design_when_nothing_is_suggested(efetch):
    study, created = study_import_pmid("368090")
    assert created and (study.design, study.design_confirmed) == ("case_series", False)


@pytest.mark.django_db
def test_it_does_not_create_a_study_we_have(efetch):
    existing = make_study(doi="10.1006/cryo.2001.2328", title="Kept", design="cohort")
    study, created = study_import_pmid("11748933")
    assert (study.pk, created) == (existing.pk, False)
    existing.refresh_from_db()
    assert (existing.title, existing.design) == ("Kept", "cohort")  # nothing overwritten
    assert existing.pmid == "11748933"  # what it lacked is filled in
    assert Study.objects.count() == 1


@pytest.mark.django_db
def test_it_finds_a_study_we_have_by_pmid_and_by_title(efetch):
    by_pmid = make_study(pmid="9997", title="Other title", year=1976)
    assert study_import_pmid("9997") == (by_pmid, False)
    by_title = make_study(
        title="MECHANICAL pretreatments and etching of primary tooth enamel", year=1979
    )
    assert study_import_pmid("368090") == (by_title, False)


@pytest.mark.django_db
def test_a_failed_fetch_creates_nothing(efetch):
    with pytest.raises(pubmed.PubmedError):
        study_import_pmid("123456789")
    assert not Study.objects.exists()
