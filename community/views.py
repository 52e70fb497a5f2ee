"""Members submit studies for a claim and follow what became of them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe
from django.views.decorators.vary import vary_on_headers

from claims.models import Claim

from .forms import SubmissionForm
from .services import RateLimitExceeded, submission_create

SUBMITTED_MESSAGE = "Thanks — an editor will review your submission."
SUBMISSIONS_PER_PAGE = 50
FORM_PARTIAL = "community/_submit_form.html#submit-form"
SUCCESS_PARTIAL = "community/_submit_form.html#submit-success"


def _render_form(
    request: HttpRequest, claim: Claim, form: SubmissionForm, status: int = 200
) -> HttpResponse:
    template = FORM_PARTIAL if request.htmx else "community/submit.html"
    return render(request, template, {"claim": claim, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
@login_required
def submit_study(request: HttpRequest, slug: str) -> HttpResponse:
    claim = get_object_or_404(Claim.objects.published(), slug=slug)
    if request.method == "GET":
        return _render_form(request, claim, SubmissionForm())

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
def my_submissions(request: HttpRequest) -> HttpResponse:
    submissions = request.user.submissions.select_related("claim", "study").order_by(
        "-created_at", "-pk"
    )
    page = Paginator(submissions, SUBMISSIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "community/my_submissions.html", {"page": page})
