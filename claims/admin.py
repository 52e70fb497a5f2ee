import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IS_POPUP_VAR, TO_FIELD_VAR
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.db.models import Exists, F, OuterRef
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.html import format_html
from django.utils.text import Truncator

from .appraisal import (
    OWN_LINK_FIELDS,
    SCORED_FIELDS,
    changes_preview,
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


# Ids in staff POSTs that are not ids ("abc", "1.5", past the database's integers): a form
# error or a message, never a 500. Every ModelAdmin and inline here takes SafeIdsMixin.
BAD_IDS_MESSAGE = "Ignored {ids}: not the id of any {name}."
SHOWN_BAD_IDS = 5


def is_key(field, value) -> bool:
    """Whether `value` can be looked up in the model field `field` without the database
    refusing it: "abc" is no integer, and SQLite overflows on one past 64 bits."""
    try:
        value = field.to_python(value)
    except ValidationError:
        return False
    if isinstance(value, int):
        low, high = connection.ops.integer_field_ranges.get(field.get_internal_type(), (None, None))
        return (low is None or low <= value) and (high is None or value <= high)
    return True


def related_key_field(model_field):
    """The field of the related model that a relation's posted values name."""
    remote = model_field.remote_field
    opts = remote.model._meta
    return opts.get_field(getattr(remote, "field_name", None) or opts.pk.name)


def quoted(values) -> str:
    shown = ", ".join(f"“{Truncator(str(v)).chars(20)}”" for v in values[:SHOWN_BAD_IDS])
    return shown + (" …" if len(values) > SHOWN_BAD_IDS else "")


class KeySafeAutocompleteMixin:
    """Renders the posted selection without querying for what is not a key: Django's widget
    looked a posted "abc" up again to show it (ValueError, a 500 instead of the form error)."""

    def optgroups(self, name, value, attr=None):
        field = related_key_field(self.field)
        keys = [v for v in value if v in (None, "") or is_key(field, v)]
        return super().optgroups(name, keys, attr)


class KeySafeAutocompleteSelect(KeySafeAutocompleteMixin, AutocompleteSelect):
    pass


class KeySafeAutocompleteSelectMultiple(KeySafeAutocompleteMixin, AutocompleteSelectMultiple):
    pass


class KeySafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses a value past the database's integers as it refuses "abc" (it overflowed)."""

    def _check_values(self, value):
        opts = self.queryset.model._meta
        field = opts.get_field(self.to_field_name) if self.to_field_name else opts.pk
        for key in value:
            if not is_key(field, key):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": key},
                )
        return super()._check_values(value)


class SafeIdsMixin:
    """For ModelAdmins and inlines: autocompletes render and validate bad ids as form errors,
    and changelist actions drop selected "ids" that are not ids, with a message."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeySafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeySafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", KeySafeModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def response_action(self, request, queryset):
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        keys = [value for value in selected if is_key(self.opts.pk, value)]
        if len(keys) < len(selected):
            bad = [value for value in selected if not is_key(self.opts.pk, value)]
            message = BAD_IDS_MESSAGE.format(ids=quoted(bad), name=self.opts.verbose_name)
            self.message_user(request, message, messages.WARNING)
            posted = request.POST.copy()
            posted.setlist(helpers.ACTION_CHECKBOX_NAME, keys)
            request.POST = posted  # Django's response_action filters the selection by it
        return super().response_action(request, queryset)


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
PREVIEW = "_preview"  # the Evidence and Claim change forms' "Preview effect" button
PREVIEWED = "_previewed"  # on the claim form: the token of the changes last previewed
PREVIEW_MESSAGE = "Preview, nothing saved: {effect}"
HELD_MESSAGE = (
    "Nothing saved yet. Your changes to the evidence: {effect}. Check what they do, then "
    "save again."
)
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # A link keeps its claim and study: another study would inherit this one's
            # appraisal and reasons (to link another study, add a link).
            for name in ("claim", "study"):
                if name in self.fields:
                    self.fields[name].disabled = True

    def clean(self):
        cleaned = super().clean()
        evidence = self.instance  # still as stored: the form copies its values on after clean()
        changed = OWN_LINK_FIELDS.intersection(self.changed_data)
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


def scored_values(link: Evidence) -> list[str]:
    return [
        str(getattr(link, link._meta.get_field(name).attname)) for name in sorted(SCORED_FIELDS)
    ]


def preview_token(request, claim, changes) -> str:
    """A token for these changes to the claim's evidence, by this editor, with the claim's
    own scoring inputs as posted: saving with it saves what was previewed."""
    payload = [request.user.pk, claim.pk, claim.claim_type, claim.publication_bias, changes]
    return salted_hmac("claims.admin.preview", json.dumps(payload, default=str)).hexdigest()


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
            elif SCORED_FIELDS.intersection(form.changed_data):
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
class ClaimAdmin(SafeIdsMixin, LockVersionAdminMixin, admin.ModelAdmin):
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
        ("Scores (computed)", {"fields": (*SCORE_FIELDS, "preview_effect")}),
    )

    @admin.display(description="Verdict and certainty")
    def verdict_with_certainty(self, obj):
        if obj is None or obj.pk is None:
            return "Scored once the claim is saved."
        return verdict_text(obj.verdict, obj.certainty)

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


@admin.register(Evidence)
class EvidenceAdmin(SafeIdsMixin, admin.ModelAdmin):
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


class MechanismStepInline(SafeIdsMixin, admin.StackedInline):
    model = MechanismStep
    extra = 0
    autocomplete_fields = ("citations",)
    fields = ("order", "text", "citations")


@admin.register(Mechanism)
class MechanismAdmin(SafeIdsMixin, admin.ModelAdmin):
    list_display = ("__str__", "kind", "rank", "analysis")
    list_filter = ("kind",)
    search_fields = ("simple_summary", "analysis__claim__slug")
    autocomplete_fields = ("analysis",)
    inlines = [MechanismStepInline]


class MechanismInline(SafeIdsMixin, admin.StackedInline):
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
class AnalysisAdmin(SafeIdsMixin, LockVersionAdminMixin, admin.ModelAdmin):
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
