"""Related claims that disagree (issue 18, deliver 7): a claim sharing a study with a related
claim whose verdict points the other way says so on both pages, and both pages follow a flip."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim, Evidence
from claims.related import disagreeing
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db

NOTICE = "the other way:"


@pytest.fixture
def shared():
    return make_study(doi="10.1000/shared", sample_size=400, title="The shared trial")


def pair(shared, *, b_stance="contradicts"):
    a = make_claim(slug="a", plain_statement="Claim A reads the trial.")
    b = make_claim(slug="b", plain_statement="Claim B reads the trial.")
    link(a, shared, certainty="high")
    link(b, shared, stance=b_stance, certainty="high")
    return Claim.objects.get(pk=a.pk), Claim.objects.get(pk=b.pk)


def related_section(client, claim) -> str:
    html = client.get(claim.get_absolute_url()).content.decode()
    return html[html.index('id="related-heading"') :] if 'id="related-heading"' in html else ""


def notice(section: str) -> str:
    """The disagreement paragraphs of a Related claims section, or ""."""
    return "".join(
        part.split("</p>")[0] for part in section.split('<p class="related-disagree">')[1:]
    )


def test_two_claims_reading_a_study_the_other_way_show_each_other(client, shared):
    a, b = pair(shared)
    assert (a.verdict, b.verdict) == ("Strong support", "Strongly contradicted")
    on_a = notice(related_section(client, a))
    assert "Another claim reads the same study the other way:" in on_a
    assert 'href="/claims/b/"' in on_a and "(Strongly contradicted)" in on_a
    assert "The shared trial" in on_a and shared.link_url in on_a
    on_b = notice(related_section(client, b))
    assert 'href="/claims/a/"' in on_b and "(Strong support)" in on_b
    assert "The shared trial" in on_b


def test_claims_pointing_the_same_way_say_nothing(client, shared):
    a, b = pair(shared, b_stance="supports")
    assert a.verdict == b.verdict == "Strong support"
    for claim in (a, b):
        section = related_section(client, claim)
        assert "Related claims" in section  # still related, just not disagreeing
        assert NOTICE not in section


def test_a_neutral_verdict_disagrees_with_nothing(client, shared):
    a = make_claim(slug="a")
    link(a, shared, certainty="high")
    b = make_claim(slug="b")
    link(b, make_study(doi="10.1000/b-own", sample_size=400), certainty="high")
    link(b, shared, stance="contradicts", certainty="high")  # one each way: not against
    b = Claim.objects.get(pk=b.pk)
    assert b.verdict not in ("Strongly contradicted", "Moderately contradicted", "Leaning against")
    assert NOTICE not in related_section(client, a)


def test_it_names_every_shared_study(client, shared):
    second = make_study(doi="10.1000/second", sample_size=300, title="The second trial")
    a, b = pair(shared)
    link(a, second, certainty="high")
    link(b, second, stance="contradicts", certainty="high")
    link(a, make_study(doi="10.1000/only-a", title="Only A's trial"), certainty="high")
    on_a = notice(related_section(client, Claim.objects.get(pk=a.pk)))
    assert "Another claim reads the same studies the other way:" in on_a
    assert "The second trial" in on_a and "The shared trial" in on_a
    assert "Only A's trial" not in on_a


def test_a_flip_of_one_claim_updates_both_pages(client, shared, django_assert_num_queries):
    """Anonymous pages are cached whole: after the flip neither page may be served stale."""
    a, b = pair(shared, b_stance="supports")
    for claim in (a, b):  # cached, with nothing to say
        assert NOTICE not in related_section(client, claim)
        with django_assert_num_queries(1):  # the version only: served from the cache
            client.get(claim.get_absolute_url())
    evidence = Evidence.objects.get(claim=b, study=shared)
    evidence.stance = "contradicts"
    evidence.save()
    assert Claim.objects.get(pk=b.pk).verdict == "Strongly contradicted"
    assert 'href="/claims/b/"' in notice(related_section(client, a))
    assert 'href="/claims/a/"' in notice(related_section(client, b))
    # And back: both notices go.
    evidence.stance = "supports"
    evidence.save()
    for claim in (a, b):
        assert NOTICE not in related_section(client, claim)


def test_a_flip_shows_for_members_too(member_client, shared):
    a, b = pair(shared, b_stance="supports")
    assert NOTICE not in related_section(member_client, a)
    evidence = Evidence.objects.get(claim=b, study=shared)
    evidence.stance = "contradicts"
    evidence.save()
    assert 'href="/claims/b/"' in notice(related_section(member_client, a))


def test_a_disagreeing_claim_beyond_the_five_listed_is_still_named(client, shared):
    a = make_claim(slug="a")
    link(a, shared, certainty="high")
    extra = make_study(doi="10.1000/extra", sample_size=400)
    link(a, extra, certainty="high")
    for i in range(6):  # share two studies: ranked above the disagreeing one
        agree = make_claim(slug=f"agree-{i}")
        link(agree, shared, certainty="high")
        link(agree, extra, certainty="high")
    b = make_claim(slug="b")
    link(b, shared, stance="contradicts", certainty="high")
    section = related_section(client, Claim.objects.get(pk=a.pk))
    assert 'href="/claims/b/"' in notice(section)
    assert section.count("shared stud") == 5


def test_drafts_and_unapproved_links_do_not_count(client, shared):
    a = make_claim(slug="a")
    link(a, shared, certainty="high")
    draft = make_claim(slug="draft", status="draft")
    link(draft, shared, stance="contradicts", certainty="high")
    pending = make_claim(slug="pending")
    link(pending, make_study(doi="10.1000/p-own", sample_size=400), stance="contradicts")
    link(pending, shared, stance="contradicts", status="pending")
    assert disagreeing(Claim.objects.get(pk=a.pk)) == []


def page_queries(client, claim) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(claim.get_absolute_url()).status_code == 200
    return len(queries)


def web(shared, disagreeing_count: int) -> Claim:
    a = make_claim(slug="hub")
    link(a, shared, certainty="high")
    for i in range(disagreeing_count):
        other = make_claim(slug=f"other-{i}")
        link(other, shared, stance="contradicts", certainty="high")
        link(other, make_study(doi=f"10.1000/own-{i}", sample_size=400), stance="contradicts")
    return Claim.objects.get(pk=a.pk)


def test_the_page_costs_the_same_queries_with_one_or_many_disagreeing_claims(
    client, shared, django_assert_max_num_queries
):
    hub = web(shared, 1)
    few = page_queries(client, hub)
    for i in range(1, 8):
        other = make_claim(slug=f"more-{i}")
        link(other, shared, stance="contradicts", certainty="high")
    cache.clear()  # the whole page again, not the anonymous copy
    with django_assert_max_num_queries(few):
        html = client.get(hub.get_absolute_url()).content.decode()
    assert html.count('<p class="related-disagree">') == 8


def test_the_disagreement_costs_two_queries(shared, django_assert_num_queries):
    hub = web(shared, 6)
    with django_assert_num_queries(2):
        found = disagreeing(hub)
    assert len(found) == 6 and all(item.studies == [shared] for item in found)


def test_very_uncertain_claims_leaning_apart_are_named(client):
    """Issue 18 review: "Very uncertain" names no side, yet scores of 66 / 0 and 0 / 66 read
    one small study opposite ways; the four demo claims could never disagree before."""
    small = make_study(doi="10.1000/small", sample_size=18, title="The small trial")
    a = make_claim(slug="a", plain_statement="Claim A reads the trial.")
    b = make_claim(slug="b", plain_statement="Claim B reads the trial.")
    link(a, small, certainty="moderate")
    link(b, small, stance="contradicts", certainty="moderate")
    a, b = Claim.objects.get(pk=a.pk), Claim.objects.get(pk=b.pk)
    assert a.verdict == b.verdict == "Very uncertain"
    assert (a.pro_score, b.against_score) == (66, 66)
    on_a = notice(related_section(client, a))
    assert 'href="/claims/b/"' in on_a
    assert "(Very uncertain, its studies leaning against the claim)" in on_a
    on_b = notice(related_section(client, b))
    assert "(Very uncertain, its studies leaning towards the claim)" in on_b


def test_very_uncertain_claims_leaning_the_same_way_say_nothing(client):
    small = make_study(doi="10.1000/small", sample_size=18)
    a, b = make_claim(slug="a"), make_claim(slug="b")
    link(a, small, certainty="moderate")
    link(b, small, certainty="moderate")
    assert NOTICE not in related_section(client, Claim.objects.get(pk=a.pk))
