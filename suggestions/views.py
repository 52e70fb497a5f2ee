"""Members suggest edits to a claim's wording, a study's description or a link's finding."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from core.limits import RateLimitExceeded

from .contributions import contributions
from .forms import SuggestionForm
from .models import Suggestion
from .services import SuggestionError, suggestion_create, suggestion_withdraw
from .targets import describe, is_open_to_members, model_for, page_url

SUGGESTED_MESSAGE = "Thanks — an editor will review your suggested edit."
WITHDRAWN_MESSAGE = "Withdrawn: an editor will not review it. It stays on your list."
FORM_PARTIAL = "suggestions/_suggest_form.html#suggest-form"
SUCCESS_PARTIAL = "suggestions/_suggest_form.html#suggest-success"


def _target_or_404(target_type: str, pk: int):
    """The claim, study or link a member may suggest an edit to; 404 for anything else (a
    draft claim, an unapproved link, a junk type or id)."""
    model = model_for(target_type)
    target = model.objects.filter(pk=pk).first() if model is not None else None
    if target is None or not is_open_to_members(target):
        raise Http404("Nothing to suggest an edit to here.")
    return target


def _render_form(request, target, form, status: int = 200) -> HttpResponse:
    form.focus_first_error()
    context = {
        "target": target,
        "target_name": describe(target),
        "back_url": page_url(target),
        "form": form,
        "action": request.path,
    }
    template = FORM_PARTIAL if request.htmx else "suggestions/suggest.html"
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
@login_required
def suggestion_new(request: HttpRequest, target_type: str, pk: int) -> HttpResponse:
    target = _target_or_404(target_type, pk)
    if request.method == "GET":
        return _render_form(request, target, SuggestionForm(target=target))

    form = SuggestionForm(request.POST, target=target)
    if not form.is_valid():
        return _render_form(request, target, form)
    try:
        suggestion = suggestion_create(
            user=request.user,
            target=target,
            proposed=form.proposed(),
            rationale=form.cleaned_data["rationale"],
            seen=form.seen(),
        )
    except RateLimitExceeded as error:
        form.add_error(None, error)
        # htmx swaps only 2xx answers: the inline form gets its message with a 200.
        return _render_form(request, target, form, status=200 if request.htmx else 429)
    except ValidationError as error:
        form.add_error(None, error)
        return _render_form(request, target, form)
    if request.htmx:
        context = {"suggestion": suggestion, "back_url": page_url(target)}
        return render(request, SUCCESS_PARTIAL, context)
    messages.success(request, SUGGESTED_MESSAGE)
    return redirect(page_url(target))


@require_safe
@login_required
def my_suggestions(request: HttpRequest) -> HttpResponse:
    """Until "My contributions" includes it: the member's suggestions on a page of their own."""
    return render(request, "suggestions/my_suggestions.html", contributions(request.user))


@require_POST
@login_required
def suggestion_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The member takes back their own pending suggestion (someone else's is a 404), then goes
    back to the list they came from."""
    suggestion = get_object_or_404(Suggestion, pk=pk, suggested_by=request.user)
    try:
        suggestion_withdraw(suggestion=suggestion, user=request.user)
    except SuggestionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, WITHDRAWN_MESSAGE)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("my-suggestions")
    return redirect(back)
