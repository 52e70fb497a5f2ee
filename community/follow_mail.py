"""Mail to followers: one email per change, or one daily digest. Each follower is locked while
they are told, and what they were told is recorded on their Follow (community.follows), so a
redelivered task or a second worker finds nothing new and sends nothing."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from claims.exports import one_line
from claims.models import Claim
from core.site import site_url

from .follows import claims_now, mark_told, news_for, unsubscribe_token
from .models import Follow, FollowDelivery, FollowSettings

# Links in mail need an origin without a request: SITE_URL, else the development server's.
DEVELOPMENT_ORIGIN = "http://localhost:8000"


def absolute(path: str) -> str:
    return site_url(None, path) if settings.SITE_URL else DEVELOPMENT_ORIGIN + path


def _entry(news) -> dict:
    follow = news.follow
    return {
        "claim": follow.claim,
        "claim_url": absolute(follow.claim.get_absolute_url()),
        "lines": news.lines,
        "unsubscribe_url": absolute(reverse("unsubscribe", args=[unsubscribe_token(follow)])),
    }


SUBJECT_WORDING_CHARS = 80


def header_text(text: str, limit: int = SUBJECT_WORDING_CHARS) -> str:
    """Text for a mail header: on one line (a header with a line break is refused, and would
    stop the mail), cut at a word with an ellipsis."""
    text = one_line(text)
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
    return cut.rstrip(" ,;:.") + "…"


def _send(user, subject: str, template: str, entries: list[dict]) -> None:
    body = render_to_string(
        template,
        {"user": user, "entries": entries, "following_url": absolute(reverse("following"))},
    )
    message = EmailMessage(subject, body, to=[user.email])
    if len(entries) == 1:  # RFC 2369: a mail client's own "unsubscribe" button
        url = entries[0]["unsubscribe_url"]
        message.extra_headers["List-Unsubscribe"] = f"<{url}>"
        if url.startswith("https://"):  # RFC 8058 one-click: a POST to an HTTPS URI only
            message.extra_headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.send()


def _followers(queryset):
    return queryset.filter(claim__status=Claim.Status.PUBLISHED).exclude(user__email="")


def mail_each_change(claim_id: int) -> int:
    """Tell each follower of the claim who wants every change what moved; how many mailed."""
    follow_ids = list(
        _followers(Follow.objects.filter(claim_id=claim_id))
        .exclude(user__follow_settings__delivery=FollowDelivery.DAILY_DIGEST)
        .values_list("pk", flat=True)
    )
    return sum(_mail_one(pk) for pk in follow_ids)


@transaction.atomic
def _mail_one(follow_id: int) -> bool:
    follow = (
        Follow.objects.select_for_update(of=("self",))
        .select_related("user", "claim")
        .filter(pk=follow_id)
        .first()
    )
    if follow is None:  # unfollowed meanwhile
        return False
    state = claims_now([follow.claim])
    news = news_for([follow], state)
    if not news:  # already told (a redelivered task), or the claim moved back
        return False
    subject = f"Claim update: {header_text(follow.claim.plain_statement)}"
    _send(follow.user, subject, "community/email/change.txt", [_entry(news[0])])
    mark_told(follow, state[follow.claim_id])
    return True


def mail_daily_digests() -> int:
    """One digest to each member who asked for one and has news since their last; how many."""
    user_ids = list(
        FollowSettings.objects.filter(delivery=FollowDelivery.DAILY_DIGEST).values_list(
            "user_id", flat=True
        )
    )
    return sum(_digest_one(user_id) for user_id in user_ids)


@transaction.atomic
def _digest_one(user_id: int) -> bool:
    row = (
        FollowSettings.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(user_id=user_id, delivery=FollowDelivery.DAILY_DIGEST)
        .first()
    )
    if row is None or not row.user.email:
        return False
    follows = list(_followers(row.user.follows.select_related("claim")).order_by("claim_id"))
    news = news_for(follows, claims_now([f.claim for f in follows]))
    row.digest_sent_at = timezone.now()
    row.save(update_fields=["digest_sent_at"])
    if not news:
        return False
    count = len(news)
    subject = f"{count} claim{'s' if count > 1 else ''} you follow changed"
    _send(row.user, subject, "community/email/digest.txt", [_entry(n) for n in news])
    for item in news:
        mark_told(item.follow, item.now)
    return True
