"""The History page's chart (issue 18 review): none for a single version, publication dates
on its x-axis, and its figures as a table too (no JavaScript needed)."""

import datetime
import re

import pytest
from django.urls import reverse

from claims.history import score_chart, version_history
from claims.models import Analysis
from claims.services import analysis_publish
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db


def history(client, claim) -> str:
    return client.get(reverse("claim-history", args=[claim.slug])).content.decode()


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def published(analysis, day: datetime.date):
    moment = datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)
    Analysis.objects.filter(pk=analysis.pk).update(published_at=moment)


def test_one_version_has_no_chart_but_a_sentence(client):
    claim = make_claim()
    link(claim, make_study(doi="10.1000/a", title="A trial", sample_size=18))
    published(analysis_publish(claim=claim), datetime.date(2025, 3, 4))
    assert score_chart(version_history(claim)) is None
    html = history(client, claim)
    assert "<svg" not in html
    assert "One version so far, published 4 Mar 2025." in text_of(html)


def test_one_version_with_changes_since_still_has_no_chart(client):
    claim = make_claim()
    published(analysis_publish(claim=claim), datetime.date(2025, 3, 4))
    link(claim, make_study(doi="10.1000/new", title="New trial", sample_size=18))
    rows = version_history(claim)
    assert [row.short_label for row in rows] == ["now", "v1"]
    assert score_chart(rows) is None
    html = history(client, claim)
    assert "<svg" not in html and "One version so far, published 4 Mar 2025." in text_of(html)


def test_no_version_has_neither_chart_nor_sentence(client):
    html = history(client, make_claim())
    assert "<svg" not in html and "One version so far" not in html


def test_the_x_axis_shows_publication_dates_not_version_numbers(client):
    claim = make_claim()
    published(analysis_publish(claim=claim), datetime.date(2025, 1, 10))
    link(claim, make_study(doi="10.1000/new", title="New trial", sample_size=18))
    published(analysis_publish(claim=claim), datetime.date(2025, 6, 2))
    chart = score_chart(version_history(claim))
    assert [point["label"] for point in chart["points"]] == ["10 Jan 2025", "2 Jun 2025"]
    html = history(client, claim)
    labels = re.findall(r'class="chart-label">([^<]*)</text>', html)
    assert labels == ["10 Jan 2025", "2 Jun 2025"]
    assert ">v1</text>" not in html and ">v2</text>" not in html
    assert "One version so far" not in html


def test_the_chart_has_its_figures_as_a_table(client):
    claim = make_claim()
    published(analysis_publish(claim=claim), datetime.date(2025, 1, 10))
    link(claim, make_study(doi="10.1000/new", title="New trial", sample_size=18))
    published(analysis_publish(claim=claim), datetime.date(2025, 6, 2))
    html = history(client, claim)
    table = html[html.index("<table") : html.index("</table>")]
    rows = [text_of(row).split() for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)]
    assert rows[0] == ["Version", "Published", "Pro", "Against"]
    assert rows[1:] == [
        ["v1", "10", "Jan", "2025", "0", "0"],
        ["v2", "2", "Jun", "2025", "66", "0"],
    ]
    assert "<caption>" in table


def test_the_date_labels_never_overlap_and_keep_the_first_and_last():
    claim = make_claim()
    start = datetime.date(2025, 1, 1)
    for index in range(9):
        link(claim, make_study(doi=f"10.1000/s{index}", title=f"Trial {index}", sample_size=18))
        published(analysis_publish(claim=claim), start + datetime.timedelta(days=30 * index))
    points = score_chart(version_history(claim))["points"]
    shown = [point for point in points if point["label"]]
    assert shown[0] is points[0] and shown[-1] is points[-1]
    gaps = [b["x"] - a["x"] for a, b in zip(shown, shown[1:], strict=False)]
    assert min(gaps) >= 70  # a 13px "10 Jan 2025" is about 70 units wide
    # Every point keeps its date for the table and the description.
    assert all(point["date"] for point in points)


def test_the_charted_history_page_is_valid_html(client, tmp_path):
    from tests import html_checker

    if reason := html_checker.missing():
        pytest.skip(reason)
    claim = make_claim()
    published(analysis_publish(claim=claim), datetime.date(2025, 1, 10))
    link(claim, make_study(doi="10.1000/new", title="New trial", sample_size=18))
    published(analysis_publish(claim=claim), datetime.date(2025, 6, 2))
    link(claim, make_study(doi="10.1000/newer", title="Newer trial", sample_size=18))
    (tmp_path / "history.html").write_text(history(client, claim), encoding="utf-8")
    single = make_claim(slug="single")
    analysis_publish(claim=single)
    (tmp_path / "single.html").write_text(history(client, single), encoding="utf-8")
    found = html_checker.check_directory(tmp_path)
    assert found == {"history.html": [], "single.html": []}
