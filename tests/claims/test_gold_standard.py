"""Drafting gold-standard studies for editors: the pure suggestions and the admin action."""

import pytest
from django.urls import reverse

from claims.gold_standard import TEMPLATES, suggest_ideal_studies
from claims.models import ClaimType, IdealStudy
from scoring.weights import DESIGN_VALUES
from tests.factories import make_claim
from tests.security.test_edit_conflicts import form_data

STATEMENT = "Training near failure increases motor-unit firing rate in trained adults."


@pytest.mark.parametrize("claim_type", ClaimType.values)
def test_it_drafts_ranked_studies_for_every_claim_type(claim_type):
    suggestions = suggest_ideal_studies(claim_type, "Previously trained adults", STATEMENT)
    assert [s.rank for s in suggestions] == list(range(1, len(suggestions) + 1))
    assert len(suggestions) >= 3
    for suggestion in suggestions:
        assert suggestion.design in DESIGN_VALUES
        assert "previously trained adults" in suggestion.description
        assert "previously trained adults" in suggestion.why
    ranks = [DESIGN_VALUES.index(s.design) for s in suggestions]
    assert ranks[0] == min(ranks), "the strongest design comes first"


def test_it_drafts_what_the_issue_asks_for_a_mechanistic_claim():
    designs = [s.design for s in suggest_ideal_studies("mechanistic", "", STATEMENT)]
    assert designs == ["meta_analysis_rct", "rct", "crossover_rct", "mechanistic"]
    rct = suggest_ideal_studies("mechanistic", "", STATEMENT)[1]
    assert rct.description.startswith("Mechanistic randomised controlled trial")
    assert "“Training near failure increases motor-unit firing rate" in rct.description
    assert "the population the claim is about" in rct.description


def test_it_maps_mendelian_randomisation_to_a_cohort():
    suggestions = suggest_ideal_studies("correlational", "UK adults", "X is linked to Y.")
    mr = next(s for s in suggestions if "Mendelian" in s.description)
    assert mr.design == "cohort"
    assert "UK adults" in mr.description


def test_it_covers_every_claim_type():
    assert set(TEMPLATES) == set(ClaimType.values)


def test_it_shortens_a_long_statement():
    long = " ".join(["word"] * 50)
    text = suggest_ideal_studies("causal", "adults", long)[0].description
    assert "word…”" in text and text.count("word") == 20


def action(editor_client, *claims):
    return editor_client.post(
        reverse("admin:claims_claim_changelist"),
        {"action": "draft_gold_standard", "_selected_action": [c.pk for c in claims]},
        follow=True,
    )


@pytest.mark.django_db
def test_it_drafts_ideal_studies_from_the_admin(editor_client):
    claim = make_claim(claim_type="mechanistic", population="Trained adults", status="draft")
    response = action(editor_client, claim)
    assert response.status_code == 200
    ideal = list(claim.ideal_studies.order_by("rank"))
    assert [i.design for i in ideal] == ["meta_analysis_rct", "rct", "crossover_rct", "mechanistic"]
    assert "trained adults" in ideal[0].description
    assert "Drafted 4 gold-standard studies for 1 claim" in response.content.decode()
    assert all(i.is_draft for i in ideal), "drafts until an editor publishes them"
    claim.refresh_from_db()
    assert claim.status == "draft", "drafting never publishes"


@pytest.mark.django_db
def test_it_skips_claims_that_already_have_ideal_studies(editor_client):
    listed = make_claim(slug="listed")
    listed.ideal_studies.create(rank=1, design="rct", description="Mine", why="Because")
    empty = make_claim(slug="empty", claim_type="comparative")
    html = action(editor_client, listed, empty).content.decode()
    assert list(listed.ideal_studies.values_list("description", flat=True)) == ["Mine"]
    assert empty.ideal_studies.count() == 4
    assert "Skipped 1 claim that already lists gold-standard studies: listed" in html


@pytest.mark.django_db
def test_it_refuses_the_action_to_members(member_client):
    claim = make_claim()
    response = member_client.post(
        reverse("admin:claims_claim_changelist"),
        {"action": "draft_gold_standard", "_selected_action": [claim.pk]},
    )
    assert response.status_code == 302
    assert IdealStudy.objects.count() == 0


@pytest.mark.django_db
def test_it_keeps_drafts_off_a_published_claim_until_an_editor_publishes_them(
    editor_client, member_client, client
):
    claim = make_claim(claim_type="mechanistic", population="Trained adults")
    assert claim.status == "published"
    page_url, json_url = claim.get_absolute_url(), f"/claims/{claim.slug}.json"
    api_url = f"/api/claims/{claim.slug}/"

    def shown():
        html = member_client.get(page_url).content.decode()
        return (
            "No ideal studies listed yet." not in html,
            "Ideal studies needed (0)" not in client.get(page_url).content.decode(),
            client.get(json_url).json()["gold_standard"],
            client.get(api_url).json()["gold_standard"],
        )

    assert shown() == (False, False, [], [])
    action(editor_client, claim)
    assert claim.ideal_studies.count() == 4
    assert set(claim.ideal_studies.values_list("is_draft", flat=True)) == {True}
    assert IdealStudy.objects.published().filter(claim=claim).count() == 0
    assert shown() == (False, False, [], []), "drafts are not published"

    # The editor opens the claim, sees the drafts and unticks "draft" on each.
    change_url = reverse("admin:claims_claim_change", args=[claim.pk])
    response = editor_client.get(change_url)
    assert 'name="ideal_studies-0-is_draft"' in response.content.decode()
    data = form_data(response)
    assert all(data[f"ideal_studies-{i}-is_draft"] == "on" for i in range(4))
    for i in range(4):
        del data[f"ideal_studies-{i}-is_draft"]
    assert editor_client.post(change_url, data).status_code == 302

    on_page, in_gate, in_json, in_api = shown()
    assert on_page and in_gate
    assert [ideal["design"] for ideal in in_json] == [
        "meta_analysis_rct",
        "rct",
        "crossover_rct",
        "mechanistic",
    ]
    assert in_api == in_json
