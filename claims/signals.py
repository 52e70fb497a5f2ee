"""`claim_changed`: a claim's stored verdict, certainty or counted evidence moved.

claims.services sends it after the scores are committed, once per batch, with `changes`, a
tuple of ClaimChange. Scores that move without touching what a reader is told (Pro and Against
alone, the fragile flag) and a claim's first scoring are not news. Receivers live above claims
(community mails the claim's followers); claims itself never listens.
"""

from dataclasses import asdict, dataclass

from django.db import transaction
from django.dispatch import Signal

claim_changed = Signal()


@dataclass(frozen=True)
class ClaimState:
    """What a follower is told of, as stored before a rescore."""

    verdict: str
    certainty: str
    basis_digest: str  # moves when the counted studies or their appraisal change
    scored: bool

    @classmethod
    def of(cls, claim) -> "ClaimState":
        return cls(claim.verdict, claim.certainty, claim.basis_digest, claim.scored_at is not None)


@dataclass(frozen=True)
class ClaimChange:
    claim_id: int
    verdict: tuple[str, str]  # before, after
    certainty: tuple[str, str]  # before, after ("" when nothing counts)
    counted_changed: bool  # the counted studies (or their appraisal) changed

    @classmethod
    def between(cls, before: ClaimState, claim) -> "ClaimChange | None":
        """The change from `before` to the claim's stored fields now, or None if not news."""
        after = ClaimState.of(claim)
        if not before.scored or (before.verdict, before.certainty, before.basis_digest) == (
            after.verdict,
            after.certainty,
            after.basis_digest,
        ):
            return None
        return cls(
            claim.pk,
            (before.verdict, after.verdict),
            (before.certainty, after.certainty),
            before.basis_digest != after.basis_digest,
        )

    def as_dict(self) -> dict:
        """Plain JSON for a task's arguments."""
        return asdict(self)


def announce(changes) -> None:
    """Send claim_changed once the current transaction commits (never for a rolled-back one)."""
    changes = tuple(change for change in changes if change is not None)
    if changes:
        transaction.on_commit(lambda: claim_changed.send(sender=ClaimChange, changes=changes))
