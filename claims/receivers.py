"""Every signal receiver of the claims app: pages follow writes, stored scores follow writes.

Only signals see every write path (the admin's inlines and change pages, services, a member's
submission, the shell, a fixture), so the two rules that must hold after any write live here:

1. Pages: a claim page's cache keys and ETag are built on `Claim.cache_version`, which moves
   when the claim is saved (`updated_at`) or touched (`content_changed_at`). The receivers below
   touch a claim whenever something its page shows is written: its evidence, a study it links to
   or whose mechanisms cite, its analyses, mechanisms, steps and their citations, its ideal
   studies, its submissions, and the claims listed under "Related claims" (those sharing a
   study). PAGE_INVALIDATION names them; tests/claims/test_invalidation.py fails for a model in
   the apps that is in neither it nor NOT_ON_THE_PAGE.
2. Scores: a claim's stored scores equal its live scorecard (claims.services); a write of a
   scoring input (the claim's type and publication-bias flag, its evidence links, its studies'
   design, size, retraction, trial registration and the reviews pooling them) rescores (a
   study's claims, which may be thousands, as a job once the write commits: claims.tasks).

A write to a row that an admin form re-saves through an inline also bumps that form's
`lock_version` (claims.admin.locking): for a claim's evidence and ideal studies in the same
UPDATE as the touch; for an analysis's mechanisms with an UPDATE of the analysis.

Bulk writes that bypass signals (`QuerySet.update()`, `bulk_create`) call
`Claim.objects.filter(...).touch()` and `claims.services.claims_rescore` themselves.
"""

from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models import F, Q
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_migrate,
    post_save,
    pre_delete,
    pre_save,
)

from studies.models import Study

from . import effects, services, tasks
from .filters import forget_topics
from .models import Analysis, Claim, Evidence, MechanismStep
from .page_version import versions_moved

# Models whose rows a claim page shows, and how a write finds the claims to touch.
PAGE_INVALIDATION = {
    "claims.Claim": "itself (updated_at), and the claims listing it under Related claims",
    "claims.Evidence": "its claim, and every claim sharing its study (Related claims)",
    "claims.IdealStudy": "its claim",
    "claims.Analysis": "its claim",
    "claims.Mechanism": "the claim of its analysis",
    "claims.MechanismStep": "the claim of its mechanism's analysis",
    "claims.MechanismStep_citations": "the claim of the step (a step's citations)",
    "claims.MechanismStep_inferred_from": "the claim of the step (the studies a step is "
    "inferred from)",
    "studies.Study": "the claims linking to it or citing it in a mechanism step",
    "studies.Study_pooled_in": "the claims linking to the pooled studies and the review (why a "
    "study is not counted)",
    "community.Submission": "its claim: pending submissions are counted (community/receivers.py)",
    "discussion.Comment": "its claim: the count and last comments (discussion/receivers.py)",
    "suggestions.Suggestion": "its claim, when accepted: Contributors credits its member "
    "(suggestions/receivers.py); pending ones are the editors' queue and the member's own page",
    "accounts.Profile": "the claims crediting its member (Contributors, Reviewed by) or showing "
    "their comments (community/receivers.py)",
    "accounts.ConflictOfInterestDeclaration": "the claims its editor reviewed: Reviewed by, with "
    "the declaration (community/receivers.py)",
}
# Models of these apps a claim page does not show, and why.
NOT_ON_THE_PAGE = {
    "jobs.Job": "background work for editors (the admin); its results land in other models",
    "community.Follow": "the follow button is the member's own, loaded apart (htmx, never cached)",
    "community.FollowSettings": "a member's mail preference, shown on their following page only",
    "accounts.PasswordCheckFailure": "wrong passwords on account forms, counted for a limit only",
    "accounts.RateLimitHit": "sign-ups and password resets, counted for an hourly limit only",
    "flags.Flag": "readers' flags are the editors' queue (the admin) and the flagger's own "
    "contributions page; the claim page's flag links are the same for every reader",
    # The audit trail (core.audit): its own page, /claims/<slug>/changes/, read fresh (never
    # cached), and the admin's History view; a history row is written with the row it records,
    # whose own receiver above moves the claim page.
    **{
        f"{app}.Historical{model}": "the audit trail: the Changes page and the admin's History"
        for app, model in (
            ("claims", "Claim"),
            ("claims", "Evidence"),
            ("claims", "Analysis"),
            ("claims", "Mechanism"),
            ("claims", "MechanismStep"),
            ("studies", "Study"),
        )
    },
}


def _touch(condition: Q, *, bump_lock: bool = False) -> None:
    Claim.objects.filter(condition).touch(bump_lock=bump_lock)


def _by_claim_id(sender, instance, raw=False, **kwargs):
    if not raw:
        _touch(Q(pk=instance.claim_id))


def _by_claim_id_on_its_form(sender, instance, raw=False, **kwargs):
    """A row the claim's admin form shows as an inline: touch and bump the claim at once."""
    if not raw:
        _touch(Q(pk=instance.claim_id), bump_lock=True)


def _evidence_study_before(sender, instance, raw=False, **kwargs):
    """Remember which study a link pointed at, so moving it also refreshes the old study's
    claims (their Related claims counted this one)."""
    if not raw and instance.pk is not None:
        old = Evidence.objects.filter(pk=instance.pk).values_list("study_id", flat=True).first()
        instance._study_before = old


def _by_evidence(sender, instance, raw=False, **kwargs):
    if raw:
        return
    _touch(Q(pk=instance.claim_id), bump_lock=True)
    # Related claims: every claim linking to the same study lists this one (or stops to).
    studies = {instance.study_id, getattr(instance, "_study_before", None)} - {None}
    Claim.objects.filter(evidence__study__in=studies).exclude(
        pk=instance.claim_id
    ).touch_related_list()


def _by_claim(sender, instance, raw=False, **kwargs):
    """The claim's own page moves with updated_at; the claims listing it under Related claims
    show its wording, verdict and status, so they are touched too (before a delete, while its
    links still lead to them)."""
    if not raw:
        services.touch_related([instance.pk])


def _by_mechanism(sender, instance, raw=False, **kwargs):
    if not raw:
        _touch(Q(analyses__mechanisms=instance.pk))


def _by_step(sender, instance, raw=False, **kwargs):
    if not raw:
        _touch(Q(analyses__mechanisms__steps=instance.pk))


def _by_study(sender, instance, raw=False, **kwargs):
    if not raw:
        _touch(
            Q(evidence__study=instance.pk)
            | Q(analyses__mechanisms__steps__citations=instance.pk)
            | Q(analyses__mechanisms__steps__inferred_from=instance.pk)
        )


def _step_studies_receiver(field: str):
    """The m2m_changed receiver for one of a step's study lists (citations, inferred_from)."""

    def receiver(sender, instance, action, reverse, pk_set, **kwargs):
        if not reverse:  # step.citations.add(...): the step's claim
            if action.startswith("post_"):
                _touch(Q(analyses__mechanisms__steps=instance.pk))
        elif action in ("post_add", "post_remove"):  # study.cited_in_steps.add(step, ...)
            _touch(Q(analyses__mechanisms__steps__in=pk_set))
        elif action == "pre_clear":  # no pk_set for a clear: find the steps while rows remain
            _touch(Q(**{f"analyses__mechanisms__steps__{field}": instance.pk}))

    return receiver


_by_citation = _step_studies_receiver("citations")
_by_inference = _step_studies_receiver("inferred_from")


def _bump_analysis(sender, instance, raw=False, **kwargs):
    """The analysis form re-saves its mechanisms: a write elsewhere makes an open form stale."""
    if not raw:
        Analysis.objects.filter(pk=instance.analysis_id).update(lock_version=F("lock_version") + 1)


def _forget_topics(sender, raw=False, **kwargs):
    forget_topics()


def _claim_versions_moved(sender, **kwargs):
    """A claim saved (raw too: a fixture, a restore) or deleted: the versions anonymous
    pages read from the cache are read afresh (claims.page_version)."""
    versions_moved()


def connect_page_invalidation() -> None:
    for model, receiver in (
        ("claims.IdealStudy", _by_claim_id_on_its_form),
        ("claims.Analysis", _by_claim_id),
    ):
        post_save.connect(receiver, sender=model, dispatch_uid=f"touch-{model}-save")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"touch-{model}-delete")
    pre_save.connect(_evidence_study_before, sender=Evidence, dispatch_uid="touch-ev-before")
    post_save.connect(_by_evidence, sender=Evidence, dispatch_uid="touch-claims.Evidence-save")
    post_delete.connect(_by_evidence, sender=Evidence, dispatch_uid="touch-claims.Evidence-delete")
    post_save.connect(_by_claim, sender=Claim, dispatch_uid="touch-claims.Claim-save")
    pre_delete.connect(_by_claim, sender=Claim, dispatch_uid="touch-claims.Claim-delete")
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
    m2m_changed.connect(
        _by_inference, sender=MechanismStep.inferred_from.through, dispatch_uid="touch-inferred"
    )
    for signal in (post_save, post_delete):
        signal.connect(_forget_topics, sender=Claim, dispatch_uid=f"topics-{signal}")
        signal.connect(_claim_versions_moved, sender=Claim, dispatch_uid=f"versions-{signal}")
    post_save.connect(_bump_analysis, sender="claims.Mechanism", dispatch_uid="lock-mech-save")
    post_delete.connect(_bump_analysis, sender="claims.Mechanism", dispatch_uid="lock-mech-delete")


# Stored scores.


def _rescore_claim(claim_id) -> None:
    claim = Claim.objects.filter(pk=claim_id).only("pk").first()
    if claim is not None:
        services.claim_rescore(claim=claim)


def _derive_imprecision_by_claim(sender, instance, raw=False, update_fields=None, **kwargs):
    """The claim's threshold, measure or direction may have changed: re-derive its links'
    `imprecise` flags from their CIs (Evidence.derive_imprecise reads the claim). A receiver,
    not Claim.save: it must run after the save and before the rescore receiver below, which
    reads the flags; connect_score_sync connects it first. A bulk update: no per-link signals
    (the claim's own save has moved its page version, and its rescore follows)."""
    if raw:  # a fixture carries its derived flags
        return
    if update_fields is not None and not set(update_fields) & set(Claim.THRESHOLD_FIELDS):
        return
    links = Evidence.objects.filter(
        claim_id=instance.pk, effect_ci_lower__isnull=False, effect_ci_upper__isnull=False
    ).exclude(effect_measure="")
    fields = ("effect_measure", "effect_estimate", "effect_ci_lower", "effect_ci_upper")
    changed = []
    for link in links.only("pk", "imprecise", *fields):
        derived = effects.is_imprecise(link, instance)
        if derived is not None and derived != link.imprecise:
            link.imprecise = derived
            changed.append(link)
    if changed:
        Evidence.objects.bulk_update(changed, ["imprecise"])


def _rescore_by_claim(sender, instance, **kwargs):
    _rescore_claim(instance.pk)


def _rescore_by_evidence(sender, instance, **kwargs):
    _rescore_claim(instance.claim_id)


def _rescore_by_study(sender, instance, created=False, **kwargs):
    """A study may inform thousands of claims: rescored as a job, in short chunks, so the
    editor's save neither waits for them nor holds every claim's lock (claims.tasks). A new
    study informs none yet."""
    if not created:
        tasks.rescore_claims_of_studies_later([instance.pk], target=instance)


def _rescore_by_pooled_in(sender, instance, action, reverse, pk_set, **kwargs):
    """study.pooled_in.add(review) or review.pools.add(study): the pooled studies' claims."""
    if action == "pre_clear" and reverse:  # review.pools.clear(): its studies, while linked
        through = Study.pooled_in.through.objects.filter(to_study=instance.pk)
        instance._pooled_before_clear = set(through.values_list("from_study_id", flat=True))
        return
    if not action.startswith("post_"):
        return
    if action == "post_clear":
        studies = {instance.pk, *getattr(instance, "_pooled_before_clear", ())}
    else:
        studies = {instance.pk, *(pk_set or ())}
    # The page says why a study is not counted ("pooled in …"), which can change while the
    # scores do not (a study already not counted as the same trial): touch, then rescore.
    _touch(Q(evidence__study__in=studies))
    tasks.rescore_claims_of_studies_later(studies, target=instance)


def _rescore_after_migrate(sender, using="default", **kwargs):
    """Rescore every claim once the schema is at its latest (not after migrating backwards),
    so a change of the scoring model or a data migration never leaves old scores behind."""
    executor = MigrationExecutor(connections[using])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return
    services.claims_rescore()


def connect_score_sync(app_config) -> None:
    # Before the rescore: it reads the flags this derives.
    post_save.connect(
        _derive_imprecision_by_claim, sender=Claim, dispatch_uid="derive-imprecise-claim-save"
    )
    post_save.connect(_rescore_by_claim, sender=Claim, dispatch_uid="score-claim-save")
    for signal in (post_save, post_delete):
        signal.connect(_rescore_by_evidence, sender=Evidence, dispatch_uid=f"score-ev-{signal}")
    post_save.connect(_rescore_by_study, sender=Study, dispatch_uid="score-study-save")
    m2m_changed.connect(
        _rescore_by_pooled_in, sender=Study.pooled_in.through, dispatch_uid="score-pooled-in"
    )
    post_migrate.connect(
        _rescore_after_migrate, sender=app_config, dispatch_uid="score-after-migrate"
    )
