from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from core.admin import SafeIdsMixin

from .crossref import CrossrefError
from .models import REVIEW_DESIGNS, Study
from .services import study_import_doi

POOLED_IN_NOT_REVIEW = (
    "“{study}” is a {design}, not a systematic review or meta-analysis: a study can only be "
    "pooled in a review."
)
POOLED_IN_ITSELF = "A study cannot be pooled in itself."
POOLED_IN_LOOP = (
    "Pooling this study in “{review}” would make a loop of reviews pooled in each other "
    "({loop}): each would count only through another, so none would count. Remove the link "
    "that is wrong."
)
FETCHED_MESSAGE = "Updated {count} study(ies) from Crossref."
NO_DOI_MESSAGE = "“{study}” has no DOI: nothing to fetch."
FETCH_FAILED_MESSAGE = "Not updated: “{study}”. {error}"


class StudyAdminForm(forms.ModelForm):
    class Meta:
        model = Study
        fields = "__all__"

    def clean_pooled_in(self):
        reviews = self.cleaned_data["pooled_in"]
        errors = [
            ValidationError(POOLED_IN_NOT_REVIEW.format(study=study, design=study.design_label))
            for study in reviews
            if not study.is_review
        ]
        if self.instance.pk is not None and any(s.pk == self.instance.pk for s in reviews):
            errors.append(ValidationError(POOLED_IN_ITSELF))
        elif self.instance.pk is not None:
            loop = pooled_in_loop(self.instance, reviews)
            if loop:
                names = " → ".join(f"“{study}”" for study in loop)
                errors.append(ValidationError(POOLED_IN_LOOP.format(review=loop[1], loop=names)))
        if errors:
            raise ValidationError(errors)
        return reviews


def pooled_in_loop(study, reviews) -> list:
    """The shortest loop that pooling `study` in `reviews` would close: [study, the review,
    …, study], each pooled in the next; [] when there is none. One query per level of
    nesting (reviews of reviews are rare), one for the names."""
    through = Study.pooled_in.through.objects
    came_from = {review.pk: None for review in reviews}  # reached from the study itself
    frontier = set(came_from)
    while frontier and study.pk not in came_from:
        upward = through.filter(from_study_id__in=frontier).values_list(
            "from_study_id", "to_study_id"
        )
        frontier = set()
        for lower, review in upward.order_by("from_study_id", "to_study_id"):
            if review not in came_from:
                came_from[review] = lower
                frontier.add(review)
    if study.pk not in came_from:
        return []
    chain = [study.pk]  # walked back down: study ← … ← the review it would be pooled in
    while came_from[chain[-1]] is not None:
        chain.append(came_from[chain[-1]])
    path = [study.pk, *reversed(chain)]
    names = Study.objects.in_bulk(set(path))
    return [names[pk] for pk in path]


@admin.register(Study)
class StudyAdmin(SafeIdsMixin, admin.ModelAdmin):
    form = StudyAdminForm
    list_display = (
        "title",
        "doi",
        "year",
        "design",
        "design_confirmed",
        "sample_size",
        "retraction_status",
        "journal",
    )
    list_filter = ("retraction_status", "design", "design_confirmed", "year")
    search_fields = ("doi", "title", "authors", "journal", "trial_registration")
    autocomplete_fields = ("pooled_in",)
    readonly_fields = ("created_at", "updated_at")
    actions = ["fetch_metadata"]
    # Saving rescores every claim the study informs (claims.receivers), pooled_in included.
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "doi",
                    "title",
                    "authors",
                    "journal",
                    "year",
                    "design",
                    "design_confirmed",
                    "sample_size",
                    "population",
                    "duration_weeks",
                    "abstract",
                    "url",
                )
            },
        ),
        (
            "Trial and reviews",
            {
                "fields": ("trial_registration", "pooled_in"),
                "description": "Publications of one trial share its registration and count "
                "once on a claim; a study pooled in a review that the claim cites too counts "
                "through the review only.",
            },
        ),
        (
            "Retraction",
            {
                "fields": ("retraction_status", ("retraction_notice_doi", "retraction_date")),
                "description": "A retracted study counts for nothing on every claim.",
            },
        ),
        ("Funding and conflicts of interest", {"fields": ("funding", "conflicts_of_interest")}),
        (None, {"fields": ("created_at", "updated_at")}),
    )

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # The pooled-in autocomplete offers reviews only (the form refuses anything else).
        if (request.GET.get("model_name"), request.GET.get("field_name")) == ("study", "pooled_in"):
            queryset = queryset.filter(design__in=REVIEW_DESIGNS)
        return queryset, may_have_duplicates

    @admin.action(description="Fetch metadata from Crossref", permissions=["change"])
    def fetch_metadata(self, request, queryset):
        """Title, authors, journal, year, abstract and link from Crossref; never the design."""
        updated = 0
        for study in queryset:
            if not study.doi:
                self.message_user(request, NO_DOI_MESSAGE.format(study=study), messages.WARNING)
                continue
            try:
                study_import_doi(doi=study.doi)
            except (CrossrefError, ValidationError) as error:
                message = FETCH_FAILED_MESSAGE.format(study=study, error=_text(error))
                self.message_user(request, message, messages.ERROR)
            else:
                updated += 1
        if updated:
            self.message_user(request, FETCHED_MESSAGE.format(count=updated), messages.SUCCESS)


def _text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)
