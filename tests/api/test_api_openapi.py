"""The OpenAPI document at /api/schema/ is valid and true: openapi-spec-validator accepts it,
and schemathesis, run against the live test server over every operation, finds no 5xx and no
answer that does not match it (status code, content type, headers, body)."""

import datetime
import json

import jsonschema
import pytest
import schemathesis
import yaml
from django.core.management import call_command
from hypothesis import HealthCheck, Phase, settings
from openapi_spec_validator import validate

from api import dumps
from api.views import OPENAPI_FILE

REFALO = "10.1080/02640414.2024.2321021"
# URL converters as OpenAPI path parameters.
PARAMETERS = {
    "<slug:slug>": "{slug}",
    "<int:pk>": "{id}",
    "<path:doi>": "{doi}",
    "<str:date>": "{date}",
    "<str:name>": "{name}",
}
# The date of the dump the live server serves: the example of /api/dumps/{date}/{name}.
DUMP_DATE = datetime.date(2026, 12, 3)


@pytest.fixture
def spec(client, db) -> dict:
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oai.openapi+json"
    return response.json()


def test_it_serves_a_valid_openapi_31_document(spec):
    validate(spec)
    assert spec["openapi"] == "3.1.0"
    assert spec["servers"] == [{"url": "http://testserver/"}]
    assert spec["info"]["version"]


def test_it_lists_the_document_and_the_dumps_in_the_index(client, db):
    index = client.get("/api/").json()
    assert index["schema"] == "http://testserver/api/schema/"
    assert index["dumps"] == "http://testserver/api/dumps/"


def test_it_describes_every_api_route(spec):
    """Each route of api/urls.py is a path of the document (the catch-all aside: it is every
    other path)."""
    from api.urls import urlpatterns

    def as_openapi(route: str) -> str:
        for django, openapi in PARAMETERS.items():
            route = route.replace(django, openapi)
        return f"/api/{route}"

    routes = {as_openapi(str(p.pattern)) for p in urlpatterns if p.name != "api-not-found"}
    assert routes == set(spec["paths"])


def _validator(spec: dict, name: str):
    """A JSON Schema validator for one component, its $refs resolved in the document."""
    schema = {"$ref": f"#/components/schemas/{name}", "components": spec["components"]}
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("name", ["Claim", "ClaimSummary", "Study", "StudySummary"])
def test_it_catches_a_field_the_document_does_not_know(spec, client, demo, name):
    """The records are closed: a field added to api/records.py and not to the document fails."""
    urls = {
        "Claim": "/api/claims/failure-fatigue-adds-no-hypertrophy/",
        "ClaimSummary": "/api/claims/",
        "Study": f"/api/studies/{REFALO}/",
        "StudySummary": "/api/studies/",
    }
    data = client.get(urls[name]).json()
    record = data["results"][0] if "results" in data else data
    validator = _validator(spec, name)
    validator.validate(record)
    assert not validator.is_valid({**record, "new_field": 1})
    missing = dict(record)
    missing.pop("title" if "Study" in name else "verdict")
    assert not validator.is_valid(missing)


def test_it_describes_a_written_dump_and_its_manifest(spec, client, demo, settings, tmp_path):
    settings.DUMP_DIR = tmp_path
    index = _validator(spec, "DumpIndex")
    index.validate(client.get("/api/dumps/").json())  # none yet: latest is null
    dumps.write_dump(today=DUMP_DATE)
    data = client.get("/api/dumps/").json()
    index.validate(data)
    manifest = _validator(spec, "DumpManifest")
    response = client.get("/api/dumps/2026-12-03/manifest.json")
    written = json.loads(b"".join(response.streaming_content))
    manifest.validate(written)
    # Closed, as the records are: a file or a field the document does not know fails.
    dump = data["dumps"][0]

    def with_files(**files) -> dict:
        return {**data, "dumps": [{**dump, "files": {**dump["files"], **files}}]}

    assert not index.is_valid(with_files(**{"notes.txt": {"url": "http://testserver/x"}}))
    assert not index.is_valid(with_files(**{"claims.csv": {**dump["files"]["claims.csv"], "n": 1}}))
    assert not manifest.is_valid({**written, "new_field": 1})
    facts = {**written["files"]["links.jsonl"], "n": 1}
    assert not manifest.is_valid({**written, "files": {**written["files"], "links.jsonl": facts}})


def test_it_matches_the_yaml_beside_the_code(spec):
    on_disk = yaml.safe_load(OPENAPI_FILE.read_text())
    assert {key: value for key, value in spec.items() if key != "servers"} == on_disk


# schemathesis against the live server: real HTTP, the demo data loaded. The document is read
# from the file at import (schemathesis makes one test per operation when collecting), which
# test_it_matches_the_yaml_beside_the_code shows is what /api/schema/ serves. (Its lazy
# from_fixture loader does not run under pytest 9.)

schema = schemathesis.openapi.from_dict(yaml.safe_load(OPENAPI_FILE.read_text()))


@pytest.fixture
def demo_server(live_server, transactional_db, settings, tmp_path) -> str:
    call_command("loaddata", "demo", verbosity=0)
    call_command("rescore", verbosity=0)
    # One dump (the document's example date), so the dump files answer 200 as well as 404.
    settings.DUMP_DIR = tmp_path
    dumps.write_dump(today=DUMP_DATE)
    return live_server.url


# serialized_rollback: the flush after a plain transactional test re-creates the content types
# under new ids, and a later serialized_rollback test (tests/community/test_submission_move.py,
# the backups) then restores its rows over them. Flushed this way, it leaves the database empty.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@schema.parametrize()
@settings(
    max_examples=30,
    derandomize=True,  # the same cases every run
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_it_answers_every_operation_as_the_document_says(case, demo_server):
    # Every check, "schema-valid data is accepted" too: what the server refuses (a bad date, a
    # malformed DOI) the document rules out with a format or a pattern.
    case.call_and_validate(base_url=demo_server)
