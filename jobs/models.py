from django.conf import settings
from django.db import models
from django.urls import NoReverseMatch, reverse


class JobQuerySet(models.QuerySet):
    def unfinished(self):
        return self.filter(state__in=(Job.State.QUEUED, Job.State.RUNNING))


class Job(models.Model):
    """One piece of background work and where it stands. The task's arguments travel in the
    broker's message; the row says what an editor needs: what, on what, by whom, how it went."""

    class Kind(models.TextChoices):
        CROSSREF_FETCH = "crossref-fetch", "Crossref fetch"
        PUBMED_IMPORT = "pubmed-import", "PubMed import"
        RIS_IMPORT = "ris-import", "RIS import"
        RETRACTION_CHECK = "retraction-check", "Retraction check"
        RESCORE = "rescore", "Rescore"
        MAIL = "mail", "Mail"
        BULK_DUMP = "bulk-dump", "Bulk dump"

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    FINISHED = (State.DONE, State.FAILED)

    kind = models.CharField(max_length=40, choices=Kind.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    reason = models.TextField(blank=True, help_text="Why it failed (or why it waits to retry).")
    summary = models.TextField(blank=True, help_text="What it did.")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the job works on, kept as text: a job outlives (and never blocks deleting) its target.
    target_label = models.CharField(max_length=300, blank=True)
    target_url = models.CharField(max_length=500, blank=True, help_text="Its admin page.")
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["kind", "state"])]

    def __str__(self):
        label = f" of {self.target_label}" if self.target_label else ""
        return f"{self.get_kind_display()}{label}: {self.get_state_display().lower()}"

    @property
    def is_finished(self) -> bool:
        return self.state in self.FINISHED

    @staticmethod
    def target_fields(target) -> dict:
        """target_label and target_url for a model instance (its admin change page), a plain
        label, or None."""
        if target is None:
            return {}
        if not isinstance(target, models.Model):
            return {"target_label": str(target)[:300]}
        meta = target._meta
        try:
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[target.pk])
        except NoReverseMatch:  # a model without an admin page
            url = ""
        return {"target_label": str(target)[:300], "target_url": url}
