"""The public "Changes" list of a claim: its audit trail (core.audit), newest first.

Every change to the claim, its evidence links, the studies they link (their facts, as the
study pages show them), its analyses, their mechanisms and steps, read from simple-history's
tables: when, what (public fields only, old → new), who as a role ("an
editor", "a member", "the retraction watch": never a username) and through which path.

The queries do not grow with the number of changes: one UNION of the six tables' keys gives
the page (and its count), then per table one query for the page's rows and one for the rows
just before them (what each changed from), and one for the studies' titles.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db.models import CharField, Exists, OuterRef, Q, Subquery, Value
from django.utils.text import Truncator

from core.audit import ADMIN, SHELL, SUBMISSION, SUGGESTION, TASK, split_reason
from studies.models import Study

from .appraisal import APPRAISAL_FIELD_ORDER
from .models import Analysis, Claim, Evidence, Mechanism, MechanismStep

CHANGES_PER_PAGE = 25
VALUE_MAX = 300  # characters of a long text shown per side

# What readers may see, per model: the fields the public pages show. Never who appraised or
# added a link (staff and member accounts), never an internal flag.
PUBLIC_FIELDS = {
    Claim: (
        "slug",
        "statement",
        "plain_statement",
        "summary",
        "explanation",
        "claim_type",
        "topic",
        "population",
        "intervention",
        "comparator",
        "outcome",
        "time_frame",
        "important_effect",
        "important_effect_measure",
        "important_effect_unit",
        "expected_direction",
        "status",
        "publication_bias",
        "publication_bias_reason",
    ),
    Evidence: (
        "study",
        "status",
        "appraisal_status",
        *APPRAISAL_FIELD_ORDER,
        "outcome",
        "effect_measure",
        "effect_estimate",
        "effect_ci_lower",
        "effect_ci_upper",
        "effect_ci_kind",
        "effect_unit",
        "effect_time_point",
        "n_analysed",
        "effect_reported_in",
    ),
    # What the claim page's evidence card and the study page show of a linked study.
    Study: (
        "title",
        "authors",
        "journal",
        "year",
        "doi",
        "design",
        "design_confirmed",
        "sample_size",
        "population",
        "duration_weeks",
        "retraction_status",
        "retraction_notice_doi",
        "retraction_date",
        "trial_registration",
        "funding",
        "conflicts_of_interest",
    ),
    Analysis: ("version", "summary", "change_note", "published_at"),
    Mechanism: ("kind", "rank", "simple_summary", "scientific_summary"),
    MechanismStep: ("order", "text"),
}
KINDS = {"+": "added", "~": "changed", "-": "removed"}
PATHS = {
    ADMIN: "in the admin",
    SUBMISSION: "accepting a member's submission",
    SUGGESTION: "accepting a member's suggested edit",
    TASK: "by a background task",
    SHELL: "from the command line",
}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class Change:
    when: datetime
    what: str
    kind: str
    who: str
    path: str
    fields: list[FieldChange] = field(default_factory=list)


def _history(model):
    return model.history.model


def _earlier(history_model):
    """The object's rows before the outer row, newest first (order them to take the one)."""
    return (
        history_model.objects.filter(id=OuterRef("id"), history_date__lte=OuterRef("history_date"))
        .exclude(history_id=OuterRef("history_id"))
        .order_by("-history_date", "-history_id")
    )


def _scoped(claim: Claim) -> dict:
    """Each table's historical rows belonging to the claim (removed rows included)."""
    analyses = _history(Analysis).objects.filter(claim_id=claim.pk).values("id")
    mechanisms = _history(Mechanism).objects.filter(analysis_id__in=analyses).values("id")
    evidence = _history(Evidence)
    pending = Evidence.Status.PENDING
    # A linked study's rows from the time it was linked, while an approved link shows it.
    linked = Evidence.objects.filter(
        claim_id=claim.pk, study_id=OuterRef("id"), created_at__lte=OuterRef("history_date")
    ).exclude(status=pending)
    return {
        Claim: _history(Claim).objects.filter(id=claim.pk),
        # A pending link is not on the claim page: nor are its edits here. Its going back
        # from approved to pending is (it leaves the page).
        Evidence: evidence.objects.filter(claim_id=claim.pk)
        .alias(was=Subquery(_earlier(evidence).values("status")[:1]))
        .filter(~Q(status=pending) | Q(was=Evidence.Status.APPROVED)),
        Study: _history(Study).objects.filter(Exists(linked)),
        Analysis: _history(Analysis).objects.filter(claim_id=claim.pk),
        Mechanism: _history(Mechanism).objects.filter(analysis_id__in=analyses),
        MechanismStep: _history(MechanismStep).objects.filter(mechanism_id__in=mechanisms),
    }


def claim_changes(claim: Claim, page_number) -> Page:
    """One page of the claim's changes, newest first: a Page of `Change`s."""
    scoped = _scoped(claim)
    keys = [
        rows.order_by()  # SQLite takes no ORDER BY inside a UNION
        .annotate(table=Value(model.__name__, output_field=CharField()))
        .values_list("table", "history_id", "history_date")
        for model, rows in scoped.items()
    ]
    union = keys[0].union(*keys[1:], all=True).order_by("-history_date", "-history_id")
    page = Paginator(union, CHANGES_PER_PAGE).get_page(page_number)
    page.object_list = _changes(scoped, list(page.object_list))
    return page


def _changes(scoped: dict, keys: list[tuple]) -> list[Change]:
    wanted: dict[str, list[int]] = {}
    for table, history_id, _ in keys:
        wanted.setdefault(table, []).append(history_id)
    rows, before = {}, {}
    for model, history in scoped.items():
        ids = wanted.get(model.__name__)
        if not ids:
            continue
        found = history.filter(history_id__in=ids).select_related("history_user")
        found = found.annotate(before_id=Subquery(_earlier(history.model).values("history_id")[:1]))
        found = list(found)
        for row in found:
            rows[model.__name__, row.history_id] = (model, row)
        previous_ids = [row.before_id for row in found if row.before_id]
        previous = history.model.objects.filter(history_id__in=previous_ids)
        before.update({(model.__name__, row.history_id): row for row in previous})
    study_ids = {row.id for model, row in rows.values() if model is Study}
    study_ids |= {row.study_id for model, row in rows.values() if model is Evidence}
    study_ids |= {row.study_id for (table, _), row in before.items() if table == "Evidence"}
    titles = _study_titles(study_ids)
    changes = []
    for table, history_id, _ in keys:
        model, row = rows[table, history_id]
        old = before.get((table, row.before_id))
        changes.append(_change(model, row, old, titles))
    return changes


def _study_titles(ids: set[int]) -> dict[int, str]:
    studies = Study.objects.filter(pk__in=ids).only("title", "year") if ids else []
    return {study.pk: str(study) for study in studies}


def _change(model, row, old, titles: dict[int, str]) -> Change:
    path, actor = split_reason(row.history_change_reason)
    return Change(
        when=row.history_date,
        what=_what(model, row, titles),
        kind=KINDS.get(row.history_type, "changed"),
        who=_who(row.history_user, path, actor),
        path=PATHS[path],
        fields=[] if row.history_type == "-" else _field_changes(model, old, row, titles),
    )


def _what(model, row, titles: dict[int, str]) -> str:
    if model is Claim:
        return "The claim"
    if model is Evidence:
        return f"Evidence link: {titles.get(row.study_id, 'a study since removed')}"
    if model is Study:  # labelled by the study as it is now (a changed title shows below)
        return f"Study: {titles.get(row.id, row.title)}"
    if model is Analysis:
        return f"Analysis v{row.version}"
    if model is Mechanism:
        return f"{dict(Mechanism.Kind.choices).get(row.kind, 'Mechanism')} #{row.rank}"
    return f"Mechanism step {row.order}"


def _who(user, path: str, actor: str) -> str:
    """A role, never an account's name."""
    if actor:
        return actor
    if user is not None:
        return "an editor" if user.is_staff else "a member"
    return "a maintainer" if path == SHELL else "an editor"


def _field_changes(model, old, new, titles: dict[int, str]) -> list[FieldChange]:
    changes = []
    for name in PUBLIC_FIELDS[model]:
        model_field = model._meta.get_field(name)
        before = _shown(model_field, getattr(old, model_field.attname), titles) if old else ""
        after = _shown(model_field, getattr(new, model_field.attname), titles)
        if before != after:
            label = str(model_field.verbose_name)
            changes.append(FieldChange(label=label[:1].upper() + label[1:], old=before, new=after))
    return changes


def _shown(model_field, value, titles: dict[int, str]) -> str:
    if value is None or value == "":
        return ""
    if model_field.name == "study":
        return titles.get(value, "a study since removed")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.date().isoformat()
    return shortened(str(value))


# The start of a DOI: a word holding one is never cut (Zotero's DOI translator would offer the
# cut-off DOI as an item of its own).
DOI_START = re.compile(r"10\.[0-9]{4,}/")


def shortened(text: str) -> str:
    """At most VALUE_MAX characters (about); never cut inside a word holding a DOI (a doi.org
    link, a SICI DOI with its "<…>"): cut at the space before it, or keep it whole when the
    value starts with it."""
    cut = Truncator(text).chars(VALUE_MAX)
    if cut == text:
        return text
    end = len(cut) - 1  # the "…" replaces what follows
    for word in re.finditer(r"\S+", text):
        if word.start() < end < word.end() and DOI_START.search(word.group()):
            before = text[: word.start()].rstrip()
            return f"{before}…" if before else f"{word.group()}…"
    return cut
