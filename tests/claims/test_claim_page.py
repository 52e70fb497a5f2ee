import json
import re
from html import escape

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import scoring
from claims import views
from claims.about import weight_groups
from claims.evidence_list import EVIDENCE_SHOWN, page_query
from claims.models import Analysis, Claim, Mechanism, MechanismStep
from claims.services import analysis_publish, claim_rescore, claim_scorecard
from claims.text import with_doi_breaks
from claims.verdict_text import certainty_meaning, verdict_sentence
from claims.views import claim_detail
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db

VERY_LOW_MEANS = (
    "The true effect is likely to be substantially different from what the studies found."
)


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


def text_of(html: str) -> str:
    """The page's text, tags dropped and whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_it_shows_the_plain_statement_verdict_and_scores_to_anyone(client, claim):
    html = page(client, claim).content.decode()
    card = claim_scorecard(claim)
    assert '<h1 class="statement-text" id="claim-heading">X makes Y go up.</h1>' in html
    assert "See the scientific wording" in html
    # One moderate-certainty trial of 18 still scores the seed's 66 Pro, but the body of
    # evidence is very low certainty (bias not assessed, 18 participants), so the verdict says
    # so instead of "Strong support".
    assert (card.verdict, card.certainty) == ("Very uncertain", "very_low")
    assert f'<h2 class="verdict-label" id="verdict-heading">{card.verdict}</h2>' in html
    # (The legend below the verdict lists every verdict, "Strong support" among them.)
    assert "Strong support" not in html.split('<details class="legend"')[0]
    assert (
        '<p class="verdict-sentence">The scores show which way the studies point, not whether '
        "it is true.</p>"
    ) in html
    assert f'<p class="certainty-meaning">{VERY_LOW_MEANS}</p>' in html
    assert "Supports is higher" in html
    assert "Support is ahead, but a single strong opposing study can change this." in html
    # The scores are read as visible text, not through an aria-label on a plain <span>.
    assert "Pro 66 out of 100 Against 0 out of 100" in text_of(html)
    assert 'aria-label="Pro score' not in html
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
    # What the mechanism is: the studies its steps cite, not a synthesis of all the evidence.
    assert "The steps below cite 1 study, named under each step" in html
    assert "Synthesis from" not in html
    assert "Most probable mechanism" in html
    assert "which leads to" in html
    assert "Supported by evidence" in html and "Plausible (inferred)" in html
    assert 'href="/studies/10.1000/rct18"' in html  # Study.link_url
    assert "Less supported by current evidence, but not ruled out" in html
    assert "Supporting (1)" in html and "Contradicting (0)" in html
    assert "No contradicting evidence found" in html
    assert "Y rose by 10%." in html
    assert "Score breakdown" in html and "43.4" in html
    assert "Pro: weighted total 43.4 → score 66" in html  # how the points become the score
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
    assert data["claimReviewed"] == "X makes Y go up."  # the short plain statement
    # The capped verdict with its certainty; "Very uncertain" is a label, not a point on 1–5.
    assert data["reviewRating"]["alternateName"] == "Very uncertain, very low certainty"
    assert "ratingValue" not in data["reviewRating"]
    assert data["reviewRating"]["ratingExplanation"].startswith(
        "We are very uncertain whether this is true. Very low certainty."
    )
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
    card = claim_scorecard(claim)
    assert data["verdict"] == card.verdict == "Very uncertain"
    assert data["certainty"] == "very_low"
    assert data["certainty_reasons"] == list(card.certainty_reasons)
    assert data["verdict_statement"] == "We are very uncertain whether this is true."
    assert data["statement"] == "X increases Y in adults."  # the claim's wording, as before
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


def big_claim(slug: str, studies: int) -> Claim:
    """A claim of `studies` evidence links (two in three supporting), 3 mechanisms of 6 steps
    each citing up to 3 studies, and 4 ideal studies."""
    claim = make_claim(slug=slug)
    analysis = Analysis.objects.create(claim=claim, version=1)
    linked = [
        make_study(doi=f"10.1000/{slug}{i}", title=f"Study {slug} {i}", sample_size=20 + i)
        for i in range(studies)
    ]
    for i, study in enumerate(linked):
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
            step.citations.add(*linked[order : order + 3])
    for rank in range(1, 5):
        claim.ideal_studies.create(rank=rank, design="rct", description="d", why="w")
    return claim


def count_queries(client, url, **headers) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.parametrize("reader", ["anonymous", "member"])
def test_it_runs_as_many_queries_for_200_studies_as_for_1(
    reader, client, member_client, django_assert_max_num_queries
):
    browser = member_client if reader == "member" else client
    one, many = big_claim("one", 1), big_claim("many", 200)
    one_count, _ = count_queries(browser, one.get_absolute_url())
    many_count, html = count_queries(browser, many.get_absolute_url())
    assert one_count == many_count, (one_count, many_count)
    # member (13): session, user, claim, summary (evidence+studies, the reviews pooling them,
    # analysis, pending count), ideal studies, analysis with mechanisms, steps, citations and
    # the studies steps are inferred from (issue 18), the studies whose link on the claim
    # stands (a step's level counts only those, issue 18),
    # related claims, the discussion section (its last comments and their count); anonymous
    # (11): the claim's version, the claim, summary (4), ideal studies and mechanisms counted
    # by the gate, related claims, the discussion section.
    assert many_count <= {"member": 16, "anonymous": 11}[reader]
    if reader == "anonymous":
        assert "Sign up to see full verdict" in html
        return
    # Each side lists its strongest studies; the rest are one link (and one htmx swap) away.
    assert html.count('class="evidence-item"') == 2 * EVIDENCE_SHOWN
    assert 'href="?evidence=supports#supporting"' in html
    assert "Show all 133 supporting studies" in html and "Show all 67 contradicting" in html
    with django_assert_max_num_queries(many_count):
        partial = member_client.get(
            many.get_absolute_url(), {"evidence": "supports"}, headers={"HX-Request": "true"}
        )
    part = partial.content.decode()
    assert part.strip().startswith('<div class="evidence-list" id="supporting-list">')
    assert part.count('class="evidence-item"') == 133
    assert "<html" not in part and "Contradicting" not in part and "Show all" not in part


def test_it_renders_every_demo_claim_for_a_member(demo, member_client):
    for claim in demo:
        response = member_client.get(claim.get_absolute_url())
        assert response.status_code == 200
        assert claim.plain_statement in response.content.decode()


def test_it_generates_the_scoring_page_from_the_weight_table(client):
    html = client.get(reverse("about-scoring")).content.decode()
    rows = [row for _, _, group_rows in weight_groups() for row in group_rows]
    assert len(rows) == len(scoring.weights.TABLE)
    for row in rows:
        assert (
            f'<th scope="row">{escape(row.label)}</th><td class="weight-value" '
            f'data-label="Value">{escape(str(row.value))}</td>'
        ) in html
    # Readers see the designs' and certainties' names, not the code's enum values.
    assert '<th scope="row">Meta-analysis of RCTs</th>' in html
    assert "meta_analysis_rct" not in html and "very_low" not in html


def test_it_states_the_aggregation_constants_the_code_uses(client, monkeypatch):
    monkeypatch.setattr(scoring.weights, "SCALE", 55.0)
    monkeypatch.setattr(scoring.weights, "DECAY", 0.25)
    html = client.get(reverse("about-scoring")).content.decode()
    assert "e<sup>−E/55</sup>" in html
    assert "weighted 1, 0.25, 0.0625, 0.015625, …" in html
    assert "at most 1.33333 times the best of them" in html


def test_it_answers_head_like_get_without_a_body(client, claim):
    for url in (claim.get_absolute_url(), "/", "/claims/"):
        response = client.head(url)
        assert response.status_code == 200, url
        assert response.content == b""


def test_it_separates_a_steps_citations_in_text(member_client, claim):
    second = make_study(doi="10.1000/second", title="Second")
    link(claim, second)  # a study measuring a step counts only with a standing link
    MechanismStep.objects.get(text="X loads the muscle.").citations.add(second)
    html = page(member_client, claim).content.decode()
    start = html.index('<span class="citations">')
    text = re.sub(r"<[^>]+>", "", html[start : html.index("</span>", start)])
    assert text.strip() in (
        "As directly measured in 10.1000/rct18, 10.1000/second",
        "As directly measured in 10.1000/second, 10.1000/rct18",
    )


def test_it_answers_404_when_a_claim_is_unpublished_while_its_page_renders(rf, claim, monkeypatch):
    request = rf.get(claim.get_absolute_url())
    request.user, request.htmx = AnonymousUser(), False
    version = Claim.objects.published_version(claim.slug)  # read, then...
    monkeypatch.setattr(views, "claim_for_page", lambda request, slug: version)
    Claim.objects.filter(pk=claim.pk).update(status="draft")  # ...an editor unpublishes it
    with pytest.raises(Http404):
        claim_detail(request, claim.slug)


def many_studies(claim, supporting: int, contradicting: int = 0):
    for i in range(supporting + contradicting):
        study = make_study(doi=f"10.1000/many{i}", title=f"Trial number {i}", sample_size=10 + i)
        link(claim, study, stance="supports" if i < supporting else "contradicts")


def test_it_lists_a_whole_side_without_javascript(member_client):
    claim = make_claim()
    many_studies(claim, supporting=12, contradicting=11)
    html = page(member_client, claim, evidence="supports").content.decode()
    supporting = html[html.index('id="supporting-list"') : html.index('id="contradicting"')]
    assert supporting.count('class="evidence-item"') == 12
    assert "Show all" not in supporting
    # The first study the link added carries the link's id, so htmx moves focus onto it.
    assert 'id="supporting-more" tabindex="-1">More supporting studies' in supporting
    contradicting = html[html.index('id="contradicting-list"') :]
    assert contradicting.count('class="evidence-item"') == EVIDENCE_SHOWN
    # The other side's link keeps this side open.
    assert 'href="?evidence=all#contradicting"' in contradicting
    assert "Show all 11 contradicting studies" in contradicting
    everything = page(member_client, claim, evidence="all").content.decode()
    assert everything.count('class="evidence-item"') == 23


def test_it_lists_the_strongest_studies_first(member_client):
    claim = make_claim()
    many_studies(claim, supporting=12)  # larger samples score more points
    html = page(member_client, claim).content.decode()
    shown = re.findall(r"Trial number (\d+)</a></h4>", html)
    assert shown == [str(i) for i in range(11, 1, -1)]


def test_it_keeps_each_evidence_list_apart_in_the_anonymous_page_cache(client, settings):
    settings.FULL_VERDICT_REQUIRES_LOGIN = False
    claim = make_claim()
    many_studies(claim, supporting=12)
    first = page(client, claim)
    assert first.content.decode().count('class="evidence-item"') == EVIDENCE_SHOWN
    whole = page(client, claim, evidence="supports")
    assert whole.content.decode().count('class="evidence-item"') == 12
    assert whole["ETag"] != first["ETag"]
    partial = client.get(
        claim.get_absolute_url(), {"evidence": "supports"}, headers={"HX-Request": "true"}
    )
    assert partial.content.decode().strip().startswith('<div class="evidence-list"')
    assert partial["ETag"] not in (first["ETag"], whole["ETag"])
    assert page(client, claim).content == first.content  # the default page is still cached


def test_it_gives_no_evidence_list_to_a_gated_reader(client, claim):
    response = client.get(
        claim.get_absolute_url(), {"evidence": "supports"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert 'class="evidence-item"' not in html
    assert "Sign up to see full verdict" in html


def test_it_keeps_one_cached_page_for_a_gated_reader_whatever_the_evidence_parameter(
    client, django_assert_num_queries
):
    claim = make_claim()
    many_studies(claim, supporting=12)
    first = page(client, claim)
    for evidence in ("supports", "contradicts", "all"):
        with django_assert_num_queries(1):  # the claim's version: the page is in the cache
            response = page(client, claim, evidence=evidence)
        assert response.content == first.content
        assert response["ETag"] == first["ETag"]


def test_it_builds_a_query_string_of_the_parameters_in_use():
    assert page_query() == ""
    assert page_query(wording="", evidence="") == ""
    assert page_query(evidence="all") == "?evidence=all"
    assert page_query(wording="scientific", evidence="supports") == (
        "?wording=scientific&evidence=supports"
    )
    assert page_query(wording="a b&c") == "?wording=a+b%26c"


def toggle(html: str) -> dict:
    tag = re.search(r'<a id="wording-toggle"[^>]*>', html).group()
    return dict(re.findall(r'(href|data-hx-get|data-hx-push-url)="([^"]*)"', tag))


def test_it_keeps_the_evidence_lists_when_the_wording_changes(member_client):
    claim = make_claim()
    many_studies(claim, supporting=12)
    url = claim.get_absolute_url()
    plain = toggle(page(member_client, claim, evidence="supports").content.decode())
    assert plain == {
        "href": f"{url}?wording=scientific&amp;evidence=supports",
        "data-hx-get": f"{url}?wording=scientific&amp;evidence=supports",
        "data-hx-push-url": f"{url}?wording=scientific&amp;evidence=supports",
    }
    partial = member_client.get(
        url, {"wording": "scientific", "evidence": "supports"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert partial.strip().startswith('<div id="statement"')
    assert toggle(partial) == {
        "href": f"{url}?evidence=supports",
        "data-hx-get": f"{url}?wording=plain&amp;evidence=supports",
        "data-hx-push-url": f"{url}?evidence=supports",
    }
    assert toggle(page(member_client, claim, wording="scientific").content.decode()) == {
        "href": url,
        "data-hx-get": f"{url}?wording=plain",
        "data-hx-push-url": url,
    }


def test_it_keeps_the_wording_when_show_all_is_followed(member_client):
    claim = make_claim()
    many_studies(claim, supporting=12, contradicting=11)
    plain = page(member_client, claim).content.decode()  # fills the evidence fragment cache
    assert 'href="?evidence=supports#supporting"' in plain
    scientific = page(member_client, claim, wording="scientific").content.decode()
    assert 'href="?wording=scientific&amp;evidence=supports#supporting"' in scientific
    assert 'href="?wording=scientific&amp;evidence=contradicts#contradicting"' in scientific
    one_side = page(member_client, claim, wording="scientific", evidence="supports")
    assert 'href="?wording=scientific&amp;evidence=all#contradicting"' in one_side.content.decode()


def test_it_puts_one_h1_before_every_other_heading(client, member_client, claim):
    for browser in (client, member_client):
        headings = re.findall(r"<h([1-6])\b", page(browser, claim).content.decode())
        assert headings[0] == "1" and headings.count("1") == 1
        # No level is skipped on the way down.
        assert all(int(b) <= int(a) + 1 for a, b in zip(headings, headings[1:], strict=False))


def test_it_keeps_the_wording_toggle_id_so_htmx_restores_focus(client, claim):
    for wording in ("plain", "scientific"):
        response = client.get(
            claim.get_absolute_url(), {"wording": wording}, headers={"HX-Request": "true"}
        )
        assert '<a id="wording-toggle" class="wording-toggle"' in response.content.decode()


def test_it_lets_screen_readers_hear_the_chains_links(member_client, claim):
    html = page(member_client, claim).content.decode()
    assert '<p class="chain-link">which leads to</p>' in html
    assert 'aria-hidden="true">which leads to' not in html
    start = html.index('<li class="chain-step">')
    step = html[start : html.index("</li>", start)]
    assert "X loads the muscle." in step and "which leads to" in step


def test_it_shows_the_sections_in_the_issues_order(member_client, claim):
    html = page(member_client, claim).content.decode()
    text = text_of(html[html.index("<main") :])
    order = [
        "causal",
        "Analysis v1 · History",
        "X makes Y go up.",
        "See the scientific wording",
        "Very uncertain",
        "We are very uncertain whether this is true.",
        "Very low certainty",
        "Rated down two levels for imprecision",
        "The scores show which way the studies point",
        "Pro 66 out of 100 Against 0 out of 100",
        "Support is ahead",
        "These are independent scores, not a percentage",
        "What the research says",
        "1 study counted, none against.",
        "How it might work",
        "The steps below cite 1 study",
        "Most probable mechanism",
        "Less supported by current evidence, but not ruled out",
        "Evidence from studies",
        "Supporting (1) · 66",
        "Y rose by 10%.",
        "Contradicting (0) · 0",
        "No contradicting evidence found",
        "Score breakdown",
        "Gold standard evidence needed",
        "Not medical advice.",
    ]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)
    assert f'href="{reverse("claim-submit", args=[claim.slug])}?stance=supports"' in html


def test_it_says_the_sensitivity_plainly(member_client, claim):
    html = page(member_client, claim).content.decode()
    line = scoring.sensitivity_sentence(
        [e.scoring_item() for e in claim.evidence.all()], claim.claim_type
    )
    if line:
        assert f'<p class="sensitivity">{escape(line)}</p>' in html
    else:  # the one trial is not weak on its own, and the panel says very low certainty
        assert 'class="sensitivity"' not in html
    assert '<p class="sensitivity"></p>' not in html
    assert "nothing to leave out" not in html


def card(*items):
    return scoring.score(items)


def rct(stance, n=100, certainty="high", **fields):
    return {"stance": stance, "design": "rct", "certainty": certainty, "sample_size": n, **fields}


def test_it_writes_a_verdict_sentence_from_the_scorecard():
    assert verdict_sentence(card()) == (
        "No study counts for this claim yet, so there is no verdict either way."
    )
    # Four low-risk trials of 100: 400 participants, nothing to rate down, so high certainty.
    four = [rct("supports", risk_of_bias="low") for _ in range(4)]
    assert card(*four).certainty == "high"
    # GRADE's definition of the level (Balshem 2011), not a prediction: the page's "what would
    # change" line may well name one study that would change the verdict.
    # The bars, "Supports is higher" and the certainty line say it all: no sentence (issue 18:
    # the panel said the balance three times); GRADE's definition stands beside the level.
    assert verdict_sentence(card(*four)) == ""
    assert certainty_meaning(card(*four).certainty) == (
        "The true effect is very probably close to what the studies found."
    )
    against = [rct("contradicts", risk_of_bias="low") for _ in range(4)]
    assert verdict_sentence(card(*against)) == ""
    for mixed in (
        card(rct("supports"), rct("contradicts", 18, "moderate")),
        card(rct("supports"), rct("contradicts")),
    ):
        assert "out of 100" not in verdict_sentence(mixed)


def test_it_never_writes_a_verdict_sentence_stronger_than_the_certainty():
    # One low-risk trial of 50 scores 84 Pro: strong on the scores alone, but 50
    # participants rate it down two levels (low), so the verdict is capped at moderate.
    capped = card(rct("supports", 50, risk_of_bias="low"))
    assert (capped.pro, capped.certainty, capped.verdict) == (84, "low", "Moderate support")
    # "Moderate support" beside "Low certainty": the sentence says why the two differ.
    assert verdict_sentence(capped) == (
        "The scores alone would read as strong support, but strong support needs at least "
        "moderate certainty, so at low certainty the verdict stops at moderate support: "
        "“moderate” says how far the studies lean, not how sure anyone can be."
    )
    against = card(rct("contradicts", 50, risk_of_bias="low"))
    assert against.verdict == "Moderately contradicted"
    assert "so at low certainty the verdict stops at moderately contradicted" in (
        verdict_sentence(against)
    )
    tiny = card(rct("supports", 18, "moderate"))
    assert tiny.verdict == "Very uncertain"
    assert verdict_sentence(tiny) == (
        "The scores show which way the studies point, not whether it is true."
    )
    assert certainty_meaning(tiny.certainty) == VERY_LOW_MEANS
    moderate = card(rct("supports", 200, risk_of_bias="low"))
    assert moderate.certainty == "moderate"
    assert certainty_meaning(moderate.certainty) == (
        "The true effect is probably close to what the studies found, but it may be "
        "substantially different."
    )
    for scorecard in (capped, tiny):
        assert "Strong support" not in verdict_sentence(scorecard)


def test_it_lets_a_doi_in_step_text_wrap_at_its_separators():
    text = 'Tension <b>"grows"</b> it (10.1080/02640414.2024.2321021).'
    assert str(with_doi_breaks(text)) == (
        "Tension &lt;b&gt;&quot;grows&quot;&lt;/b&gt; it "
        "(10.<wbr>1080/<wbr>02640414.<wbr>2024.<wbr>2321021)."
    )
    assert str(with_doi_breaks("No DOI here.")) == "No DOI here."


def test_it_renders_step_text_with_doi_breaks(member_client, claim):
    MechanismStep.objects.filter(text="X loads the muscle.").update(
        text="X loads the muscle (10.1000/rct18)."
    )
    claim.save()  # a queryset update does not touch the cached page
    html = page(member_client, claim).content.decode()
    assert '<p class="prose">X loads the muscle (10.<wbr>1000/<wbr>rct18).</p>' in html
