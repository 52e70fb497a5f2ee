"""The editors' queue in the admin: open first, links to each target, the resolve page."""

import pytest
from django.urls import reverse

from flags.models import Flag
from flags.services import OWN_FLAG, RESOLUTION_NOTE_REQUIRED, flag_open, flag_resolve
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:flags_flag_changelist")


def resolve_url(flag) -> str:
    return reverse("admin:flags_flag_resolve", args=[flag.pk])


@pytest.fixture
def flag(member, evidence):
    return flag_open(user=member, target=evidence, reason="wrong_design", note="It is a cohort.")


def test_the_queue_lists_open_flags_first_with_who_and_links(
    editor_client, editor, member, flag, claim, study
):
    older = flag_open(user=member, target=claim, reason="overstated")
    flag_resolve(flag=older, editor=editor, outcome="no_change", note="The wording is fair.")
    response = editor_client.get(CHANGELIST)
    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert [row.pk for row in rows] == [flag.pk, older.pk]
    html = response.content.decode()
    assert "It is a cohort." in html
    assert "member" in html
    assert f"{claim.get_absolute_url()}#evidence" in html  # the public page
    assert reverse("admin:claims_evidence_change", args=[flag.object_id]) in html
    assert resolve_url(flag) in html


@pytest.mark.parametrize(
    "query", ["status=open", "reason=wrong_design", "target=evidence", "target=nonsense"]
)
def test_the_filters_answer(editor_client, flag, query):
    response = editor_client.get(f"{CHANGELIST}?{query}")
    assert response.status_code == 200
    assert flag in response.context["cl"].result_list


def test_the_target_filter_narrows(editor_client, flag, member, study):
    study_flag = flag_open(user=member, target=study, reason="retracted")
    response = editor_client.get(f"{CHANGELIST}?target=study")
    assert list(response.context["cl"].result_list) == [study_flag]


def test_the_queue_costs_the_same_queries_for_many_flags(
    editor_client, django_user_model, django_assert_max_num_queries
):
    def fill(n):
        for i in range(n):
            reader = django_user_model.objects.create_user(f"reader-{Flag.objects.count()}")
            claim = make_claim(slug=f"queue-{Flag.objects.count()}")
            study = make_study(title=f"Study {i}")
            flag_open(user=reader, target=link(claim, study), reason="wrong_stance")
            flag_open(user=reader, target=study, reason="retracted")
            flag_open(user=reader, target=claim, reason="overstated")

    fill(2)
    with django_assert_max_num_queries(30) as few:
        editor_client.get(CHANGELIST)
    fill(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert editor_client.get(CHANGELIST).status_code == 200


def test_resolving_requires_a_note_and_keeps_the_flag_open(editor_client, flag):
    response = editor_client.post(resolve_url(flag), {"outcome": "fixed", "note": " "})
    assert response.status_code == 200
    assert RESOLUTION_NOTE_REQUIRED in response.content.decode()
    assert Flag.objects.get(pk=flag.pk).is_open


def test_an_editor_resolves_a_flag(editor_client, editor, flag):
    page = editor_client.get(resolve_url(flag))
    assert page.status_code == 200
    assert "It is a cohort." in page.content.decode()
    response = editor_client.post(
        resolve_url(flag), {"outcome": "fixed", "note": "Set the design to *cohort*."}, follow=True
    )
    assert response.redirect_chain[-1][0] == CHANGELIST
    assert "Resolved the flag as “Fixed”" in response.content.decode()
    row = Flag.objects.get(pk=flag.pk)
    assert (row.status, row.outcome, row.resolved_by) == ("resolved", "fixed", editor)


def test_an_editor_cannot_resolve_their_own_flag(editor_client, editor, claim):
    own = flag_open(user=editor, target=claim, reason="overstated")
    page = editor_client.get(resolve_url(own))
    assert OWN_FLAG in page.content.decode()
    assert b'name="note"' not in page.content
    response = editor_client.post(resolve_url(own), {"outcome": "fixed", "note": "Mine."})
    assert OWN_FLAG in response.content.decode()
    assert Flag.objects.get(pk=own.pk).is_open


def test_a_second_resolve_says_it_is_already_resolved(editor_client, django_user_model, flag):
    other = django_user_model.objects.create_user("other", is_staff=True, is_superuser=True)
    flag_resolve(flag=flag, editor=other, outcome="no_change", note="Design is right.")
    response = editor_client.post(resolve_url(flag), {"outcome": "fixed", "note": "Fixed."})
    assert "already been resolved" in response.content.decode()
    assert Flag.objects.get(pk=flag.pk).outcome == "no_change"


@pytest.mark.parametrize("object_id", ["999999", "not-an-id", "1%00"])
def test_a_bad_id_is_no_500(editor_client, object_id):
    response = editor_client.get(f"{CHANGELIST}{object_id}/resolve/")
    assert response.status_code in (302, 400, 404)


def test_only_editors_may_resolve(client, member, flag, django_user_model):
    client.force_login(member)
    assert client.get(resolve_url(flag)).status_code == 302  # the admin's login
    staff = django_user_model.objects.create_user("staff", is_staff=True)
    client.force_login(staff)
    assert client.get(resolve_url(flag)).status_code == 403
    assert client.post(resolve_url(flag), {"outcome": "fixed", "note": "x"}).status_code == 403
    assert Flag.objects.get(pk=flag.pk).is_open


def test_nobody_adds_or_deletes_flags_in_the_admin(editor_client, flag):
    assert editor_client.get(reverse("admin:flags_flag_add")).status_code == 403
    assert editor_client.get(reverse("admin:flags_flag_delete", args=[flag.pk])).status_code == 403
    change = editor_client.get(reverse("admin:flags_flag_change", args=[flag.pk]))
    assert change.status_code == 200
    assert b'name="reason"' not in change.content  # read-only
