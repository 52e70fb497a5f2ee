"""After an htmx post focus goes where the member must look (the new comment, the error
summary, the reply textarea), and the thread count keeps up without a reload."""

from tests.e2e.conftest import DEMO_CLAIM, log_in

CLAIM = DEMO_CLAIM


def wait_for_focus(page, check) -> None:
    """Poll from Python: wait_for_function evaluates a string, which the CSP forbids."""
    for _ in range(50):
        active = page.evaluate("[document.activeElement.id, document.activeElement.className]")
        if check(*active):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"focus is on {active}")


def test_focus_and_count_follow_an_htmx_post(site, page, member):
    log_in(page, site, member, f"/claims/{CLAIM}/discussion/")
    assert page.locator("#thread-count").inner_text() == "0 threads"

    # A refused post: focus on the error summary, read out as an alert.
    page.get_by_role("button", name="Post comment").evaluate("b => b.form.noValidate = true")
    page.get_by_role("button", name="Post comment").click()
    page.locator(".error-summary[role=alert]").wait_for()
    wait_for_focus(page, lambda id_, classes: "error-summary" in classes)

    # A posted comment: focus on it, the count up to date.
    page.get_by_label("Your comment").fill("Focus lands here.")
    page.get_by_role("button", name="Post comment").click()
    page.locator("#threads .comment-body", has_text="Focus lands here.").wait_for()
    wait_for_focus(page, lambda id_, classes: id_.startswith("comment-"))
    assert page.locator("#thread-count").inner_text() == "1 thread"

    # The reply form: its textarea gets focus when it loads; the posted reply then does.
    page.get_by_role("link", name="Reply").first.click()
    page.locator(".reply-form textarea").wait_for()
    wait_for_focus(page, lambda id_, classes: id_.startswith("reply-body-"))
    page.locator(".reply-form textarea").fill("And a reply.")
    page.get_by_role("button", name="Post reply").click()
    page.locator(".replies", has_text="And a reply.").wait_for()
    wait_for_focus(page, lambda id_, classes: id_.startswith("comment-"))
    assert page.locator("#thread-count").inner_text() == "1 thread"
