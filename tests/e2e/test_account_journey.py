"""A reader signs up with a display name, reads My contributions on a 375 px phone without
sideways scrolling, sees their accepted study credited on the claim page, deletes the account,
and the credit then reads "a former member"."""

import pytest
from django.contrib.auth import get_user_model

from claims.models import Claim
from community.services import submission_accept
from tests.e2e.conftest import screenshot
from tests.factories import make_study, make_submission

PASSWORD = "a-long-test-password-42"
NAME = "Squat Queen"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user("edith", "e@example.org", PASSWORD, is_staff=True)


def no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_a_member_signs_up_reads_contributions_on_a_phone_and_leaves(site, phone, editor):
    page = phone
    claim = Claim.objects.published().order_by("pk").first()
    page.goto(f"{site}/accounts/signup/")
    page.get_by_label("Username").fill("newreader")
    page.get_by_label("Display name").fill(NAME)
    page.get_by_label("Email").fill("newreader@example.org")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url(f"{site}/")

    # Their study, accepted by an editor (the moderation journey is tests/e2e's member one).
    member = get_user_model().objects.get(username="newreader")
    make_study(doi="10.5555/phone-trial", title="A trial sent from a phone")
    submission = make_submission(claim, member, doi="10.5555/phone-trial")
    submission_accept(submission=submission, moderator=editor)

    page.goto(f"{site}/accounts/contributions/")
    assert page.get_by_role("heading", name="My contributions").is_visible()
    card = page.locator(".contribution").filter(has_text="A trial sent from a phone")
    assert card.locator(".contribution-status").inner_text().startswith("Accepted")
    assert no_sideways_scroll(page)
    screenshot(page, "my-contributions-phone")

    page.goto(f"{site}{claim.get_absolute_url()}")
    assert page.locator(".credits-contributors").inner_text() == f"Contributors: {NAME}"

    page.goto(f"{site}/accounts/contributions/")
    page.get_by_role("link", name="Delete your account").click()
    assert no_sideways_scroll(page)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Type “delete my account”").fill("delete my account")
    page.get_by_role("button", name="Delete my account").click()
    page.wait_for_url(f"{site}/")
    assert page.get_by_text("Your account is deleted").is_visible()
    assert page.get_by_role("link", name="Log in").is_visible()

    page.goto(f"{site}{claim.get_absolute_url()}")
    credit = page.locator(".credits-contributors").inner_text()
    assert credit == "Contributors: a former member"
    assert not get_user_model().objects.filter(username="newreader").exists()
