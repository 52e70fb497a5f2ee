"""The studies admin's "Fetch metadata from Crossref" action: one background job per study,
its state shown above the list of studies."""

import pytest
from django.urls import reverse

from config.celery import app as celery_app
from jobs.models import Job
from studies import crossref as client_module
from tests.factories import make_study

pytestmark = pytest.mark.django_db

STUDIES = reverse("admin:studies_study_changelist")
REFALO = "10.1080/02640414.2024.2321021"


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_it_fetches_study_metadata_from_crossref(crossref, editor_client):
    study = make_study(doi=REFALO, title="Placeholder", design="rct", sample_size=18)
    no_doi = make_study(doi="", title="Unpublished thesis")
    data = {"action": "fetch_metadata", "_selected_action": [study.pk, no_doi.pk], "index": 0}
    messages = messages_of(editor_client.post(STUDIES, data, follow=True))
    assert messages == [
        "“Unpublished thesis (2024)” has no DOI: nothing to fetch.",
        "Updated 1 study from Crossref.",
    ]
    study.refresh_from_db()
    assert study.title.startswith("Similar muscle hypertrophy")
    assert (study.design, study.sample_size) == ("rct", 18)


def test_it_reports_a_failed_fetch_and_changes_nothing(crossref, editor_client):
    study = make_study(doi="10.5555/unknown", title="Kept")
    data = {"action": "fetch_metadata", "_selected_action": [study.pk], "index": 0}
    (message,) = messages_of(editor_client.post(STUDIES, data, follow=True))
    assert message == (
        "Not updated: “Kept (2024)”. " + client_module.NOT_FOUND_MESSAGE.format(doi=study.doi)
    )
    study.refresh_from_db()
    assert study.title == "Kept"


def test_each_fetch_is_a_job_the_editor_sees_where_they_started_it(crossref, editor_client):
    found = make_study(doi=REFALO, title="Placeholder")
    unknown = make_study(doi="10.5555/unknown", title="Kept")
    data = {"action": "fetch_metadata", "_selected_action": [found.pk, unknown.pk], "index": 0}
    page = editor_client.post(STUDIES, data, follow=True)
    jobs = {job.target_label: job for job in Job.objects.all()}  # labelled when started
    found.refresh_from_db()
    done, failed = jobs["Placeholder (2024)"], jobs["Kept (2024)"]
    assert (done.kind, done.state, done.started_by.username) == ("crossref-fetch", "done", "editor")
    assert done.summary == f"Updated “{found}” from Crossref."
    assert done.target_url == reverse("admin:studies_study_change", args=[found.pk])
    assert failed.state == "failed"
    assert failed.reason == client_module.NOT_FOUND_MESSAGE.format(doi=unknown.doi)
    html = page.content.decode()
    assert "Your fetches and imports" in html
    assert "data-hx-get" not in html  # nothing left to wait for: no polling
    panel = editor_client.get(reverse("admin:studies_study_crossref_fetches"))
    assert panel.status_code == 200
    assert {(job.target_label, job.state) for job in panel.context["crossref_jobs"]} == {
        ("Kept (2024)", "failed"),
        ("Placeholder (2024)", "done"),
    }
    assert failed.reason in panel.content.decode()


def test_a_queued_fetch_is_reported_and_polled_until_it_finishes(
    crossref, editor_client, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)  # as with a broker
    study = make_study(doi=REFALO, title="Placeholder")
    data = {"action": "fetch_metadata", "_selected_action": [study.pk], "index": 0}
    with django_capture_on_commit_callbacks(execute=False) as queued:
        page = editor_client.post(STUDIES, data, follow=True)
    assert len(queued) == 1  # sent to the broker once the request's writes are committed
    assert messages_of(page) == [
        "Queued 1 Crossref fetch: their state shows under “Your fetches and imports” above."
    ]
    (job,) = Job.objects.all()
    assert job.state == "queued"
    html = page.content.decode()
    assert f'data-hx-get="{reverse("admin:studies_study_crossref_fetches")}"' in html
    assert "Refresh</a>" in html  # without JS
    study.refresh_from_db()
    assert study.title == "Placeholder"  # nothing fetched in the request


def test_only_staff_see_the_fetches_panel(client, member_client):
    url = reverse("admin:studies_study_crossref_fetches")
    for anyone in (client, member_client):
        response = anyone.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
