"""A member flags an evidence link from the claim page, an editor resolves it in the admin's
flag queue, and the member reads the outcome on their flags page."""

from flags.models import Flag
from tests.e2e.conftest import DEMO_CLAIM, PASSWORD, log_in, screenshot

CLAIM = DEMO_CLAIM


def test_a_member_flags_a_link_and_reads_the_editors_outcome(site, browser, page, member, editor):
    log_in(page, site, member, f"/claims/{CLAIM}/")
    page.evaluate("window.__sameDocument = true")
    item = page.locator(".evidence-item").first
    study_title = item.locator("h4").inner_text()
    item.get_by_role("link", name="Flag a problem").click()
    item.get_by_label("Wrong stance (supports or contradicts)").check()
    item.get_by_label("A short note").fill("The paper reports no difference between groups.")
    item.get_by_role("button", name="Send the flag").click()
    item.get_by_text("an editor will look at your flag").wait_for()
    assert page.evaluate("window.__sameDocument") is True  # the form swapped in place
    flag = Flag.objects.get()
    assert (flag.flagged_by, flag.reason, flag.target.claim.slug) == (member, "wrong_stance", CLAIM)

    editor_context = browser.new_context(viewport={"width": 1280, "height": 900})
    admin = editor_context.new_page()
    admin.goto(f"{site}/admin/login/?next=/admin/flags/flag/")
    admin.get_by_label("Username").fill(editor.username)
    admin.get_by_label("Password").fill(PASSWORD)
    admin.get_by_role("button", name="Log in").click()
    admin.wait_for_url("**/admin/flags/flag/")
    row = admin.locator("#result_list tbody tr").filter(has_text="mira").first
    assert study_title in row.inner_text()
    row.get_by_role("link", name="Resolve").click()
    admin.get_by_label("Outcome").select_option("no_change")
    admin.get_by_label("Note to the reader").fill("   ")  # blank: refused, the flag stays open
    admin.get_by_role("button", name="Resolve the flag").click()
    assert "Write a note for the reader" in admin.locator("#content").inner_text()
    assert Flag.objects.get().is_open
    admin.get_by_label("Note to the reader").fill(
        "The authors' table 2 shows the **effect**; the stance stands."
    )
    admin.get_by_role("button", name="Resolve the flag").click()
    admin.locator(".messagelist .success").first.wait_for()
    editor_context.close()

    page.goto(f"{site}/accounts/flags/")
    item = page.locator(".flag-item").first
    text = item.inner_text()
    assert study_title in text
    assert "Resolved" in text and "No change needed" in text
    assert item.locator("strong", has_text="effect").count() == 1  # the note as markdown
    screenshot(page, "my-flags-desktop")


def test_a_member_reads_their_flags_on_a_phone(site, phone, member, editor):
    log_in(phone, site, member, f"/claims/{CLAIM}/")
    phone.locator(".flag-link").last.get_by_role("link", name="Flag a problem").click()
    phone.get_by_label("The wording overstates the evidence").check()
    phone.get_by_role("button", name="Send the flag").click()
    phone.get_by_text("an editor will look at your flag").wait_for()
    phone.goto(f"{phone.url.split('/claims/')[0]}/accounts/flags/")
    width = phone.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert width <= 0
    assert phone.locator(".flag-item").first.is_visible()
    screenshot(phone, "my-flags-phone")
