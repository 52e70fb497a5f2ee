"""Following a claim: follow and unfollow, what moved since a follower was last told, and the
signed unsubscribe token. Mail itself is community.follow_mail; the queue, community.tasks."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from claims.models import Claim
from claims.services import approved_evidence, claim_scorecard, pooled_in_by_study
from scoring import CERTAINTY_LABELS
from studies.models import Study

from .models import Follow, FollowDelivery, FollowSettings

UNSUBSCRIBE_SALT = "community.follow.unsubscribe"
# A link in an old email stops working after this; newer emails carry fresh ones.
UNSUBSCRIBE_MAX_AGE = 90 * 24 * 60 * 60
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class ClaimNow:
    """What a follower is told of a claim: its verdict, certainty and the studies it counts."""

    verdict: str
    certainty: str
    study_ids: frozenset[int]


def claims_now(claims) -> dict[int, ClaimNow]:
    """claim id -> ClaimNow, three queries however many claims (the counted studies come from
    the live scorecard, which equals the stored verdict after every write)."""
    claims = list(claims)
    by_claim = defaultdict(list)
    for evidence in approved_evidence([claim.pk for claim in claims]):
        by_claim[evidence.claim_id].append(evidence)
    pooled = pooled_in_by_study({e.study_id for es in by_claim.values() for e in es})
    states = {}
    for claim in claims:
        evidence = by_claim[claim.pk]
        counted = {
            c.key for c in claim_scorecard(claim, evidence, pooled).contributions if c.counted
        }
        states[claim.pk] = ClaimNow(
            claim.verdict,
            claim.certainty,
            frozenset(e.study_id for e in evidence if e.pk in counted),
        )
    return states


def _certainty_words(level: str) -> str:
    return CERTAINTY_LABELS[level].lower() if level else "none (no study counts)"


def _study_words(study: Study) -> str:
    name = study.short_citation or study.title
    return f"{name} ({study.doi_url})" if study.doi else name


@dataclass
class FollowNews:
    """What moved on one followed claim since its follower was last told, in plain words."""

    follow: Follow
    now: ClaimNow
    verdict: tuple[str, str] | None = None
    certainty: tuple[str, str] | None = None
    added: list[Study] = field(default_factory=list)
    removed: list[Study] = field(default_factory=list)
    retracted: list[Study] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.verdict or self.certainty or self.added or self.removed or self.retracted)

    @property
    def lines(self) -> list[str]:
        lines = []
        if self.verdict:
            lines.append(f"Verdict: {self.verdict[0] or 'none'} → {self.verdict[1]}")
        if self.certainty:
            before, after = (_certainty_words(level) for level in self.certainty)
            lines.append(f"Certainty: {before} → {after}")
        lines += [f"Retracted, so no longer counted: {_study_words(s)}" for s in self.retracted]
        lines += [f"Study added to the count: {_study_words(s)}" for s in self.added]
        lines += [f"Study no longer counted: {_study_words(s)}" for s in self.removed]
        return lines


def news_for(follows, states: dict[int, ClaimNow]) -> list[FollowNews]:
    """The news of each follow that has any (one query for the studies named)."""
    pending = []
    for follow in follows:
        now, seen = states[follow.claim_id], frozenset(follow.notified_study_ids)
        pending.append((follow, now, now.study_ids - seen, seen - now.study_ids))
    ids = {i for _, _, added, removed in pending for i in added | removed}
    studies = Study.objects.in_bulk(ids) if ids else {}
    found = []
    for follow, now, added, removed in pending:
        news = FollowNews(follow, now)
        if follow.notified_verdict != now.verdict:
            news.verdict = (follow.notified_verdict, now.verdict)
        if follow.notified_certainty != now.certainty:
            news.certainty = (follow.notified_certainty, now.certainty)
        news.added = [studies[i] for i in sorted(added) if i in studies]
        for study in (studies[i] for i in sorted(removed) if i in studies):
            (news.retracted if study.is_retracted else news.removed).append(study)
        if news:
            found.append(news)
    return found


def mark_told(follow: Follow, now: ClaimNow) -> None:
    follow.notified_verdict, follow.notified_certainty = now.verdict, now.certainty
    follow.notified_study_ids = sorted(now.study_ids)
    follow.notified_at = timezone.now()
    follow.save(
        update_fields=[
            "notified_verdict",
            "notified_certainty",
            "notified_study_ids",
            "notified_at",
        ]
    )


def follow_claim(*, user, claim: Claim) -> Follow:
    """Follow a claim (again: nothing changes); the follower starts from the claim as it is."""
    existing = Follow.objects.filter(user=user, claim=claim).first()
    if existing is not None:
        return existing
    now = claims_now([claim])[claim.pk]
    follow = Follow(
        user=user,
        claim=claim,
        notified_verdict=now.verdict,
        notified_certainty=now.certainty,
        notified_study_ids=sorted(now.study_ids),
    )
    try:
        with transaction.atomic():
            follow.save()
    except IntegrityError:  # a double click raced this one
        return Follow.objects.get(user=user, claim=claim)
    return follow


def unfollow_claim(*, user, claim: Claim) -> bool:
    deleted, _ = Follow.objects.filter(user=user, claim=claim).delete()
    return bool(deleted)


def delivery_of(user) -> str:
    settings_row = FollowSettings.objects.filter(user=user).first()
    return settings_row.delivery if settings_row else FollowDelivery.EACH_CHANGE


def _microseconds(moment) -> int:
    return (moment - EPOCH) // timedelta(microseconds=1)


def unsubscribe_token(follow: Follow) -> str:
    """A signed, timestamped token naming one follow by its member, claim and creation time:
    the signature is the credential (the ids in it are no secret), and since the creation time
    is in it, a token dies when the follow is deleted, even if the member follows again."""
    value = [follow.user_id, follow.claim_id, _microseconds(follow.created_at)]
    return signing.dumps(value, salt=UNSUBSCRIBE_SALT, compress=True)


@dataclass(frozen=True)
class TokenFollow:
    """What a token names: the follow (None when it is gone or was re-created), its member and
    claim; `earlier` when the member follows the claim again since the token was made."""

    follow: Follow | None
    user_id: int
    claim_id: int
    earlier: bool = False


def follow_of_token(token: str) -> TokenFollow:
    """The follow a token names; raises signing.BadSignature (SignatureExpired too)."""
    value = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    if not (isinstance(value, list) and len(value) == 3 and all(type(v) is int for v in value)):
        raise signing.BadSignature("Not an unsubscribe token.")
    user_id, claim_id, created = value
    named = Follow.objects.filter(user_id=user_id, claim_id=claim_id).first()
    if named is not None and _microseconds(named.created_at) == created:
        return TokenFollow(named, user_id, claim_id)
    return TokenFollow(None, user_id, claim_id, earlier=named is not None)
