"""A reader becomes a member, submits a contradicting study, and an editor accepts it."""

import re

from claims.models import Claim, Evidence
from studies.models import Study
from tests.e2e.conftest import DEMO_CLAIM, PASSWORD, log_in, screenshot, wait_until

CLAIM = DEMO_CLAIM
HERMANN_DOI = "10.1249/MSS.0000000000003728"  # recorded in tests/data/crossref/


def test_a_reader_signs_up_from_the_gate_and_sees_the_full_verdict(site, page):
    page.goto(f"{site}/claims/{CLAIM}/")
    assert page.get_by_role("heading", name="Causal chain").count() == 0
    page.locator(".gate").get_by_role("link", name="Sign up to see full verdict").click()
    page.wait_for_url("**/accounts/signup/**")
    page.get_by_label("Username").fill("newreader")
    page.get_by_label("Email").fill("newreader@example.org")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()

    page.wait_for_url(f"**/claims/{CLAIM}/")
    assert page.get_by_role("heading", name="Sign up to see full verdict").count() == 0
    assert page.get_by_role("heading", name="Most probable mechanism").is_visible()
    assert page.locator(".mechanism").first.get_by_text("which leads to").count() > 0
    assert page.get_by_role("heading", name="Score breakdown").is_visible()
    assert page.get_by_role("heading", name="Gold standard evidence needed").is_visible()
    screenshot(page, "claim-page-member-desktop")


def test_a_contradicting_study_raises_the_against_score_once_an_editor_appraises_it(
    site, browser, page, member, editor, crossref
):
    against_before = Claim.objects.get(slug=CLAIM).against_score
    log_in(page, site, member, f"/claims/{CLAIM}/")
    assert page.locator(".score-against .score-value").inner_text() == str(against_before)

    page.evaluate("window.__sameDocument = true")
    page.get_by_role("link", name="submit a contradicting study").click()
    page.get_by_label("DOI").fill(f"https://doi.org/{HERMANN_DOI}")
    page.get_by_label("Contradicts").check()
    page.get_by_label("Why it bears on the claim").fill(
        "Single sets to failure gave no extra neural drive.\n\nSee the results table."
    )
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_text("an editor will review it").wait_for()
    assert page.evaluate("window.__sameDocument") is True  # the form swapped in place

    page.goto(f"{site}/accounts/submissions/")
    row = page.locator("tr, li, article").filter(has_text=HERMANN_DOI.lower()).first
    assert re.search(r"pending", row.inner_text(), re.IGNORECASE)

    editor_context = browser.new_context(viewport={"width": 1280, "height": 900})
    admin = editor_context.new_page()
    admin.goto(f"{site}/admin/login/?next=/admin/community/submission/")
    admin.get_by_label("Username").fill(editor.username)
    admin.get_by_label("Password").fill(PASSWORD)
    admin.get_by_role("button", name="Log in").click()
    admin.wait_for_url("**/admin/community/submission/")
    admin.locator("input.action-select").first.check()
    admin.locator("select[name=action]").select_option("accept_selected")
    admin.get_by_role("button", name="Go").click()
    assert "awaiting appraisal" in admin.locator("#content").inner_text()  # before it acts
    admin.get_by_role("button", name="Accept 1 submission").click()
    admin.locator(".messagelist .success").first.wait_for()

    # Accepted, it is listed but counts for nothing until an editor appraises it.
    page.goto(f"{site}/claims/{CLAIM}/")
    contradicting = page.locator(".evidence-side").filter(has_text="Without Fail")
    assert "awaiting appraisal" in contradicting.first.inner_text()
    assert page.locator(".score-against .score-value").inner_text() == str(against_before)

    admin.get_by_role("link", name="Appraise it").click()
    admin.get_by_label("Appraisal status").select_option("appraised")
    admin.get_by_label("Risk-of-bias judgement").select_option("some")
    admin.locator("textarea[name=risk_of_bias_reason]").fill(
        "Participants knew their condition; assessor blinding is not reported."
    )
    admin.locator("input[name=_save]").click()
    admin.locator(".messagelist .success").first.wait_for()
    editor_context.close()

    page.goto(f"{site}/claims/{CLAIM}/")
    contradicting = page.locator(".evidence-side").filter(has_text="Contradicting (1)")
    assert contradicting.get_by_text("Without Fail").count() == 1
    against_after = int(page.locator(".score-against .score-value").inner_text())
    assert against_after > against_before
    page.goto(f"{site}/accounts/submissions/")
    row = page.locator("tr, li, article").filter(has_text=HERMANN_DOI.lower()).first
    assert re.search(r"accepted", row.inner_text(), re.IGNORECASE)


def test_the_submit_form_works_with_the_keyboard_alone(site, page, member, crossref):
    log_in(page, site, member, f"/claims/{CLAIM}/")

    def tab_to(predicate_js: str, limit: int = 80) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(predicate_js):
                return
        raise AssertionError(f"not reachable with Tab: {predicate_js}")

    tab_to("document.activeElement.textContent.trim() === 'submit a supporting study'")
    page.keyboard.press("Enter")
    page.get_by_label("DOI").wait_for()
    page.wait_for_function("document.activeElement.name === 'doi'")  # focus moved to the form
    page.keyboard.type(HERMANN_DOI)
    tab_to("document.activeElement.name === 'stance'")
    # Arrow keys move through a radio group; the second choice is "Contradicts".
    page.keyboard.press("ArrowDown")
    tab_to("document.activeElement.name === 'rationale'")
    page.keyboard.type("Single sets to failure gave no extra neural drive.")
    tab_to("document.activeElement.type === 'submit'")
    page.keyboard.press("Enter")
    page.get_by_text("an editor will review it").wait_for()

    submission = member.submissions.get()
    assert submission.stance == "contradicts"
    assert submission.doi == HERMANN_DOI.lower()


def no_horizontal_scroll(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_a_member_reads_the_score_breakdown_on_a_phone(site, phone, member):
    log_in(phone, site, member, f"/claims/{CLAIM}/")
    assert no_horizontal_scroll(phone) <= 0
    study = phone.locator(".breakdown-table tbody th").first
    study.scroll_into_view_if_needed()
    assert study.bounding_box()["width"] >= 120
    # One line of the citation is one line of text, not a letter per line.
    assert study.locator("a").bounding_box()["height"] < 40
    for label in ("Side", "Points", "Share of side"):
        cell = phone.locator(f'.breakdown-table td[data-label="{label}"]').first
        assert cell.is_visible() and cell.bounding_box()["width"] >= 60
    phone.goto(f"{site}/about/scoring/")
    assert no_horizontal_scroll(phone) <= 0
    why = phone.locator(".weights .weight-why").first
    box = why.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375  # the "Why" column is not cut off
    assert phone.get_by_role("rowheader", name="Meta-analysis of RCTs").first.is_visible()
    screenshot(phone, "about-scoring-phone")


def test_show_all_loads_a_whole_side_in_place_and_keeps_the_focus(site, page, member):
    claim = Claim.objects.get(slug=CLAIM)
    for i in range(12):
        study = Study.objects.create(
            doi=f"10.5555/extra{i}", title=f"Extra trial {i}", design="rct", sample_size=10 + i
        )
        Evidence.objects.create(claim=claim, study=study, stance="supports", certainty="low")
    log_in(page, site, member, f"/claims/{CLAIM}/")
    supporting = page.locator("#supporting-list")
    assert supporting.locator(".evidence-item").count() == 10
    page.evaluate("window.__sameDocument = true")
    show_all = page.get_by_role("link", name="Show all 13 supporting studies")
    show_all.focus()
    page.keyboard.press("Enter")
    wait_until(page, "document.querySelectorAll('#supporting-list .evidence-item').length === 13")
    assert page.evaluate("window.__sameDocument") is True  # swapped by htmx
    wait_until(page, "document.activeElement.id === 'supporting-more'")
    assert "More supporting studies" in page.evaluate("document.activeElement.textContent")
