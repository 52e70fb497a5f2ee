"""Issue 16 in a browser: a member's from → to reads on a phone and Withdraw works without
script; after the htmx form posts, the keyboard focus lands on the error, then the thank-you."""

from claims.models import Claim
from suggestions.models import Suggestion
from suggestions.services import suggestion_create
from tests.e2e.conftest import DEMO_CLAIM, log_in, screenshot, wait_until

LONG_WORDING = "Training close to failure may raise how fast motor units fire " + "a" * 90 + "."


def test_a_member_reads_their_change_on_a_phone_and_withdraws_it(site, phone, member):
    claim = Claim.objects.get(slug=DEMO_CLAIM)
    suggestion_create(
        user=member, target=claim, proposed={"plain_statement": LONG_WORDING}, rationale="Why."
    )
    log_in(phone, site, member, "/accounts/suggestions/")
    card = phone.locator(".contribution").first
    assert card.locator("ins").count() > 0 and card.locator("del").count() > 0
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone, "my-suggestion-diff-phone")
    card.get_by_role("button", name="Withdraw this suggestion").click()
    phone.get_by_text("Withdrawn: an editor will not review it").wait_for()
    assert Suggestion.objects.get().status == "withdrawn"
    assert phone.get_by_role("button", name="Withdraw this suggestion").count() == 0


def test_focus_goes_to_the_error_then_to_the_thank_you(site, page, member):
    log_in(page, site, member, f"/claims/{DEMO_CLAIM}/")
    page.locator(".suggest-link").first.get_by_role("link", name="Suggest an edit").click()
    page.wait_for_url("**/suggest/claim/**")
    page.get_by_label("Why this change").fill("Nothing, in fact.")
    page.get_by_role("button", name="Send my suggestion").click()  # nothing changed
    alert = page.locator('.errorlist.nonfield[role="alert"]')
    alert.wait_for()
    wait_until(page, "document.activeElement.matches('.errorlist.nonfield')")
    page.get_by_label("Plain statement").fill("Near-failure sets may make motor units fire faster.")
    page.get_by_role("button", name="Send my suggestion").click()
    page.get_by_text("an editor will review your suggested edit").wait_for()
    wait_until(page, "document.activeElement.matches('#suggest-edit .message')")
