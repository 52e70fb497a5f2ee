"""The bulk dump: `manage.py write_dump` (api/dumps.py), its daily task (api/tasks.py), and
/api/dumps/ serving it (api/dump_views.py)."""

import csv
import datetime
import hashlib
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api import dumps
from api.tasks import write_daily_dump
from claims.models import Claim, Evidence
from jobs.models import Job
from studies.models import Study
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db

SITE = "https://claims.example.org"
TODAY = datetime.date(2026, 12, 3)


@pytest.fixture
def dump_dir(settings, tmp_path):
    settings.DUMP_DIR = tmp_path / "dumps"
    settings.SITE_URL = SITE
    return settings.DUMP_DIR


@pytest.fixture
def site(demo):
    """The demo, a study with accents on a published claim, and what must stay out: a draft
    claim with its own study, and a link still pending moderation."""
    claim = demo.order_by("pk").first()
    link(claim, make_study(title="Krafttraining", doi="10.1000/muller", authors="Müller, Jörg"))
    draft = make_claim(slug="draft-secret", plain_statement="Secret draft claim.", status="draft")
    link(draft, make_study(title="Only in a draft", doi="10.1000/draft-only"))
    link(claim, make_study(title="Pending only", doi="10.1000/pending-only"), status="pending")
    return claim


def written(dump_dir, date=TODAY):
    return dump_dir / date.isoformat()


def jsonl(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def write(dump_dir, date=TODAY):
    return dumps.write_dump(today=date)


def test_it_writes_every_file_with_counts_matching_the_database(dump_dir, site):
    out = io.StringIO()
    call_command("write_dump", stdout=out)
    today = dumps.available_dates()[0]
    directory = dump_dir / today
    assert sorted(path.name for path in directory.iterdir()) == sorted(dumps.FILES)
    published = Claim.objects.published()
    approved = Evidence.objects.filter(status="approved", claim__status="published")
    studies = Study.objects.filter(evidence__in=approved).distinct()
    counts = {"claims": published.count(), "studies": studies.count(), "links": approved.count()}
    assert counts["claims"] == 5 and counts["links"] > counts["claims"]
    manifest = json.loads((directory / "manifest.json").read_text())
    assert manifest["counts"] == counts
    assert manifest["date"] == today
    assert datetime.datetime.fromisoformat(manifest["generated_at"]).date().isoformat() == today
    assert "Free to reuse" in manifest["terms"]
    for name, count in counts.items():
        assert len(jsonl(directory / f"{name}.jsonl")) == count
    assert {row["slug"] for row in jsonl(directory / "claims.jsonl")} == {
        claim.slug for claim in published
    }
    assert {row["id"] for row in jsonl(directory / "studies.jsonl")} == {s.pk for s in studies}
    assert f"{counts['claims']} claim(s)" in out.getvalue()


def test_it_never_dumps_a_draft_claim_or_what_only_it_or_a_pending_link_names(dump_dir, site):
    directory = write(dump_dir)
    for name in dumps.FILES:
        text = (directory / name).read_text(encoding="utf-8-sig")
        for hidden in ("draft-secret", "Secret draft claim", "draft-only", "pending-only"):
            assert hidden not in text, (name, hidden)


def test_it_writes_csv_with_a_bom_that_reads_back_as_the_json_lines(dump_dir, site):
    directory = write(dump_dir)
    for name in dumps.SETS:
        raw = (directory / f"{name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with it
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
        records = jsonl(directory / f"{name}.jsonl")
        assert len(rows) == len(records)
        for row, record in zip(rows, records, strict=True):
            flat = dumps.flatten(record)
            for column, value in row.items():
                assert value == dumps.cell(flat.get(column)), (name, column)
    claims = list(csv.DictReader(io.StringIO((directory / "claims.csv").read_text("utf-8-sig"))))
    assert {"slug", "verdict", "scores.pro", "scores.against"} <= set(claims[0])
    studies = (directory / "studies.csv").read_text("utf-8-sig")
    assert "Müller" in studies
    links = next(csv.reader(io.StringIO((directory / "links.csv").read_text("utf-8-sig"))))
    # A link without an effect leaves the effect's columns empty: no bare "effect" column.
    assert "effect" not in links and "effect.estimate" in links and "counted" in links


def test_its_manifest_gives_each_files_sha256_and_size(dump_dir, site):
    directory = write(dump_dir)
    manifest = json.loads((directory / "manifest.json").read_text())
    assert set(manifest["files"]) == set(dumps.JSONL_FILES + dumps.CSV_FILES)
    for name, facts in manifest["files"].items():
        content = (directory / name).read_bytes()
        assert facts["sha256"] == hashlib.sha256(content).hexdigest()
        assert facts["bytes"] == len(content)
        assert facts["records"] == manifest["counts"][name.split(".")[0]]


def test_its_records_are_the_apis(dump_dir, site, client):
    directory = write(dump_dir)
    listed = client.get("/api/claims/", {"page_size": 100}).json()["results"]
    assert sorted(jsonl(directory / "claims.jsonl"), key=lambda r: r["slug"]) == sorted(
        listed, key=lambda r: r["slug"]
    )
    for record in jsonl(directory / "studies.jsonl"):
        full = client.get(record["api_url"].removeprefix(SITE)).json()
        assert {key: full[key] for key in record} == record
    links = jsonl(directory / "links.jsonl")
    for claim in Claim.objects.published():
        evidence = client.get(f"/api/claims/{claim.slug}/").json()["evidence"]
        ours = [row for row in links if row["claim"] == claim.slug]
        assert len(ours) == len(evidence)
        for row, entry in zip(ours, evidence, strict=True):  # the same order: by side, rank
            assert row["study_doi"] == entry["study"]["doi"]
            for key in ("stance", "counted", "not_counted", "certainty", "points", "effect"):
                assert row[key] == entry[key], (claim.slug, key)


def test_it_reads_in_a_number_of_queries_that_does_not_grow_with_the_claims(dump_dir):
    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            for reader in (dumps.claim_records, dumps.study_records, dumps.link_records):
                list(reader(dumps._NoRequest()))
        return len(context)

    for number in range(3):
        link(make_claim(slug=f"few-{number}"), make_study(doi=f"10.1000/few{number}"))
    few = queries()
    for number in range(40):
        link(make_claim(slug=f"many-{number}"), make_study(doi=f"10.1000/many{number}"))
    assert queries() == few


def test_no_partial_dump_is_ever_visible_under_its_date(dump_dir, site, monkeypatch):
    seen = []
    studies = dumps.study_records

    def looking(request):
        seen.append((written(dump_dir).exists(), dumps.available_dates()))
        yield from studies(request)

    monkeypatch.setattr(dumps, "study_records", looking)
    write(dump_dir)
    assert seen == [(False, [])]  # mid-write: nothing under the date, nothing listed
    assert dumps.available_dates() == [TODAY.isoformat()]


def test_a_failed_run_leaves_the_previous_dump_whole_and_no_leftovers(dump_dir, site, monkeypatch):
    before = {p.name: p.read_bytes() for p in write(dump_dir).iterdir()}

    def failing(request):
        yield {"half": "written"}
        raise RuntimeError("database went away")

    monkeypatch.setattr(dumps, "link_records", failing)
    with pytest.raises(RuntimeError):
        write(dump_dir)
    assert {p.name: p.read_bytes() for p in written(dump_dir).iterdir()} == before
    assert [p.name for p in dump_dir.iterdir()] == [TODAY.isoformat()]


def test_it_replaces_a_dump_written_earlier_the_same_day(dump_dir, site):
    write(dump_dir)
    make_claim(slug="later-today")
    directory = write(dump_dir)
    assert "later-today" in (directory / "claims.jsonl").read_text()
    assert [p.name for p in dump_dir.iterdir()] == [TODAY.isoformat()]


def test_it_keeps_the_newest_dump_keep_dates(dump_dir, settings):
    settings.DUMP_KEEP = 3
    make_claim()
    for day in range(1, 6):
        write(dump_dir, datetime.date(2026, 11, day))
    assert dumps.available_dates() == ["2026-11-05", "2026-11-04", "2026-11-03"]
    assert sorted(p.name for p in dump_dir.iterdir()) == ["2026-11-03", "2026-11-04", "2026-11-05"]


def test_the_daily_task_writes_it_through_a_job(dump_dir, site, settings):
    assert settings.CELERY_BEAT_SCHEDULE["bulk-dump"]["task"] == "api.tasks.write_daily_dump"
    job = Job.objects.get(pk=write_daily_dump.delay().get())  # no broker: inline
    assert (job.kind, job.state) == (Job.Kind.BULK_DUMP, Job.State.DONE)
    assert job.get_kind_display() == "Bulk dump"  # a choice, so the admin names it
    assert job.summary.startswith(f"Wrote {datetime.date.today().isoformat()}: 5 claims")
    assert dumps.available_dates() == [datetime.date.today().isoformat()]


# Serving


def test_the_index_lists_each_date_with_absolute_file_urls(dump_dir, site, client):
    write(dump_dir, datetime.date(2026, 12, 1))
    write(dump_dir)
    response = client.get("/api/dumps/")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert [dump["date"] for dump in data["dumps"]] == ["2026-12-03", "2026-12-01"]
    files = data["dumps"][0]["files"]
    assert set(files) == set(dumps.FILES)
    assert files["claims.jsonl"]["url"] == f"{SITE}/api/dumps/2026-12-03/claims.jsonl"
    manifest = json.loads((written(dump_dir) / "manifest.json").read_text())
    assert files["claims.csv"]["sha256"] == manifest["files"]["claims.csv"]["sha256"]
    assert data["latest"]["links.csv"] == f"{SITE}/api/dumps/latest/links.csv"


def test_the_api_index_links_the_dumps(dump_dir, client):
    assert client.get("/api/").json()["dumps"] == f"{SITE}/api/dumps/"


def test_the_index_of_no_dumps_is_empty_not_an_error(dump_dir, client):
    assert client.get("/api/dumps/").json() == {"latest": None, "dumps": []}
    response = client.get("/api/dumps/latest/claims.jsonl")
    assert response.status_code == 404
    assert "No dump has been written yet" in response.json()["error"]


def test_it_serves_a_file_as_written_with_a_conditional_get(dump_dir, site, client):
    directory = write(dump_dir)
    response = client.get("/api/dumps/2026-12-03/claims.jsonl")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/jsonl; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "2026-12-03-claims.jsonl" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == (directory / "claims.jsonl").read_bytes()
    again = client.get("/api/dumps/2026-12-03/claims.jsonl", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    since = client.get(
        "/api/dumps/2026-12-03/claims.jsonl", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]
    )
    assert since.status_code == 304
    csv_response = client.get("/api/dumps/2026-12-03/studies.csv")
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"


def test_latest_redirects_to_the_newest_dump(dump_dir, site, client):
    write(dump_dir, datetime.date(2026, 12, 1))
    write(dump_dir)
    response = client.get("/api/dumps/latest/manifest.json")
    assert response.status_code == 302
    assert response["Location"] == f"{SITE}/api/dumps/2026-12-03/manifest.json"
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    "path",
    [
        "/api/dumps/../claims.csv",
        "/api/dumps/..%2F..%2Fclaims.csv",
        "/api/dumps/2026-12-03/..%2F..%2Fclaims.csv",
        "/api/dumps/2026-12-03/../../claims.csv",
        "/api/dumps/2026-12-03/notes.txt",
        "/api/dumps/2026-12-3/claims.csv",
        "/api/dumps/2026-12-03x/claims.csv",
        "/api/dumps/2026-12-04/claims.csv",
        "/api/dumps/latest/..%2Fclaims.csv",
        "/api/dumps/latest/notes.txt",
    ],
)
def test_it_refuses_anything_but_a_listed_date_and_a_known_file(dump_dir, client, path):
    make_claim()
    write(dump_dir)
    # What a path reaching outside would find: a file one level up, one beside the files.
    (dump_dir.parent / "claims.csv").write_text("secret outside", encoding="utf-8")
    (written(dump_dir) / "notes.txt").write_text("secret inside", encoding="utf-8")
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "secret" not in response.content.decode()


def test_it_answers_a_write_with_a_json_405(dump_dir, client):
    make_claim()
    write(dump_dir)
    for path in ("/api/dumps/", "/api/dumps/2026-12-03/claims.csv", "/api/dumps/latest/x.csv"):
        response = client.post(path)
        assert response.status_code == 405, path
        assert response.json()["status"] == 405
