"""The wording check: causal verbs the study designs cannot carry."""

import pytest
from django.urls import reverse

from claims.wording import CAUSAL_DESIGNS, causal_verbs, wording_warning
from tests.conftest import link, make_claim, make_study


@pytest.mark.parametrize(
    ("text", "verbs"),
    [
        ("Coffee causes insomnia.", ["causes"]),
        ("Statins reduce heart attacks and prevent strokes.", ["prevents", "reduces"]),
        ("Sleep loss LEADS TO weight gain.", ["leads to"]),
        ("Training resulted in larger muscles.", ["results in"]),
        ("Vitamin C cures colds and boosts immunity.", ["cures", "boosts"]),
        ("Protein improved recovery; fibre decreased hunger.", ["decreases", "improves"]),
        ("Creatine increases strength.", ["increases"]),
        ("Coffee is associated with lower mortality.", []),
        ("There was an increase in sleep and a decrease in pain.", []),
        ("The cause of the effect is unknown.", []),
        ("Coffee drinkers are secure and curious.", []),
    ],
)
def test_it_finds_causal_verbs(text, verbs):
    assert causal_verbs(text) == verbs


@pytest.mark.parametrize(
    "designs",
    [["cohort"], ["animal", "in_vitro"], ["mechanistic", "expert_opinion", "cross_sectional"]],
)
def test_it_warns_when_only_weak_designs_back_causal_wording(designs):
    warning = wording_warning(["Coffee causes insomnia.", "Coffee keeps you awake."], designs)
    assert warning.startswith("The claim says “causes”, which asserts cause and effect")
    assert "not on a trial or a review of trials" in warning
    assert warning.count(".") == 1  # one sentence


@pytest.mark.parametrize("design", sorted(CAUSAL_DESIGNS))
def test_it_accepts_causal_wording_backed_by_a_trial_or_review(design):
    assert wording_warning(["X increases Y."], ["cohort", design]) is None


def test_it_accepts_associational_wording_and_claims_without_studies():
    assert wording_warning(["X is linked to Y."], ["cohort"]) is None
    assert wording_warning(["X increases Y."], []) is None


def test_it_quotes_verbs_from_both_wordings_once():
    warning = wording_warning(["X increases Y.", "X boosts Y and increases Z."], ["animal"])
    assert "“increases” and “boosts”" in warning


@pytest.mark.django_db
def test_it_tells_readers_on_the_claim_page(client):
    claim = make_claim(statement="Coffee causes insomnia in adults.")
    link(claim, make_study(design="cohort"))
    html = client.get(claim.get_absolute_url()).content.decode()
    assert "Language stronger than the evidence" in html
    assert "The claim says “causes”" in html


@pytest.mark.django_db
def test_it_says_nothing_on_the_demo_claims(client, demo):
    for claim in demo:
        html = client.get(claim.get_absolute_url()).content.decode()
        assert "Language stronger than the evidence" not in html


@pytest.mark.django_db
def test_it_tells_editors_in_the_admin(editor_client):
    claim = make_claim(statement="Coffee causes insomnia in adults.")
    link(claim, make_study(design="animal"))
    html = editor_client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content
    assert "The claim says “causes”" in html.decode()
    fine = make_claim(slug="fine")
    link(fine, make_study(doi="10.1000/rct", design="rct"))
    html = editor_client.get(reverse("admin:claims_claim_change", args=[fine.pk])).content
    assert "No causal wording without a trial behind it." in html.decode()
