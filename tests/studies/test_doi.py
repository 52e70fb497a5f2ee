import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from studies.doi import CONTROL_CHARACTERS, INVALID_DOI_MESSAGE, normalize_doi


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("10.1080/02640414.2024.2321021", "10.1080/02640414.2024.2321021"),
        ("https://doi.org/10.1249/MSS.0000000000003728", "10.1249/mss.0000000000003728"),
        ("http://dx.doi.org/10.70252/IJES2026403", "10.70252/ijes2026403"),
        ("doi:10.1000/XYZ123", "10.1000/xyz123"),
        ("  DOI: 10.1000/abc  ", "10.1000/abc"),
        ("https://doi.org/10.1000/a%2Fb", "10.1000/a/b"),
        ("10.1000/100%25-pure", "10.1000/100%25-pure"),
        ("https://doi.org/10.1000/100%2525-pure", "10.1000/100%25-pure"),
    ],
)
def test_it_normalises(raw, expected):
    assert normalize_doi(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "10.12/x",
        "11.1234/abc",
        "10.1234/",
        "10.1234/has space",
        "not a doi",
        "10.1234",
        # control characters, typed or decoded from a DOI link (a NUL is a 500 on PostgreSQL)
        "10.1234/a\x00b",
        "10.1234/a\x1bb",
        "10.1234/a\x7fb",
        "10.1234/a\x9bb",
        "https://doi.org/10.1234/a%00b",
        "https://doi.org/10.1234/a%01b",
        "http://dx.doi.org/10.1234/a%1Fb",
        "https://doi.org/10.1234/a%7Fb",
        "https://doi.org/10.1234/a%C2%85b",
        "doi.org/10.1234/%00",
    ],
)
def test_it_refuses_what_is_not_a_doi(raw):
    with pytest.raises(ValidationError) as error:
        normalize_doi(raw)
    assert error.value.messages == [INVALID_DOI_MESSAGE]


@given(
    st.text(max_size=80)
    | st.builds(
        "".join,
        st.lists(
            st.sampled_from(
                ["https://doi.org/", "10.1000/", "%25", "%2F", "%", "a", " ", "%00", "%1f", "\x00"]
            )
        ),
    )
)
def test_it_either_normalises_idempotently_or_raises(raw):
    try:
        doi = normalize_doi(raw)
    except ValidationError:
        return
    assert normalize_doi(doi) == doi
    assert doi == doi.lower() and doi.startswith("10.")
    assert not CONTROL_CHARACTERS.search(doi)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("10.14814/phy2.15679/", "10.14814/phy2.15679"),
        ("10.14814/phy2.15679.", "10.14814/phy2.15679"),
        ("10.14814/phy2.15679,", "10.14814/phy2.15679"),
        ("10.14814/phy2.15679;", "10.14814/phy2.15679"),
        ("doi:10.1000/xyz123:", "10.1000/xyz123"),
        ("10.1000/xyz123 . ", "10.1000/xyz123"),
        ("https://doi.org/10.1000/xyz123/", "10.1000/xyz123"),
        ("https://doi.org/10.1000/xyz123%2F", "10.1000/xyz123"),
        # A closing parenthesis belongs to the DOI (SICI DOIs end in one).
        ("10.1000/abc(1)", "10.1000/abc(1)"),
        (
            "10.1002/(SICI)1097-4636(199706)35:4<401::AID-JBM1>3.0.CO;2-S",
            "10.1002/(sici)1097-4636(199706)35:4<401::aid-jbm1>3.0.co;2-s",
        ),
    ],
)
def test_it_drops_the_punctuation_a_pasted_doi_picks_up(raw, expected):
    assert normalize_doi(raw) == expected


@pytest.mark.parametrize("raw", ["10.1234/.", "10.1234//", "10.1234/;,"])
def test_it_refuses_a_doi_that_is_only_punctuation_after_the_prefix(raw):
    with pytest.raises(ValidationError):
        normalize_doi(raw)
