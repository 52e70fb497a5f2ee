"""The inline "submit a study" form with the keyboard alone (focus follows each swap), the stance
its link chose, the DOI box a doi.org link fits in, and My submissions on a 375 px phone
(issue 18)."""

from django.utils import timezone

from claims.models import Claim
from community.models import Submission
from tests.e2e import axe
from tests.e2e.conftest import DEMO_CLAIM, log_in, screenshot
from tests.factories import make_submission

CLAIM = DEMO_CLAIM
HERMANN_DOI = "10.1249/MSS.0000000000003728"  # recorded in tests/data/crossref/
DOI_LINK = f"https://doi.org/{HERMANN_DOI}"
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
PHONE_WIDTH = 375


def fits_the_phone(page) -> bool:
    """No sideways scroll. A mobile browser widens its layout viewport (innerWidth) to what
    overflows, so the device's width is checked as well."""
    return page.evaluate(NO_SIDEWAYS_SCROLL) and page.evaluate(
        f"document.documentElement.scrollWidth <= {PHONE_WIDTH}"
    )


def focused(page) -> dict:
    return page.evaluate(
        """() => { const e = document.activeElement;
                   return {tag: e.tagName, name: e.name || '', value: e.value || '',
                           classes: e.className || ''}; }"""
    )


def wait_for_focus(page, check) -> None:
    """Poll from Python: wait_for_function evaluates a string, which the CSP forbids."""
    for _ in range(50):
        now = focused(page)
        if check(now):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"focus is on {now}")


def test_focus_follows_the_inline_form_from_link_to_thank_you(site, page, member, crossref):
    axe.require()
    log_in(page, site, member, f"/claims/{CLAIM}/")
    page.evaluate("window.__sameDocument = true")
    assert page.get_by_text("Community contributions welcome").count() == 1

    # Enter on the prompt's link: the form loads in place, focus on its first field.
    page.get_by_role("link", name="submit a contradicting study").focus()
    page.keyboard.press("Enter")
    page.get_by_label("DOI").wait_for()
    wait_for_focus(page, lambda e: e["name"] == "doi")
    assert page.get_by_label("Contradicts").is_checked()  # the link chose the side
    assert axe.serious_violations(page) == []
    # The next Tab stays in the form: the stance the link chose.
    page.keyboard.type(DOI_LINK)
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "stance" and focused(page)["value"] == "contradicts"

    # A refused post (the browser's own check off): focus on the field to fix.
    page.get_by_role("button", name="Submit for review").evaluate("b => b.form.noValidate = true")
    page.get_by_role("button", name="Submit for review").focus()
    page.keyboard.press("Enter")
    page.locator("#id_rationale[aria-invalid=true]").wait_for()
    wait_for_focus(page, lambda e: e["name"] == "rationale")
    page.keyboard.type("Single sets to failure gave no extra neural drive.")

    # A submitted study: focus on the thank-you, which a screen reader reads out.
    page.get_by_role("button", name="Submit for review").focus()
    page.keyboard.press("Enter")
    page.get_by_text("an editor will review it").wait_for()
    wait_for_focus(page, lambda e: "message" in e["classes"].split())
    assert page.evaluate("window.__sameDocument") is True  # swapped in place, no page load
    submission = Submission.objects.get(doi=HERMANN_DOI.lower())
    assert submission.stance == "contradicts"


def test_the_doi_box_fits_a_doi_org_link(site, page, phone, member):
    for browser_page, width in ((page, 1280), (phone, PHONE_WIDTH)):
        log_in(browser_page, site, member, f"/claims/{CLAIM}/submit/?stance=supports")
        assert browser_page.get_by_label("Supports").is_checked()
        doi = browser_page.get_by_label("DOI")
        doi.fill(DOI_LINK)
        if width == 1280:  # the whole link shows: the text is no wider than the box
            assert doi.evaluate("e => e.scrollWidth <= e.clientWidth")
        else:  # the form's whole width on a phone
            box = doi.bounding_box()
            form = browser_page.locator("form.form").bounding_box()
            assert box["width"] >= form["width"] - 1
            assert fits_the_phone(browser_page)


def test_my_submissions_on_a_phone_show_status_stance_and_note(site, phone, member):
    axe.require()
    claim = Claim.objects.get(slug=CLAIM)
    rejected = make_submission(
        claim=claim,
        user=member,
        doi="10.1249/MSS.0000000000003728",
        stance="supports",
        status=Submission.Status.REJECTED,
        moderated_at=timezone.now(),
        moderator_note="Thanks, but this study measured a different outcome "
        "(https://doi.org/10.1080/02640414.2024.2321021 is the one we already have).",
    )
    make_submission(claim=claim, user=member, doi="10.5555/a-rather-long-doi-suffix-2024-0001")
    log_in(phone, site, member, "/accounts/submissions/")

    assert fits_the_phone(phone)
    cards = phone.locator(".contribution").filter(
        has=phone.locator(".status-rejected, .status-pending")
    )
    assert cards.count() == 2
    for part in (
        phone.locator(".status-rejected"),
        phone.locator(".status-pending"),
        phone.get_by_text(rejected.get_stance_display()).first,
        phone.get_by_text("Editor's note"),
    ):
        box = part.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH
    # Status comes first on the card, before the study and its stance.
    card = cards.first
    status_box = card.locator(".status").bounding_box()
    assert status_box["y"] <= card.locator("h3").bounding_box()["y"]
    assert axe.serious_violations(phone) == []
    screenshot(phone, "my-submissions-phone")
