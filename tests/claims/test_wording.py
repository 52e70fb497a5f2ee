"""The wording check: causal verbs the study designs cannot carry."""

import pytest
from django.urls import reverse

from claims.admin.claim import wording_fits
from claims.wording import CAUSAL_DESIGNS, causal_verbs, overstated_verbs, wording_warning
from tests.factories import link, make_claim, make_study


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


# Causal wording: each must be flagged, with this verb.
MUST_FLAG = [
    ("Statins lowered LDL cholesterol.", "lowers"),
    ("This diet lowers LDL cholesterol.", "lowers"),
    ("Salt raises blood pressure.", "raises"),
    ("Sugar raised insulin within an hour.", "raises"),
    ("Alcohol induces liver damage.", "induces"),
    ("Exercise improves mood.", "improves"),
    ("Creatine boosts strength.", "boosts"),
    ("Honey cures coughs.", "cures"),
    ("Sleep loss leads to weight gain.", "leads to"),
    ("Training resulted in larger muscles.", "results in"),
    ("Coffee causes insomnia.", "causes"),
    ("Fibre reduces hunger.", "reduces"),
    ("Mortality was reduced in coffee drinkers.", "reduces"),
    ("A drug that increased survival in mice.", "increases"),
    ("Creatine works by increasing phosphocreatine.", "increases"),
    ("Exercise reduced fat and increased muscle.", "increases"),
    ("Vaccination prevented infection.", "prevents"),
]
# The language of association (and nouns and compound adjectives): never flagged.
MUST_NOT_FLAG = [
    "Coffee drinking is associated with reduced mortality.",
    "Smoking is linked to increased lung cancer risk.",
    "Fish intake is correlated with significantly improved memory scores.",
    "Higher intake is related to lowered blood pressure.",
    "Coffee is associated with lower mortality and reduced stroke risk.",
    "Blood pressure rises with increasing age.",
    "Reduced sleep is linked to weight gain.",
    "Increased screen time is associated with poorer sleep.",
    "Cured meat is associated with bowel cancer.",
    "Exercise-induced muscle damage is associated with soreness.",
    "People who drink reduced-fat milk weigh less.",
    "Their increased intake was linked to obesity.",
    "Smokers have an increased risk of stroke.",
    "There was an increase in sleep and a decrease in pain.",
    "The cause of the effect is unknown; there is no cure.",
    "Coffee drinkers are secure and curious.",
]


@pytest.mark.parametrize(("text", "verb"), MUST_FLAG)
def test_it_flags_causal_wording(text, verb):
    assert verb in causal_verbs(text)
    assert wording_warning([text], ["cohort"]) is not None


@pytest.mark.parametrize("text", MUST_NOT_FLAG)
def test_it_does_not_flag_the_language_of_association(text):
    assert causal_verbs(text) == []
    assert wording_warning([text], ["cohort"]) is None


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


@pytest.mark.parametrize(
    ("has_studies", "has_trial", "verbs"),
    [(True, False, ["increases", "boosts"]), (True, True, []), (False, False, [])],
)
def test_it_finds_overstated_verbs_only_without_a_trial_behind_them(has_studies, has_trial, verbs):
    """The one rule behind the page's warning and the admin's flag."""
    texts = ["X increases Y.", "X boosts Y and increases Z."]
    assert overstated_verbs(texts, has_studies=has_studies, has_trial=has_trial) == verbs


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


@pytest.mark.django_db
def test_it_shows_editors_the_flag_in_the_claim_list_and_filters_by_it(
    editor_client, django_assert_max_num_queries
):
    flagged = make_claim(slug="flagged", statement="Coffee causes insomnia in adults.")
    link(flagged, make_study(doi="10.1000/cohort", design="cohort"))
    trial = make_claim(slug="trial", statement="Coffee causes insomnia in adults.")
    link(trial, make_study(doi="10.1000/rct", design="rct"))
    associated = make_claim(slug="associated", statement="Coffee is linked to reduced sleep.")
    link(associated, make_study(doi="10.1000/cohort2", design="cohort"))
    make_claim(slug="no-studies", statement="Coffee causes insomnia in adults.")
    for i in range(20):
        make_claim(slug=f"more-{i}")
    url = reverse("admin:claims_claim_changelist")
    # session, user, count, total count, page of claims (with the flag), topics filter
    with django_assert_max_num_queries(8):
        html = editor_client.get(url).content.decode()
    assert "Wording fits the evidence" in html
    assert "Language stronger than the evidence" in html  # the filter's choice

    def listed(**params):
        page = editor_client.get(url, params).context["cl"]
        return {claim.slug for claim in page.result_list}

    assert listed(wording="flagged") == {"flagged"}
    assert {"trial", "associated", "no-studies"} <= listed(wording="fits")
    assert "flagged" not in listed(wording="fits")
    flags = {c.slug: wording_fits(c) for c in editor_client.get(url).context["cl"].result_list}
    assert flags["flagged"] is False
    assert flags["trial"] is flags["associated"] is flags["no-studies"] is True


@pytest.mark.django_db
@pytest.mark.parametrize(
    "trial_fields, link_fields",
    [({"retraction_status": "retracted"}, {}), ({}, {"appraisal_status": "awaiting"})],
    ids=["retracted", "awaiting-appraisal"],
)
def test_a_trial_that_does_not_stand_backs_no_causal_wording(
    client, editor_client, trial_fields, link_fields
):
    """A retracted or unappraised trial no longer silences the warning (page and admin)."""
    claim = make_claim(statement="Coffee causes insomnia in adults.")
    link(claim, make_study(doi="10.1000/cohort", design="cohort"))
    link(claim, make_study(doi="10.1000/rct", design="rct", **trial_fields), **link_fields)
    html = client.get(claim.get_absolute_url()).content.decode()
    assert "Language stronger than the evidence" in html
    admin = editor_client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    assert "The claim says “causes”" in admin.content.decode()
    listed = editor_client.get(reverse("admin:claims_claim_changelist"), {"wording": "flagged"})
    assert claim in listed.context["cl"].result_list
