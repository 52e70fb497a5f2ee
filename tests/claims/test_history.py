"""The History page: each version as published, the "Since vN" entry and the score chart."""

import re

import pytest
from django.urls import reverse

import scoring
from claims.history import NOT_RECORDED, score_chart, version_history
from claims.models import Analysis, Claim, Evidence
from claims.services import analysis_publish, claim_scorecard
from community.services import submission_accept
from tests.factories import link, make_claim, make_study, make_submission

pytestmark = pytest.mark.django_db


def history(client, claim) -> str:
    return client.get(reverse("claim-history", args=[claim.slug])).content.decode()


def text_of(html: str) -> str:
    """The page's text, tags removed and whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def level(certainty) -> str:
    return dict(scoring.CERTAINTIES)[certainty].lower()


def test_it_lists_every_version_with_its_scores_and_changes(client, editor):
    claim = make_claim()
    weak = make_study(doi="10.1000/weak", title="Weak cohort", design="cohort", sample_size=50)
    link(claim, weak, certainty="low")
    analysis_publish(claim=claim, author=editor, change_note="First look")
    link(claim, make_study(doi="10.1000/rct", title="Strong RCT", sample_size=100),
         stance="contradicts", certainty="high")  # fmt: skip
    analysis_publish(claim=claim, author=editor, change_note="Added the RCT")
    html = history(client, claim)
    assert "Analysis v2" in html and "Analysis v1" in html
    assert html.index("Analysis v2") < html.index("Analysis v1")
    assert "Added the RCT" in html and "First look" in html
    points = round(scoring.points(scoring.Item("contradicts", "rct", "high", 100)), 1)
    assert (
        f"Strong RCT added as contradicting ({points} study points): <strong>Against +86</strong>"
    ) in html
    assert "Since v1: 1 study added (Strong RCT)" in html
    assert "Against 0 → 86" in html
    assert "<svg" in html and "polyline" in html
    assert "by editor" in html


def test_it_shows_evidence_changed_since_the_latest_version(client):
    claim = make_claim()
    analysis_publish(claim=claim)
    link(claim, make_study(doi="10.1000/new", title="New trial", sample_size=18))
    html = history(client, claim)
    assert "Since v1" in html and "Not yet a new version" in html
    assert "Since v1: 1 study added (New trial)" in html
    assert "New trial added as supporting (43.4 study points): <strong>Pro +66</strong>" in html
    card = scoring.score([{"stance": "supports", "design": "rct", "certainty": "moderate",
                           "sample_size": 18}], claim_type="causal")  # fmt: skip
    assert (
        f"Pro 0 → 66, certainty none → {level(card.certainty)}, "
        f"verdict Insufficient evidence → {card.verdict}"
    ) in html
    # v1 is still shown as published, the current version; the live entry is not a version.
    [since, v1] = version_history(claim)
    assert since.analysis is None and (since.pro, since.against) == (66, 0)
    assert v1.current and (v1.pro, v1.against, v1.verdict) == (0, 0, "Insufficient evidence")


def test_v1_stays_as_published_after_a_community_submission_is_accepted(client, editor, member):
    """The issue's defect: accepting a submission of a known study made History show v1
    (published with 66/0) as "Leaning against, Pro 66, Against 84, from 2 studies"."""
    claim = make_claim()
    refalo = make_study(doi="10.1000/refalo", title="Refalo trial", authors="Refalo, M; Helms, E",
                        year=2024, sample_size=18)  # fmt: skip
    link(claim, refalo, certainty="moderate", certainty_reason="Within-participant limbs.")
    other = make_claim(slug="other-claim")
    hermann = make_study(doi="10.1000/hermann", title="Hermann trial",
                         authors="Hermann, T; Lee, K", year=2025, sample_size=42)  # fmt: skip
    link(other, hermann, certainty="")  # already on the site, for another claim
    v1 = analysis_publish(claim=claim, author=editor, change_note="First look")
    published = (v1.pro, v1.against, v1.verdict, v1.certainty, list(v1.certainty_reasons))
    assert (v1.pro, v1.against) == (66, 0)

    submission = make_submission(claim, member, doi=hermann.doi, stance="contradicts")
    evidence = submission_accept(submission=submission, moderator=editor).evidence
    # Awaiting appraisal it counts for nothing: History has no new entry and v1 is unchanged.
    [only] = version_history(claim)
    assert (only.pro, only.against, only.verdict) == (66, 0, v1.verdict)
    assert "Since v1" not in history(client, claim)

    evidence.appraisal_status = Evidence.Appraisal.APPRAISED
    evidence.save()  # the editor appraises it (certainty derived: high for an RCT)
    claim.refresh_from_db()
    assert (claim.pro_score, claim.against_score) == (66, 84)
    [since, first] = version_history(claim)
    assert first.analysis == v1 and first.recorded
    assert (first.pro, first.against, first.verdict, first.certainty,
            first.certainty_reasons) == published  # fmt: skip
    assert [c.text for c in first.changes] == ["First analysis, from 1 study"]
    assert since.analysis is None and (since.pro, since.against) == (66, 84)
    assert since.summary == "Since v1: 1 study added (Hermann et al. 2025)"
    assert since.movement.startswith("Against 0 → 84")
    assert since.verdict == claim.verdict and since.certainty == claim.certainty

    page = text_of(history(client, claim))
    v1_part = page[page.index("Analysis v1") :]
    assert f"{v1.verdict} · {first.certainty_label} · Pro 66 · Against 0" in v1_part
    assert "Against 84" not in v1_part and "from 2 studies" not in page
    assert "Since v1: 1 study added (Hermann et al. 2025)" in page
    assert "Hermann et al. 2025 added as contradicting" in page


def test_it_states_the_score_certainty_and_verdict_move_since_the_latest_version(client):
    claim = make_claim()
    trial = make_study(doi="10.1000/t", title="Trial", sample_size=120)
    link(claim, trial, certainty="moderate", risk_of_bias_judgement="some",
         risk_of_bias_reason="Unblinded participants.")  # fmt: skip
    v1 = analysis_publish(claim=claim)
    assert (v1.certainty, v1.verdict) == ("low", scoring.MODERATE_SUPPORT)
    link(claim, make_study(doi="10.1000/c", title="Contra", sample_size=60), stance="contradicts",
         certainty="low", risk_of_bias_judgement="low")  # fmt: skip
    claim.refresh_from_db()
    [since, _] = version_history(claim)
    assert since.movement == (
        f"Against 0 → {claim.against_score}, certainty low → {level(claim.certainty)}, "
        f"verdict Moderate support → {claim.verdict}"
    )
    assert claim.certainty == "very_low" and claim.verdict == scoring.VERY_UNCERTAIN
    html = history(client, claim)
    assert since.movement in html
    # Each entry lists its own certainty reasons: today's for the new entry, v1's as recorded.
    for reason in claim_card_reasons(claim):
        assert reason in html
    for reason in v1.certainty_reasons:
        assert reason in html


def claim_card_reasons(claim: Claim) -> list[str]:
    return list(claim_scorecard(claim).certainty_reasons)


def test_a_certainty_move_on_the_same_studies_is_its_own_entry(client):
    claim = make_claim()
    big = make_study(doi="10.1000/big", title="Big trial", sample_size=500)
    link(claim, big, certainty="high", risk_of_bias_judgement="low")
    v1 = analysis_publish(claim=claim)
    assert v1.certainty == "high"
    claim.publication_bias, claim.publication_bias_reason = True, "Only positive trials found."
    claim.save()
    [since, _] = version_history(claim)
    assert since.movement == "certainty high → moderate"
    assert since.summary == (
        "Since v1: the same studies count; their appraisal or the scoring rules changed"
    )
    assert "certainty high → moderate" in history(client, claim)


def test_a_version_whose_basis_was_not_recorded_says_so(client):
    """A legacy version (published before versions recorded their basis) never shows today's
    scores under its date."""
    claim = make_claim()
    link(claim, make_study(doi="10.1000/a", title="A trial", sample_size=18))
    Analysis.objects.create(claim=claim, version=1, change_note="Legacy")
    [since, legacy] = version_history(claim)
    assert not legacy.recorded and legacy.pro is None and legacy.note == NOT_RECORDED
    assert since.label == "Since v1" and (since.pro, since.against) == (66, 0)
    assert since.note == "v1's scores were not recorded, so what changed since cannot be listed."
    page = text_of(history(client, claim))
    legacy_part = page[page.index("Analysis v1") :]
    assert NOT_RECORDED in legacy_part and "Pro 66" not in legacy_part
    assert score_chart(version_history(claim)) is None  # one version: a sentence, no chart


def test_publishing_v2_does_not_give_an_unrecorded_v1_the_new_scores(client):
    """Recording v2's scorecard as v1's when v2 is published would show today's scores under
    v1's date: an unrecorded version stays unrecorded (needs claims.services.analysis_publish
    to stop freezing it)."""
    claim = make_claim()
    Analysis.objects.create(claim=claim, version=1)  # published on no evidence, not recorded
    link(claim, make_study(doi="10.1000/a", title="A trial", sample_size=18))
    analysis_publish(claim=claim)
    [v2, v1] = version_history(claim)
    assert not v1.recorded and v1.note == NOT_RECORDED
    assert (v2.pro, v2.against) == (66, 0)
    assert v2.note == "v1's scores were not recorded, so what changed since cannot be listed."
    page = text_of(history(client, claim))
    assert "Pro 66" not in page[page.index("Analysis v1") :]


def test_it_compares_with_the_latest_recorded_version_past_an_unrecorded_one(client):
    claim = make_claim()
    analysis_publish(claim=claim)
    Analysis.objects.create(claim=claim, version=2)  # as if written before bases were recorded
    link(claim, make_study(doi="10.1000/a", title="A trial", sample_size=18))
    [since, v2, v1] = version_history(claim)
    assert not v2.recorded and v1.recorded and since.label == "Since v2"
    assert since.summary == "Since v1 (v2's scores were not recorded): 1 study added (A trial)"


def test_it_reads_snapshots_recorded_before_studies_could_stop_counting(client):
    claim = make_claim()
    study = make_study(doi="10.1000/a", title="A trial", sample_size=18)
    link(claim, study)
    v1 = analysis_publish(claim=claim)
    old_rows = [{k: v for k, v in row.items() if k not in ("counted", "not_counted")}
                for row in v1.evidence_snapshot]  # fmt: skip
    Analysis.objects.filter(pk=v1.pk).update(evidence_snapshot=old_rows, basis_digest="")
    [only] = version_history(claim)  # same basis: no "Since v1"
    assert [c.text for c in only.changes] == ["First analysis, from 1 study"]


def test_it_names_the_site_editors_when_no_author_is_recorded(client, settings):
    settings.SITE_NAME = "Claims Lab"
    claim = make_claim()
    analysis_publish(claim=claim)
    assert "by Claims Lab editors" in history(client, claim)


def test_it_draws_a_chart_with_axis_values_labels_and_scores(client):
    claim = make_claim()
    analysis_publish(claim=claim)
    link(claim, make_study(doi="10.1000/new", title="New trial", sample_size=18))
    analysis_publish(claim=claim)
    chart = score_chart(version_history(claim))
    assert [tick["value"] for tick in chart["ticks"]] == [0, 50, 100]
    assert [point["version"] for point in chart["points"]] == ["v1", "v2"]
    dates = [f"{a.published_at:%-d %b %Y}" for a in claim.analyses.order_by("version")]
    assert [point["label"] for point in chart["points"]] == dates
    for point in chart["points"]:  # inside the drawing, not clipped at its edges
        assert chart["left"] < point["x"] - 10 and point["x"] + 10 < chart["width"]
        assert 10 < point["pro_label_y"] < chart["label_y"] - 10
        assert 10 < point["against_label_y"] < chart["label_y"] - 10
    html = history(client, claim)
    assert re.search(r'class="chart-tick">100</text>', html)
    assert re.search(r'class="chart-value value-pro">66</text>', html)
    assert re.search(r'class="chart-value value-against">0</text>', html)
    assert "<desc" in html and f"v2 ({dates[1]}): Pro 66, Against 0." in html


def test_it_does_not_call_a_corrected_study_title_a_change_of_evidence(client):
    claim = make_claim()
    study = make_study(doi="10.1000/typo", title="Tyop in title", sample_size=18)
    link(claim, study)
    analysis_publish(claim=claim)
    study.title = "Typo in title"
    study.save()
    html = history(client, claim)
    assert "Analysis v1" in html
    assert "Since v1" not in html


def test_it_says_when_there_is_no_analysis(client):
    claim = make_claim()
    html = history(client, claim)
    assert "No analysis has been published" in html


def test_its_queries_do_not_grow_with_the_versions(client, django_assert_num_queries):
    claim = make_claim()
    for i in range(2):
        link(claim, make_study(doi=f"10.1000/s{i}", title=f"S{i}", sample_size=18 + i))
        analysis_publish(claim=claim)
    link(claim, make_study(doi="10.1000/late", title="Late", sample_size=30))
    url = reverse("claim-history", args=[claim.slug])
    # claim, analyses with authors, evidence with studies, pooled-in links, study names
    with django_assert_num_queries(5):
        client.get(url)
    for i in range(3):
        link(claim, make_study(doi=f"10.1000/more{i}", title=f"M{i}", sample_size=40))
        analysis_publish(claim=claim)
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200


def test_every_demo_version_is_shown_as_recorded(demo, client):
    for claim in demo.filter(status=Claim.Status.PUBLISHED):
        rows = {row.analysis.pk: row for row in version_history(claim) if row.analysis}
        for analysis in Analysis.objects.filter(claim=claim):
            row = rows[analysis.pk]
            if analysis.is_frozen:
                assert (row.pro, row.against, row.verdict, row.certainty) == (
                    analysis.pro,
                    analysis.against,
                    analysis.verdict,
                    analysis.certainty,
                )
            else:
                assert row.pro is None and row.note == NOT_RECORDED
        assert client.get(reverse("claim-history", args=[claim.slug])).status_code == 200


def test_the_demo_history_shows_each_first_version_as_published(demo, client):
    """The defect: the demo's v1 stored second-edition results ("Very uncertain", a label the
    first edition did not have) as what was published."""
    firing = demo.get(slug="near-failure-training-motor-unit-firing-rate")
    [v2, v1] = version_history(firing)
    assert (v1.verdict, v1.certainty, v1.pro, v1.against) == ("Strong support", "", 66, 0)
    assert v1.certainty_label == "Certainty not recorded"
    assert (v2.verdict, v2.certainty) == (scoring.VERY_UNCERTAIN, "very_low") and v2.current
    assert v2.analysis.change_note.startswith(
        "Re-appraised under the second edition of the scoring model."
    )
    assert (
        v2.movement == "certainty not recorded → very low, verdict Strong support → Very uncertain"
    )
    assert [c.text for c in v2.changes] == [
        "Ruple et al. 2023: risk of bias some concerns (was not assessed)"
    ]
    page = text_of(history(client, firing))
    assert "Strong support · Certainty not recorded · Pro 66 · Against 0" in page
    assert "Very uncertain · Very low certainty · Pro 66 · Against 0" in page
    assert "Since v2" not in page, "the re-appraisal records today's scorecard"

    quadriceps = demo.get(slug="quadriceps-regional-hypertrophy-failure-vs-rir")
    [v3, v2, v1] = version_history(quadriceps)
    assert [(r.verdict, r.pro) for r in (v1, v2, v3)] == [
        ("Moderate support", 44),
        ("Strong support", 66),  # seed 004: "Strong Support", Analysis v2, 66 Pro / 0 Against
        (scoring.VERY_UNCERTAIN, 42),
    ]
    [change] = v3.changes
    assert change.text == (
        "Refalo et al. 2024: finding now partial (was clear); risk of bias some concerns (was "
        "not assessed); now imprecise (was not); 43.4 → 21.7 study points"
    )
    assert change.effect == "Pro −24"

    mechanistic = demo.get(slug="failure-fatigue-adds-no-hypertrophy")
    [v3, v2, v1] = version_history(mechanistic)
    assert (v1.verdict, v1.pro, v2.verdict, v2.pro) == ("Strong support", 77, "Very uncertain", 71)
    assert v2.changes[0].text == "Goli et al. 2026 not counted: awaiting appraisal (was supporting)"
    assert v2.summary.startswith("Since v1: 1 study awaiting appraisal (Goli et al. 2026)")
    # v3 records the Refalo effect entered from its abstract: its HDI includes no difference,
    # so the link is now imprecise; the certainty was already rated down for imprecision.
    assert (v3.verdict, v3.pro, v3.current) == ("Very uncertain", 71, True)
    assert [(c.text, c.effect) for c in v3.changes] == [
        ("Refalo et al. 2024: now imprecise (was not)", "no effect on the scores")
    ]
    assert v3.movement == "Scores, certainty and verdict unchanged"
