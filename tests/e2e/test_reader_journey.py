from tests.e2e.conftest import SCREENSHOTS, screenshot, wait_until

CLAIM = "quadriceps-regional-hypertrophy-failure-vs-rir"


def test_it_lets_a_reader_search_open_a_claim_and_switch_wording(site, page):
    page.goto(site + "/")
    page.get_by_label("Search claims").fill("rectus femoris")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/claims/?q=rectus+femoris")
    page.locator(f'a[href="/claims/{CLAIM}/"]').first.click()
    page.wait_for_url(f"**/claims/{CLAIM}/")

    page.evaluate("window.__sameDocument = true")
    page.get_by_role("link", name="See the scientific wording").click()
    page.get_by_role("link", name="See the plain wording").wait_for()
    assert page.evaluate("window.__sameDocument") is True  # swapped by htmx, no page load
    assert "?wording=scientific" in page.url
    # One trial of 18 with some concerns for bias: very uncertain, never "Strong support".
    assert page.locator(".verdict-label").inner_text() == "Very uncertain"
    assert page.get_by_text("Very low certainty").first.is_visible()
    assert page.locator(".score-pro .score-value").inner_text() == "42"
    assert page.locator(".score-against .score-value").inner_text() == "0"
    assert page.get_by_role("heading", name="Sign up to see full verdict").is_visible()
    screenshot(page, "claim-page-anonymous-desktop")


def test_it_fits_a_phone_without_horizontal_scrolling(site, phone):
    phone.goto(f"{site}/claims/{CLAIM}/")
    overflow = phone.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    screenshot(phone, "claim-page-anonymous-phone")


def test_it_works_with_the_keyboard_alone(site, page):
    page.goto(f"{site}/claims/{CLAIM}/")
    page.evaluate("window.__sameDocument = true")
    for _ in range(30):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent.trim()")
        if focused == "See the scientific wording":
            break
    else:
        raise AssertionError("the wording toggle is not reachable with Tab")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="See the plain wording").wait_for()
    assert page.evaluate("window.__sameDocument") is True
    # The swapped-in toggle has the same id, so htmx gives the keyboard focus back to it.
    wait_until(page, "document.activeElement.id === 'wording-toggle'")
    assert page.evaluate("document.activeElement.textContent.trim()") == "See the plain wording"
    page.keyboard.press("Enter")
    page.get_by_role("link", name="See the scientific wording").wait_for()
    wait_until(page, "document.activeElement.id === 'wording-toggle'")


def first_screen(page, name: str) -> None:
    """The viewport alone, as a reader first sees it (screenshot() takes the whole page)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def bottom(page, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not displayed"
    return box["y"] + box["height"]


FIRST_SCREEN = (".verdict-label", ".verdict-statement", ".certainty-level")
DEMO_CLAIMS = (
    CLAIM,
    "near-failure-training-vastus-lateralis-csa",
    "near-failure-training-motor-unit-firing-rate",
    "failure-fatigue-adds-no-hypertrophy",
    "rir-training-matches-failure-volume-and-growth",
)


def assert_first_screen(page, site: str, height: int, selectors: tuple[str, ...]) -> None:
    """On every demo claim, in either wording, each selector ends within the first screen."""
    for slug in DEMO_CLAIMS:
        for query in ("", "?wording=scientific"):
            page.goto(f"{site}/claims/{slug}/{query}")
            for selector in selectors:
                assert bottom(page, selector) <= height, (slug, query, selector)


def test_it_shows_the_verdict_and_its_certainty_on_a_phones_first_screen(site, browser):
    context = browser.new_context(viewport={"width": 375, "height": 667}, is_mobile=True)
    phone = context.new_page()
    try:
        phone.goto(f"{site}/claims/{CLAIM}/")
        first_screen(phone, "claim-page-phone-first-screen")
        assert phone.locator(".certainty-level").inner_text() == "Very low certainty"
        assert_first_screen(phone, site, 667, FIRST_SCREEN)
    finally:
        context.close()


def test_it_shows_the_verdict_certainty_and_scores_on_a_desktops_first_screen(site, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    desktop = context.new_page()
    try:
        desktop.goto(f"{site}/claims/{CLAIM}/")
        first_screen(desktop, "claim-page-desktop-first-screen")
        assert_first_screen(desktop, site, 800, (*FIRST_SCREEN, ".score-bars"))
    finally:
        context.close()


def test_it_shows_the_certainty_reasons_on_a_phone_without_a_tap(site, phone):
    phone.goto(f"{site}/claims/{CLAIM}/")
    reason = phone.locator(".certainty-reasons li").first
    assert reason.is_visible()
    assert "Starts at high certainty" in reason.inner_text()


def test_it_sets_the_breakdowns_reasons_in_normal_weight(site, page, settings):
    settings.FULL_VERDICT_REQUIRES_LOGIN = False
    page.goto(f"{site}/claims/{CLAIM}/")
    page.locator(".breakdown-table tbody th .certainty-why li").first.scroll_into_view_if_needed()
    weights = page.evaluate(
        "[...document.querySelectorAll('.breakdown-table tbody th .certainty-why li')]"
        ".map(li => getComputedStyle(li).fontWeight)"
    )
    assert weights and set(weights) == {"400"}
    # The study's name stays bold: it heads the row.
    assert (
        page.evaluate(
            "getComputedStyle(document.querySelector('.breakdown-table tbody th > a')).fontWeight"
        )
        == "600"
    )
    screenshot(page, "claim-page-breakdown-desktop")
