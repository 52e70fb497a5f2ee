"""Members submit studies for a claim and follow what became of them (My contributions)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe
from django.views.decorators.vary import vary_on_headers

from claims.models import Claim
from core.limits import RateLimitExceeded
from discussion.contributions import contributions as comment_contributions
from flags.contributions import contributions as flag_contributions
from suggestions.contributions import contributions as suggestion_contributions

from .forms import SubmissionForm
from .services import submission_create

SUBMITTED_MESSAGE = "Thanks — an editor will review your submission."
SUBMISSIONS_PER_PAGE = 50
# The other apps' sections of My contributions: each `contributions(user)` gives the context
# of its templates/<app>/_my_contributions.html.
CONTRIBUTION_SECTIONS = (flag_contributions, suggestion_contributions, comment_contributions)
FORM_PARTIAL = "community/_submit_form.html#submit-form"
SUCCESS_PARTIAL = "community/_submit_form.html#submit-success"


def _render_form(
    request: HttpRequest, claim: Claim, form: SubmissionForm, status: int = 200
) -> HttpResponse:
    form.focus()
    template = FORM_PARTIAL if request.htmx else "community/submit.html"
    return render(request, template, {"claim": claim, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
@login_required
def submit_study(request: HttpRequest, slug: str) -> HttpResponse:
    claim = get_object_or_404(Claim.objects.published(), slug=slug)
    if request.method == "GET":
        return _render_form(request, claim, SubmissionForm.for_stance(request.GET.get("stance")))

    form = SubmissionForm(request.POST)
    if not form.is_valid():
        return _render_form(request, claim, form)
    try:
        submission = submission_create(claim=claim, user=request.user, **form.cleaned_data)
    except RateLimitExceeded as error:
        form.add_error(None, error)
        # htmx swaps only 2xx answers (and the CSP forbids an inline handler to change that),
        # so the inline form gets its message with a 200; a plain page says 429.
        return _render_form(request, claim, form, status=200 if request.htmx else 429)
    except ValidationError as error:
        form.add_error(None, error)
        return _render_form(request, claim, form)
    if request.htmx:
        return render(request, SUCCESS_PARTIAL, {"claim": claim, "submission": submission})
    messages.success(request, SUBMITTED_MESSAGE)
    return redirect("my-submissions")


@require_safe
@login_required
def my_contributions(request: HttpRequest) -> HttpResponse:
    """Everything the member gave the site, Status first on each card: their submissions (a
    page of them), the claims they follow, and the flags, suggestions and comments of the
    apps that keep them (each app's `contributions(user)` and its partial)."""
    return _contributions(request, sections=CONTRIBUTION_SECTIONS, everything=True)


@require_safe
@login_required
def my_submissions(request: HttpRequest) -> HttpResponse:
    """The page's old address, where links in mails and bookmarks point: My contributions
    with the submissions and follows only."""
    return _contributions(request, sections=(), everything=False)


def _contributions(request: HttpRequest, *, sections, everything: bool) -> HttpResponse:
    user = request.user
    submissions = (
        user.submissions.select_related("claim", "study")
        .defer("claim__search_vector")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(submissions, SUBMISSIONS_PER_PAGE).get_page(request.GET.get("page"))
    follows = user.follows.select_related("claim").defer("claim__search_vector")
    context = {
        "page": page,
        "follows": follows,
        "everything": everything,
    }
    for contributions in sections:
        context.update(contributions(user))
    return render(request, "community/my_submissions.html", context)
