"""Claims' background work: rescoring claims after their evidence changed.

A study edit rescores the claims it informs as a job (`rescore_claims_of_studies_later`), and
`manage.py rescore` splits every claim into chunks, a job each (`rescore_in_chunks`), so
several workers share them. Each chunk is one short transaction of its own
(claims.services.claims_rescore): no request or task holds every claim's lock at once. With no
broker (tasks run inline) both rescore there and then, as before.
"""

from django.db.models import Q

from jobs.models import Job
from jobs.services import enqueue, job_task

from .history_changes import plural
from .models import Claim
from .services import claims_rescore

RESCORED_SUMMARY = "Rescored {claims}; {changed} changed score or verdict."
# Claims per transaction of a rescore job: each holds its chunk's row locks for about
# half a millisecond a claim, so an editor's write to one of them waits well under a second.
CHUNK_SIZE = 500


def _claims_of_studies(study_ids):
    """The claims whose scores read these studies (their evidence links)."""
    return Claim.objects.filter(Q(evidence__study__in=study_ids)).distinct()


@job_task(name="claims.tasks.rescore_claims")
def rescore_claims(task, *, claim_ids=None, study_ids=None, batch_size=None) -> str:
    """Rescore the claims of `claim_ids`, or those linking to `study_ids`, or every claim when
    neither is given. Idempotent: scoring reads the evidence as it is now, so running it twice
    stores the same scores (and a job that starts late scores the newest evidence)."""
    if study_ids is not None:
        claims = _claims_of_studies(study_ids)
    elif claim_ids is not None:
        claims = Claim.objects.filter(pk__in=claim_ids)
    else:
        claims = Claim.objects.all()
    count, changes = claims_rescore(claims=claims, batch_size=batch_size or CHUNK_SIZE)
    return RESCORED_SUMMARY.format(claims=plural(count, "claim", "claims"), changed=len(changes))


def runs_inline() -> bool:
    return bool(rescore_claims.app.conf.task_always_eager)


def rescore_claims_of_studies_later(study_ids, *, target=None, started_by=None) -> Job | None:
    """Rescore the claims these studies inform: a job once the write commits when a broker
    is configured (the editor's save returns at once), inline otherwise (no Job row: nothing
    waits). None when no claim reads them (a new study) or when it ran inline."""
    study_ids = sorted(set(study_ids))
    if not study_ids or not _claims_of_studies(study_ids).exists():
        return None
    if runs_inline():
        claims_rescore(claims=_claims_of_studies(study_ids), batch_size=CHUNK_SIZE)
        return None
    return enqueue(
        rescore_claims,
        kind=Job.Kind.RESCORE,
        target=target,
        started_by=started_by,
        study_ids=study_ids,
    )


def rescore_in_chunks(claims, *, chunk_size: int = CHUNK_SIZE, started_by=None) -> list[Job]:
    """One rescore job per `chunk_size` claims (in pk order), for the workers to share."""
    ids = list(claims.order_by("pk").values_list("pk", flat=True))
    return [
        enqueue(
            rescore_claims,
            kind=Job.Kind.RESCORE,
            target=f"claims {chunk[0]}–{chunk[-1]}",
            started_by=started_by,
            claim_ids=chunk,
            batch_size=chunk_size,
        )
        for chunk in (ids[start : start + chunk_size] for start in range(0, len(ids), chunk_size))
    ]
