"""The studies admin's import pages (studies/admin_import.py): a PMID from PubMed (a real local
server, tests/pubmed_server.py) and a RIS file with its preview."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from config import celery_app
from jobs.models import Job
from studies import admin_import, import_tasks, pubmed, ris
from studies.models import Study
from tests import pubmed_server as server
from tests.factories import make_study
from tests.studies.test_ris_import import fifty_references, recorded_ris

pytestmark = pytest.mark.django_db

STUDIES = reverse("admin:studies_study_changelist")
PUBMED = reverse("admin:studies_study_import_pubmed")
RIS = reverse("admin:studies_study_import_ris")


@pytest.fixture
def efetch(settings):
    with server.serving(settings) as running:
        yield running


@pytest.fixture
def viewer_client(django_user_model):
    """Staff who may look at studies but not add them."""
    user = django_user_model.objects.create_user("viewer", "v@example.org", "pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_study"))
    client = Client()
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def upload(name: str, content: bytes) -> dict:
    return {
        "file": SimpleUploadedFile(
            name, content, content_type="application/x-research-info-systems"
        )
    }


def test_it_offers_both_imports_on_the_changelist(editor_client):
    page = editor_client.get(STUDIES).content.decode()
    assert f'href="{PUBMED}"' in page and f'href="{RIS}"' in page
    assert "Import from PubMed (PMID)" in page and "Import a RIS file" in page


def test_staff_who_may_not_add_studies_get_no_import(viewer_client):
    page = viewer_client.get(STUDIES)
    assert page.status_code == 200 and PUBMED not in page.content.decode()
    assert viewer_client.get(PUBMED).status_code == 403
    assert (
        viewer_client.post(
            RIS, upload("a.ris", recorded_ris("pmc_export.ris").encode())
        ).status_code
        == 403
    )
    assert not Study.objects.exists()


@pytest.mark.parametrize("url", [PUBMED, RIS])
def test_readers_are_sent_to_the_admin_login(client, member_client, url):
    assert client.get(url).status_code == 302
    assert member_client.post(url).status_code == 302


# PubMed


def test_it_imports_a_pmid_and_says_to_check_the_design(efetch, editor_client):
    response = editor_client.post(PUBMED, {"pmid": "11748933"}, follow=True)
    study = Study.objects.get(pmid="11748933")
    assert response.redirect_chain[-1][0] == reverse("admin:studies_study_change", args=[study.pk])
    assert messages_of(response) == [
        import_tasks.IMPORTED_SUMMARY.format(study=study, design="animal study")
    ]
    assert not study.design_confirmed


def test_it_names_the_study_a_pmid_duplicates(efetch, editor_client):
    existing = make_study(doi="10.1136/oemed-2017-104431", title="Stored", year=2018)
    response = editor_client.post(PUBMED, {"pmid": "28775130"}, follow=True)
    (message,) = messages_of(response)
    assert message == (
        f"Not imported: PMID 28775130 is already here, same DOI as “Stored (2018)” "
        f"(study {existing.pk})."
    )
    assert Study.objects.count() == 1


@pytest.mark.parametrize(
    "pmid, error",
    [
        ("123456789", pubmed.NOT_FOUND_MESSAGE.format(pmid="123456789")),
        (
            server.SERVER_ERROR_PMID,
            f"PubMed answered HTTP 503 for PMID {server.SERVER_ERROR_PMID}; try again later. "
            "(not retried: no worker is running)",
        ),
    ],
)
def test_it_shows_why_a_pmid_was_not_imported(efetch, editor_client, pmid, error):
    response = editor_client.post(PUBMED, {"pmid": pmid})
    assert response.status_code == 200
    assert response.context["form"].errors["pmid"] == [error]
    assert not Study.objects.exists()
    (job,) = Job.objects.all()  # the import ran as a job, which failed with that reason
    assert (job.kind, job.state, job.reason) == ("pubmed-import", "failed", error)


def test_it_refuses_what_is_not_a_pmid_before_queueing_anything(efetch, editor_client):
    response = editor_client.post(PUBMED, {"pmid": "abc"})
    assert response.status_code == 200
    assert response.context["form"].errors["pmid"] == [pubmed.NOT_A_PMID_MESSAGE.format(pmid="abc")]
    assert not Job.objects.exists() and not Study.objects.exists()


def test_with_a_broker_the_import_is_queued_and_shown_above_the_studies(
    efetch, editor_client, monkeypatch, django_capture_on_commit_callbacks
):
    """The PubMed fetch never runs inside the editor's request when a worker is there."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)  # as with a broker
    with django_capture_on_commit_callbacks(execute=False) as queued:
        page = editor_client.post(PUBMED, {"pmid": "11748933"}, follow=True)
    assert len(queued) == 1 and not Study.objects.exists()
    (job,) = Job.objects.all()
    assert (job.kind, job.state, job.target_label) == ("pubmed-import", "queued", "PMID 11748933")
    html = page.content.decode()
    assert "Your fetches and imports" in html and "PMID 11748933" in html
    import_tasks.import_pubmed.apply(kwargs={"job_id": job.pk, "pmid": "11748933"})  # a worker
    job.refresh_from_db()
    assert job.state == "done" and Study.objects.filter(pmid="11748933").exists()


# RIS


def test_it_previews_a_ris_file_then_imports_it(editor_client):
    existing = make_study(doi="10.1016/j.jmps.2004.03.010", title="Stored by DOI", year=2004)
    preview = editor_client.post(RIS, upload("export.ris", fifty_references().encode()))
    assert preview.status_code == 200
    plan = preview.context["plan"]
    assert (len(plan.new), len(plan.duplicates)) == (9, 41)
    page = preview.content.decode()
    assert 'value="Import 9 new studies"' in page
    assert f"same DOI as “Stored by DOI (2004)” (study {existing.pk})" in page
    assert "same PMID as reference 4 of this batch" in page
    assert Study.objects.count() == 1  # the preview creates nothing

    done = editor_client.post(RIS, {"token": preview.context["token"]})
    assert done.status_code == 200
    assert messages_of(done) == ["Imported 9 new studies; 41 duplicates not imported."]
    assert Study.objects.count() == 10
    assert len(done.context["report"].duplicates) == 41
    assert "Design set to “Case series” by default for each" in done.content.decode()
    # The waiting file is gone: posting the token again imports nothing.
    again = editor_client.post(RIS, {"token": preview.context["token"]}, follow=True)
    assert messages_of(again) == [admin_import.EXPIRED_MESSAGE]
    assert Study.objects.count() == 10


def test_it_refuses_a_broken_file_with_the_line(editor_client):
    cut = recorded_ris("scopus_export.ris")[:300].encode()
    response = editor_client.post(RIS, upload("cut.ris", cut))
    assert response.context["form"].errors["file"] == [ris.UNCLOSED_MESSAGE.format(line=1)]
    assert not Study.objects.exists()


@pytest.mark.parametrize(
    "size", [admin_import.MAX_RIS_BYTES + 1, admin_import.MAX_RIS_BYTES + 200_000]
)
def test_it_refuses_a_file_over_5_mb(editor_client, size):
    padding = recorded_ris("pmc_export.ris").encode()
    response = editor_client.post(RIS, upload("big.ris", padding * (size // len(padding) + 1)))
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [admin_import.TOO_LARGE_MESSAGE]
    assert not Study.objects.exists()


def test_an_unknown_token_imports_nothing(editor_client):
    response = editor_client.post(RIS, {"token": "forged"}, follow=True)
    assert messages_of(response) == [admin_import.EXPIRED_MESSAGE]
    assert not Study.objects.exists()
