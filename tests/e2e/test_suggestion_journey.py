"""A member suggests a new plain wording from the claim page, an editor accepts it in the
admin, and the claim page shows the new wording."""

from claims.models import Claim
from suggestions.models import Suggestion
from suggestions.services import suggestion_create, suggestion_reject
from tests.e2e.conftest import DEMO_CLAIM, log_in, screenshot

CLAIM = DEMO_CLAIM
NEW_WORDING = "Training close to failure may raise how fast motor units fire."


def test_a_suggested_wording_accepted_by_an_editor_shows_on_the_claim_page(
    site, browser, page, member, editor
):
    before = Claim.objects.get(slug=CLAIM).plain_statement
    log_in(page, site, member, f"/claims/{CLAIM}/")
    page.locator(".suggest-link").first.get_by_role("link", name="Suggest an edit").click()
    page.wait_for_url("**/suggest/claim/**")
    wording = page.get_by_label("Plain statement")
    assert wording.input_value() == before  # pre-filled with the current wording
    wording.fill(NEW_WORDING)
    page.get_by_label("Why this change").fill("The trial measured firing rates, not strength.")
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("button", name="Send my suggestion").click()
    page.get_by_text("an editor will review your suggested edit").wait_for()
    assert page.evaluate("window.__sameDocument") is True  # htmx swapped the thanks in
    suggestion = Suggestion.objects.get(suggested_by=member)
    assert list(suggestion.changes) == ["plain_statement"]

    editor_context = browser.new_context(viewport={"width": 1280, "height": 900})
    admin = editor_context.new_page()
    admin.set_default_timeout(10_000)
    log_in(admin, site, editor, "/admin/suggestions/suggestion/")
    admin.locator("#result_list tbody th a").first.click()
    admin.locator("#suggestion-diff").wait_for()
    assert admin.locator("#suggestion-diff ins").count() > 0
    assert admin.locator("#suggestion-diff del").count() > 0
    screenshot(admin, "suggestion-review")
    admin.get_by_role("button", name="Accept").click()
    admin.locator(".messagelist .success").first.wait_for()
    editor_context.close()

    page.goto(f"{site}/claims/{CLAIM}/")
    assert page.locator("#claim-heading").inner_text() == NEW_WORDING
    page.goto(f"{site}/accounts/suggestions/")
    assert "Accepted" in page.locator(".contribution").first.inner_text()


def test_my_suggestions_read_on_a_phone_without_scrolling_sideways(site, phone, member, editor):
    claim = Claim.objects.get(slug=CLAIM)
    for field, value in (("plain_statement", NEW_WORDING), ("summary", "A shorter summary.")):
        suggestion = suggestion_create(
            user=member, target=claim, proposed={field: value}, rationale="Why, at length. " * 9
        )
    suggestion_reject(
        suggestion=suggestion, editor=editor, note="The summary follows the analysis; see v2."
    )
    log_in(phone, site, member, "/accounts/suggestions/")
    cards = phone.locator(".contribution")
    assert cards.count() == 2
    assert "The summary follows the analysis" in cards.first.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone, "my-suggestions-phone")
