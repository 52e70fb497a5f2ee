"""A study page on a 375 px phone: its facts (a long DOI, "Conflicts of interest") fit the
width; the page never scrolls sideways (review: 459 px wide)."""

from tests.e2e.conftest import screenshot
from tests.factories import make_study


def test_a_study_page_does_not_scroll_sideways_on_a_phone(site, phone):
    study = make_study(
        doi="10.1080/02640414.2099.9999999-long-suffix",
        title="A study with every fact",
        authors="Refalo, Martin C; Helms, Eric R; Trexler, Eric T; Hamilton, D Lee",
        journal="Journal of Sports Sciences",
        funding="None declared by the authors in the abstract of this paper.",
        conflicts_of_interest="The authors report no competing interests whatsoever.",
    )
    phone.goto(f"{site}{study.get_absolute_url()}")
    width = phone.evaluate("document.scrollingElement.scrollWidth")
    screenshot(phone, "study-page-phone")
    assert width <= 375, width
