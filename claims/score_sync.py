"""Stored scores follow every write: receivers that rescore a claim when a scoring input changes.

A claim's stored scores (lists, feed, the API list) must equal its live scorecard (page, JSON,
API detail, exports) after any write: the admin, services, a member's submission, the shell,
a fixture. Only signals see all of those paths, so the rule lives here. Scoring inputs are the
claim's type and publication-bias flag, its evidence links, and its studies' design, size,
retraction, trial registration and the reviews that pool them. Bulk writes that bypass
signals (`QuerySet.update()`, `bulk_create`) call `claims.services.claims_rescore` themselves,
as seed_bench does; `migrate` rescores every claim once it has run (post_migrate), so a change
of the scoring model or a data migration never leaves old scores behind.
"""

from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save


def _rescore_claim(claim_id) -> None:
    from .models import Claim
    from .services import claim_rescore

    claim = Claim.objects.filter(pk=claim_id).only("pk").first()
    if claim is not None:
        claim_rescore(claim=claim)


def _by_claim(sender, instance, **kwargs):
    _rescore_claim(instance.pk)


def _by_evidence(sender, instance, **kwargs):
    _rescore_claim(instance.claim_id)


def _by_study(sender, instance, **kwargs):
    from .services import rescore_claims_of_studies

    rescore_claims_of_studies([instance.pk])


def _by_pooled_in(sender, instance, action, reverse, pk_set, **kwargs):
    """study.pooled_in.add(review) or review.pools.add(study): the pooled studies' claims."""
    from studies.models import Study

    from .services import rescore_claims_of_studies

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
    rescore_claims_of_studies(studies)


def _after_migrate(sender, using="default", **kwargs):
    """Rescore every claim once the schema is at its latest (not after migrating backwards)."""
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    from .services import claims_rescore

    executor = MigrationExecutor(connections[using])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return
    claims_rescore()


def connect_score_sync(app_config) -> None:
    from studies.models import Study

    post_save.connect(_by_claim, sender="claims.Claim", dispatch_uid="score-claim-save")
    for signal in (post_save, post_delete):
        signal.connect(_by_evidence, sender="claims.Evidence", dispatch_uid=f"score-ev-{signal}")
    post_save.connect(_by_study, sender="studies.Study", dispatch_uid="score-study-save")
    m2m_changed.connect(
        _by_pooled_in, sender=Study.pooled_in.through, dispatch_uid="score-pooled-in"
    )
    post_migrate.connect(_after_migrate, sender=app_config, dispatch_uid="score-after-migrate")
