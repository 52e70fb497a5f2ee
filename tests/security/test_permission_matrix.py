"""Every named URL × {anonymous, member, editor, superuser} × {GET, POST} → expected status.

The URLs come from the URLconf itself, so a new URL without a MATRIX entry fails
test_it_has_a_matrix_entry_for_every_url (naming it). Admin URLs are Django's own and are
checked through two representatives: the index and the claim changelist.

POSTs carry no data: they show who may reach the handler (a login-required form answers
the login redirect to anonymous readers, a GET-only page answers 405), not what a valid form
does; the feature tests cover that. CSRF is off here (tests/security/test_hostile_input.py
checks it).
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from studies.models import Study

ROLES = ("anonymous", "member", "editor", "superuser")
METHODS = ("GET", "POST")
ADMIN_REPRESENTATIVES = ("admin:index", "admin:claims_claim_changelist")


def same(get: int, post: int) -> dict:
    """The same answer for every role."""
    return {role: {"GET": get, "POST": post} for role in ROLES}


def per_role(anonymous: tuple, member: tuple, editor: tuple, superuser: tuple) -> dict:
    rows = zip(ROLES, (anonymous, member, editor, superuser), strict=True)
    return {role: dict(zip(METHODS, statuses, strict=True)) for role, statuses in rows}


PUBLIC_PAGE = same(200, 405)  # read-only pages: anyone may GET, nobody may POST
LOGIN = 302  # to the login page
# Pages for signed-in users only (a GET shows it, an empty POST re-shows the form).
MEMBERS_FORM = per_role((LOGIN, LOGIN), (200, 200), (200, 200), (200, 200))
# @require_GET runs before @login_required, so an anonymous POST is 405 too.
MEMBERS_PAGE = per_role((LOGIN, 405), (200, 405), (200, 405), (200, 405))
# Pages for signed-out visitors: a signed-in user is sent on (302).
SIGNED_OUT_FORM = per_role((200, 200), (302, 302), (302, 302), (302, 302))
# Admin: the index and changelists are for staff; others go to the admin login (302).
ADMIN_PAGE = per_role((LOGIN, LOGIN), (LOGIN, LOGIN), (200, 200), (200, 200))

MATRIX: dict[str, dict] = {
    # Reading
    "home": PUBLIC_PAGE,
    "healthz": PUBLIC_PAGE,
    "about-scoring": PUBLIC_PAGE,
    "about": PUBLIC_PAGE,
    "privacy": PUBLIC_PAGE,
    "terms": PUBLIC_PAGE,
    "claim-list": PUBLIC_PAGE,
    "claim-detail": PUBLIC_PAGE,
    "claim-json": PUBLIC_PAGE,
    "claim-history": PUBLIC_PAGE,
    "claim-changes": PUBLIC_PAGE,
    "claim-feed": PUBLIC_PAGE,
    "claim-export": PUBLIC_PAGE,
    "claim-version": PUBLIC_PAGE,  # /claims/<slug>/v/<n>/: a version as published
    "claim-version-cite": PUBLIC_PAGE,
    "study-detail": PUBLIC_PAGE,
    "study-link": PUBLIC_PAGE,  # /studies/<doi> without the slash (what pages link to)
    "robots-txt": PUBLIC_PAGE,
    "security-txt": PUBLIC_PAGE,
    "favicon": PUBLIC_PAGE,  # a real icon (config/site_files.py)
    "study-detail-by-id": PUBLIC_PAGE,
    # Django's stock feed and sitemap views answer any method with the same read-only page.
    "feed-claims": PUBLIC_PAGE,
    "sitemap": same(200, 200),
    "sitemap-section": same(200, 200),
    # The read-only JSON API
    "api-index": PUBLIC_PAGE,
    "api-claims": PUBLIC_PAGE,
    "api-claim": PUBLIC_PAGE,
    "api-studies": PUBLIC_PAGE,
    "api-study": PUBLIC_PAGE,
    "api-study-by-id": PUBLIC_PAGE,
    "api-schema": PUBLIC_PAGE,
    "api-not-found": same(404, 405),  # every other /api/ path: JSON errors
    "api-dumps": PUBLIC_PAGE,
    "api-dump-latest": same(404, 405),  # no dump written in the test database
    "api-dump-file": same(404, 405),
    # Members
    "claim-submit": MEMBERS_FORM,
    "my-submissions": MEMBERS_PAGE,
    "my-contributions": MEMBERS_PAGE,
    # A member's own account (an empty POST re-shows the form with its errors).
    "account-display-name": MEMBERS_FORM,
    "account-email": MEMBERS_FORM,
    "account-delete": MEMBERS_FORM,
    # The link mailed to a new address: no login, the signed token decides (the sample isn't).
    "account-email-confirm": same(400, 400),
    # Flags: a study's flag form (an empty POST re-shows it with errors); the member's flags.
    "flag-new": MEMBERS_FORM,
    "my-flags": MEMBERS_PAGE,
    # Following a claim: an empty POST follows and goes back (302); unfollow is POST only.
    "claim-follow": per_role((LOGIN, LOGIN), (200, 302), (200, 302), (200, 302)),
    "claim-unfollow": per_role((405, LOGIN), (405, 302), (405, 302), (405, 302)),
    "following": MEMBERS_FORM,
    # The editors' one queue: staff only (admin login otherwise), GET only.
    "admin-queue": per_role((LOGIN, LOGIN), (LOGIN, LOGIN), (200, 405), (200, 405)),
    # Discussion: anyone reads the thread; members post (an empty POST re-shows the form).
    "claim-discussion": PUBLIC_PAGE,
    "comment-post": per_role((405, LOGIN), (405, 200), (405, 200), (405, 200)),
    # Suggested edits: the form (an empty POST re-shows it with errors), the member's own list.
    "suggestion-new": MEMBERS_FORM,
    "my-suggestions": MEMBERS_PAGE,
    # POST only (405 before the login check); a member's own suggestion only: none here (404).
    "suggestion-withdraw": per_role((405, LOGIN), (405, 404), (405, 404), (405, 404)),
    # No login: the signed token decides, and the sample token is not one.
    "unsubscribe": same(400, 400),
    # Accounts
    "signup": SIGNED_OUT_FORM,
    "login": same(200, 200),
    "logout": same(405, 302),  # POST only (Django 5): logs out and goes home
    "password_change": MEMBERS_FORM,
    "password_change_done": per_role((LOGIN, LOGIN), (200, 405), (200, 405), (200, 405)),
    "password_reset": same(200, 200),
    "password_reset_done": PUBLIC_PAGE,
    "password_reset_confirm": same(200, 200),  # a bad token shows "invalid link"
    "password_reset_complete": PUBLIC_PAGE,
    # Editors
    "admin:index": ADMIN_PAGE,
    "admin:claims_claim_changelist": ADMIN_PAGE,
}


def url_names(resolver=None, namespace: str = "") -> list[tuple[str, list[str]]]:
    """(name, kwarg names) of every named pattern, admin reduced to its representatives."""
    found = []
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            if inner == "admin":
                found += [(name, []) for name in ADMIN_REPRESENTATIVES]
                continue
            prefix = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            found += url_names(pattern, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            kwargs = list(pattern.pattern.regex.groupindex)
            found.append((name, kwargs))
    return found


# Where one URL needs another value than the shared sample (cite files are .bib or .ris).
SAMPLE_OVERRIDES = {"claim-version-cite": {"fmt": "bib"}}


def sample_kwargs(names: list[str]) -> dict[str, str | int]:
    """Values from the demo fixture for each URL parameter."""
    study = Study.objects.exclude(doi__isnull=True).exclude(doi="").order_by("pk").first()
    samples = {
        "slug": "rir-training-matches-failure-volume-and-growth",
        "pk": study.pk,
        "doi": study.doi,
        "fmt": "csv",
        "uidb64": "MQ",
        "token": "not-a-token",
        "section": "claims",
        "target_type": "study",  # with "pk": the sample study (suggestion-new)
        "path": "nope/",
        "date": "2026-12-01",  # api-dump-file: no such dump
        "name": "claims.jsonl",  # api-not-found: a path under /api/ that is no endpoint
        "n": 1,  # claim-version: the demo claims' first version
    }
    missing = [name for name in names if name not in samples]
    assert not missing, f"add a sample value for URL parameter(s) {missing} in sample_kwargs"
    return {name: samples[name] for name in names}


def test_it_has_a_matrix_entry_for_every_url():
    missing = sorted({name for name, _ in url_names()} - set(MATRIX))
    assert not missing, (
        f"URL(s) without a permission-matrix entry: {', '.join(missing)}. "
        "Add them to MATRIX in tests/security/test_permission_matrix.py."
    )


def test_it_has_no_stale_matrix_entries():
    stale = sorted(set(MATRIX) - {name for name, _ in url_names()})
    assert not stale, f"MATRIX entries for URLs that no longer exist: {', '.join(stale)}"


@pytest.fixture
def users(django_user_model, member, editor):
    superuser = get_user_model().objects.create_superuser("root", "root@example.org", "pw-root-1")
    return {"anonymous": None, "member": member, "editor": editor, "superuser": superuser}


def test_it_answers_each_url_role_and_method_as_the_matrix_says(demo, users, client):
    assert demo.filter(
        slug="rir-training-matches-failure-volume-and-growth", status="published"
    ).exists()
    wrong = []
    for name, params in url_names():
        if name not in MATRIX:
            continue
        url = reverse(name, kwargs={**sample_kwargs(params), **SAMPLE_OVERRIDES.get(name, {})})
        for role, user in users.items():
            for method in METHODS:
                client.logout()
                if user is not None:
                    client.force_login(user)
                response = getattr(client, method.lower())(url)
                expected = MATRIX[name][role][method]
                if response.status_code != expected:
                    wrong.append(
                        f"{method} {url} as {role}: {response.status_code}, expected {expected}"
                    )
    assert not wrong, "\n".join(wrong)
