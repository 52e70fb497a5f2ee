"""The Content-Security-Policy: reader pages allow only the site's own scripts and styles; the
editors' admin also allows inline styles (Django 5.2's admin widgets add <style> elements), never
inline scripts."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/claims/", "/accounts/login/"])
def test_reader_pages_allow_only_the_sites_own_styles_and_scripts(client, path):
    policy = client.get(path)["Content-Security-Policy"]
    assert "style-src 'self';" in policy and "script-src 'self';" in policy
    assert "unsafe-inline" not in policy


def test_the_admin_allows_inline_styles_but_not_inline_scripts(editor_client):
    policy = editor_client.get("/admin/")["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert "script-src 'self';" in policy
