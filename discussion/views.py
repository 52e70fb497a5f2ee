"""A claim's discussion: the thread page (anyone reads, members post) and posting, with htmx
swapping the new comment in and a plain form and redirect without JavaScript."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import reswap, retarget

from claims.models import Claim
from core.limits import RateLimitExceeded

from .forms import CommentForm
from .models import Comment
from .rendering import attach_html
from .services import PARENT_ELSEWHERE, comment_post

THREADS_PER_PAGE = 20
POSTED_MESSAGE = "Your comment is posted."
PAGE = "discussion/thread.html"
PARTS = "discussion/_thread.html"
# comment_post's refusals of the parent: the form comes back without a reply slot, with a 400.
PARENT_REFUSALS = {"parent_elsewhere", "parent_hidden"}


def _published(slug: str) -> Claim:
    return get_object_or_404(Claim.objects.published().defer("search_vector"), slug=slug)


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _with_replies(threads):
    replies = Comment.objects.with_authors().order_by("created_at", "pk")
    return threads.with_authors().prefetch_related(Prefetch("replies", queryset=replies))


def _thread_page(request: HttpRequest, claim: Claim, number):
    """One page of threads, newest activity first, each with its replies and their HTML
    (the count, the threads, their replies, and the studies they mention: four queries)."""
    threads = _with_replies(Comment.objects.filter(claim=claim).threads())
    page = Paginator(threads, THREADS_PER_PAGE).get_page(number)
    attach_html([comment for top in page for comment in (top, *top.replies.all())])
    return page


def _one_thread(claim: Claim, top_id: int) -> Comment:
    top = _with_replies(Comment.objects.filter(claim=claim, pk=top_id)).get()
    attach_html([top, *top.replies.all()])
    return top


def _page(request, claim, *, form=None, reply_to=None, reply_form=None, status=200):
    context = {
        "claim": claim,
        "page": _thread_page(request, claim, request.GET.get("page")),
        "form": form or CommentForm(),
        "reply_to": reply_to,
        "reply_form": reply_form,
    }
    return render(request, PAGE, context, status=status)


@require_safe
@vary_on_headers("HX-Request")
def claim_discussion(request: HttpRequest, slug: str) -> HttpResponse:
    """The whole thread. `?reply=<pk>` opens a reply form under that comment's thread: htmx
    gets the form alone, a plain request the page with it open."""
    claim = _published(slug)
    reply_to = None
    asked = _int_or_none(request.GET.get("reply")) if request.user.is_authenticated else None
    if asked is not None:
        comment = (
            Comment.objects.filter(claim=claim, pk=asked, hidden=False)
            .exclude(parent__hidden=True)
            .only("pk", "parent")
            .first()
        )
        reply_to = comment.thread_id if comment else None  # none to a hidden thread
    reply_form = CommentForm(initial={"parent": reply_to}) if reply_to else None
    if request.htmx and reply_to:
        context = {"claim": claim, "reply_to": reply_to, "reply_form": reply_form}
        return render(request, f"{PARTS}#reply-form", context)
    return _page(request, claim, reply_to=reply_to, reply_form=reply_form)


@require_POST
@vary_on_headers("HX-Request")
@login_required
def post_comment(request: HttpRequest, slug: str) -> HttpResponse:
    claim = _published(slug)
    form = CommentForm(request.POST)
    form.is_valid()
    parent_id = form.cleaned_data.get("parent")
    parent = Comment.objects.filter(pk=parent_id).first() if parent_id else None
    # A parent that is not a comment (a tampered form): a clear error, the text kept, a 400.
    if "parent" in form.errors or (parent_id and parent is None):
        form.add_error(None, PARENT_ELSEWHERE)
        return _refused(request, claim, form, None, status=400)
    # The parent even when the body is refused: the form goes back to the reply's slot.
    if not form.is_valid():
        return _refused(request, claim, form, parent)
    try:
        comment = comment_post(
            claim=claim, user=request.user, body=form.cleaned_data["body"], parent=parent
        )
    except ValidationError as error:
        form.add_error(None, error)
        if isinstance(error, RateLimitExceeded):
            return _refused(request, claim, form, parent, status=429)
        if getattr(error, "code", None) in PARENT_REFUSALS:  # no reply form for this parent
            return _refused(request, claim, form, None, status=400)
        return _refused(request, claim, form, parent)
    return _posted(request, claim, comment)


def _posted(request: HttpRequest, claim: Claim, comment: Comment) -> HttpResponse:
    if not request.htmx:
        messages.success(request, POSTED_MESSAGE)
        url = reverse("claim-discussion", kwargs={"slug": claim.slug})
        return redirect(f"{url}#comment-{comment.pk}")
    thread = _one_thread(claim, comment.thread_id)
    context = {"claim": claim, "thread": thread, "form": CommentForm(), "posted": comment}
    context["thread_count"] = Comment.objects.filter(claim=claim, parent__isnull=True).count()
    if comment.parent_id:  # the reply form's slot asked; the thread, swapped whole, shows it
        response = render(request, f"{PARTS}#thread", context)
        return reswap(retarget(response, f"#thread-{thread.pk}"), "outerHTML")
    return render(request, f"{PARTS}#posted", context)


def _refused(request, claim, form, parent, status=200) -> HttpResponse:
    """The form again with its errors and everything typed. htmx swaps only 2xx answers, so
    an inline form gets its message with a 200; a plain page may say 429."""
    reply_to = parent.thread_id if parent is not None and parent.claim_id == claim.pk else None
    if request.htmx:
        if reply_to:
            context = {"claim": claim, "reply_to": reply_to, "reply_form": form}
            return render(request, f"{PARTS}#reply-form", context)
        return render(request, f"{PARTS}#post-form", {"claim": claim, "form": form})
    if reply_to:
        return _page(request, claim, reply_to=reply_to, reply_form=form, status=status)
    return _page(request, claim, form=form, status=status)
