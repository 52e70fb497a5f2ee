"""flags.services: opening a flag (what is refused and why) and resolving one."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from claims.models import Claim
from core.limits import RateLimitExceeded
from flags import services
from flags.models import Flag
from flags.services import flag_open, flag_resolve
from tests.factories import make_claim

pytestmark = pytest.mark.django_db


def errors(excinfo) -> dict:
    return excinfo.value.message_dict


def test_it_opens_a_flag_on_an_evidence_link_with_its_claim(member, evidence, claim):
    flag = flag_open(user=member, target=evidence, reason="wrong_stance", note=" It contradicts. ")
    assert (flag.target, flag.claim, flag.flagged_by) == (evidence, claim, member)
    assert flag.note == "It contradicts."
    assert flag.status == "open"


def test_it_opens_a_flag_on_a_study_without_a_claim(member, study):
    flag = flag_open(user=member, target=study, reason="retracted")
    assert flag.claim is None
    assert flag.target_type == "study"


def test_it_refuses_an_unknown_reason(member, claim):
    with pytest.raises(ValidationError) as excinfo:
        flag_open(user=member, target=claim, reason="boring")
    assert errors(excinfo) == {"reason": [services.REASON_INVALID]}


def test_it_refuses_abuse_on_anything_but_a_comment(member, claim):
    with pytest.raises(ValidationError) as excinfo:
        flag_open(user=member, target=claim, reason="abuse")
    assert errors(excinfo) == {"reason": [services.REASON_NOT_FOR_TARGET]}


def test_it_requires_a_note_for_something_else(member, claim):
    with pytest.raises(ValidationError) as excinfo:
        flag_open(user=member, target=claim, reason="other", note="   ")
    assert errors(excinfo) == {"note": [services.NOTE_REQUIRED]}


def test_it_refuses_a_note_over_1000_characters(member, claim):
    with pytest.raises(ValidationError) as excinfo:
        flag_open(user=member, target=claim, reason="overstated", note="x" * 1001)
    assert list(errors(excinfo)) == ["note"]
    assert "1000 characters" in errors(excinfo)["note"][0]


def test_it_refuses_an_item_of_an_unpublished_claim(member, study):
    draft = make_claim(slug="draft", status=Claim.Status.DRAFT)
    with pytest.raises(ValidationError) as excinfo:
        flag_open(user=member, target=draft, reason="overstated")
    assert excinfo.value.messages == [services.NOT_PUBLIC]
    evidence = draft.evidence.create(study=study, stance="supports", certainty="low")
    with pytest.raises(ValidationError):
        flag_open(user=member, target=evidence, reason="wrong_stance")
    assert not Flag.objects.exists()


def test_it_refuses_what_cannot_be_flagged(member):
    with pytest.raises(ValidationError) as excinfo:
        flag_open(user=member, target=member, reason="other", note="Who is this?")
    assert excinfo.value.messages == [services.NOT_FLAGGABLE]


def test_it_refuses_a_second_open_flag_from_the_same_reader(member, claim):
    flag_open(user=member, target=claim, reason="overstated")
    with pytest.raises(ValidationError) as excinfo:
        flag_open(user=member, target=claim, reason="other", note="And more.")
    assert excinfo.value.messages == [services.ALREADY_OPEN]


def test_it_limits_each_reader_to_flags_per_hour(member, editor, settings):
    settings.FLAGS_PER_HOUR = 2
    claims = [make_claim(slug=f"claim-{i}") for i in range(3)]
    flag_open(user=member, target=claims[0], reason="overstated")
    flag_open(user=member, target=claims[1], reason="overstated")
    with pytest.raises(RateLimitExceeded) as excinfo:
        flag_open(user=member, target=claims[2], reason="overstated")
    assert excinfo.value.messages == [services.RATE_LIMITED.format(limit=2)]
    flag_open(user=editor, target=claims[2], reason="overstated")  # another reader's own limit
    assert Flag.objects.count() == 3


def test_it_counts_only_the_last_hour(member, settings):
    settings.FLAGS_PER_HOUR = 1
    first = flag_open(user=member, target=make_claim(slug="old"), reason="overstated")
    Flag.objects.filter(pk=first.pk).update(
        created_at=first.created_at - timedelta(hours=1, seconds=1)
    )
    flag_open(user=member, target=make_claim(slug="new"), reason="overstated")


@pytest.fixture
def flag(member, claim):
    return flag_open(user=member, target=claim, reason="overstated", note="Says “proves”.")


def test_it_resolves_a_flag_with_the_outcome_and_note(flag, editor):
    flag_resolve(flag=flag, editor=editor, outcome="fixed", note="Reworded: “suggests”.")
    row = Flag.objects.get(pk=flag.pk)
    assert (row.status, row.outcome, row.resolved_by) == ("resolved", "fixed", editor)
    assert row.resolution_note == "Reworded: “suggests”."
    assert row.resolved_at is not None
    assert flag.status == "resolved"  # the caller's object follows the row


def test_it_requires_a_note_and_a_known_outcome(flag, editor):
    with pytest.raises(ValidationError) as excinfo:
        flag_resolve(flag=flag, editor=editor, outcome="shrug", note=" ")
    assert errors(excinfo) == {
        "outcome": [services.OUTCOME_INVALID],
        "note": [services.RESOLUTION_NOTE_REQUIRED],
    }
    assert Flag.objects.get(pk=flag.pk).is_open


def test_an_editor_cannot_resolve_their_own_flag(editor, claim):
    own = flag_open(user=editor, target=claim, reason="overstated")
    with pytest.raises(ValidationError) as excinfo:
        flag_resolve(flag=own, editor=editor, outcome="fixed", note="Done.")
    assert excinfo.value.messages == [services.OWN_FLAG]
    assert Flag.objects.get(pk=own.pk).is_open


def test_resolving_twice_says_it_is_already_resolved(flag, editor, django_user_model):
    other = django_user_model.objects.create_user("other-editor", is_staff=True)
    stale = Flag.objects.get(pk=flag.pk)  # the second editor's page, loaded before the first
    flag_resolve(flag=flag, editor=editor, outcome="fixed", note="Reworded.")
    with pytest.raises(ValidationError) as excinfo:
        flag_resolve(flag=stale, editor=other, outcome="no_change", note="Fine as it is.")
    assert excinfo.value.messages == [services.ALREADY_RESOLVED]
    row = Flag.objects.get(pk=flag.pk)
    assert (row.outcome, row.resolved_by) == ("fixed", editor)


def test_it_takes_abuse_reports_on_a_comment(member, editor, claim):
    comment_model = pytest.importorskip("discussion.models").Comment
    comment = comment_model.objects.create(claim=claim, author=editor, body="Buy pills.")
    flag = flag_open(user=member, target=comment, reason="abuse")
    assert (flag.target, flag.claim, flag.target_type) == (comment, claim, "comment")
    with pytest.raises(ValidationError) as excinfo:
        flag_open(user=editor, target=comment, reason="wrong_design")
    assert errors(excinfo) == {"reason": [services.REASON_NOT_FOR_TARGET]}
