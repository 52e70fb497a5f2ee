"""The audit trail (issue 16, item 4): every change to a claim, its evidence, studies, analyses,
mechanisms and steps is recorded with who, when, old → new and the path; readers see a claim's
changes (roles, never usernames) on /claims/<slug>/changes/."""

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import changes
from claims.models import Analysis, Claim, Evidence, Mechanism, MechanismStep
from claims.services import claims_rescore
from community.services import submission_accept
from core import audit
from core.audit import TASK, audit_path, split_reason
from studies.models import Study
from tests.admin.admin_forms import change_form_data
from tests.factories import editors_group, link, make_claim, make_study, make_submission
from tests.security.test_backup_restore import flushing, snapshot

pytestmark = pytest.mark.django_db


def history(model):
    return model.history.model.objects


def changes_url(claim) -> str:
    return reverse("claim-changes", args=[claim.slug])


def test_an_admin_edit_of_the_plain_wording_records_who_when_old_new_and_the_path(
    editor, editor_client
):
    claim = make_claim(slug="admin-edit", plain_statement="X makes Y go up.")
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = change_form_data(editor_client, url, plain_statement="X may make Y go up.")
    before = history(Claim).filter(id=claim.pk).count()

    response = editor_client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    records = history(Claim).filter(id=claim.pk).order_by("history_date")
    assert records.count() == before + 1
    record = records.last()
    assert record.history_user == editor
    assert split_reason(record.history_change_reason) == ("admin", "")
    delta = record.diff_against(record.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("plain_statement", "X makes Y go up.", "X may make Y go up.")
    ]


def test_the_admin_shows_the_history_view_with_the_diff(editor_client):
    claim = make_claim(slug="admin-history", plain_statement="Before.")
    claim.plain_statement = "After."
    claim.save()
    response = editor_client.get(reverse("admin:claims_claim_history", args=[claim.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Before." in html and "After." in html


def test_the_admin_history_is_read_only(editor_client):
    claim = make_claim(slug="no-revert", plain_statement="Before.")
    claim.plain_statement = "After."
    claim.save()
    first = history(Claim).filter(id=claim.pk).earliest("history_date")
    url = reverse("admin:claims_claim_simple_history", args=[claim.pk, first.history_id])
    assert editor_client.get(url).status_code == 200
    assert editor_client.post(url, {"plain_statement": "Reverted."}).status_code == 403
    assert Claim.objects.get(pk=claim.pk).plain_statement == "After."


def test_accepting_a_submission_records_path_submission(member, editor):
    claim = make_claim(slug="accepting")
    study = make_study(doi="10.1080/02640414.2024.2321021")
    submission = make_submission(claim, member, doi=study.doi)

    acceptance = submission_accept(submission=submission, moderator=editor)

    record = history(Evidence).get(id=acceptance.evidence.pk, history_type="+")
    assert split_reason(record.history_change_reason) == ("submission", "")
    assert record.history_user == editor


def test_a_task_names_itself():
    study = make_study(doi="10.1000/task")
    with audit_path(TASK, actor="the retraction watch"):
        study.retraction_status = "retracted"
        study.save()
    record = history(Study).filter(id=study.pk).latest("history_date")
    assert split_reason(record.history_change_reason) == ("task", "the retraction watch")


def test_a_write_outside_any_request_is_shell_command():
    claim = make_claim(slug="from-the-shell")
    record = history(Claim).get(id=claim.pk)
    assert split_reason(record.history_change_reason) == ("shell/command", "")
    assert record.history_user is None


def test_every_audited_model_records_its_writes():
    claim = make_claim(slug="every-model")
    study = make_study(doi="10.1000/every")
    evidence = link(claim, study)
    analysis = Analysis.objects.create(claim=claim, version=1)
    mechanism = Mechanism.objects.create(analysis=analysis, kind="most_probable", rank=1)
    step = MechanismStep.objects.create(mechanism=mechanism, order=1, text="A step.")
    for row in (claim, study, evidence, analysis, mechanism, step):
        assert history(type(row)).filter(id=row.pk, history_type="+").exists(), row


def test_a_rescore_or_a_touch_records_nothing():
    claim = make_claim(slug="rescore")
    link(claim, make_study(doi="10.1000/rescore"))
    counts = {model: history(model).count() for model in (Claim, Evidence, Study)}

    claims_rescore()
    Claim.objects.filter(pk=claim.pk).touch(bump_lock=True)
    Claim.objects.filter(pk=claim.pk).touch_related_list()
    call_command("rescore", verbosity=0)
    # saves of bookkeeping fields only: the retraction watch's stamp, a lock bump
    study = Study.objects.get(doi="10.1000/rescore")
    study.save(update_fields=["retraction_checked_at"])
    claim.save(update_fields=["lock_version"])

    assert {model: history(model).count() for model in counts} == counts
    # and the claim's own history never holds the derived fields
    fields = {f.name for f in history(Claim).model._meta.get_fields()}
    assert not fields & {"pro_score", "verdict", "lock_version", "content_changed_at", "scored_at"}


def test_a_fixture_load_records_nothing(demo):
    """load_demo / restore save raw rows: the backup's own history is restored as it was."""
    for model in (Claim, Evidence, Study, Analysis, Mechanism, MechanismStep):
        assert history(model).count() == 0


@pytest.fixture
def named_editor(django_user_model):
    """A staff account whose username and email cannot appear on a page by chance."""
    user = django_user_model.objects.create_user(
        "dr-quillfeather", "quillfeather@staff.example.org", "pw-editor-2", is_staff=True
    )
    user.groups.add(editors_group())
    return user


def test_the_changes_page_shows_the_change_without_the_editors_username(named_editor, client):
    editor_client = Client()
    editor_client.force_login(named_editor)
    editor = named_editor
    claim = make_claim(slug="public-changes", plain_statement="X makes Y go up.")
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    editor_client.post(url, change_form_data(editor_client, url, plain_statement="X lifts Y."))

    response = client.get(changes_url(claim))

    html = response.content.decode()
    assert response.status_code == 200
    assert "X makes Y go up." in html and "X lifts Y." in html
    assert "an editor" in html and "in the admin" in html
    assert editor.username not in html and editor.email not in html


def test_the_history_page_links_to_the_changes(client):
    claim = make_claim(slug="history-link")
    html = client.get(reverse("claim-history", args=[claim.slug])).content.decode()
    assert changes_url(claim) in html


def test_the_changes_page_shows_evidence_and_mechanism_changes_newest_first(client):
    claim = make_claim(slug="newest-first")
    evidence = link(claim, make_study(doi="10.1000/newest", title="The newest trial"))
    analysis = Analysis.objects.create(claim=claim, version=1)
    mechanism = Mechanism.objects.create(
        analysis=analysis, kind="most_probable", rank=1, simple_summary="Old idea."
    )
    mechanism.simple_summary = "New idea."
    mechanism.save()
    evidence.finding = "Y went up by a little."
    evidence.save()

    changes = client.get(changes_url(claim)).context["changes"]

    assert changes[0].what == "Evidence link: The newest trial (2024)"
    assert [(f.old, f.new) for f in changes[0].fields] == [("", "Y went up by a little.")]
    assert ("Old idea.", "New idea.") in [(f.old, f.new) for f in changes[1].fields]
    assert changes[-1].what == "The claim" and changes[-1].kind == "added"


def test_the_changes_page_never_shows_who_appraised(named_editor, client):
    editor = named_editor
    claim = make_claim(slug="private")
    evidence = link(claim, make_study(doi="10.1000/private"))
    evidence.appraised_by = editor
    evidence.save()
    html = client.get(changes_url(claim)).content.decode()
    assert editor.username not in html
    assert "Only editorial details changed." in html


def test_the_changes_page_leaves_out_pending_links(client):
    claim = make_claim(slug="pending")
    link(claim, make_study(doi="10.1000/pending", title="Unvetted"), status="pending")
    assert "Unvetted" not in client.get(changes_url(claim)).content.decode()


def _edit(claim, times: int) -> None:
    study = make_study(doi=f"10.1000/flat-{claim.slug}-{times}")
    evidence = link(claim, study)
    analysis = Analysis.objects.create(claim=claim, version=times)
    mechanism = Mechanism.objects.create(analysis=analysis, kind="most_probable", rank=1)
    step = MechanismStep.objects.create(mechanism=mechanism, order=1, text="Step.")
    for n in range(times):
        claim.summary = f"Summary {n}."
        claim.save()
        evidence.finding = f"Finding {n}."
        evidence.save()
        step.text = f"Step {n}."
        step.save()


def _queries(client, claim) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(changes_url(claim)).status_code == 200
    return len(queries)


def test_the_changes_pages_query_count_is_flat_in_the_number_of_changes(client):
    few, many = make_claim(slug="few"), make_claim(slug="many")
    _edit(few, 1)
    _edit(many, 12)
    assert history(Claim).filter(id=many.pk).count() > 10
    # A page skips the tables none of its rows come from: at most as many queries as for few.
    assert _queries(client, many) <= _queries(client, few)


def test_the_changes_page_is_paginated(client):
    claim = make_claim(slug="paged")
    _edit(claim, 10)  # 1 + 10 claim rows, 1 + 10 links, 1 + 1 + 1 + 10 of the rest

    response = client.get(changes_url(claim), {"page": 2})
    changes = response.context["changes"]
    assert changes.number == 2 and changes.paginator.count == 35
    assert len(changes.object_list) == 10


def test_an_unpublished_claims_changes_are_404(client):
    claim = make_claim(slug="draft", status=Claim.Status.DRAFT)
    assert client.get(changes_url(claim)).status_code == 404


@pytest.fixture
def forget_content_types():
    """The flush and the restore cache content types whose ids the rollback then replaces: a
    later test (tests/community/test_submission_move.py) must not read them from the cache."""
    yield
    ContentType.objects.clear_cache()


@flushing
def test_the_backup_round_trips_the_history_exactly(demo, editor, tmp_path, forget_content_types):
    claim = Claim.objects.order_by("pk").first()
    claim.plain_statement += " (edited)"
    claim.save()
    assert history(Claim).count() == 1
    before = snapshot()
    path = tmp_path / "backup.json"
    call_command("backup", str(path), stdout=io.StringIO())
    call_command("flush", interactive=False, verbosity=0)

    call_command("restore", str(path), stdout=io.StringIO())

    assert snapshot() == before
    assert history(Claim).count() == 1  # restored, not recorded again by the raw saves


def test_the_changes_page_words_every_path_the_trail_records():
    """A path the trail can record but the Changes page cannot word was a 500 there."""
    assert set(changes.PATHS) == set(audit.PATHS)


def test_the_claim_page_links_its_changes_beside_history(client):
    """Review: the Changes page was reachable only from the History page."""
    claim = make_claim(slug="linked")
    html = client.get(claim.get_absolute_url()).content.decode()
    assert html.count(f'href="{reverse("claim-changes", args=[claim.slug])}"') == 2


def test_the_demo_loads_with_a_starting_record_so_a_first_edit_shows_only_what_changed(db):
    """Review: load_demo saves rows raw (no history), so the first edit of a demo claim read
    as its creation (every field from "—") and the admin's History had no old → new."""
    call_command("load_demo", stdout=io.StringIO())
    claim = Claim.objects.order_by("pk").first()
    assert claim.history.count() == 1
    with audit_path(audit.ADMIN):
        claim.summary += " Edited."
        claim.save()
    (newest, *_) = changes.claim_changes(claim, 1).object_list
    assert newest.kind == "changed"
    assert [change.label for change in newest.fields] == ["Summary"]
