"""A member discusses a claim (with htmx, then with JavaScript off), an editor hides one
comment from the admin, and a reader sees "Hidden by an editor" in its place."""

from discussion.models import Comment
from tests.e2e.conftest import DEMO_CLAIM, log_in, screenshot

CLAIM = DEMO_CLAIM
HTMX_TEXT = "The **dose** matters more than failure; see 10.1000/unknown-trial."
PLAIN_TEXT = "Posted with JavaScript off."


def test_a_member_posts_an_editor_hides_and_a_reader_sees_the_reason(
    site, browser, page, member, editor
):
    # With htmx: the new comment swaps in, the form clears, no page load.
    log_in(page, site, member, f"/claims/{CLAIM}/")
    assert page.get_by_role("heading", name="Discussion (0 comments)").is_visible()
    page.get_by_role("link", name="Start the discussion").click()
    page.wait_for_url(f"**/claims/{CLAIM}/discussion/")
    page.evaluate("window.__sameDocument = true")
    page.get_by_label("Your comment").fill(HTMX_TEXT)
    page.get_by_role("button", name="Post comment").click()
    page.locator("#threads .comment-body strong", has_text="dose").wait_for()
    assert page.evaluate("window.__sameDocument") is True
    assert page.get_by_label("Your comment").input_value() == ""
    assert page.locator("#threads a", has_text="10.1000/unknown-trial").get_attribute("href") == (
        "https://doi.org/10.1000/unknown-trial"
    )
    assert page.locator("#no-comments").count() == 0
    screenshot(page, "discussion-posted-htmx")

    # A reply through the htmx reply form: the thread is swapped whole.
    page.get_by_role("link", name="Reply").first.click()
    page.locator(".reply-form textarea").fill("A reply in place.")
    page.get_by_role("button", name="Post reply").click()
    page.locator(".replies", has_text="A reply in place.").wait_for()
    assert page.evaluate("window.__sameDocument") is True

    # With JavaScript off: the plain form posts and the page comes back at the new comment.
    context = browser.new_context(java_script_enabled=False)
    plain = context.new_page()
    plain.set_default_timeout(10_000)
    log_in(plain, site, member, f"/claims/{CLAIM}/discussion/")
    plain.get_by_label("Your comment").fill(PLAIN_TEXT)
    plain.get_by_role("button", name="Post comment").click()
    plain.wait_for_url("**/discussion/#comment-*")
    assert plain.get_by_text("Your comment is posted.").is_visible()
    assert plain.get_by_text(PLAIN_TEXT).is_visible()
    context.close()

    # An editor hides the plain comment from the admin, giving the reason.
    hidden = Comment.objects.get(body=PLAIN_TEXT)
    admin = browser.new_context().new_page()
    admin.set_default_timeout(10_000)
    log_in(admin, site, editor, "/admin/discussion/comment/")
    admin.locator(f'input[name="_selected_action"][value="{hidden.pk}"]').check()
    admin.locator('select[name="action"]').select_option("hide_with_reason")
    admin.get_by_role("button", name="Go").click()
    admin.get_by_label("Reason shown to readers").fill("Off topic for this claim.")
    admin.get_by_role("button", name="Hide 1 comment").click()
    admin.get_by_text("Hid 1 comment;").wait_for()
    admin.context.close()

    # A reader (anonymous, the cached page) sees the reason, not the text.
    reader = browser.new_context().new_page()
    reader.goto(f"{site}/claims/{CLAIM}/")
    section = reader.locator("#discussion")
    assert "Discussion (3 comments)" in section.inner_text()
    assert section.get_by_text("Hidden by an editor: Off topic for this claim.").is_visible()
    assert PLAIN_TEXT not in reader.content()
    reader.goto(f"{site}/claims/{CLAIM}/discussion/")
    assert reader.get_by_text("Hidden by an editor: Off topic for this claim.").is_visible()
    assert PLAIN_TEXT not in reader.content()
    screenshot(reader, "discussion-hidden-reader")
    reader.context.close()
