"""A warm anonymous claim page reads no database: its claim's version comes from the shared
cache (claims.page_version), and every write that moves the version is seen at once."""

import pytest
from django.db import transaction

from claims import page_version
from claims.models import Claim
from claims.services import claims_rescore
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def shared_cache(settings):
    settings.CLAIM_VERSION_IN_CACHE = True  # as with Redis (config/settings.py)
    settings.FULL_VERDICT_REQUIRES_LOGIN = False


@pytest.fixture
def claim():
    claim = make_claim(slug="zero")
    link(claim, make_study(doi="10.1000/zero", title="The zero study"), finding="First finding.")
    return claim


def get(client, claim, **headers):
    return client.get(f"/claims/{claim.slug}/", headers=headers)


def test_it_serves_a_warm_anonymous_page_with_no_query(client, claim, django_assert_num_queries):
    first = get(client, claim)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = get(client, claim)
    assert again.content == first.content


def test_it_answers_a_warm_conditional_get_with_no_query(client, claim, django_assert_num_queries):
    etag = get(client, claim)["ETag"]
    with django_assert_num_queries(0):
        assert get(client, claim, if_none_match=etag).status_code == 304


def test_an_unpublished_claim_is_gone_at_once(client, claim):
    get(client, claim)
    claim.status = Claim.Status.DRAFT
    claim.save()
    assert get(client, claim).status_code == 404


def test_a_deleted_claim_is_gone_at_once(client, claim):
    get(client, claim)
    Claim.objects.filter(pk=claim.pk).delete()
    assert get(client, claim).status_code == 404


def test_a_claim_published_after_a_404_is_served_at_once(client):
    draft = make_claim(slug="later", status=Claim.Status.DRAFT)
    assert get(client, draft).status_code == 404  # "no published claim" is cached too
    draft.status = Claim.Status.PUBLISHED
    draft.save()
    assert get(client, draft).status_code == 200


def test_an_evidence_edit_is_shown_at_once(client, claim):
    assert "First finding." in get(client, claim).content.decode()
    evidence = claim.evidence.get()
    evidence.finding = "A corrected finding."
    evidence.save()  # the receivers touch the claim
    assert "A corrected finding." in get(client, claim).content.decode()


def test_a_rescore_and_a_related_claims_touch_move_the_etag(client, claim):
    first = get(client, claim)["ETag"]
    Claim.objects.filter(pk=claim.pk).update(pro_score=1)  # a bulk write, no signals
    claims_rescore()  # stores the live scores again: a new content version
    second = get(client, claim)["ETag"]
    Claim.objects.filter(pk=claim.pk).touch_related_list()
    third = get(client, claim)["ETag"]
    assert len({first, second, third}) == 3


def test_a_version_read_before_a_write_is_not_served_after_it(claim):
    """The race: a reader reads the version, a write moves it, then the reader files what
    it read. The reader read the generation first, so what it filed is never read again."""
    read = Claim.objects.published_version

    def read_then_written(slug):
        stale = read(slug)
        Claim.objects.filter(pk=claim.pk).touch()  # the write, between read and cache.set
        return stale

    stale = page_version.published_version(claim.slug, read_then_written)
    fresh = page_version.published_version(claim.slug, read)
    assert fresh.cache_version != stale.cache_version
    assert fresh.cache_version == Claim.objects.get(pk=claim.pk).cache_version


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_generation_moves_again_once_the_write_commits(claim):
    """A reader between the write and its commit reads the committed (old) version: the
    move on commit leaves the generation it filed it under behind."""
    with transaction.atomic():
        Claim.objects.filter(pk=claim.pk).touch()
        during = page_version.generation()
    assert page_version.generation() != during


def test_without_a_shared_cache_the_version_is_read_from_the_database(
    client, claim, settings, django_assert_num_queries
):
    settings.CLAIM_VERSION_IN_CACHE = False  # per-process LocMem: config/settings.py
    get(client, claim)
    with django_assert_num_queries(1):  # the claim's version
        get(client, claim)
