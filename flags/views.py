"""A signed-in reader flags one item; their flags and what editors made of them."""

from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.views.decorators.http import require_http_methods, require_safe
from django.views.decorators.vary import vary_on_headers

from core.limits import RateLimitExceeded

from .contributions import contributions
from .forms import FlagForm
from .models import TARGET_TYPES, Flag, public_url, shown_publicly, target_short
from .services import flag_open

FLAGGED_MESSAGE = "Thanks — an editor will look at your flag. You can follow it on your flags page."
FORM_PARTIAL = "flags/_flag_form.html#flag-form"
THANKS_PARTIAL = "flags/_flag_form.html#flag-thanks"
ALREADY_PARTIAL = "flags/_flag_form.html#flag-already"
LARGEST_ID = 2**63 - 1  # a bigger one is no row, and SQLite could not even compare it


def target_or_404(target_type: str, pk: int):
    """The flaggable object a reader can see, or 404 (an unknown type, no such row, an
    unpublished claim's item, a pending evidence link)."""
    label = TARGET_TYPES.get(target_type)
    if label is None or pk > LARGEST_ID:
        raise Http404("Nothing to flag")
    try:
        model = apps.get_model(label)
    except LookupError:  # the app is not installed
        raise Http404("Nothing to flag") from None
    queryset = model._default_manager.all()
    if "claim" in {field.name for field in model._meta.get_fields()} and label != "claims.claim":
        queryset = queryset.select_related("claim")
    target = queryset.filter(pk=pk).first()
    if target is None or not shown_publicly(target):
        raise Http404("Nothing to flag")
    return target


def _login(request: HttpRequest) -> HttpResponse:
    """Anonymous readers log in first. An htmx request (the inline link) makes the browser go
    to the login page instead of swapping it into the claim page."""
    if request.htmx:
        login = resolve_url(settings.LOGIN_URL)
        url = f"{login}?{urlencode({'next': request.path})}"
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect_to_login(request.get_full_path())


def _render_form(request, target_type, target, form, status=200, open_flag=None):
    """The form (or, on GET, the reader's open flag on this item instead: they learn it
    before filling anything in)."""
    if form.is_bound:
        form.focus_first_error()
    context = {
        "form": form,
        "target_type": target_type,
        "target": target,
        "target_short": target_short(target),
        "target_url": public_url(target),
        "open_flag": open_flag,
    }
    if request.htmx:
        template = ALREADY_PARTIAL if open_flag else FORM_PARTIAL
    else:
        template = "flags/flag_new.html"
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def flag_new(request: HttpRequest, target_type: str, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return _login(request)
    target = target_or_404(target_type, pk)
    if request.method == "GET":
        mine = Flag.objects.open().for_target(target).filter(flagged_by=request.user)
        form = FlagForm(target_type=target_type)
        return _render_form(request, target_type, target, form, open_flag=mine.first())

    form = FlagForm(request.POST, target_type=target_type)
    if not form.is_valid():
        return _render_form(request, target_type, target, form)
    try:
        flag = flag_open(user=request.user, target=target, **form.cleaned_data)
    except RateLimitExceeded as error:
        form.add_error(None, error)
        # htmx swaps only 2xx answers, so the inline form gets its message with a 200.
        return _render_form(request, target_type, target, form, 200 if request.htmx else 429)
    except ValidationError as error:
        form.add_error(None, error)
        return _render_form(request, target_type, target, form)
    if request.htmx:
        context = {"flag": flag, "target_type": target_type, "target": target}
        return render(request, THANKS_PARTIAL, context)
    messages.success(request, FLAGGED_MESSAGE)
    return redirect(public_url(target))


@require_safe
@login_required
def my_flags(request: HttpRequest) -> HttpResponse:
    """Until the "My contributions" page includes the partial, the member's flags stand alone."""
    return render(request, "flags/my_flags.html", contributions(request.user))
