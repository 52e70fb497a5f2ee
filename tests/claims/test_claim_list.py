import re

import pytest
from django.urls import reverse

import scoring
from claims.exports import verdict_line
from claims.models import Claim, Evidence
from claims.services import claim_rescore, claim_scorecard
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db


@pytest.fixture
def claims():
    strong = make_claim(
        slug="strong", plain_statement="Creatine helps strength", topic="Supplements"
    )
    link(strong, make_study(doi="10.1000/s1", sample_size=400), certainty="high")
    claim_rescore(claim=strong)
    weak = make_claim(slug="weak", plain_statement="Stretching prevents injury", topic="Mobility")
    make_claim(slug="hidden", plain_statement="Creatine draft", status="draft")
    return strong, weak


def listing(client, **params):
    return client.get(reverse("claim-list"), params)


def test_it_lists_published_claims_only(client, claims):
    html = listing(client).content.decode()
    assert "Creatine helps strength" in html and "Stretching prevents injury" in html
    assert "Creatine draft" not in html


def test_it_searches_the_statements(client, claims):
    html = listing(client, q="creatine").content.decode()
    assert "Creatine helps strength" in html
    assert "Stretching prevents injury" not in html
    assert "1 claim matching" in html


def test_it_filters_by_topic_type_and_verdict(client, claims):
    assert "Stretching" not in listing(client, topic="Supplements").content.decode()
    assert "Creatine" not in listing(client, verdict="Insufficient evidence").content.decode()
    assert "No claims match" in listing(client, type="descriptive").content.decode()


def test_it_sorts_strongest_first(client, claims):
    html = listing(client, sort="strongest").content.decode()
    assert html.index("Creatine helps strength") < html.index("Stretching prevents injury")


def test_it_paginates(client, settings):
    settings.CLAIMS_PER_PAGE = 2
    for i in range(5):
        make_claim(slug=f"c{i}", plain_statement=f"Claim number {i}")
    html = listing(client, page=3).content.decode()
    assert "Page 3 of 3" in html and "Claim number 0" in html
    assert listing(client, page="nonsense").status_code == 404


def test_it_returns_only_the_results_to_htmx(client, claims):
    response = client.get(reverse("claim-list"), {"q": "creatine"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.strip().startswith('<section id="results"')
    assert "<html" not in html


def test_it_lists_without_n_plus_one(client, django_assert_max_num_queries):
    for i in range(30):
        claim = make_claim(slug=f"n{i}")
        link(claim, make_study(doi=f"10.1000/n{i}"))
    # count, page of claims with counts, topics
    with django_assert_max_num_queries(4):
        assert listing(client).status_code == 200
    # The topics are cached: count, page of claims with counts.
    with django_assert_max_num_queries(2):
        assert listing(client).status_code == 200


def test_it_offers_a_new_topic_as_soon_as_a_claim_has_it(client, claims):
    assert '<option value="Sleep"' not in listing(client).content.decode()
    make_claim(slug="sleep", plain_statement="Naps help", topic="Sleep")
    assert '<option value="Sleep"' in listing(client).content.decode()


def test_it_shows_featured_and_recent_claims_on_home(client, claims):
    strong, _ = claims
    strong.featured = True
    strong.save()
    html = client.get(reverse("home")).content.decode()
    assert "Featured claims" in html and "Creatine helps strength" in html
    assert 'role="search"' in html


def test_it_heads_the_results_between_the_h1_and_the_cards(client, claims):
    html = listing(client).content.decode()
    headings = re.findall(r"<h([1-6])\b", html)
    assert headings[:3] == ["1", "2", "3"]
    assert '<h2 class="result-count" id="results-heading">2 claims</h2>' in html


def test_it_folds_the_filters_until_one_is_in_use(client, claims):
    assert '<details class="filter-more">' in listing(client).content.decode()
    for params in ({"topic": "Mobility"}, {"verdict": "Strong support"}, {"sort": "strongest"}):
        assert '<details class="filter-more" open>' in listing(client, **params).content.decode()
    # A search alone keeps them folded: the search box is always shown.
    assert '<details class="filter-more">' in listing(client, q="creatine").content.decode()


def badges(html: str) -> list[str]:
    return re.findall(r'<span class="verdict-chip[^"]*">([^<]*)</span>', html)


def test_it_badges_each_claim_with_its_capped_verdict_and_certainty(client, claims):
    strong, weak = claims
    one_trial = make_claim(slug="one-trial", plain_statement="Naps help")
    # Written through the ORM, no rescore called: the stored fields follow (claims.receivers).
    Evidence.objects.create(
        claim=one_trial, study=make_study(doi="10.1000/nap", sample_size=24), stance="supports"
    )
    expected = set()
    for claim in (strong, weak, one_trial):
        card = claim_scorecard(claim)
        expected.add(verdict_line(card.verdict, card.certainty))
    assert "Very uncertain · Very low certainty" in expected
    assert "Insufficient evidence" in expected  # nothing counted: no certainty to show
    assert any(line.startswith("Strong support · ") for line in expected)
    assert set(badges(listing(client).content.decode())) == expected
    strong.featured = True
    strong.save()
    home = client.get(reverse("home")).content.decode()
    assert set(badges(home)) == expected


def test_it_badges_the_demo_claims_as_their_pages_read(client, demo):
    expected = [verdict_line(c.verdict, c.certainty) for c in demo.order_by("-created_at", "-pk")]
    assert badges(listing(client).content.decode()) == expected
    for claim in demo:
        card = claim_scorecard(claim)
        assert (claim.verdict, claim.certainty) == (card.verdict, card.certainty or "")
        assert claim.verdict != scoring.STRONG_SUPPORT


def test_it_offers_and_applies_the_very_uncertain_verdict(client, claims):
    one_trial = make_claim(slug="one-trial", plain_statement="Naps help")
    link(one_trial, make_study(doi="10.1000/nap", sample_size=24))
    assert Claim.objects.get(slug="one-trial").verdict == scoring.VERY_UNCERTAIN
    html = listing(client).content.decode()
    assert '<option value="Very uncertain">Very uncertain</option>' in html
    html = listing(client, verdict="Very uncertain").content.decode()
    assert "Naps help" in html and "Creatine" not in html and "Stretching" not in html


def test_strongest_first_puts_certainty_before_score(client):
    """Five pilot trials of 10 score 95 but are very uncertain; they are not "more settled"
    than one large trial at 89 with moderate certainty."""
    pilots = make_claim(slug="pilots", plain_statement="Five pilots say yes")
    for i in range(5):
        link(pilots, make_study(doi=f"10.1000/p{i}", sample_size=10), certainty="high")
    large = make_claim(slug="large", plain_statement="One large trial says yes")
    link(
        large,
        make_study(doi="10.1000/large", sample_size=1000),
        certainty="high",
        risk_of_bias_judgement="low",
    )
    pilots.refresh_from_db()
    large.refresh_from_db()
    assert pilots.pro_score > large.pro_score
    levels = scoring.weights.LEVELS
    assert levels.index(large.certainty) > levels.index(pilots.certainty)
    html = listing(client, sort="strongest").content.decode()
    assert html.index("One large trial says yes") < html.index("Five pilots say yes")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"type": "magic"}, "type"),
        ({"verdict": "Probably"}, "verdict"),
        ({"sort": "oldest"}, "sort"),
    ],
)
def test_it_ignores_a_bad_filter_and_says_why_beside_it(client, claims, params, field):
    response = listing(client, **params)
    assert response.status_code == 200
    html = response.content.decode()
    # Every published claim is listed, as with no filter at all.
    assert "Creatine helps strength" in html and "Stretching prevents injury" in html
    assert f'<ul class="errorlist" id="{field}_error"><li>' in html
    assert f'aria-describedby="{field}_error"' in html


def test_it_keeps_the_good_filters_beside_a_bad_one(client, claims):
    html = listing(client, topic="Mobility", verdict="Probably").content.decode()
    assert "Stretching prevents injury" in html and "Creatine helps strength" not in html
    assert "We do not know the verdict “Probably”: showing all verdicts." in html
    assert '<option value="Mobility" selected>' in html
    assert '<details class="filter-more" open>' in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"type": "magic"}, "We do not know the claim type “magic”: showing all types."),
        ({"sort": "bogus"}, "We do not know the sort order “bogus”: showing newest first."),
        (
            {"sort": "bogus", "q": "creatine"},
            "We do not know the sort order “bogus”: showing best match first.",
        ),
    ],
)
def test_it_says_a_bad_filter_in_the_readers_words(client, claims, params, message):
    """The API's wording ("sort must be one of: relevance, …") names query values a reader
    never typed; the page names the control and what it shows instead."""
    html = listing(client, **params).content.decode()
    assert message in html
    assert "must be one of" not in html


def test_the_api_keeps_its_own_wording(client, claims):
    api = client.get(reverse("api-claims"), {"type": "magic"}).json()["error"]
    assert api == (
        "type must be one of: mechanistic, causal, correlational, comparative, descriptive."
    )


def test_it_shows_no_error_list_for_good_filters(client, claims):
    html = listing(client, topic="Mobility", type="causal", sort="strongest").content.decode()
    assert "errorlist" not in html and "aria-invalid" not in html
