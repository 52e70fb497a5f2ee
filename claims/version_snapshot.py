"""A past version's mechanisms and steps, frozen when the next version replaces it.

An editor builds a version's mechanisms after publishing it (the Analysis admin's inlines, the
Mechanism admin's steps), so they cannot be recorded at publishing. They are recorded when the
version stops being current (`analysis_publish` of the next one): from then on its page shows
the chain, each step's level and the studies named under it as they stood then, whatever is
edited or re-appraised later. The current version's page shows its live rows.

The record is plain JSON; `FrozenAnalysis` reads it back with the attributes the mechanism
partials use (`most_probable`, `steps.all`, `evidence_level` …), so one template serves both.
"""

from django.utils import timezone

from .models import Analysis, Mechanism, MechanismStep


def _study(study) -> dict:
    return {
        "id": study.pk,
        "short_citation": study.short_citation,
        "doi": study.doi,
        "title": study.title,
        "link_url": study.link_url,
    }


def mechanisms_record(analysis: Analysis) -> list[dict]:
    """`analysis`'s mechanisms (loaded with `with_mechanisms`) as JSON, levels included."""
    return [
        {
            "kind": mechanism.kind,
            "rank": mechanism.rank,
            "simple_summary": mechanism.simple_summary,
            "scientific_summary": mechanism.scientific_summary,
            "steps": [
                {
                    "order": step.order,
                    "text": step.text,
                    "evidence_level": step.evidence_level,
                    "level_class": step.level_class,
                    "measured_in": [_study(s) for s in step.measured_in],
                    "awaiting_appraisal": [_study(s) for s in step.awaiting_appraisal],
                    "inferred_from": [_study(s) for s in step.inferred_from.all()],
                }
                for step in mechanism.steps.all()
            ],
        }
        for mechanism in analysis.mechanisms.all()
    ]


def freeze_mechanisms(analysis_id: int, at=None) -> None:
    """Record a version's mechanisms as they stand now, once: a version already recorded
    keeps its record (it was frozen when it was replaced). `at`: when it was replaced."""
    analysis = Analysis.objects.with_mechanisms().filter(pk=analysis_id).first()
    if analysis is None or analysis.mechanisms_recorded_at is not None:
        return
    Analysis.objects.filter(pk=analysis_id).update(
        mechanisms_snapshot=mechanisms_record(analysis),
        mechanisms_recorded_at=at or timezone.now(),
    )


def carry_mechanisms(source_id: int, target: Analysis) -> None:
    """A new version starts with the mechanisms and steps of the one it replaces (their
    citations too), for the editor to revise: publishing never empties the claim page's
    mechanism section. The replaced version keeps its own record (freeze_mechanisms)."""
    mechanisms = Mechanism.objects.filter(analysis_id=source_id).prefetch_related(
        "steps__citations", "steps__inferred_from"
    )
    for mechanism in mechanisms.order_by("kind", "rank", "pk"):
        copy = Mechanism.objects.create(
            analysis=target,
            kind=mechanism.kind,
            rank=mechanism.rank,
            simple_summary=mechanism.simple_summary,
            scientific_summary=mechanism.scientific_summary,
        )
        for step in mechanism.steps.all():
            new = MechanismStep.objects.create(mechanism=copy, order=step.order, text=step.text)
            new.citations.set(step.citations.all())
            new.inferred_from.set(step.inferred_from.all())


def freeze_superseded(claims) -> None:
    """Record every replaced version of `claims` not yet recorded, dated when the next version
    was published (rows loaded without `analysis_publish`: the demo's fixture)."""
    analyses = Analysis.objects.filter(claim__in=claims).order_by("claim_id", "version")
    previous = None
    for analysis in analyses.only("pk", "claim_id", "published_at"):
        if previous is not None and previous.claim_id == analysis.claim_id:
            freeze_mechanisms(previous.pk, at=analysis.published_at)
        previous = analysis


class Rows(list):
    """A list that answers `.all()`, as a related manager does in a template."""

    def all(self):
        return self


class FrozenStudy:
    def __init__(self, row: dict):
        self.pk = row.get("id")
        self.short_citation = row.get("short_citation") or ""
        self.doi = row.get("doi") or ""
        self.title = row.get("title") or ""
        self.link_url = row.get("link_url") or ""


class FrozenStep:
    def __init__(self, row: dict):
        self.order = row["order"]
        self.text = row["text"]
        self.evidence_level = row["evidence_level"]
        self.level_class = row["level_class"]
        self.measured_in = [FrozenStudy(s) for s in row.get("measured_in", [])]
        self.awaiting_appraisal = [FrozenStudy(s) for s in row.get("awaiting_appraisal", [])]
        self.inferred_from = Rows(FrozenStudy(s) for s in row.get("inferred_from", []))


class FrozenMechanism:
    def __init__(self, row: dict):
        self.kind = row["kind"]
        self.rank = row["rank"]
        self.simple_summary = row["simple_summary"]
        self.scientific_summary = row.get("scientific_summary", "")
        self.steps = Rows(FrozenStep(step) for step in row.get("steps", []))


class FrozenAnalysis:
    """A recorded version as `_mechanisms.html` reads an Analysis."""

    def __init__(self, analysis: Analysis):
        self.version = analysis.version
        self.recorded_at = analysis.mechanisms_recorded_at
        self.mechanisms = Rows(FrozenMechanism(m) for m in analysis.mechanisms_snapshot)

    @property
    def most_probable(self):
        return [m for m in self.mechanisms if m.kind == Mechanism.Kind.MOST_PROBABLE]

    @property
    def alternatives(self):
        return [m for m in self.mechanisms if m.kind == Mechanism.Kind.ALTERNATIVE]

    @property
    def cited_study_count(self) -> int:
        return len(
            {
                study.pk
                for mechanism in self.mechanisms
                for step in mechanism.steps
                for study in (*step.measured_in, *step.awaiting_appraisal, *step.inferred_from)
            }
        )
