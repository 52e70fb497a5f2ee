"""Every page type is valid HTML by the Nu Html Checker (issue 17).

One test renders every kind of page (anonymous, member and editor views, forms with their
errors, error pages, and the htmx fragments wrapped in a minimal document) into a directory
and runs the checker once over all of them: Java's start-up is the slow part.
Without Java or node_modules/vnu-jar the test skips, unless REQUIRE_HTML_CHECKER=1 (CI).
"""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.tokens import default_token_generator
from django.template import loader
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from claims.models import Claim
from community.follows import follow_claim, unsubscribe_token
from config import middleware
from discussion.services import comment_post
from flags.services import flag_open
from studies.models import RetractionStatus
from suggestions.services import suggestion_create
from tests import html_checker
from tests.factories import link, make_claim, make_study, make_submission

# A SICI DOI: its "<" and ";" must be percent-encoded in every doi.org link (studies.doi_url).
SICI_DOI = "10.1002/(sici)1097-4636(199606)31:2<151::aid-jbm1>3.0.co;2-k"
HTMX = {"HTTP_HX_REQUEST": "true"}
FRAGMENT_PAGE = (
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
    "<title>htmx fragment</title></head><body>\n{}\n</body></html>\n"
)


@pytest.fixture
def checker():
    reason = html_checker.missing()
    if reason:
        if os.environ.get("REQUIRE_HTML_CHECKER") == "1":
            pytest.fail(f"REQUIRE_HTML_CHECKER=1 but the HTML checker cannot run: {reason}")
        pytest.skip(reason)
    return html_checker


@pytest.fixture
def site(demo, member, editor, settings):
    """The demo claims, plus what makes the rarer parts of pages show: a retracted study with
    a SICI DOI, a draft, a second page of claims, and a member's follow, submission, flag,
    suggestion and comments."""
    settings.CLAIMS_PER_PAGE = 2  # so /claims/ has a page 2
    claim = Claim.objects.published().order_by("pk").first()
    retracted = make_study(
        title="A retracted trial",
        doi=SICI_DOI,
        authors="Doe, Jane; Roe, Richard, Jr.",
        journal="J Biomed Mater Res",
        retraction_status=RetractionStatus.RETRACTED,
    )
    evidence = link(claim, retracted)
    draft = make_claim(slug="a-draft-claim", status=Claim.Status.DRAFT)
    link(draft, make_study(title="A draft's study", doi="10.1234/draft.1"))
    follow = follow_claim(user=member, claim=claim)
    make_submission(claim, member)
    flag_open(user=member, target=claim, reason="overstated", note="Too strong.")
    suggestion_create(
        user=member,
        target=claim,
        proposed={"plain_statement": "X may make Y go up."},
        rationale="Softer.",
    )
    top = comment_post(claim=claim, user=member, body=f"See doi:{SICI_DOI} and **this**.")
    comment_post(claim=claim, user=editor, body="A reply.", parent=top)
    claim.refresh_from_db()
    return {
        "claim": claim,
        "draft": draft,
        "study": retracted,
        "evidence": evidence,
        "comment": top,
        "follow": follow,
    }


def _get(client: Client, url: str, status: int = 200, **extra) -> str:
    response = client.get(url, follow=True, **extra)
    assert response.status_code == status, f"GET {url}: {response.status_code}"
    return response.content.decode()


def _post(client: Client, url: str, data: dict, status: int = 200, **extra) -> str:
    response = client.post(url, data, **extra)
    assert response.status_code == status, f"POST {url}: {response.status_code}"
    return response.content.decode()


def anonymous_pages(site) -> dict[str, str]:
    client = Client()
    claim, study = site["claim"], site["study"]
    url = claim.get_absolute_url()
    reset = reverse("password_reset")
    return {
        "home": _get(client, "/"),
        "claims": _get(client, "/claims/"),
        "claims-search": _get(client, "/claims/?q=failure"),
        "claims-filters": _get(client, "/claims/?type=causal&sort=newest&verdict=bogus"),
        "claims-page-2": _get(client, "/claims/?page=2"),
        "claims-no-results": _get(client, "/claims/?q=zzzzqqqq"),
        "claim-anonymous": _get(client, url),
        "claim-anonymous-evidence": _get(client, f"{url}?evidence=contradicts"),
        "claim-history": _get(client, reverse("claim-history", args=[claim.slug])),
        "claim-changes": _get(client, reverse("claim-changes", args=[claim.slug])),
        "claim-discussion": _get(client, reverse("claim-discussion", args=[claim.slug])),
        "study-by-doi": _get(client, reverse("study-detail", args=["10.14814/phy2.15679"])),
        "study-retracted-sici": _get(client, study.get_absolute_url()),
        "study-by-id": _get(client, reverse("study-detail-by-id", args=[study.pk])),
        "about-scoring": _get(client, "/about/scoring/"),
        "about": _get(client, reverse("about")),
        "privacy": _get(client, reverse("privacy")),
        "terms": _get(client, reverse("terms")),
        "login": _get(client, reverse("login")),
        "login-errors": _post(client, reverse("login"), {"username": "x", "password": "y"}),
        "signup": _get(client, reverse("signup")),
        "signup-errors": _post(client, reverse("signup"), {"username": "", "email": "bad"}),
        "password-reset": _get(client, reset),
        "password-reset-done": _get(client, reverse("password_reset_done")),
        "password-reset-bad-link": _get(
            client, reverse("password_reset_confirm", args=["MQ", "x"])
        ),
        "password-reset-complete": _get(client, reverse("password_reset_complete")),
        "email-confirm-bad-token": _get(
            client, reverse("account-email-confirm", args=["bad"]), status=400
        ),
        "unsubscribe": _get(
            client, reverse("unsubscribe", args=[unsubscribe_token(site["follow"])])
        ),
        "unsubscribe-bad-token": _get(client, reverse("unsubscribe", args=["bad"]), status=400),
        "404-missing-claim": _get(client, "/claims/no-such-claim/", status=404),
    }


def member_pages(site, member, member_client) -> dict[str, str]:
    client = member_client
    claim, study, evidence = site["claim"], site["study"], site["evidence"]
    url = claim.get_absolute_url()
    uid = urlsafe_base64_encode(force_bytes(member.pk))
    token = default_token_generator.make_token(member)
    submit = reverse("claim-submit", args=[claim.slug])
    flag = reverse("flag-new", args=["evidence", evidence.pk])
    suggest = reverse("suggestion-new", args=["claim", claim.pk])
    return {
        "claim-member": _get(client, url),
        "claim-member-scientific": _get(client, f"{url}?wording=scientific"),
        "claim-member-evidence": _get(client, f"{url}?evidence=supports"),
        "claim-member-evidence-all": _get(client, f"{url}?evidence=all&wording=scientific"),
        "claim-version-member": _get(client, reverse("claim-version", args=[claim.slug, 1])),
        "discussion-member-reply": _get(
            client, reverse("claim-discussion", args=[claim.slug]) + f"?reply={site['comment'].pk}"
        ),
        "discussion-member-errors": _post(
            client, reverse("comment-post", args=[claim.slug]), {"body": ""}
        ),
        "submit": _get(client, submit),
        "submit-errors": _post(client, submit, {"doi": "not a doi"}),
        "follow-page": _get(client, reverse("claim-follow", args=[claim.slug])),
        "following": _get(client, reverse("following")),
        "flag-evidence": _get(client, flag),
        "flag-errors": _post(client, flag, {"reason": ""}),
        "flag-study": _get(client, reverse("flag-new", args=["study", study.pk])),
        "flag-claim-already": _get(client, reverse("flag-new", args=["claim", claim.pk])),
        "suggest-claim": _get(client, suggest),
        "suggest-errors": _post(client, suggest, {"rationale": ""}),
        "suggest-study": _get(client, reverse("suggestion-new", args=["study", study.pk])),
        "my-contributions": _get(client, reverse("my-contributions")),
        "my-submissions": _get(client, reverse("my-submissions")),
        "my-flags": _get(client, reverse("my-flags")),
        "my-suggestions": _get(client, reverse("my-suggestions")),
        "email-change": _get(client, reverse("account-email")),
        "email-change-errors": _post(client, reverse("account-email"), {"email": "bad"}),
        "display-name": _get(client, reverse("account-display-name")),
        "account-delete": _get(client, reverse("account-delete")),
        "account-delete-errors": _post(client, reverse("account-delete"), {"password": "x"}),
        "password-change": _get(client, reverse("password_change")),
        "password-change-done": _get(client, reverse("password_change_done")),
        "password-reset-form": _get(client, reverse("password_reset_confirm", args=[uid, token])),
    }


def editor_pages(site, editor_client) -> dict[str, str]:
    draft = site["draft"]
    return {
        "claim-editor": _get(editor_client, site["claim"].get_absolute_url()),
        "claim-editor-draft": _get(editor_client, draft.get_absolute_url()),
        "claim-editor-draft-history": _get(
            editor_client, reverse("claim-history", args=[draft.slug])
        ),
        "admin-queue": _get(editor_client, reverse("admin-queue")),
    }


def htmx_fragments(site, member_client) -> dict[str, str]:
    """What htmx swaps into a page: each must be valid where it lands (here, in a body)."""
    client, anonymous = member_client, Client()
    claim, evidence = site["claim"], site["evidence"]
    url = claim.get_absolute_url()
    submit = reverse("claim-submit", args=[claim.slug])
    suggest = reverse("suggestion-new", args=["claim", claim.pk])
    flag = reverse("flag-new", args=["study", site["study"].pk])
    post = reverse("comment-post", args=[claim.slug])
    reply = reverse("claim-discussion", args=[claim.slug]) + f"?reply={site['comment'].pk}"
    follow = reverse("claim-follow", args=[claim.slug])
    fragments = {
        "claims-results": _get(anonymous, "/claims/?q=failure", **HTMX),
        "claim-statement": _get(anonymous, f"{url}?wording=scientific", **HTMX),
        "claim-evidence-list": _get(client, f"{url}?evidence=supports", **HTMX),
        "follow-button": _get(client, follow, **HTMX),
        "follow-posted": _post(client, follow, {}, **HTMX),
        "submit-form": _get(client, submit, **HTMX),
        "submit-form-errors": _post(client, submit, {"doi": "not a doi"}, **HTMX),
        "flag-form": _get(client, flag, **HTMX),
        "flag-form-errors": _post(client, flag, {"reason": ""}, **HTMX),
        "flag-already": _get(client, reverse("flag-new", args=["claim", claim.pk]), **HTMX),
        "flag-thanks": _post(client, flag, {"reason": "retracted"}, **HTMX),
        "suggest-form": _get(client, suggest, **HTMX),
        "suggest-form-errors": _post(client, suggest, {"rationale": ""}, **HTMX),
        "reply-form": _get(client, reply, **HTMX),
        "comment-form-errors": _post(client, post, {"body": ""}, **HTMX),
        "comment-posted": _post(client, post, {"body": "Fine."}, **HTMX),
        "reply-posted": _post(
            client, post, {"body": "Agreed.", "parent": site["comment"].pk}, **HTMX
        ),
        "suggest-success": _post(
            client,
            reverse("suggestion-new", args=["evidence", evidence.pk]),
            {"finding": "A new finding.", "rationale": "Clearer."},
            **HTMX,
        ),
    }
    # A reply's answer is its whole thread, an <li> that replaces the one in <ol id="threads">.
    fragments["reply-posted"] = f'<ol class="threads">{fragments["reply-posted"]}</ol>'
    return {name: FRAGMENT_PAGE.format(html) for name, html in fragments.items()}


def error_pages() -> dict[str, str]:
    """The error templates as their handlers render them (no request context for most)."""
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    return {
        "400": middleware.bad_request(request, Exception()).content.decode(),
        "403": loader.render_to_string("403.html", request=request),
        "403-csrf": middleware.csrf_failure(request).content.decode(),
        "500": middleware.server_error(request).content.decode(),
        "503": middleware.database_unavailable(request).content.decode(),
    }


def test_it_finds_no_html_error_on_any_page(
    checker, site, member, member_client, editor_client, tmp_path
):
    pages = {
        **anonymous_pages(site),
        **member_pages(site, member, member_client),
        **editor_pages(site, editor_client),
        **htmx_fragments(site, member_client),
        **error_pages(),
    }
    # The SICI DOI's doi.org link is on the pages checked (its "<" would be an error there).
    assert 'href="https://doi.org/10.1002/' in pages["study-retracted-sici"]
    for name, html in pages.items():
        Path(tmp_path, f"{name}.html").write_text(html, encoding="utf-8")

    found = checker.check_directory(tmp_path)

    errors = [f"{page}: {message}" for page, messages in found.items() for message in messages]
    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(errors)
    assert set(found) == {f"{name}.html" for name in pages}, "every page was checked"
