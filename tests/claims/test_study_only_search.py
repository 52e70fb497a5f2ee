"""A search that finds only studies does not open with "Try fewer words" above the studies it
found (the review: "Refalo" said "No claims match. Try fewer words or clear a filter.")."""

import pytest


@pytest.mark.django_db
def test_a_study_only_match_points_to_the_studies(client, demo):
    html = client.get("/claims/", {"q": "Refalo"}).content.decode()
    assert "Try fewer words" not in html
    assert "the studies below do" in html


@pytest.mark.django_db
def test_no_match_at_all_still_suggests_fewer_words(client, demo):
    html = client.get("/claims/", {"q": "zzqxv"}).content.decode()
    assert "Try fewer words" in html
