"""Following a claim: the button (loaded by htmx apart from the cached claim page, so no
member ever sees another's state), follow and unfollow, the following page, unsubscribe."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from claims.models import Claim

from .follows import follow_claim, follow_of_token, unfollow_claim
from .forms import FollowSettingsForm
from .models import Follow, FollowDelivery, FollowSettings

BUTTON_PARTIAL = "community/_follow_button.html#follow-button"
EARLIER_FOLLOW_REASON = (
    "This link is from an earlier follow of this claim, before you followed it again, so it "
    "no longer unsubscribes you. Use the link in a newer email."
)


def _published(slug: str) -> Claim:
    return get_object_or_404(Claim.objects.published().defer("search_vector"), slug=slug)


def _button(request: HttpRequest, claim: Claim) -> HttpResponse:
    following = Follow.objects.filter(user=request.user, claim=claim).exists()
    template = BUTTON_PARTIAL if request.htmx else "community/follow.html"
    # After a press the keyboard focus goes to the button swapped in (htmx honours autofocus
    # in swapped content); on the page's own load it stays where the reader is.
    focus = request.method == "POST" and bool(request.htmx)
    return render(request, template, {"claim": claim, "following": following, "focus": focus})


def _back(request: HttpRequest, claim: Claim):
    """Without JavaScript: back where the form was (a safe `next`: the claim page, or the
    following page), else the claim page."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(claim.get_absolute_url())


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
@never_cache
@login_required
def follow(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: the member's button (htmx) or a page with it; POST: follow."""
    claim = _published(slug)
    if request.method == "POST":
        follow_claim(user=request.user, claim=claim)
        if not request.htmx:
            messages.success(request, "You follow this claim.")
            return _back(request, claim)
    return _button(request, claim)


@require_POST
@vary_on_headers("HX-Request")
@never_cache
@login_required
def unfollow(request: HttpRequest, slug: str) -> HttpResponse:
    claim = _published(slug)
    unfollow_claim(user=request.user, claim=claim)
    if request.htmx:
        return _button(request, claim)
    messages.success(request, "You no longer follow this claim.")
    return _back(request, claim)


@require_http_methods(["GET", "POST"])
@never_cache
@login_required
def following(request: HttpRequest) -> HttpResponse:
    """What the member follows, each claim's verdict now, and how they want the news."""
    row = FollowSettings.objects.filter(user=request.user).first()
    delivery = row.delivery if row else FollowDelivery.EACH_CHANGE
    form = FollowSettingsForm(
        request.POST if request.method == "POST" else None, initial={"delivery": delivery}
    )
    if request.method == "POST" and form.is_valid():
        FollowSettings.objects.update_or_create(
            user=request.user, defaults={"delivery": form.cleaned_data["delivery"]}
        )
        messages.success(request, "Saved.")
        return redirect("following")
    follows = request.user.follows.select_related("claim").defer("claim__search_vector")
    return render(request, "community/following.html", {"follows": follows, "form": form})


# No CSRF check: a mail provider's one-click POST (RFC 8058) carries no cookie or token, and
# none is needed: the signed token in the URL is the whole credential, and whoever could forge
# such a POST would need the token, with which they could post themselves.
@csrf_exempt
@require_http_methods(["GET", "POST"])
@never_cache
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """No login: the signed token names the follow. GET asks (a link scanner opens links, so a
    GET removes nothing); POST removes: the page's button, or a mail client's one-click POST
    (body "List-Unsubscribe=One-Click")."""
    try:
        named = follow_of_token(token)
    except signing.SignatureExpired:
        return _bad_link(request, "This unsubscribe link has expired.")
    except signing.BadSignature:
        return _bad_link(request, "This unsubscribe link is not valid (it may be incomplete).")
    if named.earlier:
        return _bad_link(request, EARLIER_FOLLOW_REASON)
    follow = named.follow
    claim = follow.claim if follow else Claim.objects.filter(pk=named.claim_id).first()
    if claim is not None and claim.status != Claim.Status.PUBLISHED:
        claim = None  # a draft's wording is not for readers; the page says "this claim"
    done = follow is None
    if request.method == "POST" and follow is not None:
        follow.delete()
        done = True
    return render(request, "community/unsubscribe.html", {"claim": claim, "done": done})


def _bad_link(request: HttpRequest, reason: str) -> HttpResponse:
    return render(request, "community/unsubscribe_bad.html", {"reason": reason}, status=400)
