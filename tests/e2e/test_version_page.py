"""A version's permanent page and the claim page's "Cite this claim" block in a browser: axe
finds nothing serious, no CSP complaint, and on a phone nothing scrolls sideways (the BibTeX
and RIS blocks wrap)."""

import pytest
from django.conf import settings
from django.test import Client

from tests.e2e.axe import require, serious_violations
from tests.e2e.conftest import DEMO_CLAIM

VERSION = f"/claims/{DEMO_CLAIM}/v/1/"
CLAIM = f"/claims/{DEMO_CLAIM}/"


def as_member(browser, site, member, width):
    context = browser.new_context(viewport={"width": width, "height": 800}, is_mobile=width < 600)
    client = Client()
    client.force_login(member, backend=settings.AUTHENTICATION_BACKENDS[-1])
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": site}])
    return context


@pytest.mark.parametrize("path", [VERSION, CLAIM])
@pytest.mark.parametrize("width", [1280, 375])
def test_it_passes_axe_and_fits_a_phone(browser, site, member, path, width):
    require()
    context = as_member(browser, site, member, width)
    try:
        page = context.new_page()
        refused = []
        page.on("console", lambda m: refused.append(m.text) if "Refused" in m.text else None)
        assert page.goto(f"{site}{path}").status == 200
        assert page.get_by_role("heading", name="Cite this claim").is_visible()
        violations = serious_violations(page)
        assert not violations, "\n".join(map(str, violations))
        assert not refused
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, scroll
    finally:
        context.close()
