"""The database keeps one open flag per reader and item, and a resolution complete."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from flags.models import Flag

pytestmark = pytest.mark.django_db


def open_flag(target, user, **fields):
    return Flag.objects.create(target=target, flagged_by=user, reason="wrong_design", **fields)


def test_it_refuses_a_second_open_flag_by_one_reader_on_one_item(member, study):
    open_flag(study, member)
    with pytest.raises(IntegrityError), transaction.atomic():
        open_flag(study, member)


def test_it_allows_a_new_open_flag_once_the_first_is_resolved(member, editor, study):
    first = open_flag(study, member)
    Flag.objects.filter(pk=first.pk).update(
        status="resolved",
        outcome="fixed",
        resolution_note="Corrected the design.",
        resolved_by=editor,
        resolved_at=timezone.now(),
    )
    second = open_flag(study, member)
    assert second.is_open
    assert Flag.objects.for_target(study).count() == 2


def test_it_allows_other_readers_and_other_items(member, editor, study, claim):
    open_flag(study, member)
    open_flag(study, editor)
    open_flag(claim, member)
    assert Flag.objects.open().count() == 3


def test_it_refuses_a_resolution_without_a_note(member, study):
    flag = open_flag(study, member)
    with pytest.raises(IntegrityError), transaction.atomic():
        Flag.objects.filter(pk=flag.pk).update(
            status="resolved", outcome="fixed", resolved_at=timezone.now()
        )


def test_it_keeps_a_deleted_members_flag_as_a_former_members(member, study):
    flag = open_flag(study, member)
    member.delete()
    flag.refresh_from_db()
    assert flag.flagged_by is None
    assert flag.flagger_name == "a former member"


def test_it_labels_a_flag_whose_target_is_gone(member, claim, evidence):
    flag = open_flag(evidence, member)
    evidence.delete()
    flag = Flag.objects.get(pk=flag.pk)
    assert flag.target is None
    assert flag.target_label == "An item since deleted"
    assert flag.target_url == ""
