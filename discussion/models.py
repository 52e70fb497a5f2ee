"""A discussion thread per claim for members, moderated by editors."""

from django.conf import settings
from django.db import models
from django.db.models import F, Max, Q, Window
from django.db.models.functions import Coalesce
from django.urls import reverse

from core.display_names import display_name

BODY_MAX_LENGTH = 5000
# The claim page shows the last few comments; the whole thread is one link away.
CLAIM_PAGE_SHOWN = 3


class CommentQuerySet(models.QuerySet):
    def with_authors(self):
        """With the author and their profile: their display name without a query each."""
        return self.select_related("author__profile")

    def threads(self):
        """Top comments, newest activity first: a thread moves up with its latest reply
        (`last_activity`: the latest reply's time, else the comment's own)."""
        return (
            self.filter(parent__isnull=True)
            .annotate(last_activity=Coalesce(Max("replies__created_at"), F("created_at")))
            .order_by("-last_activity", "-pk")
        )

    def latest_with_total(self, claim, limit: int = CLAIM_PAGE_SHOWN) -> tuple[int, list]:
        """The claim's last `limit` comments, newest first, and how many it has in all, in one
        query (a window count on each row): the claim page's discussion section."""
        rows = list(
            self.filter(claim=claim)
            .with_authors()
            .annotate(total=Window(models.Count("pk")))
            .order_by("-created_at", "-pk")[:limit]
        )
        return (rows[0].total if rows else 0), rows


class Comment(models.Model):
    """A member's comment on a claim, or a reply to one (one level: `parent` is a top comment).

    A hidden comment keeps its text for the record (the admin shows it); readers see only
    "Hidden by an editor" with the reason."""

    claim = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, related_name="comments")
    # A deleted member's comments stay, credited to "a former member".
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
    )
    body = models.TextField(max_length=BODY_MAX_LENGTH, help_text="Markdown.")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        help_text="The top comment this replies to (replies are one level deep).",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(
        max_length=300, blank=True, help_text="Shown to readers in the comment's place."
    )
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hidden_comments",
    )
    hidden_at = models.DateTimeField(null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["author", "created_at"], name="comment_author_recent")]
        constraints = [
            models.CheckConstraint(
                condition=Q(hidden=False) | ~Q(hidden_reason=""),
                name="comment_hidden_has_reason",
                violation_error_message="Give the reason for hiding this comment.",
            ),
        ]

    def __str__(self):
        return f"Comment {self.pk} by {self.author_name} on {self.claim_id}"

    def get_absolute_url(self) -> str:
        url = reverse("claim-discussion", kwargs={"slug": self.claim.slug})
        return f"{url}#comment-{self.pk}"

    @property
    def author_name(self) -> str:
        """The display name the author is credited by; "a former member" once deleted."""
        return display_name(self.author if self.author_id else None)

    @property
    def thread_id(self) -> int:
        """The top comment of this comment's thread."""
        return self.parent_id or self.pk
