"""Who worked on a claim's page: the editors who appraised or edited the claim, its evidence
or its analyses (the audit trail's history_user, staff only), each with their latest
conflict-of-interest declaration and its date, and the members whose contributions were
accepted for it ("Contributors"). One UNION query, which also counts the pending submissions
(the page made that count before), so the page's query count stays what it was. Claims imports
neither accounts nor community: both are read through relations (the user's `profile` and
`coi_declarations`, the claim's `submissions` and `suggestions`)."""

import dataclasses
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateTimeField,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from django.utils.formats import date_format

from core.display_names import FORMER_MEMBER

from .models import Analysis, Claim, Evidence

# The hook for other kinds of contribution: (the claim's related name, the contributor's
# field) of a model with a `status` whose accepted rows credit their author.
CONTRIBUTION_RELATIONS = (("submissions", "submitted_by"), ("suggestions", "suggested_by"))
ACCEPTED, PENDING = "accepted", "pending"
EDITOR = "editor"
DECLARATION_VALID_FOR = timedelta(days=365)  # as accounts.models: renewed yearly
NO_DECLARATION = "no declaration of interests on record"
OUT_OF_DATE = "declaration out of date"


APPRAISED, EDITED = "Evidence appraised", "Edited"


@dataclasses.dataclass(frozen=True)
class Reviewer:
    name: str
    declaration: str  # "no conflicts declared on 2 Dec 2026", "declared …: …", or why none
    # What they did here: appraised a link of this claim, or only edited it (a typo fixed, a
    # suggestion accepted): "Reviewed" would claim more than the trail shows.
    role: str = EDITED
    credentials: str = ""  # "MSc sports science" (accounts.Profile.credentials), or ""


@dataclasses.dataclass(frozen=True)
class Credits:
    reviewers: tuple[Reviewer, ...] = ()
    contributors: tuple[str, ...] = ()
    pending_submissions: int = 0


def _history(model, **where):
    """The audit trail's rows of `model` (core.audit)."""
    return model.history.model.objects.filter(**where)


def _edited_by(claim_id) -> Q:
    """Users with a history row of the claim, its evidence or its analyses."""
    return (
        Q(pk__in=_history(Claim, id=claim_id).values("history_user_id"))
        | Q(pk__in=_history(Evidence, claim_id=claim_id).values("history_user_id"))
        | Q(pk__in=_history(Analysis, claim_id=claim_id).values("history_user_id"))
    )


def _declarations():
    return get_user_model()._meta.get_field("coi_declarations").related_model.objects


# A compound query's parts name the same columns in the same order.
CREDIT_COLUMNS = ("kind", "uid", "n", "name", "login", "none", "statement", "at", "credentials")


def _credit_rows(claim: Claim):
    """(kind, user id, count, display name, username, no conflicts, statement, declared at,
    credentials)."""
    text, when = CharField(), DateTimeField()
    parts = []
    for relation, field in CONTRIBUTION_RELATIONS:
        kinds = [ACCEPTED, PENDING] if relation == "submissions" else [ACCEPTED]
        parts.append(
            getattr(claim, relation)
            .filter(status__in=kinds)
            .order_by()  # a compound query's parts take no ORDER BY
            .values("status", f"{field}_id")
            .annotate(
                kind=F("status"),
                uid=F(f"{field}_id"),
                n=Count("pk"),
                name=F(f"{field}__profile__display_name"),
                login=F(f"{field}__username"),
                none=Value(None, output_field=BooleanField(null=True)),
                statement=Value(None, output_field=text),
                at=Value(None, output_field=when),
                credentials=Value(None, output_field=text),
            )
            .values_list(*CREDIT_COLUMNS)
        )
    latest = _declarations().filter(editor_id=OuterRef("pk")).order_by("-declared_at", "-pk")
    editors = (
        get_user_model()
        .objects.filter(_edited_by(claim.pk), is_staff=True)
        .order_by()
        .annotate(
            kind=Value(EDITOR, output_field=text),
            uid=F("pk"),
            # 1: they appraised one of the claim's links (Evidence.appraised_by), else 0.
            n=Case(
                When(
                    Exists(Evidence.objects.filter(claim_id=claim.pk, appraised_by=OuterRef("pk"))),
                    then=Value(1),
                ),
                default=Value(0),
            ),
            name=F("profile__display_name"),
            login=F("username"),
            none=Subquery(latest.values("no_conflicts")[:1]),
            statement=Subquery(latest.values("statement")[:1]),
            at=Subquery(latest.values("declared_at")[:1]),
            credentials=F("profile__credentials"),
        )
        .values_list(*CREDIT_COLUMNS)
    )
    return editors.union(*parts, all=True)


def claim_credits(claim: Claim, now=None) -> Credits:
    """Who reviewed the claim (with their declaration), who contributed, and how many
    submissions await review: one query."""
    now = now or timezone.now()
    reviewers, contributors, pending = {}, {}, 0
    for kind, uid, n, name, login, none, statement, at, credentials in _credit_rows(claim):
        shown = name or login or FORMER_MEMBER
        if kind == PENDING:
            pending += n
        elif kind == EDITOR:
            role = APPRAISED if n else EDITED
            declaration = _declaration(none, statement, at, now)
            reviewers[uid] = Reviewer(shown, declaration, role, credentials or "")
        elif uid not in contributors:  # one credit per member (None: every former member)
            contributors[uid] = shown
    return Credits(
        # Those who appraised first, then by name.
        reviewers=tuple(
            sorted(reviewers.values(), key=lambda r: (r.role != APPRAISED, r.name.casefold()))
        ),
        contributors=tuple(sorted(set(contributors.values()), key=str.casefold)),
        pending_submissions=pending,
    )


def _declaration(none, statement, at, now) -> str:
    if at is None:
        return NO_DECLARATION
    if at <= now - DECLARATION_VALID_FOR:
        return OUT_OF_DATE
    # The date says which declaration is shown: the latest, which may postdate the edits.
    on = date_format(timezone.localtime(at), "j M Y")
    return f"no conflicts declared on {on}" if none else f"declared on {on}: {statement}"


def claims_crediting(user_id):
    """The claims whose pages credit this user: their display name or declaration changed,
    or their account is going (accounts' receivers in community/models.py touch these)."""
    accepted = Q()
    for relation, field in CONTRIBUTION_RELATIONS:
        accepted |= Q(**{f"{relation}__{field}_id": user_id, f"{relation}__status": ACCEPTED})
    edited = (
        Q(pk__in=_history(Claim, history_user_id=user_id).values("id"))
        | Q(pk__in=_history(Evidence, history_user_id=user_id).values("claim_id"))
        | Q(pk__in=_history(Analysis, history_user_id=user_id).values("claim_id"))
    )
    return Claim.objects.filter(pk__in=Claim.objects.filter(accepted | edited).values("pk"))
