"""Claim page caching, and admin edit conflicts: receivers that follow every write.

Cached fragments and the cached scorecard are keyed on `Claim.cache_version`, which changes when
the claim is saved (`updated_at`) or touched (`content_changed_at`). The receivers below touch a
claim whenever something its page shows is written through the ORM: its evidence, a study it
links to or whose mechanisms cite, its analyses, mechanisms, steps and their citations, its ideal
studies and its submissions. A write to a row that an admin form re-saves through an inline
also bumps that form's `lock_version` (see connect_lock_versions); for a claim's evidence and
ideal studies, in the same UPDATE as the touch.

This is bookkeeping, not business logic. It lives in receivers because it has to follow every
write path (the admin's inlines and change pages, services, the shell), and only signals see
them all. Bulk writes that bypass signals (`QuerySet.update()`, `bulk_create`) must call
`Claim.objects.filter(...).touch()` themselves, as the admin's "Draft gold-standard studies"
action does.
"""

import dataclasses
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models import F, Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

import scoring

from .filters import forget_topics

# A day; keys change on every edit, so the timeout only bounds memory held by dead keys.
FRAGMENT_TIMEOUT = 24 * 60 * 60
# Other claims change without touching this one, so what shows them (related claims, and a
# whole cached page) is kept only this long.
RELATED_TIMEOUT = 5 * 60


def _claims():
    from .models import Claim

    return Claim.objects


def _touch(condition: Q, *, bump_lock: bool = False) -> None:
    _claims().filter(condition).touch(bump_lock=bump_lock)


def _by_claim_id(sender, instance, raw=False, **kwargs):
    if not raw:
        _touch(Q(pk=instance.claim_id))


def _by_claim_id_on_its_form(sender, instance, raw=False, **kwargs):
    """A row the claim's admin form shows as an inline: touch and bump the claim at once."""
    if not raw:
        _touch(Q(pk=instance.claim_id), bump_lock=True)


def _by_mechanism(sender, instance, raw=False, **kwargs):
    if not raw:
        _touch(Q(analyses__mechanisms=instance.pk))


def _by_step(sender, instance, raw=False, **kwargs):
    if not raw:
        _touch(Q(analyses__mechanisms__steps=instance.pk))


def _by_study(sender, instance, raw=False, **kwargs):
    if not raw:
        _touch(
            Q(evidence__study=instance.pk) | Q(analyses__mechanisms__steps__citations=instance.pk)
        )


def _by_citation(sender, instance, action, reverse, pk_set, **kwargs):
    if not reverse:  # step.citations.add(...): the step's claim
        if action.startswith("post_"):
            _touch(Q(analyses__mechanisms__steps=instance.pk))
    elif action in ("post_add", "post_remove"):  # study.cited_in_steps.add(step, ...)
        _touch(Q(analyses__mechanisms__steps__in=pk_set))
    elif action == "pre_clear":  # no pk_set for a clear: find the steps while rows remain
        _touch(Q(analyses__mechanisms__steps__citations=instance.pk))


def connect_invalidation() -> None:
    from .models import MechanismStep

    for model, receiver in (
        ("claims.Evidence", _by_claim_id_on_its_form),
        ("claims.IdealStudy", _by_claim_id_on_its_form),
        ("claims.Analysis", _by_claim_id),
        ("studies.Submission", _by_claim_id),
    ):
        post_save.connect(receiver, sender=model, dispatch_uid=f"touch-{model}-save")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"touch-{model}-delete")
    for model, receiver in (
        ("claims.Mechanism", _by_mechanism),
        ("claims.MechanismStep", _by_step),
        ("studies.Study", _by_study),
    ):
        post_save.connect(receiver, sender=model, dispatch_uid=f"touch-{model}-save")
        # Before the delete, while the rows that lead to the claim still exist.
        pre_delete.connect(receiver, sender=model, dispatch_uid=f"touch-{model}-delete")
    m2m_changed.connect(
        _by_citation, sender=MechanismStep.citations.through, dispatch_uid="touch-citations"
    )
    for signal in (post_save, post_delete):
        signal.connect(_forget_topics, sender="claims.Claim", dispatch_uid=f"topics-{signal}")
    connect_lock_versions()


def _forget_topics(sender, raw=False, **kwargs):
    forget_topics()


# Edit conflicts (claims.admin.LockVersionForm): the claim form's inlines re-save its evidence
# and ideal studies, the analysis form's its mechanisms (kind, rank and the two summaries), from
# what the editor loaded. A write to one of those rows by any other path bumps the parent's
# lock_version, so a form opened before it gets the conflict message instead of silently
# writing the old values back. The claim's bump rides on its touch above (one UPDATE); the
# analysis's is its own UPDATE of another table. Rows on neither form bump nothing: a member's
# submission, or a mechanism's steps (edited on the mechanism's page, which the analysis form
# never writes), so they never make an editor's form stale.


def _bump_analysis(sender, instance, raw=False, **kwargs):
    if not raw:
        _analyses().filter(pk=instance.analysis_id).update(lock_version=F("lock_version") + 1)


def _analyses():
    from .models import Analysis

    return Analysis.objects


def connect_lock_versions() -> None:
    post_save.connect(_bump_analysis, sender="claims.Mechanism", dispatch_uid="lock-mech-save")
    post_delete.connect(_bump_analysis, sender="claims.Mechanism", dispatch_uid="lock-mech-delete")


def claim_etag(claim, request, *, wording: str, evidence: str, fragment: str) -> str:
    """Everything a claim page response depends on, hashed: the claim's content version, who
    is asking (the header and the gate differ), the CSRF cookie when the page embeds a token
    (signed-in readers only), the wording, which evidence lists are shown whole, which partial
    the response is ("" for the whole page), the gate setting, and the origin of the page's
    absolute URLs (SITE_URL, else the requested scheme and host)."""
    from .presentation import site_url

    user = request.user
    parts = [
        site_url(request, ""),
        claim.cache_version,
        claim.status,
        str(user.pk) if user.is_authenticated else "anon",
        "staff" if user.is_staff else "",
        request.COOKIES.get(settings.CSRF_COOKIE_NAME, "") if user.is_authenticated else "",
        wording,
        evidence,
        fragment or "page",
        str(settings.FULL_VERDICT_REQUIRES_LOGIN),
        settings.CACHES["default"].get("KEY_PREFIX", ""),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


class ClaimPage:
    """What the claim page shows, computed on first use, so a cached fragment costs nothing.

    The small, request-independent part (scorecard, current analysis and whether it is out of
    date, evidence counts, pending submissions, wording warning) is kept in the cache under the
    claim's `cache_version`; the rest (evidence rows, sentences, related claims) is only
    computed when a `{% cache %}` fragment of claim_detail.html misses. Templates call the
    methods (Django calls callables), so nothing runs for a fragment that is served from the
    cache.
    """

    def __init__(self, claim):
        self.claim = claim
        self._memo = {}

    def _once(self, name, compute):
        if name not in self._memo:
            self._memo[name] = compute()
        return self._memo[name]

    def evidence(self):
        from .services import approved_evidence

        return self._once("evidence", lambda: list(approved_evidence([self.claim.pk])))

    def summary(self) -> dict:
        def compute():
            key = f"claim-page-summary:{self.claim.cache_version}"
            summary = cache.get(key)
            if summary is None:
                summary = self._summary()
                cache.set(key, summary, FRAGMENT_TIMEOUT)
            return summary

        return self._once("summary", compute)

    def _summary(self) -> dict:
        """Small enough to unpickle in microseconds: no evidence rows, no mechanism tree."""
        from .models import Analysis
        from .presentation import analysis_out_of_date, evidence_counts
        from .services import snapshot_rows
        from .wording import wording_warning

        claim, evidence, card = self.claim, self.evidence(), self.card()
        analysis = Analysis.objects.for_claim(claim).first()
        return {
            "card": dataclasses.replace(card, contributions=()),
            "analysis": analysis,
            "counts": evidence_counts(evidence, card),
            # None while the analysis text rests on the evidence that counts now.
            "out_of_date": analysis_out_of_date(analysis, snapshot_rows(card, evidence)),
            # A submission's save touches its claim, so this count is as fresh as the rest.
            "pending_submissions": claim.submissions.filter(status="pending").count(),
            # The standing links' designs, as the admin's wording flag reads them: a retracted
            # or unappraised trial does not back causal wording.
            "wording_warning": wording_warning(
                [claim.statement, claim.plain_statement],
                [e.study.design for e in evidence if e.is_standing],
            ),
        }

    def _pooled(self):
        """study id -> the reviews pooling it: one query, shared by the scorecard and items."""
        from .services import pooled_in_by_study

        return self._once(
            "pooled", lambda: pooled_in_by_study([e.study_id for e in self.evidence()])
        )

    def card(self):
        """The full scorecard, with every study's contribution (fragments only)."""
        from .services import claim_scorecard

        return self._once(
            "card", lambda: claim_scorecard(self.claim, self.evidence(), self._pooled())
        )

    def analysis_with_mechanisms(self):
        from .models import Analysis

        return self._once("analysis", lambda: Analysis.objects.current_for(self.claim))

    def _items(self):
        from .services import scoring_items

        return self._once("items", lambda: scoring_items(self.evidence(), self._pooled()))

    def rows(self):
        from .presentation import evidence_rows

        return self._once("rows", lambda: evidence_rows(self.evidence(), self.card()))

    def _what_if(self) -> dict:
        claim = self.claim
        return {"claim_type": claim.claim_type, "publication_bias": claim.publication_bias}

    def what_would_change(self):
        return self._once(
            "wwc", lambda: scoring.what_would_change(self._items(), **self._what_if())
        )

    def sensitivity(self) -> str:
        """How much the scores lean on weak studies, or "" (the page then says nothing): also
        when no study counts, where there is nothing to lean on."""

        def compute():
            if not self.summary()["card"].counted:
                return ""
            return scoring.sensitivity_sentence(self._items(), **self._what_if())

        return self._once("sensitivity", compute)

    def related(self):
        from .models import Claim

        return self._once(
            "related", lambda: list(Claim.objects.published().related_to(self.claim)[:5])
        )
