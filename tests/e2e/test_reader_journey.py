from tests.e2e.conftest import screenshot, wait_until

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
