"""A member reads the forest plot on a 375 px phone: legible, no sideways scroll, no CSP
violation (the SVG has no style attribute)."""

import pytest

from tests.e2e.conftest import log_in, screenshot
from tests.factories import link, make_claim, make_study

SMALLEST_TEXT_PX = 12  # the plot's text after the viewBox is scaled to the phone


@pytest.fixture
def claim(site):
    claim = make_claim(
        slug="forest-on-a-phone",
        outcome="Muscle thickness",
        important_effect=0.5,
        important_effect_measure="md",
        important_effect_unit="mm",
        expected_direction="increase",
    )
    for year, (estimate, lower, upper), n in (
        (2024, (1.2, 0.8, 1.6), 18),
        (2023, (0.1, -0.2, 0.3), 30),
        (2022, (0.4, -0.3, 1.1), 12),
    ):
        study = make_study(doi=f"10.1000/phone{year}", authors="Longauthorname, A; B, C", year=year)
        link(
            claim,
            study,
            outcome="Muscle thickness",
            effect_measure="md",
            effect_unit="mm",
            effect_estimate=estimate,
            effect_ci_lower=lower,
            effect_ci_upper=upper,
            n_analysed=n,
        )
    return claim


def test_a_member_reads_the_forest_plot_on_a_phone(site, phone, member, claim):
    violations = []
    phone.on("console", lambda message: violations.append(message.text))
    log_in(phone, site, member, claim.get_absolute_url())
    svg = phone.locator(".forest-svg").first
    svg.scroll_into_view_if_needed()
    assert svg.is_visible()
    sizes = phone.evaluate(
        """() => {
          const svg = document.querySelector('.forest-svg');
          const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
          return [...svg.querySelectorAll('text')].map(
            t => parseFloat(getComputedStyle(t).fontSize) * scale);
        }"""
    )
    assert sizes and min(sizes) >= SMALLEST_TEXT_PX, sizes
    overflow = phone.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    # A label and its estimate never overlap.
    overlaps = phone.evaluate(
        """() => [...document.querySelectorAll('.forest-row')].filter(g => {
          const a = g.querySelector('.forest-label').getBoundingClientRect();
          const b = g.querySelector('.forest-value').getBoundingClientRect();
          return a.right > b.left;
        }).length"""
    )
    assert overlaps == 0
    assert phone.get_by_role("img", name="Forest plot: Muscle thickness").is_visible()
    assert phone.locator(".forest-table caption").first.is_visible()
    assert not [text for text in violations if "Content Security Policy" in text], violations
    phone.locator("#effects").screenshot(path=str(screenshot(phone, "forest-plot-phone")))
