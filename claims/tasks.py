"""Claims' background work: rescoring claims after their evidence changed."""

from jobs.services import job_task

from .history_changes import plural
from .models import Claim
from .services import claims_rescore

RESCORED_SUMMARY = "Rescored {claims}; {changed} changed score or verdict."


@job_task(name="claims.tasks.rescore_claims")
def rescore_claims(task, *, claim_ids=None) -> str:
    """Rescore the claims of `claim_ids` (every claim when None). Idempotent: scoring reads
    the evidence as it is now, so running it twice stores the same scores."""
    claims = Claim.objects.all() if claim_ids is None else Claim.objects.filter(pk__in=claim_ids)
    count, changes = claims_rescore(claims=claims)
    return RESCORED_SUMMARY.format(claims=plural(count, "claim", "claims"), changed=len(changes))
