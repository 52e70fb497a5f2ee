"""The interval's kind: a frequentist 95% confidence interval, a Bayesian credible interval or a
highest-density interval (HDI), labelled as what it is wherever the interval is shown, and read
the same way for the derived imprecision."""

import csv
import io
import re
from html import unescape

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from claims.models import Evidence
from tests.admin.admin_forms import change_form_data, evidence_url
from tests.api.test_api_docs import DOCS
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db

REFALO = "10.1080/02640414.2024.2321021"


@pytest.fixture
def claim():
    claim = make_claim(slug="bayesian", outcome="Muscle thickness")
    study = make_study(doi="10.1000/bayes", authors="Bayes, T; Price, R", year=2024)
    link(
        claim,
        study,
        certainty="",
        outcome="Muscle thickness",
        effect_measure="md",
        effect_estimate=0.03,
        effect_ci_lower=-0.05,
        effect_ci_upper=0.12,
        effect_ci_kind="hdi",
        effect_unit="cm",
        n_analysed=18,
    )
    return claim


def section(html: str, element_id: str) -> str:
    match = re.search(rf'<section[^>]*id="{element_id}".*?</section>', html, re.S)
    assert match, element_id
    return unescape(match.group(0))


def test_a_link_s_interval_is_a_confidence_interval_unless_it_says_otherwise():
    evidence = link(make_claim(), make_study(), certainty="")
    assert evidence.effect_ci_kind == "ci"
    assert dict(Evidence._meta.get_field("effect_ci_kind").choices) == {
        "ci": "95% CI",
        "cri": "95% credible interval",
        "hdi": "95% HDI",
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        Evidence.objects.filter(pk=evidence.pk).update(effect_ci_kind="sd")


def test_the_evidence_card_names_the_interval(member_client, claim):
    html = unescape(member_client.get(claim.get_absolute_url()).content.decode())
    effect = re.search(r'<p class="evidence-effect">.*?</p>', html, re.S).group(0)
    assert "(95% HDI −0.05 to 0.12)" in effect
    assert "95% CI" not in effect


def test_the_forest_plot_names_the_interval_in_its_table_and_its_svg(member_client, claim):
    plot = section(member_client.get(claim.get_absolute_url()).content.decode(), "effects")
    assert "0.03 (95% HDI −0.05 to 0.12) cm" in plot
    assert "95% highest-density interval" in re.search(r"<desc.*?</desc>", plot, re.S).group(0)
    assert "95% HDI" in re.search(r"<title.*?</title>", plot, re.S).group(0)
    table = re.search(r"<table.*?</table>", plot, re.S).group(0)
    assert "each study's estimate and 95% highest-density interval</caption>" in table
    assert '<th scope="col">Estimate (95% HDI)</th>' in table
    figure = plot.split("<figure", 1)[1]  # the intro names every kind; the plot only its own
    assert "95% CI" not in figure and "confidence interval" not in figure


def test_a_plot_mixing_kinds_labels_each_row(member_client, claim):
    study = make_study(doi="10.1000/freq", authors="Fisher, R", year=2023)
    link(
        claim,
        study,
        outcome="Muscle thickness",
        effect_measure="md",
        effect_estimate=0.05,
        effect_ci_lower=0.01,
        effect_ci_upper=0.09,
        effect_unit="cm",
    )
    plot = section(member_client.get(claim.get_absolute_url()).content.decode(), "effects")
    assert "0.03 (95% HDI −0.05 to 0.12) cm" in plot and "0.05 (95% CI 0.01 to 0.09) cm" in plot
    assert '<th scope="col">Estimate (95% interval)</th>' in plot


def test_the_summary_of_findings_names_the_interval(member_client, claim):
    findings = section(
        member_client.get(claim.get_absolute_url()).content.decode(), "summary-of-findings"
    )
    assert "0.03 cm (95% HDI −0.05 to 0.12; 1 study)" in findings


def test_the_json_the_api_and_the_csv_carry_the_kind(client, claim):
    api = client.get(reverse("api-claim", args=[claim.slug])).json()
    page = client.get(f"/claims/{claim.slug}.json").json()
    for record in (api, page):
        [item] = record["evidence"]
        assert (item["effect"]["ci_kind"], item["effect"]["ci_label"]) == ("hdi", "95% HDI")
    text = client.get(f"/claims/{claim.slug}/export.csv").content.decode()
    reader = csv.DictReader(io.StringIO(text))
    # New columns go last: the interval's kind keeps its place after issue 17's columns.
    assert reader.fieldnames[53] == "effect_ci_kind"
    assert [row["effect_ci_kind"] for row in reader] == ["hdi"]


def test_a_link_without_an_interval_has_no_kind_in_the_json(client):
    claim = make_claim(slug="no-interval")
    link(claim, make_study(), effect_measure="md", effect_estimate=1.0, effect_ci_kind="hdi")
    [item] = client.get(reverse("api-claim", args=[claim.slug])).json()["evidence"]
    assert (item["effect"]["ci_kind"], item["effect"]["ci_label"]) == (None, None)


def test_the_derived_imprecision_reads_an_hdi_as_it_reads_a_ci(claim):
    evidence = Evidence.objects.get(claim=claim)
    as_hdi = (evidence.effect_reading(), evidence.imprecise)
    evidence.effect_ci_kind = "ci"
    evidence.save()
    assert (evidence.effect_reading(), evidence.imprecise) == as_hdi
    assert as_hdi[1] is True  # "any effect": an interval including 0 is inconclusive


def test_the_admin_sets_the_kind(editor_client, claim):
    evidence = Evidence.objects.get(claim=claim)
    url = evidence_url(evidence)
    page = editor_client.get(url).content.decode()
    assert 'name="effect_ci_kind"' in page
    response = editor_client.post(url, change_form_data(editor_client, url, effect_ci_kind="cri"))
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert evidence.effect_ci_kind == "cri"
    changes = client_changes(claim)
    assert ("Interval kind", "95% HDI", "95% credible interval") in changes


def client_changes(claim) -> list[tuple[str, str, str]]:
    response = Client().get(reverse("claim-changes", args=[claim.slug]))
    return [
        (f.label, f.old, f.new) for change in response.context["changes"] for f in change.fields
    ]


def test_the_demo_s_refalo_figures_are_an_hdi(demo, member_client):
    refalo = Evidence.objects.filter(study__doi=REFALO)
    assert refalo.count() == 3
    assert set(refalo.values_list("effect_ci_kind", flat=True)) == {"hdi"}
    assert not Evidence.objects.exclude(study__doi=REFALO).exclude(effect_ci_kind="ci").exists()
    for evidence in refalo.select_related("claim"):
        html = member_client.get(evidence.claim.get_absolute_url()).content.decode()
        assert "0.033 (95% HDI −0.046 to 0.116) cm" in section(html, "effects")
        assert "95% CI" not in section(html, "effects")


def test_docs_describe_the_kind():
    docs = DOCS.read_text()
    assert "`ci_kind`" in docs and "`ci_label`" in docs and "`effect_ci_kind`" in docs
