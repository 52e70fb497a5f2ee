"""The member reads what became of their flags: on their page, and in the partial that
"My contributions" includes."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from flags.contributions import contributions
from flags.services import flag_open, flag_resolve
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db


def test_the_member_sees_the_outcome_and_the_editors_note(member_client, member, editor, evidence):
    flag = flag_open(user=member, target=evidence, reason="wrong_design", note="A cohort.")
    page = member_client.get(reverse("my-flags")).content.decode()
    assert "A flagged trial" in page
    assert "Wrong study design" in page
    assert "Open" in page
    flag_resolve(flag=flag, editor=editor, outcome="fixed", note="Set to **cohort**, thanks.")
    page = member_client.get(reverse("my-flags")).content.decode()
    assert "Resolved" in page
    assert "Fixed" in page
    assert "<strong>cohort</strong>" in page  # the note as markdown


def test_the_member_sees_only_their_own_flags(member_client, editor, claim):
    flag_open(user=editor, target=claim, reason="overstated", note="Editor's own note.")
    page = member_client.get(reverse("my-flags")).content.decode()
    assert "Editor's own note." not in page
    assert "You have not flagged anything yet" in page


def test_it_escapes_what_members_typed(member_client, member, claim):
    flag_open(user=member, target=claim, reason="other", note="<script>alert(1)</script>")
    page = member_client.get(reverse("my-flags")).content.decode()
    assert "<script>alert(1)</script>" not in page


def test_the_list_costs_the_same_queries_for_30_flags(
    member, member_client, editor, django_assert_max_num_queries, settings
):
    settings.FLAGS_PER_HOUR = 100

    def flag_things(n):
        for i in range(n):
            claim = make_claim(slug=f"listed-{i}-{member.flags.count()}")
            study = make_study(title=f"Listed {i}")
            flag = flag_open(user=member, target=link(claim, study), reason="wrong_stance")
            flag_resolve(flag=flag, editor=editor, outcome="no_change", note="Right as is.")
            flag_open(user=member, target=study, reason="retracted")
            flag_open(user=member, target=claim, reason="overstated")

    flag_things(1)
    with django_assert_max_num_queries(20) as few:
        member_client.get(reverse("my-flags"))
    flag_things(10)
    assert member.flags.count() == 33
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = member_client.get(reverse("my-flags"))
    assert page.content.decode().count('class="flag-item') == 33


def test_the_partial_renders_from_the_contributions_context(member, claim):
    flag_open(user=member, target=claim, reason="overstated")
    context = contributions(member)
    assert context["flags_total"] == 1 and context["flags_older"] == 0
    html = render_to_string("flags/_my_contributions.html", context)
    assert claim.plain_statement in html
    assert "<table" not in html  # stacked items read on a phone


def test_the_outcome_shows_under_my_contributions(member_client, member, editor, claim):
    flag = flag_open(user=member, target=claim, reason="overstated", note="Says “proves”.")
    flag_resolve(flag=flag, editor=editor, outcome="fixed", note="Reworded to “suggests”.")
    page = member_client.get(reverse("my-contributions")).content.decode()
    assert 'id="my-flags-heading"' in page
    assert "Fixed" in page and "Reworded to “suggests”." in page
