import json
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.urls import reverse

from claims.models import Analysis, Claim, Mechanism, MechanismStep
from claims.services import analysis_publish, claim_rescore
from claims.views import claim_detail
from tests.conftest import link, make_claim, make_study

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim():
    claim = make_claim(
        summary="The **one** trial found it.",
        explanation="Because of *tension*.",
        topic="Strength",
    )
    study = make_study(doi="10.1000/rct18", title="The RCT of 18", sample_size=18)
    link(claim, study, certainty="moderate", finding="Y rose by 10%.")
    analysis = analysis_publish(claim=claim, summary="first")
    mechanism = Mechanism.objects.create(
        analysis=analysis, kind="most_probable", simple_summary="X pulls Y up."
    )
    for order, text in enumerate(["X loads the muscle.", "The muscle grows."], start=1):
        step = MechanismStep.objects.create(mechanism=mechanism, order=order, text=text)
        if order == 1:
            step.citations.add(study)
    alternative = Mechanism.objects.create(
        analysis=analysis, kind="alternative", simple_summary="Maybe fatigue."
    )
    MechanismStep.objects.create(mechanism=alternative, order=1, text="Fatigue does it.")
    claim.ideal_studies.create(rank=2, design="crossover_rct", description="Cross", why="Within")
    claim.ideal_studies.create(rank=1, design="rct", description="Big RCT", why="Settles it")
    claim_rescore(claim=claim)
    return claim


def page(client, claim, **params):
    return client.get(claim.get_absolute_url(), params)


def test_it_shows_the_plain_statement_verdict_and_scores_to_anyone(client, claim):
    html = page(client, claim).content.decode()
    assert '<h1 class="statement-text">X makes Y go up.</h1>' in html
    assert "See the scientific wording" in html
    assert "Strong support" in html
    assert "Supports is higher" in html
    assert "Support is ahead, but a single strong opposing study can change this." in html
    assert 'aria-label="Pro score 66 of 100"' in html
    assert 'aria-label="Against score 0 of 100"' in html
    assert "These are independent scores, not a percentage." in html
    assert "The <strong>one</strong> trial found it." in html
    assert "Not medical advice." in html


def test_it_gates_the_full_verdict_for_anonymous_readers(client, claim):
    html = page(client, claim).content.decode()
    assert "Sign up to see full verdict" in html
    assert "Causal chain" not in html
    assert 'id="breakdown-heading"' not in html
    assert "Gold standard evidence needed" not in html
    assert "1 supporting and 0 contradicting" in html


def test_it_shows_everything_to_members(member_client, claim):
    html = page(member_client, claim).content.decode()
    assert "Sign up to see full verdict" not in html
    assert "Synthesis from 1 study" in html
    assert "Most probable mechanism" in html
    assert "which leads to" in html
    assert "Supported by evidence" in html and "Plausible (inferred)" in html
    assert 'href="/studies/10.1000/rct18/"' in html
    assert "Less supported by current evidence, but not ruled out" in html
    assert "Supporting (1)" in html and "Contradicting (0)" in html
    assert "No contradicting evidence found" in html
    assert "Y rose by 10%." in html
    assert "Score breakdown" in html and "43.4" in html
    assert "Pro: 43.4 points → score 66" in html  # how the points become the score
    assert html.index("Big RCT") < html.index("Cross")
    assert "What would change the verdict:" in html


def test_it_lets_a_setting_turn_the_gate_off(client, claim, settings):
    settings.FULL_VERDICT_REQUIRES_LOGIN = False
    html = page(client, claim).content.decode()
    assert "Sign up to see full verdict" not in html
    assert "Causal chain" in html


def test_it_swaps_to_the_scientific_wording_without_javascript(client, claim):
    html = page(client, claim, wording="scientific").content.decode()
    assert "X increases Y in adults." in html
    assert "See the plain wording" in html
    assert "<html" in html


def test_it_returns_only_the_statement_partial_to_htmx(client, claim):
    response = client.get(
        claim.get_absolute_url(), {"wording": "scientific"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.strip().startswith('<div id="statement"')
    assert "X increases Y in adults." in html
    assert "<html" not in html and "Verdict" not in html


def test_it_carries_claimreview_jsonld(client, claim):
    html = page(client, claim).content.decode()
    start = html.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    data = json.loads(html[start : html.index("</script>", start)])
    assert data["@type"] == "ClaimReview"
    assert data["claimReviewed"] == "X increases Y in adults."
    assert data["reviewRating"]["alternateName"] == "Strong support"
    assert data["reviewRating"]["ratingValue"] == 5
    assert data["url"].endswith("/claims/a-claim/")
    assert data["itemReviewed"]["@type"] == "Claim"


def test_it_escapes_script_breaking_text_in_jsonld(client):
    claim = make_claim(statement="</script><script>alert(1)</script>")
    html = page(client, claim).content.decode()
    assert "<script>alert(1)</script>" not in html


def test_it_serves_the_claim_as_json(client, claim):
    response = client.get(reverse("claim-json", args=[claim.slug]))
    data = response.json()
    assert response["Content-Type"] == "application/json"
    assert data["verdict"] == "Strong support"
    assert data["scores"] == {"pro": 66, "against": 0}
    assert data["analysis_version"] == 1
    assert data["evidence"][0]["study"]["doi"] == "10.1000/rct18"
    assert data["evidence"][0]["certainty"] == "moderate"
    assert data["evidence"][0]["points"] == pytest.approx(43.36, abs=0.01)
    assert [m["kind"] for m in data["mechanisms"]] == ["most_probable", "alternative"]
    assert data["mechanisms"][0]["steps"][0]["evidence_level"]
    assert [ideal["rank"] for ideal in data["gold_standard"]] == [1, 2]


def test_it_hides_drafts_from_readers_but_not_editors(client, editor_client):
    draft = make_claim(slug="draft-claim", status="draft")
    assert page(client, draft).status_code == 404
    assert page(editor_client, draft).status_code == 200


def test_it_answers_404_for_an_unknown_claim(client):
    assert client.get("/claims/no-such-claim/").status_code == 404
    assert client.get("/claims/no-such-claim.json").status_code == 404


def test_it_runs_a_flat_number_of_queries(member_client, django_assert_max_num_queries):
    claim = make_claim(slug="big")
    analysis = Analysis.objects.create(claim=claim, version=1)
    studies = [
        make_study(doi=f"10.1000/big{i}", title=f"Study {i}", sample_size=20 + i)
        for i in range(200)
    ]
    for i, study in enumerate(studies):
        link(claim, study, stance="supports" if i % 3 else "contradicts")
    for m in range(3):
        mechanism = Mechanism.objects.create(
            analysis=analysis,
            kind="most_probable" if m == 0 else "alternative",
            rank=m + 1,
            simple_summary=f"Mechanism {m}",
        )
        for order in range(1, 7):
            step = MechanismStep.objects.create(mechanism=mechanism, order=order, text="step")
            step.citations.add(*studies[order : order + 3])
    for rank in range(1, 5):
        claim.ideal_studies.create(rank=rank, design="rct", description="d", why="w")
    # session, user, claim, ideal studies, evidence+studies, analysis, mechanisms, steps,
    # citations, pending submissions count, related claims
    with django_assert_max_num_queries(13):
        response = page(member_client, claim)
    assert response.status_code == 200
    assert response.content.decode().count('class="evidence-item"') == 200


def test_it_renders_every_demo_claim_for_a_member(demo, member_client):
    for claim in demo:
        response = member_client.get(claim.get_absolute_url())
        assert response.status_code == 200
        assert claim.plain_statement in response.content.decode()


def test_it_generates_the_scoring_page_from_the_weight_table(client):
    import scoring

    html = client.get(reverse("about-scoring")).content.decode()
    for weight in scoring.weights.TABLE:
        assert f'<th scope="row">{weight.name}</th><td>{weight.value}</td>' in html


def test_it_answers_head_like_get_without_a_body(client, claim):
    for url in (claim.get_absolute_url(), "/", "/claims/"):
        response = client.head(url)
        assert response.status_code == 200, url
        assert response.content == b""


def test_it_separates_a_steps_citations_in_text(member_client, claim):
    second = make_study(doi="10.1000/second", title="Second")
    MechanismStep.objects.get(text="X loads the muscle.").citations.add(second)
    html = page(member_client, claim).content.decode()
    start = html.index('<span class="citations">')
    text = re.sub(r"<[^>]+>", "", html[start : html.index("</span>", start)])
    assert text.strip() in (
        "Sources: 10.1000/rct18, 10.1000/second",
        "Sources: 10.1000/second, 10.1000/rct18",
    )


def test_it_answers_404_when_a_claim_is_unpublished_while_its_page_renders(rf, claim):
    request = rf.get(claim.get_absolute_url())
    request.user, request.htmx = AnonymousUser(), False
    request._claim_for_page = Claim.objects.published_version(claim.slug)  # read, then...
    Claim.objects.filter(pk=claim.pk).update(status="draft")  # ...an editor unpublishes it
    with pytest.raises(Http404):
        claim_detail(request, claim.slug)
