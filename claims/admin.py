from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IS_POPUP_VAR, TO_FIELD_VAR
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils.html import format_html

from .appraisal import (
    ensure_may_appraise,
    evidence_appraise,
    needs_appraisal_record,
    verdict_preview,
    verdict_text,
)
from .gold_standard import suggest_ideal_studies
from .models import Analysis, Claim, Evidence, IdealStudy, Mechanism, MechanismStep
from .services import analysis_publish
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


# Appraising evidence (design.md §3): the link, then each judgement beside its reason.
PREVIEW = "_preview"  # the Evidence change form's "Preview effect" button
PREVIEW_MESSAGE = "Preview, nothing saved: {effect}"
PREVIEW_INVALID = "Correct the errors below, then preview again."
PREVIEW_HINT = "Press “Preview effect” to see what the verdict and certainty will become."
APPRAISED_MESSAGE = "Appraised “{study}” for “{claim}”: {effect}"
REASON_ROWS = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 60})}}
LINK_FIELDS = (("stance", "status", "appraisal_status"), "finding", "strength")
JUDGEMENT_FIELDSETS = (
    (
        "Risk of bias",
        {
            "fields": (
                ("risk_of_bias_judgement", "risk_of_bias_domain"),
                ("risk_of_bias", "risk_of_bias_reason"),
            ),
            "description": "The RoB 2 (trials) or ROBINS-I judgement and the domain that drove "
            "it; the GRADE concern moves this study's own certainty.",
        },
    ),
    (
        "GRADE concerns",
        {
            "fields": (
                ("inconsistency", "inconsistency_reason"),
                ("indirectness", "indirectness_reason"),
                ("imprecision", "imprecise", "imprecision_reason"),
                ("publication_bias", "publication_bias_reason"),
            ),
            "description": "Each concern needs its reason: readers see it beside the certainty.",
        },
    ),
    (
        "Upgrades",
        {
            "fields": (
                ("large_effect", "dose_response", "plausible_confounding"),
                "upgrade_reason",
            ),
            "description": "Only for observational studies without serious concerns (GRADE 9).",
        },
    ),
    (
        "Certainty set directly",
        {
            "fields": (("certainty", "certainty_reason"),),
            "description": "Leave empty to derive it from the design and the concerns.",
        },
    ),
)


class EvidenceForm(forms.ModelForm):
    """The appraisal form. `editor` (the user saving it) is set per request by get_form /
    get_formset; Evidence.clean refuses a judgement without its reason."""

    editor = None

    def clean(self):
        cleaned = super().clean()
        appraising = cleaned.get("appraisal_status") == Evidence.Appraisal.APPRAISED
        if appraising and self.instance.pk is not None and self.editor is not None:
            # self.instance still holds the stored values: the form copies its own onto it
            # only after clean().
            try:
                ensure_may_appraise(
                    awaiting=self.instance.is_awaiting_appraisal,
                    added_by_id=self.instance.added_by_id,
                    editor=self.editor,
                )
            except ValidationError as error:
                self.add_error("appraisal_status", error)
        return cleaned


def with_editor(form_class, request):
    return type(form_class.__name__, (form_class,), {"editor": request.user})


def save_evidence(model_admin, request, evidence: Evidence) -> None:
    """Save a link from the admin; saving one that was awaiting appraisal as "appraised"
    records who appraised it and when, and says what it did to the verdict."""
    if not needs_appraisal_record(evidence):
        if evidence.is_awaiting_appraisal:  # sent back to awaiting: nobody has appraised it
            evidence.appraised_by, evidence.appraised_at = None, None
        evidence.save()
        return
    if evidence.added_by_id is not None and evidence.added_by_id == request.user.pk:
        evidence_appraise(evidence=evidence, editor=request.user)  # their own link: no news
        return
    change = {"replace": evidence} if evidence.pk else {"add": evidence}
    effect = verdict_preview(evidence.claim, **change)  # before the save changes the scores
    evidence_appraise(evidence=evidence, editor=request.user)
    message = APPRAISED_MESSAGE.format(study=evidence.study, claim=evidence.claim, effect=effect)
    model_admin.message_user(request, message, messages.SUCCESS)


class EvidenceInline(admin.StackedInline):
    model = Evidence
    form = EvidenceForm
    extra = 0
    autocomplete_fields = ("study",)
    show_change_link = True  # the full form previews an appraisal's effect
    formfield_overrides = REASON_ROWS
    readonly_fields = ("added_by", "appraised_by", "appraised_at")
    fieldsets = (
        (None, {"fields": ("study", *LINK_FIELDS, ("added_by", "appraised_by", "appraised_at"))}),
        *JUDGEMENT_FIELDSETS,
    )

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = with_editor(formset.form, request)
        return formset


class IdealStudyInline(admin.StackedInline):
    model = IdealStudy
    extra = 0
    # Drafted rows stay hidden from readers until an editor unticks "draft" here.
    fields = (("rank", "design", "is_draft"), "description", "why")


# The claim changelist's wording check: a column and a filter, without a query per row.


def with_wording_inputs(claims):
    """Annotate what the wording check needs besides the wording: whether the claim has
    standing studies (`has_studies`: approved, appraised, not retracted) and whether any is a
    trial or review of trials (`has_trial`)."""
    approved = Evidence.objects.standing().filter(claim=OuterRef("pk"))
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
        "certainty",
        "pro_score",
        "against_score",
        "featured",
        wording_fits,
        "updated_at",
    )
    list_filter = (
        "status",
        "claim_type",
        "topic",
        "verdict",
        "certainty",
        "featured",
        "publication_bias",
        WordingListFilter,
    )
    search_fields = ("slug", "statement", "plain_statement", "topic")
    prepopulated_fields = {"slug": ("plain_statement",)}
    SCORE_FIELDS = (
        "verdict_with_certainty",
        "pro_score",
        "against_score",
        "verdict",
        "certainty",
        "fragile",
        "scored_at",
    )
    readonly_fields = SCORE_FIELDS
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
        (
            "Certainty of the body of evidence",
            {
                "fields": ("publication_bias", "publication_bias_reason"),
                "description": "Suspected publication bias rates the certainty of the whole "
                "body of evidence down one level; give the reason readers will see.",
            },
        ),
        # Stored for lists and the API; claims.score_sync rescores after every save.
        ("Scores (computed)", {"fields": SCORE_FIELDS}),
    )

    @admin.display(description="Verdict and certainty")
    def verdict_with_certainty(self, obj):
        if obj is None or obj.pk is None:
            return "Scored once the claim is saved."
        return verdict_text(obj.verdict, obj.certainty)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Evidence:
            super().save_formset(request, form, formset, change)
            return
        evidence = formset.save(commit=False)
        for link in formset.deleted_objects:
            link.delete()
        for link in evidence:
            if link.pk is None:
                link.added_by = request.user
            save_evidence(self, request, link)
        formset.save_m2m()

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
        designs = obj.evidence.standing().values_list("study__design", flat=True)
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
    form = EvidenceForm
    list_display = (
        "study",
        "claim",
        "stance",
        "appraisal",
        "risk_of_bias_judgement",
        "certainty",
        "strength",
        "status",
    )
    list_filter = (
        "appraisal_status",
        "status",
        "stance",
        "risk_of_bias_judgement",
        "certainty",
        "study__design",
    )
    search_fields = ("study__title", "study__doi", "claim__slug", "finding")
    autocomplete_fields = ("claim", "study")
    list_select_related = ("study", "claim")
    formfield_overrides = REASON_ROWS
    APPRAISAL_RECORD = ("added_by", "appraised_by", "appraised_at", "verdict_effect")
    fieldsets = (
        ("Link", {"fields": (("claim", "study"), *LINK_FIELDS)}),
        *JUDGEMENT_FIELDSETS,
        ("Appraisal", {"fields": (("added_by", "appraised_by", "appraised_at"), "verdict_effect")}),
    )

    def get_readonly_fields(self, request, obj=None):
        # Moving evidence to another claim would leave the first claim's score stale: add
        # the study to the other claim instead.
        return ("claim", *self.APPRAISAL_RECORD) if obj else self.APPRAISAL_RECORD

    def get_form(self, request, obj=None, **kwargs):
        return with_editor(super().get_form(request, obj, **kwargs), request)

    @admin.display(description="Appraisal", ordering="appraisal_status")
    def appraisal(self, obj):
        if not obj.is_awaiting_appraisal:
            return obj.get_appraisal_status_display()
        url = reverse("admin:claims_evidence_change", args=[obj.pk])
        return format_html('Awaiting appraisal: <a href="{}">appraise</a>', url)

    @admin.display(description="Effect on the verdict")
    def verdict_effect(self, obj):
        """What the verdict and certainty become: with what the editor previewed, or with
        the link as stored (appraised as it stands, or removed)."""
        preview = getattr(obj, "_preview", None)
        if preview is not None:
            return preview or PREVIEW_INVALID
        if obj is None or obj.pk is None:
            return PREVIEW_HINT
        stored = Evidence.objects.select_related("claim", "study").filter(pk=obj.pk).first()
        if stored is None:  # deleted meanwhile
            return PREVIEW_HINT
        if stored.status != Evidence.Status.APPROVED:
            return "Not approved: it counts for nothing. " + PREVIEW_HINT
        if stored.is_awaiting_appraisal:
            stored.appraisal_status = Evidence.Appraisal.APPRAISED
            return "If appraised as it stands: " + verdict_preview(stored.claim, replace=stored)
        return "Without this link: " + verdict_preview(stored.claim, remove=stored)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.added_by = request.user
        save_evidence(self, request, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and PREVIEW in request.POST:
            return self.preview_view(request, object_id, form_url, extra_context)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def preview_view(self, request, object_id, form_url="", extra_context=None):
        """The change form, validated against what was posted and shown again with what the
        verdict and certainty would become; nothing is saved."""
        add = object_id is None
        obj = None if add else self.get_object(request, unquote(object_id))
        if not add and obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        allowed = (
            self.has_add_permission(request) if add else self.has_change_permission(request, obj)
        )
        if not allowed:
            raise PermissionDenied
        fieldsets = self.get_fieldsets(request, obj)
        form_class = self.get_form(
            request, obj, change=not add, fields=flatten_fieldsets(fieldsets)
        )
        form = form_class(request.POST, request.FILES, instance=obj)
        edited = form.instance
        if form.is_valid():
            change = {"add": edited} if add else {"replace": edited}
            edited._preview = verdict_preview(edited.claim, **change)
            self.message_user(
                request, PREVIEW_MESSAGE.format(effect=edited._preview), messages.INFO
            )
        else:
            edited._preview = ""
        admin_form = helpers.AdminForm(
            form,
            list(fieldsets),
            self.get_prepopulated_fields(request, obj),
            self.get_readonly_fields(request, obj),
            model_admin=self,
        )
        verb = "Add" if add else "Change"
        context = {
            **self.admin_site.each_context(request),
            "title": f"{verb} {self.opts.verbose_name}",
            "subtitle": str(obj) if obj else None,
            "adminform": admin_form,
            "object_id": object_id,
            "original": obj,
            "is_popup": IS_POPUP_VAR in request.POST,
            "to_field": request.POST.get(TO_FIELD_VAR),
            "media": self.media + admin_form.media,
            "inline_admin_formsets": [],
            "errors": helpers.AdminErrorList(form, []),
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        return self.render_change_form(
            request, context, add=add, change=not add, obj=obj, form_url=form_url
        )


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


def with_currency(analyses):
    """`is_current`: no later version of the claim exists; `claim_basis`: the claim's
    basis_digest, which differs from a current analysis's when it is out of date."""
    newer = Analysis.objects.filter(claim=OuterRef("claim_id"), version__gt=OuterRef("version"))
    return analyses.annotate(is_current=~Exists(newer), claim_basis=F("claim__basis_digest"))


class OutOfDateFilter(admin.SimpleListFilter):
    """Current analyses written on other evidence than the claim now counts: to update."""

    title = "out of date"
    parameter_name = "out_of_date"

    def lookups(self, request, model_admin):
        return [("yes", "Out of date"), ("no", "Up to date")]

    def queryset(self, request, queryset):
        if self.value() not in ("yes", "no"):
            return None
        current = queryset.filter(is_current=True)  # AnalysisAdmin.get_queryset annotates it
        same_basis = {"basis_digest": F("claim__basis_digest")}
        if self.value() == "yes":
            return current.exclude(**same_basis)
        return current.filter(**same_basis)


@admin.register(Analysis)
class AnalysisAdmin(LockVersionAdminMixin, admin.ModelAdmin):
    list_display = (
        "__str__",
        "version",
        "author",
        "published_at",
        "pro",
        "against",
        "verdict",
        "certainty",
        "out_of_date",
    )
    list_filter = (OutOfDateFilter, "claim__topic")
    list_select_related = ("claim", "author")
    search_fields = ("claim__slug", "summary", "change_note")
    autocomplete_fields = ("claim",)
    RECORDED = ("pro", "against", "verdict", "certainty", "certainty_reasons_text")
    readonly_fields = ("version", *RECORDED, "out_of_date")
    inlines = [MechanismInline]

    def get_queryset(self, request):
        return with_currency(super().get_queryset(request))  # for out_of_date

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else self.RECORDED

    def get_fields(self, request, obj=None):
        fields = ["claim", "summary", "change_note", "published_at", *self.RECORDED]
        return ["version", "out_of_date", *fields, "lock_version"] if obj else fields

    @admin.display(description="Out of date")
    def out_of_date(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        if not obj.is_current:
            return "Superseded"
        if obj.basis_digest != obj.claim_basis:
            return "Out of date: the counted evidence changed since it was published"
        return "Up to date"

    @admin.display(description="Certainty reasons")
    def certainty_reasons_text(self, obj):
        return " ".join(obj.certainty_reasons) if obj and obj.certainty_reasons else "-"

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
