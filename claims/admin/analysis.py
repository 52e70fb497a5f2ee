"""The Analysis admin (published versions of a claim's synthesis) and its mechanisms."""

from django.contrib import admin
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from core.admin import SafeIdsMixin
from core.audit import AuditedAdmin

from ..models import Analysis, Mechanism, MechanismStep
from ..services import analysis_publish
from .locking import LockVersionAdminMixin, LockVersionForm


class MechanismStepInline(SafeIdsMixin, admin.StackedInline):
    model = MechanismStep
    extra = 0
    autocomplete_fields = ("citations", "inferred_from")
    fields = ("order", "text", "citations", "inferred_from")


def recorded(analysis) -> bool:
    """A replaced version whose mechanisms were recorded when the next one was published: its
    page shows that record, so its rows are read-only (an edit would change no page)."""
    return analysis is not None and analysis.mechanisms_recorded_at is not None


class RecordedReadOnly:
    """Admin permissions for a mechanism's rows: read-only once its version is recorded."""

    def _analysis(self, obj):
        return obj if isinstance(obj, Analysis) else getattr(obj, "analysis", None)

    def has_change_permission(self, request, obj=None):
        return not recorded(self._analysis(obj)) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not recorded(self._analysis(obj)) and super().has_delete_permission(request, obj)


class RecordedStepInline(RecordedReadOnly, MechanismStepInline):
    def _analysis(self, obj):
        return getattr(obj, "analysis", None)  # obj: the mechanism

    def has_add_permission(self, request, obj=None):
        return not recorded(self._analysis(obj)) and super().has_add_permission(request, obj)


@admin.register(Mechanism)
class MechanismAdmin(SafeIdsMixin, RecordedReadOnly, AuditedAdmin):
    list_display = ("__str__", "kind", "rank", "analysis")
    list_filter = ("kind",)
    search_fields = ("simple_summary", "analysis__claim__slug")
    autocomplete_fields = ("analysis",)
    inlines = [RecordedStepInline]


class MechanismInline(SafeIdsMixin, RecordedReadOnly, admin.StackedInline):
    model = Mechanism
    extra = 0
    fields = (("kind", "rank"), "simple_summary", "scientific_summary")
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return not recorded(obj) and super().has_add_permission(request, obj)


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


class AnalysisForm(LockVersionForm):
    """A new version is dated no earlier than the claim's latest one: History's dates, the
    trust block's "first published" and every citation read the versions in order."""

    class Meta:
        model = Analysis
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        claim, published_at = cleaned.get("claim"), cleaned.get("published_at")
        if self.instance.pk is None and claim and published_at:
            latest = Analysis.objects.for_claim(claim).first()
            if latest and published_at < latest.published_at:
                moment = timezone.localtime(latest.published_at)
                self.add_error(
                    "published_at",
                    f"Version {latest.version} of this claim was published on "
                    f"{moment:%Y-%m-%d %H:%M}: a new version cannot be dated before it.",
                )
        return cleaned


@admin.register(Analysis)
class AnalysisAdmin(SafeIdsMixin, LockVersionAdminMixin, AuditedAdmin):
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
    form = AnalysisForm

    def get_queryset(self, request):
        return with_currency(super().get_queryset(request))  # for out_of_date

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.RECORDED
        # A published version stays on its claim and its date: its page, History and every
        # citation of it say so. A version still scheduled (dated ahead) may be moved.
        fixed = ("claim", "published_at") if obj.published_at <= timezone.now() else ("claim",)
        return (*self.readonly_fields, *fixed)

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
