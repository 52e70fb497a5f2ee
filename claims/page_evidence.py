"""What the claim page loads of a claim's links: every approved link holding only what is read
of all of them (scoring, counts, the banner, the forest plot, the wording check, whether the
analysis is out of date), built without Model.__init__; the rows the lists and the breakdown
show are then loaded whole. At 5,000 links, initialising 10,000 whole Evidence and Study
instances was most of a cold claim page (issue 20)."""

from collections import defaultdict
from dataclasses import replace

from django.db import router
from django.db.models.base import ModelState

from studies.models import Study

from .models import Evidence

# What the page reads of every approved link (scoring, counts, the banner, the forest plot,
# the wording check, whether the analysis is out of date): the rows it lists in full are
# loaded whole (whole_rows).
PAGE_FIELDS = (
    *(name for name in Evidence.SCORING_FIELDS if not name.startswith("study__")),
    "status",
    "outcome",
    "effect_measure",
    "effect_estimate",
    "effect_ci_lower",
    "effect_ci_upper",
    "effect_unit",
    "effect_ci_kind",
    "n_analysed",
)
PAGE_STUDY_FIELDS = (
    "doi",
    "title",
    "authors",
    "year",
    "design",
    "sample_size",
    "retraction_status",
    "retraction_notice_doi",
    "retraction_date",
    "trial_registration",
    # The gated page's COinS of every study (studies.citation_meta.coins).
    "subtitle",
    "journal",
    "work_type",
    "volume",
    "issue",
    "pages",
    "issn",
    "pmid",
)


def _loaded(model, db: str, values):
    """An instance of `model` holding `values`, without Model.__init__: at 5,000 links,
    initialising 10,000 instances was most of a cold claim page (issue 20). Any field not
    in `values` is deferred: reading it costs a query, which the page's query-count tests
    catch."""
    instance = model.__new__(model)
    instance.__dict__.update(values)
    instance._state = ModelState()
    instance._state.adding = False
    instance._state.db = db
    return instance


def page_evidence(claim) -> tuple[list[Evidence], dict[int, list[int]]]:
    """The claim's approved links in pk order with their studies, holding PAGE_FIELDS and
    PAGE_STUDY_FIELDS only, each knowing its claim (a link's interval reading needs the
    claim's threshold); and study id -> the reviews pooling it (claims.services
    pooled_in_by_study), read in the same query: a link comes once per review pooling it."""
    link_names = ("id", *PAGE_FIELDS)
    study_names = ("id", *PAGE_STUDY_FIELDS)
    columns = (*link_names, *(f"study__{name}" for name in study_names), "study__pooled_in")
    links = Evidence.objects.filter(claim_id=claim.pk, status=Evidence.Status.APPROVED)
    db = router.db_for_read(Evidence)
    split = len(link_names)
    evidence, pooled = {}, defaultdict(list)
    for row in links.order_by("pk").values_list(*columns):
        if row[-1] is not None:
            pooled[row[split]].append(row[-1])
        if row[0] in evidence:
            continue
        link = _loaded(Evidence, db, zip(link_names, row[:split], strict=True))
        study = _loaded(Study, db, zip(study_names, row[split:-1], strict=True))
        link._state.fields_cache["study"] = study
        link._state.fields_cache["claim"] = claim
        evidence[row[0]] = link
    return list(evidence.values()), pooled


def whole_rows(rows: dict[str, list], limits: dict[str, int | None], claim) -> dict:
    """`rows` with the first `limits[stance]` of each side (all for None) holding whole links
    and studies, as the lists and the breakdown show them (one query); the rest as loaded."""
    shown = {
        stance: side if limits[stance] is None else side[: limits[stance]]
        for stance, side in rows.items()
    }
    pks = [row.evidence.pk for side in shown.values() for row in side]
    whole = Evidence.objects.select_related("study").in_bulk(pks) if pks else {}
    result = {}
    for stance, side in rows.items():
        count = len(shown[stance])
        result[stance] = [
            replace(row, evidence=whole[row.evidence.pk]) for row in side[:count]
        ] + side[count:]
    for link in whole.values():
        link.claim = claim
    return result
