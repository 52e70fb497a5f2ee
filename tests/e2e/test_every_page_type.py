"""Every page type, at 1280 px and on a 375 px phone (issue 18, "Done when"): axe-core finds no
serious or critical violation, the browser logs no CSP violation, and on the phone no page
scrolls sideways (document.documentElement.scrollWidth and window.innerWidth stay <= 375).
A failure names the page and the width, e.g. test_every_page_type[study-375]."""

from types import SimpleNamespace

import pytest
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve

from claims.management.commands.load_demo import record_starting_history
from claims.models import Claim, Evidence
from community.follows import follow_claim
from discussion.services import comment_post
from flags.services import flag_open
from studies.models import Study
from suggestions.services import suggestion_create
from tests.e2e.axe import require, serious_violations
from tests.e2e.conftest import DEMO_CLAIM, screenshot
from tests.factories import make_study, make_submission

WIDTHS = {1280: {"width": 1280, "height": 900}, 375: {"width": 375, "height": 812}}
LONG_DOI = "10.1080/02640414.2099.9999999-a-rather-long-suffix-without-breaks"
CSP_WORDS = ("Content Security Policy", "Refused to")


@pytest.fixture
def world(site, member, editor):
    """The demo data and, for the member's pages and the editors' queue, one of each
    contribution: a pending submission, a follow, a comment, an open flag, a suggestion."""
    claim = Claim.objects.get(slug=DEMO_CLAIM)
    evidence = Evidence.objects.filter(claim=claim).first()
    make_submission(claim, member)
    follow_claim(user=member, claim=claim)
    comment_post(claim=claim, user=member, body="Does this hold for **older** lifters?")
    flag_open(user=member, target=evidence, reason="wrong_stance", note="Table 2 says otherwise.")
    suggestion_create(
        user=member,
        target=claim,
        proposed={"plain_statement": "Training close to failure may raise motor unit firing."},
        rationale="The trial measured firing rates.",
    )
    long_doi = make_study(doi=LONG_DOI, title="A study with a long DOI", journal="J Sport Sci")
    # The Changes page as `make run` shows it: the demo's starting history, whose first rows
    # hold every field (review: at 375 px the demo's scrolled sideways, 390–498 px).
    record_starting_history()
    return SimpleNamespace(
        site=site,
        member=member,
        editor=editor,
        claim=claim,
        evidence=evidence,
        study=Study.objects.exclude(pk=long_doi.pk).first(),
        long_doi=long_doi,
    )


def version_path(world) -> str:
    """/claims/<slug>/v/1/, the page as published (issue 18, item 3), once the route exists."""
    path = f"/claims/{DEMO_CLAIM}/v/1/"
    try:
        resolve(path)
    except Resolver404:
        pytest.skip("no /claims/<slug>/v/<n>/ route yet")
    return path


CLAIM_PATH = f"/claims/{DEMO_CLAIM}/"
# (name, who, path or path(world), status): every page a reader, a member or an editor opens.
PAGES = [
    ("home", None, "/", 200),
    ("claim-list-filtered", None, "/claims/?type=causal&sort=newest", 200),
    ("search-with-studies", None, "/claims/?q=Refalo", 200),
    ("claim-anonymous", None, CLAIM_PATH, 200),
    ("claim-member", "member", CLAIM_PATH, 200),
    ("claim-scientific", None, f"{CLAIM_PATH}?wording=scientific", 200),
    ("claim-all-evidence", "member", f"{CLAIM_PATH}?evidence=supports", 200),
    ("claim-version", None, version_path, 200),
    ("history", None, f"{CLAIM_PATH}history/", 200),
    ("changes", None, f"{CLAIM_PATH}changes/", 200),
    ("discussion", "member", f"{CLAIM_PATH}discussion/", 200),
    ("study", None, lambda w: w.study.get_absolute_url(), 200),
    ("study-long-doi", None, lambda w: w.long_doi.get_absolute_url(), 200),
    ("about", None, "/about/", 200),
    ("about-scoring", None, "/about/scoring/", 200),
    ("privacy", None, "/privacy/", 200),
    ("terms", None, "/terms/", 200),
    ("login", None, "/accounts/login/", 200),
    ("signup", None, "/accounts/signup/", 200),
    ("password-reset", None, "/accounts/password_reset/", 200),
    ("my-contributions", "member", "/accounts/contributions/", 200),
    ("my-submissions", "member", "/accounts/submissions/", 200),
    ("following", "member", "/accounts/following/", 200),
    ("my-flags", "member", "/accounts/flags/", 200),
    ("my-suggestions", "member", "/accounts/suggestions/", 200),
    ("display-name", "member", "/accounts/display-name/", 200),
    ("email-change", "member", "/accounts/email/", 200),
    ("account-delete", "member", "/accounts/delete/", 200),
    ("submit", "member", f"{CLAIM_PATH}submit/", 200),
    ("flag", "member", lambda w: f"/flag/claim/{w.claim.pk}/", 200),
    ("suggestion", "member", lambda w: f"/suggest/claim/{w.claim.pk}/", 200),
    ("not-found", None, "/claims/no-such-claim/", 404),
    ("admin-index", "editor", "/admin/", 200),
    ("admin-queue", "editor", "/admin/queue/", 200),
    ("admin-claim-change", "editor", lambda w: f"/admin/claims/claim/{w.claim.pk}/change/", 200),
]
# Known failures, each with what fixes it; strict, so the fix makes the test fail until the
# entry goes. Django's breadcrumb links differ from their text by colour alone (axe's
# link-in-text-block); static/css/admin.css underlines them once the admin links it.
ADMIN_CSS = "admin breadcrumbs: link static/css/admin.css from templates/admin/base_site.html"
# (page, width) → why it is expected to fail; empty when every page passes.
KNOWN: dict[tuple[str, int], str] = {}


def cases():
    for name, who, path, status in PAGES:
        for width in WIDTHS:
            reason = KNOWN.get((name, width))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(name, who, path, status, width, id=f"{name}-{width}", marks=marks)


def open_as(browser, world, who: str | None, width: int):
    """A browser context at `width`, logged in as `who` through a session cookie (the login
    form has its own journey, tests/e2e/test_account_journey.py)."""
    context = browser.new_context(viewport=WIDTHS[width], is_mobile=width < 600)
    if who:
        client = Client()
        client.force_login(getattr(world, who), backend=settings.AUTHENTICATION_BACKENDS[-1])
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": world.site}]
        )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def csp_messages(page) -> list[str]:
    """The console's CSP complaints, gathered from now on."""
    found = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text) if any(word in message.text for word in CSP_WORDS) else None
        ),
    )
    return found


@pytest.mark.parametrize(("name", "who", "path", "status", "width"), list(cases()))
def test_every_page_type(browser, world, name, who, path, status, width):
    require()
    path = path(world) if callable(path) else path
    context, page = open_as(browser, world, who, width)
    try:
        refused = csp_messages(page)
        response = page.goto(f"{world.site}{path}")
        assert response.status == status, f"{path}: {response.status}"
        page.wait_for_load_state("load")
        violations = serious_violations(page)
        assert not violations, f"{name} at {width} px:\n" + "\n".join(map(str, violations))
        assert not refused, f"{name} at {width} px: {refused}"
        if width == 375:
            # Against 375 itself: a mobile browser zooms out to fit a page too wide, and then
            # window.innerWidth grows to the page's width (608 for a 600 px box), so
            # scrollWidth <= innerWidth alone would always hold.
            scroll, inner = page.evaluate(
                "[document.documentElement.scrollWidth, window.innerWidth]"
            )
            if scroll > width or inner > width:
                screenshot(page, f"overflow-{name}-375")
            assert max(scroll, inner) <= width, f"{name} scrolls sideways: {scroll} px wide"
    finally:
        context.close()


def test_htmx_swaps_on_the_claim_page_log_no_csp_error(browser, world):
    """htmx adds a <style> for its indicators unless told not to (base.html's htmx-config
    meta); the page's CSP refuses that inline style and the console says so on every swap."""
    require()
    context, page = open_as(browser, world, "member", 1280)
    try:
        refused = csp_messages(page)
        page.goto(f"{world.site}{CLAIM_PATH}")
        page.evaluate("window.__sameDocument = true")
        page.get_by_role("link", name="See the scientific wording").click()
        page.get_by_role("link", name="See the plain wording").wait_for()
        page.get_by_role("link", name="See the plain wording").click()
        page.get_by_role("link", name="See the scientific wording").wait_for()
        page.locator(".flag-link").last.get_by_role("link", name="Flag a problem").click()
        page.get_by_role("button", name="Send the flag").wait_for()
        assert page.evaluate("window.__sameDocument") is True  # all swapped by htmx
        assert page.evaluate("document.querySelectorAll('style').length") == 0
        assert not refused, refused
        assert not serious_violations(page)  # the swapped-in form too
    finally:
        context.close()
