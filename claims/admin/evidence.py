"""Appraising evidence: the appraisal form, saving a link, and the Evidence admin's
"Preview effect" (what the verdict and certainty would become, nothing saved)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IS_POPUP_VAR, TO_FIELD_VAR
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.urls import reverse
from django.utils.html import format_html

from core.admin import SafeIdsMixin
from core.audit import AuditedAdmin

from .. import effects
from ..appraisal import (
    OWN_LINK_FIELDS,
    ensure_may_add,
    ensure_may_appraise,
    evidence_appraise,
    needs_appraisal_record,
    verdict_preview,
)
from ..models import Evidence

# Appraising evidence (design.md §3): the link, then each judgement beside its reason.
PREVIEW = "_preview"  # the Evidence and Claim change forms' "Preview effect" button
PREVIEW_MESSAGE = "Preview, nothing saved: {effect}"
PREVIEW_INVALID = "Correct the errors below, then preview again."
PREVIEW_HINT = "Press “Preview effect” to see what the verdict and certainty will become."
APPRAISED_MESSAGE = "Appraised “{study}” for “{claim}”: {effect}"
REASON_ROWS = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 60})}}
LINK_FIELDS = (("stance", "status", "appraisal_status"), "finding", "strength")
# The effect the study reports (issue 14); with a CI it decides the imprecise flag.
EFFECT_FIELDSET = (
    "Effect",
    {
        "fields": (
            "outcome",
            ("effect_measure", "effect_estimate", "effect_ci_lower", "effect_ci_upper"),
            ("effect_ci_kind", "effect_unit", "effect_time_point"),
            ("n_analysed", "effect_reported_in"),
        ),
        "description": "As the paper reports it; every field is optional. With a 95% "
        "interval (a confidence interval, or a Bayesian credible interval or HDI: read the same "
        "way), “imprecise” below is derived from it and the claim's smallest important effect.",
    },
)
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._show_derived_imprecision()
        if self.instance.pk is not None:
            # A link keeps its claim and study: another study would inherit this one's
            # appraisal and reasons (to link another study, add a link).
            for name in ("claim", "study"):
                if name in self.fields:
                    self.fields[name].disabled = True

    def _show_derived_imprecision(self) -> None:
        """With a CI stored, `imprecise` is derived (Evidence.derive_imprecise): read-only here,
        with the reason. A CI typed in now takes effect on save the same way."""
        field = self.fields.get("imprecise")
        evidence = self.instance
        if field is None or not effects.has_ci(evidence) or evidence.claim_id is None:
            return
        field.disabled = True
        words = effects.reading(evidence, evidence.claim).words
        field.help_text = f"{effects.DERIVED_HELP} The CI reads: {words}."

    def clean(self):
        cleaned = super().clean()
        ci = (cleaned.get(name) for name in ("effect_ci_lower", "effect_ci_upper"))
        if self.fields.get("imprecise", forms.Field()).disabled and None in ci:
            # The CI that decided the flag is removed: the flag is the editor's again, and a
            # disabled checkbox posts nothing (so it is unticked).
            cleaned["imprecise"] = False
        evidence = self.instance  # still as stored: the form copies its values on after clean()
        changed = OWN_LINK_FIELDS.intersection(self.changed_data)
        if evidence.pk is None and self.editor is not None and self.has_changed():
            claim, study = cleaned.get("claim") or evidence.claim_id, cleaned.get("study")
            try:
                ensure_may_add(
                    claim_id=getattr(claim, "pk", claim),
                    study_id=getattr(study, "pk", None),
                    editor=self.editor,
                )
            except ValidationError as error:
                self.add_error("study" if "study" in self.fields else None, error)
        if evidence.pk is not None and self.editor is not None and changed:
            try:
                ensure_may_appraise(
                    awaiting=evidence.is_awaiting_appraisal,
                    added_by_id=evidence.added_by_id,
                    editor=self.editor,
                    claim_id=evidence.claim_id,
                    study_id=evidence.study_id,
                )
            except ValidationError as error:
                self.add_error(
                    "appraisal_status" if "appraisal_status" in self.fields else None, error
                )
        return cleaned


def with_editor(form_class, request):
    return type(form_class.__name__, (form_class,), {"editor": request.user})


def save_evidence(model_admin, request, evidence: Evidence) -> None:
    """Save a link from the admin. Saving one as "appraised" that is new, was awaiting
    appraisal or has a judgement changed (a re-appraisal) records who appraised it and when,
    and says what it did to the verdict."""
    if not needs_appraisal_record(evidence):
        if evidence.is_awaiting_appraisal:  # sent back to awaiting: nobody has appraised it
            evidence.appraised_by, evidence.appraised_at = None, None
        evidence.save()
        return
    change = {"replace": evidence} if evidence.pk else {"add": evidence}
    effect = verdict_preview(evidence.claim, **change)  # before the save changes the scores
    evidence_appraise(evidence=evidence, editor=request.user)
    message = APPRAISED_MESSAGE.format(study=evidence.study, claim=evidence.claim, effect=effect)
    model_admin.message_user(request, message, messages.SUCCESS)


@admin.register(Evidence)
class EvidenceAdmin(SafeIdsMixin, AuditedAdmin):
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
        EFFECT_FIELDSET,
        *JUDGEMENT_FIELDSETS,
        ("Appraisal", {"fields": (("added_by", "appraised_by", "appraised_at"), "verdict_effect")}),
    )

    def get_readonly_fields(self, request, obj=None):
        # A link keeps its claim and study: moved to another claim it would leave the first
        # claim's score stale, and another study would inherit this one's appraisal and
        # reasons. Add a link instead.
        if obj:
            return ("claim", "study", *self.APPRAISAL_RECORD)
        return self.APPRAISAL_RECORD

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
