"""The claim page's ClaimReview, as a consumer reads it: expanded with PyLD."""

import datetime
import json
import re

import pytest
from django.core.exceptions import ValidationError

from claims.models import Claim
from tests.factories import link, make_claim, make_study
from tests.jsonld import expand, values

pytestmark = pytest.mark.django_db

SCHEMA = "https://schema.org/"

LONG = (
    "In adults who already train regularly, lifting weights very close to failure for five "
    "weeks leads to a small reduction in the size of a specific thigh muscle."
)


def claim_review(client, claim) -> list[dict]:
    html = client.get(claim.get_absolute_url()).content.decode()
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(scripts) == 1
    return expand(json.loads(scripts[0]))


def test_it_reviews_the_headline_when_there_is_one(client):
    headline = "Near-failure training shrinks a thigh muscle"
    doc = claim_review(client, make_claim(plain_statement=LONG, headline=headline))
    assert values(doc, "claimReviewed") == [headline]


def test_it_cuts_the_plain_statement_at_a_word_to_75_characters(client):
    doc = claim_review(client, make_claim(plain_statement=LONG))
    [reviewed] = values(doc, "claimReviewed")
    assert len(reviewed) <= 75
    assert reviewed.endswith("…")
    assert LONG.startswith(reviewed[:-1])
    assert LONG[len(reviewed) - 1] == " "  # cut between words, not inside one


def test_it_keeps_a_short_plain_statement_whole(client):
    doc = claim_review(client, make_claim(plain_statement="X makes Y go up."))
    assert values(doc, "claimReviewed") == ["X makes Y go up."]


@pytest.mark.parametrize("length", [74, 75, 76, 200])
def test_it_never_goes_over_75_characters(length):
    claim = Claim(plain_statement=("word " * 60)[:length])
    assert len(claim.short_statement) <= 75


def test_it_refuses_a_headline_over_75_characters():
    claim = make_claim()
    claim.headline = "x" * 76
    with pytest.raises(ValidationError) as error:
        claim.full_clean()
    assert "headline" in error.value.message_dict


def test_it_names_the_rating_with_the_verdict(client):
    claim = make_claim()
    link(claim, make_study(doi="10.1000/one"), certainty="moderate")
    claim.refresh_from_db()
    doc = claim_review(client, claim)
    assert values(doc, "reviewRating", "name") == [claim.verdict]
    assert values(doc, "reviewRating", "alternateName")[0].startswith(claim.verdict)


def test_it_says_who_made_the_claim_when_and_where(client):
    claim = make_claim(
        source_name="Example Fitness Magazine",
        source_url="https://magazine.example.org/failure",
        source_date=datetime.date(2025, 3, 4),
    )
    doc = claim_review(client, claim)
    assert values(doc, "itemReviewed", "author", "name") == ["Example Fitness Magazine"]
    [item] = [node for top in doc for node in top[f"{SCHEMA}itemReviewed"]]
    assert item[f"{SCHEMA}author"][0]["@type"] == [f"{SCHEMA}Organization"]
    assert values(doc, "itemReviewed", "datePublished") == ["2025-03-04"]
    assert values(doc, "itemReviewed", "appearance", "url") == [
        "https://magazine.example.org/failure"
    ]


def test_it_types_a_person_as_a_person(client):
    claim = make_claim(source_name="Dr Example", source_is_person=True)
    doc = claim_review(client, claim)
    [item] = [node for top in doc for node in top[f"{SCHEMA}itemReviewed"]]
    assert item[f"{SCHEMA}author"][0]["@type"] == [f"{SCHEMA}Person"]


def test_it_leaves_out_what_was_not_recorded(client):
    doc = claim_review(client, make_claim())
    assert values(doc, "itemReviewed", "text") == ["X makes Y go up."]
    for term in ("author", "datePublished", "appearance"):
        assert values(doc, "itemReviewed", term) == []


def test_the_demo_claims_have_headlines_within_the_limit(demo):
    headlines = list(demo.values_list("headline", flat=True))
    assert len(headlines) == 5
    assert all(0 < len(headline) <= 75 for headline in headlines)
