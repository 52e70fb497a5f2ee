"""/claims/<slug>.json moves an upper-case slug for good, like the claim's pages, with its CORS
header (it answered 404)."""

import pytest


@pytest.mark.django_db
def test_the_claim_json_moves_an_upper_case_slug_for_good_with_cors(client, demo):
    response = client.get("/claims/RIR-Training-Matches-Failure-Volume-and-Growth.json")
    assert response.status_code == 301
    assert response["Location"] == "/claims/rir-training-matches-failure-volume-and-growth.json"
    assert response["Access-Control-Allow-Origin"] == "*"
