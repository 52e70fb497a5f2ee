"""A member changes their email: the form says a link was sent, the address stays until the
link mailed to the new address is followed and its button pressed; then the page says so."""

import re

from django.core import mail

from tests.e2e.conftest import PASSWORD, log_in, screenshot


def test_a_member_confirms_a_new_address_from_the_mailed_link(site, page, member):
    log_in(page, site, member)
    page.goto(f"{site}/accounts/email/")
    page.get_by_label("New email address").fill("mira.new@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Change email").click()
    assert page.get_by_text("We sent a confirmation link to mira.new@example.org").is_visible()
    member.refresh_from_db()
    assert member.email == "mira@example.org"

    [to_new] = [message for message in mail.outbox if message.to == ["mira.new@example.org"]]
    [link] = re.findall(r"https?://\S+/email/confirm/\S+/", to_new.body)
    page.goto(link)
    screenshot(page, "email-confirm")
    page.get_by_role("button", name="Confirm this address").click()
    assert page.get_by_text("Your email address is now mira.new@example.org").is_visible()
    member.refresh_from_db()
    assert member.email == "mira.new@example.org"
