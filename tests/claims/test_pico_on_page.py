"""The claim's PICO and smallest important effect on the page, beside the statement, for every
reader (issue 14, item 1: "as structured fields beside the free-text statement")."""

from html import unescape

import pytest

from tests.factories import make_claim

pytestmark = pytest.mark.django_db


def test_every_reader_sees_the_question_the_claim_answers(client):
    claim = make_claim(
        population="Previously trained adults",
        intervention="Training to 0–1 RIR",
        comparator="Training to 4–6 RIR",
        outcome="Vastus lateralis CSA",
        time_frame="5 weeks",
        important_effect=0.5,
        important_effect_measure="md",
        important_effect_unit="cm²",
    )
    html = unescape(client.get(claim.get_absolute_url()).content.decode())
    for label, value in [
        ("Who", "Previously trained adults"),
        ("What", "Training to 0–1 RIR"),
        ("Compared with", "Training to 4–6 RIR"),
        ("Outcome", "Vastus lateralis CSA"),
        ("Over", "5 weeks"),
        ("Smallest effect that matters", "a mean difference of 0.5 cm²"),
    ]:
        assert f"<dt>{label}</dt><dd>{value}</dd>" in html, label


def test_any_effect_and_missing_parts_read_plainly(client):
    claim = make_claim(slug="any-effect", population="Adults", outcome="Strength")
    html = unescape(client.get(claim.get_absolute_url()).content.decode())
    assert "<dt>Smallest effect that matters</dt><dd>any effect (none set)</dd>" in html
    assert "<dt>Compared with</dt>" not in html  # nothing recorded, nothing shown


def test_a_claim_without_pico_shows_no_empty_box(client):
    html = client.get(make_claim(slug="bare").get_absolute_url()).content.decode()
    assert 'class="pico"' not in html
