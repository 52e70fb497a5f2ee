"""The studies admin's "Fetch metadata from Crossref" action."""

import pytest
from django.urls import reverse

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
        "Updated 1 study(ies) from Crossref.",
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
