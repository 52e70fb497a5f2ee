import re

import pytest
from django.urls import reverse

import scoring
from claims.history import score_chart, version_history
from claims.models import Analysis, Evidence
from claims.services import analysis_publish
from tests.conftest import link, make_claim, make_study

pytestmark = pytest.mark.django_db


def history(client, claim) -> str:
    return client.get(reverse("claim-history", args=[claim.slug])).content.decode()


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
    assert "Against rose from 0 to 86" in html
    assert "<svg" in html and "polyline" in html
    assert "by editor" in html


def test_it_shows_evidence_changed_since_the_latest_version(client):
    claim = make_claim()
    analysis_publish(claim=claim)
    link(claim, make_study(doi="10.1000/new", title="New trial", sample_size=18))
    html = history(client, claim)
    assert "Since v1" in html
    assert "New trial added as supporting (43.4 study points): <strong>Pro +66</strong>" in html
    assert "Pro rose from 0 to 66" in html


def test_it_names_the_site_editors_when_no_author_is_recorded(client, settings):
    settings.SITE_NAME = "Claims Lab"
    claim = make_claim()
    analysis_publish(claim=claim)
    assert "by Claims Lab editors" in history(client, claim)


def test_it_credits_each_change_with_its_share_of_the_move(client):
    claim = make_claim()
    cohort = make_study(doi="10.1000/c", title="C", authors="Hermann, T; Lee, K", year=2025,
                        design="cohort", sample_size=50)  # fmt: skip
    gone = make_study(doi="10.1000/g", title="Gone trial", design="rct", sample_size=30)
    evidence = link(claim, cohort, certainty="low")
    link(claim, gone, stance="contradicts", certainty="low")
    first = analysis_publish(claim=claim)
    Evidence.objects.filter(pk=evidence.pk).update(certainty="moderate")
    Evidence.objects.filter(study=gone).delete()
    link(claim, make_study(doi="10.1000/n", title="New RCT", sample_size=100), certainty="high")
    second = analysis_publish(claim=claim)
    [latest, *_] = version_history(claim)
    texts = [change.text for change in latest.changes]
    assert texts[0] == "Gone trial removed (was contradicting)"
    assert texts[1].startswith("Hermann et al. 2025: certainty low → moderate;")
    assert texts[2].startswith("New RCT added as supporting")
    # Recomputed with the scoring module, one change at a time: they add up to the move.
    pro = against = 0
    for change in latest.changes:
        for side, sign, amount in re.findall(r"(Pro|Against) ([+−])(\d+)", change.effect):
            value = int(amount) * (1 if sign == "+" else -1)
            pro, against = (pro + value, against) if side == "Pro" else (pro, against + value)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (pro, against) == (second.pro - first.pro, second.against - first.against)
    assert against < 0 < pro
    html = history(client, claim)
    assert "Each change is counted in the order listed" in html


def test_it_lists_what_the_snapshots_cannot_explain_on_its_own(client):
    claim = make_claim()
    link(claim, make_study(doi="10.1000/a", title="A trial", sample_size=18))
    analysis_publish(claim=claim)
    analysis_publish(claim=claim)
    Analysis.objects.filter(claim=claim, version=1).update(pro=60)  # as if scored by old rules
    [latest, _] = version_history(claim)
    assert [(c.text, c.effect) for c in latest.changes] == [
        ("Changes to the scoring rules, or rounding", "Pro +6")
    ]


def test_it_draws_a_chart_with_axis_values_labels_and_scores(client):
    claim = make_claim()
    analysis_publish(claim=claim)
    link(claim, make_study(doi="10.1000/new", title="New trial", sample_size=18))
    analysis_publish(claim=claim)
    chart = score_chart(version_history(claim))
    assert [tick["value"] for tick in chart["ticks"]] == [0, 50, 100]
    assert [point["label"] for point in chart["points"]] == ["v1", "v2"]
    for point in chart["points"]:  # inside the drawing, not clipped at its edges
        assert chart["left"] < point["x"] - 10 and point["x"] + 10 < chart["width"]
        assert 10 < point["pro_label_y"] < chart["label_y"] - 10
        assert 10 < point["against_label_y"] < chart["label_y"] - 10
    html = history(client, claim)
    assert re.search(r'class="chart-tick">100</text>', html)
    assert re.search(r'class="chart-value value-pro">66</text>', html)
    assert re.search(r'class="chart-value value-against">0</text>', html)
    assert "<desc" in html and "v2: Pro 66, Against 0." in html


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
