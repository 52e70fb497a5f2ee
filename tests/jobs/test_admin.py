"""The jobs admin: a read-only list, newest first, filtered by kind and state."""

import pytest
from django.urls import reverse

from jobs.models import Job

pytestmark = pytest.mark.django_db

JOBS = reverse("admin:jobs_job_changelist")


def test_it_lists_jobs_newest_first_and_filters_them(superuser_client):
    older = Job.objects.create(kind=Job.Kind.RESCORE, state=Job.State.DONE, target_label="All")
    newer = Job.objects.create(
        kind=Job.Kind.CROSSREF_FETCH, state=Job.State.FAILED, reason="Crossref has no record."
    )
    page = superuser_client.get(JOBS)
    assert list(page.context["cl"].result_list) == [newer, older]
    assert "Crossref has no record." in page.content.decode()
    failed = superuser_client.get(JOBS, {"state__exact": "failed", "kind__exact": "crossref-fetch"})
    assert list(failed.context["cl"].result_list) == [newer]


def test_nobody_adds_or_edits_a_job_by_hand(superuser_client):
    job = Job.objects.create(kind=Job.Kind.MAIL)
    assert superuser_client.get(reverse("admin:jobs_job_add")).status_code == 403
    change = reverse("admin:jobs_job_change", args=[job.pk])
    assert superuser_client.post(change, {"state": "done"}).status_code == 403
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED


def test_editors_read_the_list_of_jobs(editor_client):
    Job.objects.create(kind=Job.Kind.CROSSREF_FETCH, target_label="A study (2024)")
    page = editor_client.get(JOBS)
    assert page.status_code == 200
    assert "A study (2024)" in page.content.decode()


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.org", "pw-root-1")
    client.force_login(user)
    return client
