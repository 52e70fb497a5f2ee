"""A member's flags for "My contributions" (templates/flags/_my_contributions.html)."""

from .models import Flag

SHOWN = 50  # the newest; the rest are counted ("and N older flags")


def contributions(user) -> dict:
    """The partial's context: the member's newest flags (target, reason, status, the editor's
    outcome and note, targets loaded in one query per kind) and how many there are in all."""
    mine = Flag.objects.filter(flagged_by=user)
    flags = list(mine.with_targets().order_by("-created_at", "-pk")[:SHOWN])
    total = len(flags) if len(flags) < SHOWN else mine.count()
    return {"flags": flags, "flags_total": total, "flags_older": total - len(flags)}
