"""The claim list's filters: one form that the claim list page and the API's claim list both
parse their query string with, the function that applies it, and the topics to choose from.

The two lists take different fields (only the API filters by certainty and last change, only
the page sorts), so each names the fields it takes; a value is checked the same way in both.
The API answers a bad value with a 400 carrying the field's error; the page ignores that
filter and shows the error beside it.
"""

import datetime
import re
from collections.abc import Iterable, Mapping

from django import forms
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

import scoring

from .models import Claim, ClaimQuerySet, ClaimType

TOPICS_KEY = "claim-topics"
# A bulk update() of claims sends no signal, so the topics are re-read after this long anyway.
TOPICS_TIMEOUT = 5 * 60

QUERY_LENGTH = 200  # longer searches are cut, not refused
# The certainty filter's values: GRADE levels, highest first (as in the claim records).
CERTAINTY_FILTER = tuple(value for value, _ in scoring.CERTAINTIES)
SORTS = ("relevance", "newest", "strongest")

# Error messages: module constants so tests assert on them. The API names its parameters; the
# page names the control a reader sees and what the list shows instead.
BAD_CHOICE = "{name} must be one of: {allowed}."
BAD_CHOICE_ON_PAGE = "We do not know the {control} “%(value)s”: showing {instead}."
PAGE_CONTROLS = {
    "type": ("claim type", "all types"),
    "verdict": ("verdict", "all verdicts"),
    "sort": ("sort order", "newest first"),
}
SEARCH_ORDER = "best match first"  # what "sort" falls back to when the reader searched
SHOWN_VALUE_LENGTH = 40
BAD_UPDATED_SINCE = (
    "updated_since must be an ISO 8601 date or date-time, e.g. 2025-01-31 or 2025-01-31T12:00:00Z."
)
# A "+" written raw in a query string arrives as a space: "…T10:00:00 01:00".
BAD_UPDATED_SINCE_PLUS = (
    "updated_since has a space where its offset's sign should be: in a query string + means "
    "a space, so write + as %2B (updated_since=2025-01-31T12:00:00%2B01:00) or give the time "
    "in UTC with Z (2025-01-31T11:00:00Z)."
)
_OFFSET_AFTER_SPACE = re.compile(r"\d:\d{2}(:\d{2}(\.\d+)?)? \d{2}(:?\d{2})?$")

# The fields each list takes, in the order their errors are reported.
LIST_FIELDS = ("q", "topic", "type", "verdict", "sort")
API_FIELDS = ("q", "topic", "type", "verdict", "certainty", "updated_since")


class _ChoiceField(forms.ChoiceField):
    def validate(self, value):
        try:
            super().validate(value)
        except ValidationError as error:
            # The page repeats the value typed: a long one is cut, not echoed whole.
            shown = value if len(value) <= SHOWN_VALUE_LENGTH else value[:SHOWN_VALUE_LENGTH] + "…"
            message = self.error_messages["invalid_choice"]
            params = {"value": shown}
            raise ValidationError(message, code="invalid_choice", params=params) from error


def _choice(name: str, values: Iterable[str]) -> forms.ChoiceField:
    values = tuple(values)
    message = BAD_CHOICE.format(name=name, allowed=", ".join(values))
    return _ChoiceField(
        choices=[("", "")] + [(value, value) for value in values],
        required=False,
        error_messages={"invalid_choice": message},
    )


def parse_since(value: str) -> datetime.datetime:
    """An ISO date (midnight UTC) or date-time (UTC when it has no offset)."""
    try:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            if day is None:
                raise ValueError(value)
            moment = datetime.datetime.combine(day, datetime.time())
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, datetime.UTC)
        # The database compares in UTC: a moment at the edge of the calendar may not fit.
        return moment.astimezone(datetime.UTC)
    except (ValueError, OverflowError):
        if _OFFSET_AFTER_SPACE.search(value):
            raise ValidationError(BAD_UPDATED_SINCE_PLUS) from None
        raise ValidationError(BAD_UPDATED_SINCE) from None


class ClaimFilterForm(forms.Form):
    """The query string of a claim list; `fields` names the ones this list takes."""

    q = forms.CharField(required=False)
    # Not stripped: a topic matches as it is stored.
    topic = forms.CharField(required=False, strip=False)
    type = _choice("type", ClaimType.values)
    verdict = _choice("verdict", scoring.VERDICTS)
    certainty = _choice("certainty", CERTAINTY_FILTER)
    updated_since = forms.CharField(required=False)
    sort = _choice("sort", SORTS)

    def __init__(self, data, *, fields: Iterable[str], on_page: bool = False):
        # auto_id "%s": the page's inputs are id="topic" etc., and an error list id="topic_error".
        super().__init__(data, auto_id="%s")
        self.fields = {name: self.fields[name] for name in fields}
        if on_page:
            for name, (control, instead) in PAGE_CONTROLS.items():
                if name == "sort" and (data.get("q") or "").strip():
                    instead = SEARCH_ORDER
                message = BAD_CHOICE_ON_PAGE.format(control=control, instead=instead)
                self.fields[name].error_messages["invalid_choice"] = message

    def clean_q(self) -> str:
        return self.cleaned_data["q"][:QUERY_LENGTH]

    def clean_updated_since(self) -> datetime.datetime | None:
        value = self.cleaned_data["updated_since"]
        return parse_since(value) if value else None


def claim_sort(filters: Mapping) -> str:
    """The order asked for: a search is ranked best match first unless the reader asks
    otherwise; without a search, "relevance" means nothing and the list is newest first."""
    query = filters.get("q")
    sort = filters.get("sort") or ("relevance" if query else "newest")
    return "newest" if sort == "relevance" and not query else sort


def is_default(name: str, value: str, query: str) -> bool:
    """Whether the list's parameter `name` says only what the list does without it (the
    first page; the sort order `claim_sort` picks anyway, for a search `query` or none): the
    address shown and shared leaves it out, as it leaves out empty ones. A value the list does
    not know is kept, so its error still shows beside its field."""
    if name == "page":
        return value == "1"
    if name == "sort":
        picked = claim_sort({"q": query, "sort": value})
        return value in SORTS and picked == claim_sort({"q": query})
    return False


def filter_claims(claims: ClaimQuerySet, filters: Mapping) -> ClaimQuerySet:
    """`claims` narrowed and ordered by a ClaimFilterForm's cleaned data (a field missing
    from it, because the list does not take it or its value was bad, filters nothing)."""
    if query := filters.get("q"):
        claims = claims.search(query)  # ordered best match first
    for name, field in (
        ("topic", "topic"),
        ("type", "claim_type"),
        ("verdict", "verdict"),
        ("certainty", "certainty"),
    ):
        if value := filters.get(name):
            claims = claims.filter(**{field: value})
    if since := filters.get("updated_since"):
        # An edit of the claim, of what its page shows (evidence, studies, mechanisms…) or a
        # new score: the same moment as the records' updated_at.
        claims = claims.with_last_changed().filter(last_changed__gte=since)
    sort = claim_sort(filters)
    if sort == "strongest":
        claims = claims.strongest_first()
    elif sort == "newest":
        claims = claims.order_by("-created_at", "-pk")
    return claims


def published_topics(version: str | None = None) -> list[str]:
    """The topics of published claims. Reading them scans every claim, so they are cached until
    a claim is saved or deleted (claims.receivers forgets them), and with the "claims changed"
    `version` (ClaimQuerySet.list_version) under it: every process then sees a write at once."""
    key = f"{TOPICS_KEY}:{version}" if version else TOPICS_KEY
    topics = cache.get(key)
    if topics is None:
        topics = sorted(
            Claim.objects.published()
            .exclude(topic="")
            .order_by()
            .values_list("topic", flat=True)
            .distinct()
        )
        cache.set(key, topics, TOPICS_TIMEOUT)
    return topics


def forget_topics() -> None:
    cache.delete(TOPICS_KEY)
