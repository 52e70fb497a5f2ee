from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef

from .gold_standard import suggest_ideal_studies
from .models import Analysis, Claim, Evidence, IdealStudy, Mechanism, MechanismStep
from .services import analysis_publish, claim_rescore
from .wording import CAUSAL_DESIGNS, HEADING, overstated_verbs, wording_warning

EDIT_CONFLICT = (
    "Someone else saved this {name} while you were editing ({detail}). "
    "Reload to see their changes; your edits were not saved."
)
EDIT_CONFLICT_DETAIL = "you started from revision {mine}; it is now at revision {theirs}"


class EditConflict(Exception):
    """The row changed between the form's check and its save (only possible without row locks)."""


class LockVersionForm(forms.ModelForm):
    """Optimistic locking: the form carries the lock_version it was built from; saving a form
    built from an older version is refused with EDIT_CONFLICT instead of overwriting.

    clean() locks the row (SELECT … FOR UPDATE, inside the admin's transaction) and compares;
    LockVersionAdminMixin.save_model then bumps the version with a compare-and-set UPDATE.
    A write to a row the form's inlines show (a claim's evidence and ideal studies, an
    analysis's mechanisms) bumps it too (receivers in claims.cache).
    """

    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None or "lock_version" in self.errors:
            return cleaned
        model = type(self.instance)
        current = (
            model.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("lock_version", flat=True)
            .first()
        )
        mine = cleaned.get("lock_version")
        if current is not None and current != mine:  # a form without a version is stale too
            detail = EDIT_CONFLICT_DETAIL.format(mine=mine, theirs=current)
            raise ValidationError(
                EDIT_CONFLICT.format(name=model._meta.verbose_name, detail=detail),
                code="edit_conflict",
            )
        return cleaned


class LockVersionAdminMixin:
    form = LockVersionForm

    def save_model(self, request, obj, form, change):
        if change:
            expected = form.cleaned_data["lock_version"]
            bumped = (
                type(obj)
                .objects.filter(pk=obj.pk, lock_version=expected)
                .update(lock_version=F("lock_version") + 1)
            )
            if not bumped:  # the admin's transaction rolls back: nothing is overwritten
                raise EditConflict(f"{obj._meta.label} {obj.pk} changed during the save")
            obj.lock_version = expected + 1
        super().save_model(request, obj, form, change)


class EvidenceInline(admin.StackedInline):
    model = Evidence
    extra = 0
    autocomplete_fields = ("study",)
    fields = (
        ("study", "stance", "status"),
        "finding",
        ("certainty", "strength"),
        ("risk_of_bias", "inconsistency", "indirectness", "imprecision", "publication_bias"),
        ("large_effect", "dose_response", "plausible_confounding"),
    )


class IdealStudyInline(admin.StackedInline):
    model = IdealStudy
    extra = 0
    # Drafted rows stay hidden from readers until an editor unticks "draft" here.
    fields = (("rank", "design", "is_draft"), "description", "why")


# The claim changelist's wording check: a column and a filter, without a query per row.


def with_wording_inputs(claims):
    """Annotate what the wording check needs besides the wording: whether the claim has
    approved studies (`has_studies`) and whether any is a trial or review of trials
    (`has_trial`)."""
    approved = Evidence.objects.filter(claim=OuterRef("pk"), status=Evidence.Status.APPROVED)
    return claims.annotate(
        has_studies=Exists(approved),
        has_trial=Exists(approved.filter(study__design__in=CAUSAL_DESIGNS)),
    )


def is_flagged(claim) -> bool:
    """Whether the claim page warns about the wording, for a claim from with_wording_inputs()."""
    texts = (claim.statement, claim.plain_statement)
    return bool(overstated_verbs(texts, has_studies=claim.has_studies, has_trial=claim.has_trial))


@admin.display(description="Wording fits the evidence", boolean=True)
def wording_fits(claim) -> bool:
    """The changelist column: a cross where the claim page says HEADING."""
    return not is_flagged(claim)


class WordingListFilter(admin.SimpleListFilter):
    title = "wording check"
    parameter_name = "wording"

    def lookups(self, request, model_admin):
        return [("flagged", HEADING), ("fits", "Wording fits the evidence")]

    def queryset(self, request, queryset):
        if self.value() not in ("flagged", "fits"):
            return None
        # The causal verbs are found in Python: narrow down in SQL first (one query).
        candidates = with_wording_inputs(queryset).filter(has_studies=True, has_trial=False)
        rows = candidates.only("pk", "statement", "plain_statement")
        flagged = [claim.pk for claim in rows if is_flagged(claim)]
        if self.value() == "flagged":
            return queryset.filter(pk__in=flagged)
        return queryset.exclude(pk__in=flagged)


@admin.register(Claim)
class ClaimAdmin(LockVersionAdminMixin, admin.ModelAdmin):
    list_display = (
        "slug",
        "claim_type",
        "topic",
        "status",
        "verdict",
        "pro_score",
        "against_score",
        "featured",
        wording_fits,
        "updated_at",
    )
    list_filter = ("status", "claim_type", "topic", "verdict", "featured", WordingListFilter)
    search_fields = ("slug", "statement", "plain_statement", "topic")
    prepopulated_fields = {"slug": ("plain_statement",)}
    readonly_fields = ("pro_score", "against_score", "verdict", "fragile", "scored_at")
    inlines = [EvidenceInline, IdealStudyInline]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    ("slug", "lock_version"),
                    "status",
                    "featured",
                    "claim_type",
                    "topic",
                    "population",
                )
            },
        ),
        ("Wording", {"fields": ("plain_statement", "statement", "wording_check")}),
        ("Synthesis", {"fields": ("summary", "explanation")}),
        ("Scores (computed)", {"fields": readonly_fields}),
    )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        claim_rescore(claim=form.instance)

    def get_queryset(self, request):
        return with_wording_inputs(super().get_queryset(request))  # for wording_fits

    # Issue 9: the wording check and drafted gold-standard studies.
    actions = ["draft_gold_standard"]

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "wording_check")

    @admin.display(description="Wording check")
    def wording_check(self, obj):
        if obj is None or obj.pk is None:
            return "Checked once the claim has studies."
        designs = obj.evidence.filter(status=Evidence.Status.APPROVED).values_list(
            "study__design", flat=True
        )
        warning = wording_warning([obj.statement, obj.plain_statement], designs)
        if warning:
            return f"Language stronger than the evidence: {warning}"
        return "No causal wording without a trial behind it."

    @admin.action(description="Draft gold-standard studies", permissions=["change"])
    def draft_gold_standard(self, request, queryset):
        """Draft ideal studies for claims that list none, hidden from readers (is_draft) until
        an editor has edited them inline and unticked "draft"."""
        drafted, skipped = [], []
        for pk in queryset.values_list("pk", flat=True):
            with transaction.atomic():
                claim = Claim.objects.select_for_update().get(pk=pk)
                if claim.ideal_studies.exists():
                    skipped.append(claim.slug)
                    continue
                rows = suggest_ideal_studies(claim.claim_type, claim.population, claim.statement)
                IdealStudy.objects.bulk_create(
                    IdealStudy(claim=claim, is_draft=True, **suggestion._asdict())
                    for suggestion in rows
                )
                Claim.objects.filter(pk=pk).touch()  # bulk_create sends no signals
                drafted.append(len(rows))
        if drafted:
            self.message_user(
                request,
                f"Drafted {sum(drafted)} gold-standard studies for {len(drafted)} "
                f"claim{'s' if len(drafted) != 1 else ''}. They are drafts, hidden from readers: "
                "edit them in each claim's “Gold standard evidence needed” section and untick "
                "“Draft” to publish them.",
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                f"Skipped {len(skipped)} claim{'s' if len(skipped) != 1 else ''} that already "
                f"list{'s' if len(skipped) == 1 else ''} gold-standard studies: "
                + ", ".join(skipped),
                messages.WARNING,
            )


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ("study", "claim", "stance", "certainty", "strength", "status")
    list_filter = ("stance", "certainty", "status", "study__design")
    search_fields = ("study__title", "study__doi", "claim__slug", "finding")
    autocomplete_fields = ("claim", "study")
    list_select_related = ("study", "claim")

    def get_readonly_fields(self, request, obj=None):
        # Moving evidence to another claim would leave the first claim's score stale: add
        # the study to the other claim instead.
        return ("claim",) if obj else ()

    def save_model(self, request, obj, form, change):
        if not change:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)
        claim_rescore(claim=obj.claim)

    def delete_model(self, request, obj):
        claim = obj.claim
        super().delete_model(request, obj)
        claim_rescore(claim=claim)

    def delete_queryset(self, request, queryset):
        claims = {evidence.claim for evidence in queryset.select_related("claim")}
        super().delete_queryset(request, queryset)
        for claim in claims:
            claim_rescore(claim=claim)


class MechanismStepInline(admin.StackedInline):
    model = MechanismStep
    extra = 0
    autocomplete_fields = ("citations",)
    fields = ("order", "text", "citations")


@admin.register(Mechanism)
class MechanismAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "rank", "analysis")
    list_filter = ("kind",)
    search_fields = ("simple_summary", "analysis__claim__slug")
    autocomplete_fields = ("analysis",)
    inlines = [MechanismStepInline]


class MechanismInline(admin.StackedInline):
    model = Mechanism
    extra = 0
    fields = (("kind", "rank"), "simple_summary", "scientific_summary")
    show_change_link = True


@admin.register(Analysis)
class AnalysisAdmin(LockVersionAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "version", "author", "published_at", "pro", "against", "verdict")
    list_filter = ("claim__topic",)
    search_fields = ("claim__slug", "summary", "change_note")
    autocomplete_fields = ("claim",)
    readonly_fields = ("version", "pro", "against", "verdict")
    inlines = [MechanismInline]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else ("pro", "against", "verdict")

    def get_fields(self, request, obj=None):
        fields = ["claim", "summary", "change_note", "published_at", "pro", "against", "verdict"]
        return ["version", *fields, "lock_version"] if obj else fields

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        published = analysis_publish(
            claim=obj.claim,
            author=request.user,
            summary=obj.summary,
            change_note=obj.change_note,
            published_at=obj.published_at,
        )
        # The service saved the version with its scores and evidence record; load them
        # into the admin's object rather than saving over them with the form's blanks.
        obj.pk = published.pk
        obj.refresh_from_db()
        obj._state.adding = False
