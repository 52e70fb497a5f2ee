"""Mail to a claim's followers: one email per change per follower, the daily digest, no second
email for a redelivered task, and the signed unsubscribe link (good, tampered, expired)."""

import re
import time
from unittest import mock

import pytest
from django.core import mail, signing

from claims.models import Claim
from claims.services import claims_rescore
from claims.signals import claim_changed
from community import tasks
from community.follows import UNSUBSCRIBE_MAX_AGE, follow_claim, unsubscribe_token
from community.models import Follow, FollowDelivery, FollowSettings
from studies.models import Stance
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim():
    claim = make_claim()
    study = make_study(title="Small trial", doi="10.1000/small", authors="Smith J", year=2020)
    link(claim, study)
    return Claim.objects.get(pk=claim.pk)


@pytest.fixture
def readers(django_user_model, claim):
    """Two followers and a member who follows nothing."""
    users = [
        django_user_model.objects.create_user(name, f"{name}@example.org", "pw-x-12345")
        for name in ("ada", "bob", "cy")
    ]
    for user in users[:2]:
        follow_claim(user=user, claim=claim)
    return users


def add_contradicting_review(claim, capture):
    """A large meta-analysis against the claim: "Very uncertain" becomes "Leaning against"."""
    review = make_study(
        title="Big review", doi="10.1000/review", design="meta_analysis_rct", sample_size=2000
    )
    with capture(execute=True):
        link(claim, review, stance=Stance.CONTRADICTS, certainty="high")
    return review


def test_a_verdict_change_mails_each_follower_exactly_once(
    claim, readers, django_capture_on_commit_callbacks
):
    before = claim.verdict
    add_contradicting_review(claim, django_capture_on_commit_callbacks)
    after = Claim.objects.get(pk=claim.pk)
    assert after.verdict != before
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.org", "bob@example.org"]
    body = mail.outbox[0].body
    assert f"Verdict: {before} → {after.verdict}" in body
    assert "Certainty: very low → low" in body
    assert "Study added to the count: Big review (https://doi.org/10.1000/review)" in body
    assert f"/claims/{claim.slug}/" in body
    assert re.search(r"/unsubscribe/[^/\s]+/", body)
    assert mail.outbox[0].extra_headers["List-Unsubscribe"].startswith("<http")


def test_a_redelivered_task_mails_nobody_twice(claim, readers, django_capture_on_commit_callbacks):
    add_contradicting_review(claim, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    change = {"claim_id": claim.pk}
    assert tasks.send_change_mail(claim.pk, change) == 0  # the broker delivered it again
    claim_changed.send(sender=None, changes=())  # nothing to say, nothing sent
    assert len(mail.outbox) == 2


def test_a_rescore_that_changes_nothing_sends_nothing(
    claim, readers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        claims_rescore()
    assert callbacks == [] and mail.outbox == []


def test_a_retracted_study_is_named_as_retracted(
    claim, readers, django_capture_on_commit_callbacks
):
    add_contradicting_review(claim, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    study = claim.evidence.get(study__doi="10.1000/small").study
    study.retraction_status = "retracted"
    with django_capture_on_commit_callbacks(execute=True):
        study.save()
    assert len(mail.outbox) == 2
    body = mail.outbox[0].body
    assert "Retracted, so no longer counted: Smith J 2020 (https://doi.org/10.1000/small)" in body
    assert "Study no longer counted" not in body


def test_digest_readers_get_one_digest_of_the_changes_since_their_last(
    claim, readers, django_capture_on_commit_callbacks
):
    ada = readers[0]
    FollowSettings.objects.create(user=ada, delivery=FollowDelivery.DAILY_DIGEST)
    before = claim.verdict
    add_contradicting_review(claim, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["bob@example.org"]]  # ada waits for her digest
    mail.outbox.clear()

    assert tasks.send_daily_digests() == 1
    (digest,) = mail.outbox
    assert digest.to == ["ada@example.org"]
    assert "1 claim you follow changed" in digest.subject
    assert f"Verdict: {before} → {Claim.objects.get(pk=claim.pk).verdict}" in digest.body
    # The next day nothing moved: no digest (beat may run it twice, too).
    assert tasks.send_daily_digests() == 0
    assert len(mail.outbox) == 1
    assert FollowSettings.objects.get(user=ada).digest_sent_at is not None


def test_the_unsubscribe_link_asks_then_removes_the_follow(claim, readers, client):
    follow = Follow.objects.get(user=readers[0], claim=claim)
    url = f"/unsubscribe/{unsubscribe_token(follow)}/"
    page = client.get(url)
    assert page.status_code == 200 and b"Unsubscribe</button>" in page.content
    assert Follow.objects.filter(pk=follow.pk).exists()  # a GET (a link scanner) removes nothing
    done = client.post(url)
    assert done.status_code == 200 and b"You no longer follow" in done.content
    assert not Follow.objects.filter(pk=follow.pk).exists()
    assert Follow.objects.filter(user=readers[1], claim=claim).exists()
    assert client.post(url).status_code == 200  # a second click is not an error


def test_a_tampered_unsubscribe_token_is_refused(claim, readers, client):
    follow = Follow.objects.get(user=readers[0], claim=claim)
    other = Follow.objects.get(user=readers[1], claim=claim)
    token = unsubscribe_token(follow)
    # Someone else's ids under this token's signature, and a token signed for another purpose.
    forged = signing.dumps([other.user_id, other.claim_id], salt="another.salt", compress=True)
    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), forged, "x" + token):
        response = client.post(f"/unsubscribe/{bad}/")
        assert response.status_code == 400, bad
        assert b"not valid" in response.content
    assert Follow.objects.filter(claim=claim).count() == 2


def test_an_expired_unsubscribe_token_is_refused(claim, readers, client):
    follow = Follow.objects.get(user=readers[0], claim=claim)
    signed_at = time.time() - UNSUBSCRIBE_MAX_AGE - 60
    with mock.patch("django.core.signing.time.time", return_value=signed_at):
        token = unsubscribe_token(follow)
    response = client.get(f"/unsubscribe/{token}/")
    assert response.status_code == 400
    assert b"expired" in response.content
    assert client.post(f"/unsubscribe/{token}/").status_code == 400
    assert Follow.objects.filter(pk=follow.pk).exists()


def test_a_line_break_in_the_claims_wording_does_not_stop_the_mail(
    claim, readers, django_capture_on_commit_callbacks
):
    """Review: the subject was the plain statement's first 80 characters; a line break typed
    in the admin's textarea made every notice raise BadHeaderError, and no follower was told
    of any change again. The subject is one line, cut at a word with an ellipsis."""
    wording = "Evil\r\nBcc: victim@evil.test\r\n" + "lifting heavy things makes muscles grow " * 3
    Claim.objects.filter(pk=claim.pk).update(plain_statement=wording)
    claim.refresh_from_db()
    add_contradicting_review(claim, django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.org", "bob@example.org"]
    subject = mail.outbox[0].subject
    assert "\n" not in subject and "\r" not in subject
    assert subject.startswith("Claim update: Evil Bcc: victim@evil.test lifting")
    assert subject.endswith("…") and len(subject) <= 100
    assert not mail.outbox[0].bcc


def test_the_unsubscribe_page_does_not_show_a_drafts_wording(claim, readers, client):
    follow = Follow.objects.get(user=readers[0], claim=claim)
    Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.DRAFT)
    page = client.get(f"/unsubscribe/{unsubscribe_token(follow)}/")
    assert page.status_code == 200
    assert claim.plain_statement.encode() not in page.content
    assert client.post(f"/unsubscribe/{unsubscribe_token(follow)}/").status_code == 200
    assert not Follow.objects.filter(pk=follow.pk).exists()
