"""Request bodies over the limit are a 413 before anything reads them, whatever the content type
(issue 19: a 300 MB file posted anonymously to the login page answered 200 and was written to a
temporary file; Django's DATA_UPLOAD_MAX_MEMORY_SIZE leaves files out)."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.urls import reverse

MB = 1_048_576


@pytest.fixture
def no_temporary_files(monkeypatch):
    opened = []
    original = TemporaryFileUploadHandler.new_file

    def recording(self, *args, **kwargs):
        opened.append(args)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(TemporaryFileUploadHandler, "new_file", recording)
    return opened


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/accounts/login/", "/accounts/signup/", "/claims/", "/api/claims/"]
)
def test_a_file_over_the_limit_is_a_413_and_never_written(client, path, no_temporary_files):
    upload = SimpleUploadedFile("big.bin", b"x" * (3 * MB), "application/octet-stream")
    response = client.post(path, {"username": "a", "file": upload})
    assert response.status_code == 413
    assert no_temporary_files == []


@pytest.mark.django_db
def test_a_declared_length_over_the_limit_is_refused_unread(client):
    response = client.generic(
        "POST", "/accounts/login/", b"x" * 10, "text/plain", CONTENT_LENGTH=str(300 * MB)
    )
    assert response.status_code == 413
    assert "at most 1 MB" in response.content.decode()


@pytest.mark.django_db
def test_the_api_says_so_in_json(client):
    response = client.generic(
        "POST", "/api/claims/", b"", "application/json", CONTENT_LENGTH=str(2 * MB)
    )
    assert response.status_code == 413
    assert response.json()["status"] == 413


@pytest.mark.django_db
def test_a_body_under_the_limit_reaches_the_view(client):
    response = client.post("/accounts/login/", {"username": "a" * 10, "password": "b" * 900_000})
    assert response.status_code == 200  # the login form's own answer


@pytest.mark.django_db
def test_the_ris_import_takes_its_5_mb_file(editor_client):
    url = reverse("admin:studies_study_import_ris")
    assert settings.REQUEST_BODY_LIMITS["admin:studies_study_import_ris"] > 5 * MB
    upload = SimpleUploadedFile(
        "big.ris", b"TY  - JOUR\n" * (4 * MB // 11), "application/x-research-info-systems"
    )
    response = editor_client.post(url, {"file": upload})
    assert response.status_code == 200


def test_a_bad_content_length_is_a_400(client):
    response = client.generic("POST", "/accounts/login/", b"", "text/plain", CONTENT_LENGTH="abc")
    assert response.status_code == 400
