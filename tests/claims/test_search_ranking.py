"""How search ranks what it finds (issue 18 review): the first author above a later one,
"author year" citations, whole words above the same letters inside a longer word.

Runs on SQLite (the difflib fallback) and on PostgreSQL (pg_trgm) with DATABASE_URL set."""

import pytest
from django.urls import reverse

from claims.models import Claim
from claims.search import search_claims, search_studies
from studies.models import Study
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db


def ranked(text: str) -> list[str]:
    return [study.doi for study in search_studies(Study.objects.all(), text)]


def test_it_ranks_a_first_author_above_a_later_one():
    # The later-author study is newer, so today's tie-break (newest year first) puts it first.
    make_study(doi="10.1000/later", title="Volume and strength", authors="Helms, E.; Refalo, M.",
               year=2025)  # fmt: skip
    make_study(doi="10.1000/first", title="Proximity to failure", authors="Refalo, M.; Helms, E.",
               year=2023)  # fmt: skip
    assert ranked("Refalo") == ["10.1000/first", "10.1000/later"]
    assert ranked("helms") == ["10.1000/later", "10.1000/first"]


def test_it_finds_an_author_and_year_citation():
    make_study(doi="10.1000/r2024", title="Similar hypertrophy", authors="Refalo, M. C.; Helms, E.",
               year=2024)  # fmt: skip
    make_study(doi="10.1000/r2023", title="Proximity to failure", authors="Refalo, M. C.",
               year=2023)  # fmt: skip
    make_study(doi="10.1000/other", title="Sleep in 2024", authors="Walker, M.", year=2024)
    assert ranked("Refalo 2024") == ["10.1000/r2024"]
    assert ranked("2024 refalo") == ["10.1000/r2024"]
    # A year alone finds that year's studies, and a title naming it.
    assert set(ranked("2024")) == {"10.1000/r2024", "10.1000/other"}


def test_the_list_finds_an_author_and_year_citation(client):
    claim = make_claim(slug="failure", plain_statement="Training to failure builds muscle.")
    study = make_study(doi="10.1000/r2024", title="Similar hypertrophy", year=2024,
                       authors="Refalo, M. C.; Helms, E.")  # fmt: skip
    link(claim, study)
    html = client.get(reverse("claim-list"), {"q": "Refalo 2024"}).content.decode()
    assert f'href="{study.get_absolute_url()}"' in html


def test_a_whole_word_outranks_the_same_letters_inside_a_longer_word():
    # Newer, and "fat" three times over as part of longer words: still below.
    make_study(doi="10.1000/fatigue", title="Fatigue and fatiguability", authors="Fatouros, I.",
               journal="Fatigue", year=2025)  # fmt: skip
    make_study(doi="10.1000/fat", title="Body fat and strength", year=2020)
    assert ranked("fat") == ["10.1000/fat", "10.1000/fatigue"]


def test_a_whole_word_anywhere_outranks_a_part_of_a_word_in_the_title():
    make_study(doi="10.1000/title", title="Fatigue after sprints", year=2025)
    make_study(doi="10.1000/journal", title="Sprints", journal="Fat Metabolism", year=2020)
    assert ranked("fat") == ["10.1000/journal", "10.1000/title"]


def test_a_whole_word_in_the_title_still_outranks_one_in_the_journal():
    make_study(doi="10.1000/journal", title="Sprints", journal="Fat Metabolism", year=2025)
    make_study(doi="10.1000/title", title="Body fat after sprints", journal="Sport", year=2020)
    assert ranked("fat") == ["10.1000/title", "10.1000/journal"]


def test_a_claim_with_the_whole_word_outranks_one_with_a_longer_word():
    make_claim(slug="fasting", plain_statement="Fasting burns body fat faster than dieting.")
    # Newer and shorter, so the full-text rank alone puts it first.
    make_claim(slug="fatigue", plain_statement="Creatine delays fatigue.")
    found = [claim.slug for claim in search_claims(Claim.objects.published(), "fat")]
    assert found == ["fasting", "fatigue"]
