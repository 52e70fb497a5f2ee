"""PICO and each link's effect, with its reading, in the claim record (/claims/<slug>.json and
/api/claims/<slug>/), the CSV export, and docs/api.md."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Evidence
from tests.api.test_api_docs import documented_fields
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim():
    claim = make_claim(
        population="Trained adults",
        intervention="Training to failure",
        comparator="Training with 2 reps in reserve",
        outcome="Muscle thickness",
        time_frame="8 weeks",
        important_effect=1.5,
        important_effect_measure="md",
        important_effect_unit="mm",
        expected_direction="increase",
    )
    link(
        claim,
        make_study(title="With a CI"),
        certainty="",
        outcome="Vastus lateralis thickness",
        effect_measure="md",
        effect_estimate=1.0,
        effect_ci_lower=-0.5,
        effect_ci_upper=2.5,
        effect_unit="mm",
        effect_time_point="8 weeks",
        n_analysed=36,
        effect_reported_in="Table 2",
    )
    link(claim, make_study(title="Direction only"))
    return claim


def records(client, claim):
    api = client.get(reverse("api-claim", args=[claim.slug])).json()
    page = client.get(f"/claims/{claim.slug}.json").json()
    return api, page


def test_the_record_carries_the_pico_and_each_links_effect(client, claim):
    api, page = records(client, claim)
    assert (
        api["pico"]
        == page["pico"]
        == {
            "population": "Trained adults",
            "intervention": "Training to failure",
            "comparator": "Training with 2 reps in reserve",
            "outcome": "Muscle thickness",
            "time_frame": "8 weeks",
            "expected_direction": "increase",
            "important_effect": {
                "value": 1.5,
                "measure": "md",
                "measure_label": "Mean difference",
                "unit": "mm",
            },
        }
    )
    by_title = {item["study"]["title"]: item for item in api["evidence"]}
    assert by_title["Direction only"]["effect"] is None
    effect = by_title["With a CI"]["effect"]
    assert effect == {
        "outcome": "Vastus lateralis thickness",
        "measure": "md",
        "measure_label": "Mean difference",
        "estimate": 1.0,
        "ci_lower": -0.5,
        "ci_upper": 2.5,
        "ci_kind": "ci",
        "ci_label": "95% CI",
        "unit": "mm",
        "time_point": "8 weeks",
        "n_analysed": 36,
        "reported_in": "Table 2",
        "no_effect": 0.0,
        "threshold": 1.5,
        "reading": {
            "kind": "inconclusive",
            "words": "compatible with both an important effect and none",
        },
        "direction": "increase",
        "as_claimed": True,
        "imprecise_derived": True,
    }
    assert [item["effect"] for item in page["evidence"]] == [
        item["effect"] for item in api["evidence"]
    ]


def test_docs_name_every_pico_and_effect_field(client, claim):
    docs = documented_fields()
    api, _ = records(client, claim)
    assert set(api["pico"]) == docs["PICO"]
    effects = [item["effect"] for item in api["evidence"] if item["effect"]]
    assert effects and all(set(effect) == docs["Effect"] for effect in effects)


def test_any_effect_is_null_in_the_pico(client):
    claim = make_claim()
    api = client.get(reverse("api-claim", args=[claim.slug])).json()
    assert api["pico"]["important_effect"] is None
    assert api["pico"]["expected_direction"] is None


def test_the_csv_carries_the_effect_and_the_pico_at_the_end(client, claim):
    text = client.get(f"/claims/{claim.slug}/export.csv").content.decode()
    rows = {row["title"]: row for row in csv.DictReader(io.StringIO(text))}
    with_ci, direction_only = rows["With a CI"], rows["Direction only"]
    assert (with_ci["effect_measure"], with_ci["effect_ci_lower"], with_ci["effect_ci_upper"]) == (
        "md",
        "-0.5",  # a number, not prefixed like a formula
        "2.5",
    )
    assert with_ci["effect_reading"] == "inconclusive"
    assert (with_ci["imprecise"], with_ci["imprecise_derived"]) == ("yes", "yes")
    assert with_ci["n_analysed"] == "36" and with_ci["effect_reported_in"] == "Table 2"
    assert direction_only["effect_reading"] == "" and direction_only["imprecise_derived"] == "no"
    for row in rows.values():
        assert row["claim_comparator"] == "Training with 2 reps in reserve"
        assert row["claim_important_effect"] == "1.5"
        assert row["claim_expected_direction"] == "increase"


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def with_effects(slug: str, n: int):
    claim = make_claim(slug=slug, important_effect=2.0, important_effect_measure="md")
    studies = [make_study(title=f"{slug} {i}", doi=f"10.1000/{slug}.{i}") for i in range(n)]
    Evidence.objects.bulk_create(
        Evidence(
            claim=claim,
            study=study,
            stance="supports",
            certainty="",
            effect_measure="md",
            effect_estimate=1.0,
            effect_ci_lower=-1.0 + i / n,
            effect_ci_upper=3.0,
            n_analysed=20 + i,
        )
        for i, study in enumerate(studies)
    )
    return claim


def test_the_record_costs_the_same_queries_with_200_links_carrying_effects(client):
    small, large = with_effects("small", 2), with_effects("large", 200)
    for url in ("/claims/{}.json", "/api/claims/{}/"):
        assert count_queries(client, url.format(large.slug)) == count_queries(
            client, url.format(small.slug)
        )
