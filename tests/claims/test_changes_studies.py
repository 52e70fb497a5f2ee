"""The public Changes page also lists the edits readers see elsewhere on the claim: a linked
study's facts (title, design, size, retraction), labelled by the study, and an evidence link
sent back from approved to pending."""

import pytest
from django.test import Client
from django.urls import reverse

from claims import appraisal, changes
from claims.models import Evidence
from core.audit import TASK, audit_path
from tests.factories import link, make_claim, make_study
from tests.zotero_doi import zotero_dois

pytestmark = pytest.mark.django_db


def changes_of(claim) -> list:
    response = Client().get(reverse("claim-changes", args=[claim.slug]))
    assert response.status_code == 200
    return list(response.context["changes"])


def fields(change) -> list[tuple[str, str, str]]:
    return [(f.label, f.old, f.new) for f in change.fields]


def test_it_lists_a_linked_study_s_edits_labelled_by_the_study():
    claim = make_claim(slug="study-edits")
    study = make_study(doi="10.1000/edited", title="Old title", year=2021, sample_size=20)
    link(claim, study)
    study.title, study.design, study.sample_size = "New title", "cohort", 24
    study.save()

    [latest, *_] = changes_of(claim)

    assert latest.what == "Study: New title (2021)" and latest.kind == "changed"
    assert ("Title", "Old title", "New title") in fields(latest)
    assert ("Sample size", "20", "24") in fields(latest)
    assert [label for label, _, _ in fields(latest)] == ["Title", "Design", "Sample size"]


def test_a_retraction_found_by_the_watch_is_listed_with_its_role():
    claim = make_claim(slug="study-retracted")
    study = make_study(doi="10.1000/retracted")
    link(claim, study)
    with audit_path(TASK, actor="the retraction watch"):
        study.retraction_status = "retracted"
        study.save()

    [latest, *_] = changes_of(claim)

    assert latest.what.startswith("Study: ")
    assert latest.who == "the retraction watch" and latest.path == "by a background task"
    assert ("Retraction status", "Not retracted", "Retracted") in fields(latest)


def test_it_leaves_out_studies_of_other_claims_and_before_the_link():
    claim, other = make_claim(slug="mine"), make_claim(slug="theirs")
    mine = make_study(doi="10.1000/mine", title="Mine")
    theirs = make_study(doi="10.1000/theirs", title="Theirs")
    link(claim, mine)
    link(other, theirs)
    theirs.title = "Theirs, edited"
    theirs.save()

    whats = [change.what for change in changes_of(claim)]

    assert not any(what.startswith("Study: ") for what in whats)  # not its creation either
    assert not any("Theirs" in what for what in whats)


def test_it_leaves_out_the_study_of_a_pending_link():
    claim = make_claim(slug="pending-study")
    study = make_study(doi="10.1000/unvetted", title="Unvetted")
    link(claim, study, status="pending")
    study.title = "Unvetted, edited"
    study.save()
    assert not any("Unvetted" in change.what for change in changes_of(claim))


def test_a_link_sent_back_to_pending_is_listed_and_its_pending_edits_are_not():
    claim = make_claim(slug="back-to-pending")
    evidence = link(claim, make_study(doi="10.1000/back", title="Back"))
    evidence.status = Evidence.Status.PENDING
    evidence.save()
    evidence.finding = "Edited while pending."
    evidence.save()

    [latest, *_] = changes_of(claim)

    assert latest.what == "Evidence link: Back (2024)"
    assert fields(latest) == [("Status", "Approved", "Pending")]
    assert all("Edited while pending." not in str(fields(c)) for c in changes_of(claim))

    evidence.status = Evidence.Status.APPROVED
    evidence.save()  # approved again: what changed meanwhile shows against the pending row
    [latest, *_] = changes_of(claim)
    assert ("Status", "Pending", "Approved") in fields(latest)


def test_the_query_count_stays_flat_with_study_edits(django_assert_max_num_queries):
    claim = make_claim(slug="flat-studies")
    for n in range(8):
        study = make_study(doi=f"10.1000/flat-{n}", title=f"Trial {n}")
        link(claim, study)
        study.sample_size = 10 + n
        study.save()
    with django_assert_max_num_queries(20):
        assert len(changes_of(claim)) > 8


def test_the_evidence_fields_shown_and_those_appraised_are_one_ordered_list():
    """One tuple of the appraisal's fields, read by the appraisal (as a set) and by the Changes
    page (in order)."""
    order = appraisal.APPRAISAL_FIELD_ORDER
    assert isinstance(order, tuple) and len(set(order)) == len(order)
    assert frozenset(order) == appraisal.APPRAISAL_FIELDS
    shown = changes.PUBLIC_FIELDS[Evidence]
    start = shown.index(order[0])
    assert shown[start : start + len(order)] == order


def test_a_long_value_is_never_cut_inside_a_doi():
    """Zotero's DOI translator would offer a DOI cut at 300 characters as an item of its own:
    the value is cut at the word boundary before the DOI instead."""
    claim = make_claim(slug="long-summary", summary="Short.")
    doi = "10.1000/a-long-doi-that-straddles-the-cut"
    before = "word " * 54  # 270 characters: the DOI runs from the 291st past the 300th
    claim.summary = f"{before}see https://doi.org/{doi} for the trial."
    claim.save()

    [latest, *_] = changes_of(claim)

    [(_, _, shown)] = [field for field in fields(latest) if field[0] == "Summary"]
    assert shown == before.rstrip() + " see…"
    assert "10.1000/" not in shown
    page = Client().get(reverse("claim-changes", args=[claim.slug])).content
    assert zotero_dois(page) == []


def test_a_long_value_with_no_doi_at_the_cut_is_cut_at_300():
    assert changes.shortened("x" * 400) == "x" * 299 + "…"
    assert changes.shortened("10.1000/short " + "y" * 400).startswith("10.1000/short y")


def test_a_sici_doi_at_the_cut_is_kept_whole_or_left_out():
    """A SICI DOI's "<…>" is outside the DOI pattern of a text search, but the word is one DOI:
    the cut falls before the word, and a value that starts with a DOI keeps it whole."""
    sici = "10.1002/(sici)1097-4636(199606)31:2<217::aid-jbm9>3.0.co;2-n"
    shown = changes.shortened("x" * 250 + f" see {sici} and more " + "y" * 50)
    assert shown == "x" * 250 + " see…"
    assert changes.shortened(sici + "z" * 300) == sici + "z" * 300 + "…"
