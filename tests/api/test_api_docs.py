"""docs/api.md documents every field the API returns, and nothing it does not.

Each record type has a `#### <name>` heading in docs/api.md followed by a table whose first
column names its fields in backticks; these tests compare those names with real responses.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db

DOCS = Path(settings.BASE_DIR) / "docs" / "api.md"
REFALO = "10.1080/02640414.2024.2321021"


def documented_fields() -> dict[str, set[str]]:
    """{heading: field names} for every `####` heading of docs/api.md with a table."""
    tables, heading = {}, None
    for line in DOCS.read_text().splitlines():
        if line.startswith("#"):
            heading = line.lstrip("#").strip() if line.startswith("#### ") else None
        elif heading and line.startswith("| `"):
            first_cell = line.split("|")[1]
            tables.setdefault(heading, set()).update(re.findall(r"`([a-z_]+)`", first_cell))
    return tables


@pytest.fixture
def docs():
    return documented_fields()


def test_it_documents_the_claim_list_and_its_page(client, docs, demo):
    page = client.get("/api/claims/", {"page_size": 2}).json()
    assert set(page) == docs["Page"]
    assert set(page["results"][0]) == docs["Claim (list result)"]


def test_it_documents_the_full_claim_and_its_parts(client, docs, demo):
    record = client.get(reverse("api-claim", args=["failure-fatigue-adds-no-hypertrophy"])).json()
    assert set(record) == docs["Claim (full record)"]
    assert record["evidence"] and record["mechanisms"] and record["gold_standard"]
    for item in record["evidence"]:
        assert set(item) == docs["Evidence item"]
        assert set(item["study"]) == docs["Evidence study"]
    for mechanism in record["mechanisms"]:
        assert set(mechanism) == docs["Mechanism"]
        for step in mechanism["steps"]:
            assert set(step) == docs["Mechanism step"]
    for ideal in record["gold_standard"]:
        assert set(ideal) == docs["Gold-standard item"]


def test_it_documents_studies(client, docs, demo):
    listed = client.get("/api/studies/").json()["results"][0]
    assert set(listed) == docs["Study (list result)"]
    study = client.get(f"/api/studies/{REFALO}/").json()
    assert set(study) == docs["Study (full record)"]
    assert study["claims"]
    for claim in study["claims"]:
        assert set(claim) == docs["Claim informed by a study"]


def test_it_documents_the_index_and_errors(client, docs):
    assert set(client.get("/api/").json()) == docs["Index"]
    assert set(client.get("/api/claims/", {"page": "x"}).json()) == docs["Error"]


def test_it_documents_a_study_without_a_doi_with_the_same_fields(client, docs):
    claim = make_claim()
    study = make_study(title="No DOI")
    link(claim, study)
    data = client.get(f"/api/studies/id/{study.pk}/").json()
    assert set(data) == docs["Study (full record)"]


def test_it_documents_the_reviews_a_study_is_pooled_in(client, docs):
    review = make_study(doi="10.1000/review", design="meta_analysis_rct")
    trial = make_study(doi="10.1000/trial")
    trial.pooled_in.add(review)
    (reference,) = client.get("/api/studies/10.1000/trial/").json()["pooled_in"]
    assert set(reference) == docs["Study reference"]
    (reference,) = client.get("/api/studies/10.1000/review/").json()["pools"]
    assert set(reference) == docs["Study reference"]


def test_it_documents_the_exports_csv_columns_in_order():
    from claims.exports_csv import CSV_COLUMNS

    text = DOCS.read_text()
    section = text[text.index("**CSV.**") : text.index("## Feeds and discovery")]
    named = [name for name in re.findall(r"`([a-z_]+)`", section) if name in CSV_COLUMNS]
    assert list(dict.fromkeys(named)) == CSV_COLUMNS


def test_it_names_the_grade_sentence_by_its_field_everywhere():
    """`statement` is the claim's scientific wording; GRADE's informative sentence is
    `verdict_statement`. The Exports, Feeds and ClaimReview prose called it "statement"."""
    text = DOCS.read_text()
    assert "<statement>" not in text
    assert "GRADE statement" not in text
    assert "certainty and statement" not in text
    assert "gives the statement" not in text
    assert "exactly the body" not in text
