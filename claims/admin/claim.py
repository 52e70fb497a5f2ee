"""The Claim admin: its evidence rows (held back until their effect on the verdict has been
previewed), its ideal studies, the wording check and drafting gold-standard studies."""

import json

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.forms.models import BaseInlineFormSet
from django.utils.crypto import constant_time_compare, salted_hmac

from core.admin import SafeIdsMixin
from core.audit import AuditedAdmin

from ..appraisal import SCORED_FIELDS, changes_preview
from ..gold_standard import suggest_ideal_studies
from ..models import Claim, Evidence, IdealStudy
from ..verdict_text import verdict_and_certainty
from ..wording import CAUSAL_DESIGNS, HEADING, overstated_verbs, wording_warning
from .evidence import (
    EFFECT_FIELDSET,
    JUDGEMENT_FIELDSETS,
    LINK_FIELDS,
    PREVIEW,
    PREVIEW_HINT,
    PREVIEW_INVALID,
    PREVIEW_MESSAGE,
    REASON_ROWS,
    EvidenceForm,
    save_evidence,
    with_editor,
)
from .locking import LockVersionAdminMixin

PREVIEWED = "_previewed"  # on the claim form: the token of the changes last previewed
HELD_MESSAGE = (
    "Nothing saved yet. Your changes to the evidence: {effect}. Check what they do, then "
    "save again."
)


def scored_values(link: Evidence) -> list[str]:
    return [
        str(getattr(link, link._meta.get_field(name).attname)) for name in sorted(SCORED_FIELDS)
    ]


def preview_token(request, claim, changes) -> str:
    """A token for these changes to the claim's evidence, by this editor, with the claim's
    own scoring inputs as posted: saving with it saves what was previewed."""
    payload = [request.user.pk, claim.pk, claim.claim_type, claim.publication_bias, changes]
    # The salt still names claims/admin.py, where this began: a new one would void the
    # tokens of forms already open.
    return salted_hmac("claims.admin.preview", json.dumps(payload, default=str)).hexdigest()


def _rederived(form) -> bool:
    """A new CI changed the link's derived `imprecise` flag (Evidence.clean derives it): a
    scoring change, though the flag's own field (read-only then) did not change."""
    return form.instance.imprecise != form.initial.get("imprecise", form.instance.imprecise)


class EvidenceFormSet(BaseInlineFormSet):
    """The claim form's evidence rows. Valid changes that can move the verdict or the
    certainty are held back until the editor has seen their effect: is_valid() answers
    False, with no error, so the admin shows the form again (with the effect) instead of
    saving. Held on "Preview effect", and on a save whose changes are not the ones last
    previewed (PREVIEWED carries their token)."""

    request = None  # set per request by EvidenceInline.get_formset
    held = False
    token = ""

    def is_valid(self):
        valid = super().is_valid()
        if not valid or self.request is None or not self.is_bound:
            return valid
        changes = self.scored_changes()
        self.token = preview_token(self.request, self.instance, changes)
        posted = self.request.POST
        previewed = constant_time_compare(posted.get(PREVIEWED, ""), self.token)
        self.held = PREVIEW in posted or bool(changes and not previewed)
        return not self.held

    def scored_changes(self) -> list:
        """The rows whose change can move the verdict, with their new scoring inputs."""
        rows = []
        for index, form in enumerate(self.forms):
            link = form.instance
            if self._should_delete_form(form):
                if link.pk is not None:
                    rows.append(["removed", link.pk])
            elif link.pk is None:
                if form.has_changed():
                    rows.append(["added", index, scored_values(link)])
            elif SCORED_FIELDS.intersection(form.changed_data) or _rederived(form):
                rows.append(["changed", link.pk, scored_values(link)])
        return rows

    def changes(self) -> dict:
        """The unsaved links as changes_preview takes them."""
        changes = {"replaced": [], "added": [], "removed": []}
        for form in self.forms:
            link = form.instance
            if self._should_delete_form(form):
                if link.pk is not None:
                    changes["removed"].append(link)
            elif form.has_changed():
                changes["added" if link.pk is None else "replaced"].append(link)
        return changes


class EvidenceInline(SafeIdsMixin, admin.StackedInline):
    model = Evidence
    form = EvidenceForm
    formset = EvidenceFormSet
    extra = 0
    autocomplete_fields = ("study",)
    show_change_link = True  # the full form previews an appraisal's effect
    formfield_overrides = REASON_ROWS
    readonly_fields = ("added_by", "appraised_by", "appraised_at")
    fieldsets = (
        (None, {"fields": ("study", *LINK_FIELDS, ("added_by", "appraised_by", "appraised_at"))}),
        EFFECT_FIELDSET,
        *JUDGEMENT_FIELDSETS,
    )

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        attributes = {"form": with_editor(formset.form, request), "request": request}
        return type(formset.__name__, (formset,), attributes)


class IdealStudyInline(SafeIdsMixin, admin.StackedInline):
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
class ClaimAdmin(SafeIdsMixin, LockVersionAdminMixin, AuditedAdmin):
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
    readonly_fields = (*SCORE_FIELDS, "preview_effect")
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
                )
            },
        ),
        (
            "PICO",
            {
                "fields": (
                    "population",
                    "intervention",
                    "comparator",
                    "outcome",
                    "time_frame",
                    ("important_effect", "important_effect_measure", "important_effect_unit"),
                    "expected_direction",
                ),
                "description": "The question the claim answers, and the smallest effect on the "
                "outcome that matters (empty: any effect). Each link's CI is read against it: "
                "its “imprecise” flag follows.",
            },
        ),
        ("Wording", {"fields": ("plain_statement", "headline", "statement", "wording_check")}),
        (
            "Where the claim was made",
            {
                "fields": (("source_name", "source_is_person"), "source_url", "source_date"),
                "description": "When known: search engines show who made the claim, when and "
                "where, beside our review.",
                "classes": ("collapse",),
            },
        ),
        ("Synthesis", {"fields": ("summary", "explanation")}),
        (
            "What this means for you",
            {
                "fields": ("bottom_line",),
                "description": "The practical bottom line, in plain language, shown under the "
                "verdict beside the not-medical-advice notice. Say no more than the certainty "
                "allows: at low or very low certainty, “may”, “very uncertain”.",
            },
        ),
        (
            "Certainty of the body of evidence",
            {
                "fields": ("publication_bias", "publication_bias_reason"),
                "description": "Suspected publication bias rates the certainty of the whole "
                "body of evidence down one level; give the reason readers will see.",
            },
        ),
        # Stored for lists and the API; claims.receivers rescore after every save.
        ("Scores (computed)", {"fields": (*SCORE_FIELDS, "preview_effect")}),
    )

    @admin.display(description="Verdict and certainty")
    def verdict_with_certainty(self, obj):
        if obj is None or obj.pk is None:
            return "Scored once the claim is saved."
        return verdict_and_certainty(obj.verdict, obj.certainty)

    @admin.display(description="Effect of your changes")
    def preview_effect(self, obj):
        """What the posted changes to the claim and its evidence make of the verdict and
        certainty, once previewed (render_change_form)."""
        preview = getattr(obj, "_preview", None)
        if preview is not None:
            return preview or PREVIEW_INVALID
        return PREVIEW_HINT

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        """The form shown again with the effect of its changes, nothing saved, when the
        evidence rows held them back (EvidenceFormSet)."""
        inlines = [inline.formset for inline in context.get("inline_admin_formsets", ())]
        evidence = next((f for f in inlines if f.model is Evidence), None)
        form = context["adminform"].form
        if evidence is not None and evidence.held:
            others = [f for f in inlines if f is not evidence]
            if form.is_valid() and all(f.is_valid() for f in others):
                edited = form.instance
                stored = Claim.objects.filter(pk=edited.pk).first() if edited.pk else None
                stored = stored or edited  # a claim being added has no evidence yet
                edited._preview = changes_preview(stored, edited_claim=edited, **evidence.changes())
                explicit = PREVIEW in request.POST
                message = (PREVIEW_MESSAGE if explicit else HELD_MESSAGE).format(
                    effect=edited._preview
                )
                self.message_user(request, message, messages.INFO if explicit else messages.WARNING)
                context["previewed"] = evidence.token
            else:
                form.instance._preview = ""
        elif request.method == "POST" and PREVIEW in request.POST:
            form.instance._preview = ""  # errors kept it from previewing
        return super().render_change_form(request, context, add, change, form_url, obj)

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
