"""Trust at a glance (issue 18, Deliver 1 and 2): "What this means for you" under the verdict
with the not-medical-advice notice; the claim's dates, who reviewed it with their credentials
and who it applies to; About, Privacy and Terms pages linked from every page; a legend of the
verdict scale and evidence levels linked to "How scores work"."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

import scoring
from accounts.models import Profile
from claims.models import Analysis, Claim, MechanismStep
from core.audit import audit_path
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db

NOTICE = "Not medical advice."


def page(client, claim) -> str:
    response = client.get(claim.get_absolute_url())
    assert response.status_code == 200
    return re.sub(r"</?bdi>", "", response.content.decode())


def section(html: str, css_class: str) -> str:
    """The element whose class list starts with `css_class`, up to the next section."""
    start = html.index(f'class="{css_class}')
    return html[start : html.index("</section>", start)]


# "What this means for you"


def test_it_shows_the_bottom_line_under_the_verdict_beside_the_notice(client):
    claim = make_claim(bottom_line="You **may** gain a little. We are *very uncertain*.")
    html = page(client, claim)
    bottom = section(html, "section bottom-line")
    assert "What this means for you" in bottom
    assert "You <strong>may</strong> gain a little." in bottom  # markdown, rendered
    assert NOTICE in bottom
    assert html.index('class="verdict-panel') < html.index('class="section bottom-line')


def test_it_renders_the_bottom_line_through_the_markdown_allow_list(client):
    claim = make_claim(bottom_line="Fine <script>alert(1)</script> text")
    html = page(client, claim)
    assert "<script>alert(1)" not in section(html, "section bottom-line")


def test_it_says_nothing_without_a_bottom_line(client):
    assert "What this means for you" not in page(client, make_claim())


def test_the_json_and_the_api_carry_the_bottom_line(client):
    claim = make_claim(bottom_line="Probably nothing changes for you.")
    for url in (f"/claims/{claim.slug}.json", f"/api/claims/{claim.slug}/"):
        assert client.get(url).json()["bottom_line"] == "Probably nothing changes for you."


def test_every_demo_claim_has_an_honest_bottom_line(demo, client):
    for claim in demo:
        assert claim.bottom_line, claim.slug
        if claim.certainty == "very_low":  # GRADE's words for very low certainty
            assert "very uncertain" in claim.bottom_line and "cannot tell" in claim.bottom_line
        assert claim.bottom_line.split(".")[0] in page(client, claim)


# Dates, reviewers, population


def dated(html: str, label: str) -> str:
    """What the page shows after one of its dates' labels."""
    return html.split(f"<dt>{label}</dt><dd>")[1].split("</dd>")[0]


def time_element(moment) -> str:
    moment = timezone.localtime(moment)
    stamp = timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M:%S%z")
    return f'<time datetime="{stamp}">{moment.day} {moment:%b %Y}</time>'


def test_it_dates_the_claim_from_its_analyses(client):
    claim = make_claim()
    now = timezone.now().replace(microsecond=0)
    first, latest = now - timedelta(days=400), now - timedelta(days=3)
    Analysis.objects.create(claim=claim, version=1, published_at=first)
    Analysis.objects.create(claim=claim, version=2, published_at=latest)
    claim = Claim.objects.get(pk=claim.pk)
    html = page(client, claim)
    assert dated(html, "First published") == time_element(first)
    assert dated(html, "Last reviewed") == time_element(latest)
    assert dated(html, "Last changed") == time_element(claim.last_changed_at)


def test_a_claim_without_an_analysis_dates_from_its_creation(client):
    created = timezone.now() - timedelta(days=30)
    claim = make_claim(created_at=created)
    html = page(client, claim)
    assert dated(html, "First published") == time_element(created)
    assert dated(html, "Last reviewed") == "not yet reviewed"


def appraised_by(editor) -> Claim:
    """A claim one of whose links `editor` appraised, in the audit trail (as the admin)."""
    claim = make_claim()
    with audit_path("admin", user=editor):
        link(claim, make_study(doi="10.1000/appraised"), appraised_by=editor)
    return claim


def test_an_editor_who_only_edited_is_not_named_as_reviewer(client, editor):
    Profile.objects.create(user=editor, display_name="Dr Quinn", credentials="MSc sports science")
    claim = make_claim()
    with audit_path("admin", user=editor):
        claim.summary = "Edited."
        claim.save()
    html = page(client, claim)
    assert "Edited by Dr Quinn, MSc sports science (editor)" in html
    assert "Reviewed by" not in html


def test_it_names_the_reviewers_with_their_credentials(client, editor):
    Profile.objects.create(user=editor, display_name="Dr Quinn", credentials="MSc sports science")
    claim = appraised_by(editor)
    html = page(client, claim)
    assert "Reviewed by Dr Quinn, MSc sports science" in html
    assert "Evidence appraised by Dr Quinn, MSc sports science (editor)" in html
    # Near the top: before the verdict.
    # Right under the verdict panel (the verdict and its certainty keep a phone's first
    # screen: tests/e2e/test_reader_journey.py), above the legend and the evidence.
    assert html.index('class="verdict-panel') < html.index("Reviewed by Dr Quinn")
    assert html.index("Reviewed by Dr Quinn") < html.index('<details class="legend"')


def test_new_credentials_move_the_page(client, editor):
    profile = Profile.objects.create(user=editor, display_name="Dr Quinn")
    claim = appraised_by(editor)
    assert "Reviewed by Dr Quinn · " in page(client, claim)  # cached now
    profile.credentials = "PhD exercise physiology"
    profile.save()
    assert "Reviewed by Dr Quinn, PhD exercise physiology" in page(client, claim)


def test_it_says_who_the_claim_applies_to_near_the_top(client):
    claim = make_claim(population="Resistance-trained adults")
    html = page(client, claim)
    assert "Who this applies to:</strong> Resistance-trained adults" in html
    # Right under the verdict panel (the verdict and its certainty keep a phone's first
    # screen: tests/e2e/test_reader_journey.py), above the legend and the evidence.
    assert html.index('class="verdict-panel') < html.index("Who this applies to")
    assert html.index("Who this applies to") < html.index('<details class="legend"')


# Credentials: the display-name page and the admin


def test_an_editor_sets_their_credentials_on_the_display_name_page(editor_client, editor):
    url = "/accounts/display-name/"
    assert 'name="credentials"' in editor_client.get(url).content.decode()
    posted = {"display_name": "Dr Quinn", "credentials": "  MSc   sports science "}
    assert editor_client.post(url, posted).status_code == 302
    assert Profile.objects.get(user=editor).credentials == "MSc sports science"


def test_too_long_credentials_are_a_form_error(editor_client, editor):
    response = editor_client.post(
        "/accounts/display-name/", {"display_name": "Dr Quinn", "credentials": "x" * 121}
    )
    assert response.status_code == 200
    assert "at most 120 characters" in response.content.decode()
    assert not Profile.objects.filter(user=editor, credentials__startswith="x").exists()


def test_a_member_is_not_asked_for_credentials(member_client, member):
    Profile.objects.create(user=member, display_name="Jo", credentials="kept")
    url = "/accounts/display-name/"
    assert 'name="credentials"' not in member_client.get(url).content.decode()
    member_client.post(url, {"display_name": "Jo Lifter", "credentials": "Fake MD"})
    assert Profile.objects.get(user=member).credentials == "kept"


def test_an_administrator_edits_credentials_in_the_admin(editor):
    profile = Profile.objects.create(user=editor, display_name="Dr Quinn")
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw-root-1")
    client = Client()
    client.force_login(admin)
    url = f"/admin/accounts/profile/{profile.pk}/change/"
    assert client.get(url).status_code == 200
    client.post(url, {"credentials": "MSc sports science", "display_name": "Hijacked"})
    profile.refresh_from_db()
    assert profile.credentials == "MSc sports science"
    assert profile.display_name == "Dr Quinn"  # changed on the member's own page only


def test_the_claim_admin_has_a_bottom_line_field(editor_client):
    claim = make_claim()
    html = editor_client.get(f"/admin/claims/claim/{claim.pk}/change/").content.decode()
    assert 'name="bottom_line"' in html and "What this means for you" in html


# About, Privacy, Terms, How scores work


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("/about/", ["About", "How scores work"]),
        (
            "/privacy/",
            [
                "email",
                "display name",
                "contributions",
                "django-axes",
                "session",
                "/accounts/delete/",
            ],
        ),
        ("/terms/", ["Terms of use", NOTICE]),
    ],
)
def test_it_serves_the_site_pages(client, url, words):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    for word in words:
        assert word in html, word
    assert client.post(url).status_code == 405


def test_the_privacy_page_reads_its_periods_from_the_settings(client, settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=42)
    settings.SESSION_COOKIE_AGE = 7 * 24 * 60 * 60
    html = client.get("/privacy/").content.decode()
    assert "for 42 minutes" in html and "it lasts 7 days" in html


def test_every_page_links_the_site_pages_in_the_footer_and_scoring_in_the_nav(client):
    html = client.get("/").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    for href in ("/about/", "/about/scoring/", "/privacy/", "/terms/"):
        assert f'href="{href}"' in footer, href
    nav = html[html.index('<nav class="site-nav"') : html.index("</nav>")]
    assert 'href="/about/scoring/"' in nav and "How scores work" in nav


def test_the_sign_up_page_links_privacy_and_terms(client):
    html = client.get("/accounts/signup/").content.decode()
    assert 'href="/privacy/"' in html and 'href="/terms/"' in html


# The legend


def test_the_claim_page_explains_the_verdict_scale_and_levels(client):
    html = page(client, make_claim())
    legend = html[html.index('<details class="legend"') : html.index("</details>")]
    for name in scoring.VERDICTS:
        assert f"<dt>{name}</dt>" in legend, name
    for level in (MechanismStep.VERIFIED, MechanismStep.SUPPORTED, MechanismStep.PLAUSIBLE):
        assert f"<dt>{level}</dt>" in legend, level
    for certainty in ("High", "Moderate", "Low", "Very low"):
        assert f"<dt>{certainty}</dt>" in legend
    assert 'href="/about/scoring/"' in legend
