"""/about/scoring/: every figure on the page is true of the scoring code.

The figures are recomputed here with scoring's own functions, independently of claims.about,
and where the page states a rule with a figure ("fewer than 100 participants … rates it down
2 levels"), the figure is read off the page and the rule checked against scoring.score.
"""

import math
import re
from html import unescape
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape

import scoring
from claims.about import about_scoring_context, weight_groups
from scoring import weights as w

TEMPLATE = Path(__file__).parents[2] / "templates" / "claims" / "about_scoring.html"
# One moderate-certainty randomised trial of 18 people, some concerns for risk of bias.
EXAMPLE = {"stance": "supports", "design": "rct", "certainty": "moderate", "sample_size": 18,
           "risk_of_bias": "some"}  # fmt: skip
SIZES = [None, *sorted({round(10 ** (k / 20)) for k in range(0, 81)})]  # 1 … 10,000


@pytest.fixture
def html(rf):
    """The page as the view renders it (claims.about builds its context)."""
    request = rf.get("/about/scoring/")
    request.user = AnonymousUser()
    return render_to_string("claims/about_scoring.html", about_scoring_context(), request)


INLINE = re.compile(r"</?(?:strong|em|sup|a|span)\b[^>]*>")


def text_of(html: str) -> str:
    """The text a reader sees: inline tags dropped, others a space, whitespace collapsed."""
    text = re.sub(r"<[^>]+>", " ", INLINE.sub("", html))
    return re.sub(r"\s+", " ", unescape(text)).strip()


def prose(html: str) -> str:
    """The explanation above the constants table."""
    return text_of(html[html.index("<h1") : html.index('id="table"')])


def table_text(html: str) -> str:
    return text_of(html[html.index('id="table"') :])


def score_alone(item: dict, claim_type=None) -> int:
    return scoring.score([item], claim_type=claim_type).pro


def most_alone(design: str, claim_type=None) -> int:
    """The most one study of this design scores on its own with a derived certainty: every
    size, both strengths, any upgrade (rating down only lowers it)."""
    return max(
        score_alone(
            {
                "stance": "supports",
                "design": design,
                "sample_size": n,
                "strength": strength,
                "upgrades": up,
            },
            claim_type,
        )  # fmt: skip
        for n in SIZES
        for strength in ("clear", "partial")
        for up in range(4)
    )


def level(certainty) -> str:
    return dict(scoring.CERTAINTIES)[certainty].lower() if certainty else "none"


def test_the_view_serves_the_explanation_generated_from_the_code(client, html):
    response = client.get(reverse("about-scoring"))
    assert response.status_code == 200
    served = response.content.decode()
    for part in ('class="example-points"', 'id="certainty-heading"', 'class="weights stack"'):
        assert part in served
    assert prose(served) == prose(html)


def test_the_worked_example_is_what_scoring_score_gives(html):
    card = scoring.score([EXAMPLE], claim_type="causal")
    [study] = card.contributions
    assert (card.pro, card.against) == (66, 0)  # the seed's "66 Pro / 0 Against"
    text = prose(html)
    assert f'<strong class="example-points">{study.points:.1f}</strong>' in html
    assert f'<strong class="example-pro">Pro {card.pro}</strong>' in html
    n = scoring.sample_size_factor(18)
    assert f"100 × C 0.65 × T 0.9 × N {n:.3f} × d 1 = {study.points:.1f}" in text
    raw = 100 * (1 - math.exp(-card.pro_effective / w.SCALE))
    assert f"= {raw:.1f}, so Pro {card.pro} and Against {card.against}" in text
    assert len(card.certainty_reasons) >= 3
    for reason in card.certainty_reasons:
        assert escape(reason) in html
    assert f'<strong class="example-certainty">{level(card.certainty)}</strong>' in html
    assert f'<strong class="example-verdict">{card.verdict}</strong>' in html
    assert f'<span class="example-statement">{escape(card.statement)}</span>' in html
    assert card.verdict == scoring.VERY_UNCERTAIN and card.certainty == "very_low"

    larger = scoring.score([{**EXAMPLE, "sample_size": w.SAMPLE_SIZE_FULL}], claim_type="causal")
    [big] = larger.contributions
    sentence = text[text.index("The same trial with") :]
    assert sentence.startswith(
        f"The same trial with {w.SAMPLE_SIZE_FULL} people instead would earn {big.points:.1f} "
        f"points (N 1) and score Pro {larger.pro}."
    )
    assert " ".join(larger.certainty_reasons) in sentence
    assert f"So it is {level(larger.certainty)}, and the verdict “{larger.verdict}”" in sentence


def test_what_it_says_a_score_is_not_is_true(html):
    text = prose(html)
    best = 100 * max(w.CERTAINTY_MULTIPLIER.values()) * max(w.DESIGN_TIER.values())
    top = max(scoring.side_score([best] * k) for k in range(1, 40))
    assert f"no side can score more than {top}" in text and top < 100
    two = scoring.score([scoring.REFERENCE_STUDY, {**vars(scoring.REFERENCE_STUDY), "key": 1,
                         "stance": "contradicts"}])  # fmt: skip
    assert f"Pro {two.pro} and Against {two.against}, {two.pro + two.against} together" in text
    assert two.pro + two.against > 100
    assert "Not a percentage, and not a probability" in text


def test_what_one_study_can_score_alone_is_true(html):
    rows = re.findall(
        r'<tr><th scope="row">([^<]+)</th><td data-label="Starts at">([^<]+)</td>'
        r'<td data-label="Points">([^<]+)</td>'
        r'<td data-label="Score" class="alone-score">(\d+)</td>',
        html,
    )
    labels = dict(scoring.DESIGNS)
    expected = {labels[design]: (design, "causal") for design in w.DESIGN_VALUES} | {
        "Mechanistic study, for a claim about a mechanism": ("mechanistic", "mechanistic"),
        "Cohort study, for a correlational or descriptive claim": ("cohort", "correlational"),
    }
    assert {unescape(label) for label, *_ in rows} == set(expected)
    for label, start, points, shown in rows:
        design, claim_type = expected[unescape(label)]
        item = {"stance": "supports", "design": design, "sample_size": 400}
        assert start == level(scoring.start_level(design, claim_type))
        assert float(points) == round(scoring.points(item, claim_type), 1), label
        assert int(shown) == score_alone(item, claim_type), label
        if design not in w.OBSERVATIONAL_DESIGNS:  # never rated up: the most it can score
            assert int(shown) == most_alone(design, claim_type), label


def test_it_never_says_one_mechanistic_study_scores_19_for_a_mechanistic_claim(html):
    """The issue: the page said one mechanistic study scores at most 19; it can score 38."""
    for_a_mechanism = most_alone("mechanistic", "mechanistic")
    otherwise = most_alone("mechanistic", "causal")
    assert (otherwise, for_a_mechanism) == (19, 38)
    text = text_of(html)
    assert f"for a claim about a mechanism, one mechanistic study can reach {for_a_mechanism}" in (
        text
    )
    for sentence in re.split(r"(?<=\.) ", text):
        if "mechanistic" in sentence and re.search(rf"\b{otherwise}\b", sentence):
            assert "a claim about a mechanism" in sentence, sentence
            assert re.search(rf"\b{for_a_mechanism}\b", sentence), sentence


def test_the_designs_it_says_never_pass_insufficient_alone_do_not(html):
    text = prose(html)
    match = re.search(
        r"with its certainty derived from its design, one (.+?) never scores (\d+) or more on its "
        r"own, and a claim resting on it alone reads “(.+?)”",
        text,
    )
    named, threshold, verdict = match.groups()
    assert int(threshold) == w.INSUFFICIENT_BELOW and verdict == scoring.INSUFFICIENT
    by_label = {label.lower(): design for design, label in scoring.DESIGNS}
    listed = {by_label[name.strip().lower()] for name in re.split(r", | or ", named)}
    for design in w.DESIGN_VALUES:
        most = most_alone(design, "causal")
        assert (design in listed) == (most < w.INSUFFICIENT_BELOW), design
        if design in listed:
            item = {"stance": "supports", "design": design, "sample_size": 400}
            assert scoring.score([item], claim_type="causal").verdict == scoring.INSUFFICIENT


def test_the_points_formula_it_states_is_the_codes(html):
    text = prose(html)
    multipliers = ", ".join(
        f"{level(lvl)} {w.CERTAINTY_MULTIPLIER[lvl]:g}" for lvl in w.CERTAINTY_VALUES
    )
    assert f"on GRADE's four levels: {multipliers}." in text
    assert "from 1 for a meta-analysis of randomised trials down to 0.4 for expert opinion" in text
    assert (
        max(w.DESIGN_TIER, key=w.DESIGN_TIER.get),
        min(w.DESIGN_TIER, key=w.DESIGN_TIER.get),
    ) == ("meta_analysis_rct", "expert_opinion")
    assert (scoring.sample_size_factor(1), scoring.sample_size_factor(400)) == (0.5, 1.0)
    assert scoring.sample_size_factor(None) == 0.6
    assert "from 0.5 for a single participant up to 1 from 400 participants" in text
    assert "0.6 when the size is not reported" in text
    assert w.STRENGTH_FACTOR == {"clear": 1.0, "partial": 0.5}
    assert "d, its finding: 1 for a clear finding, 0.5 for a partial one" in text
    # Halving weights: 1 study of p and a pile of them.
    assert "weighted 1, 0.5, 0.25, 0.125, …" in text
    assert scoring.effective([10] * 60) == pytest.approx(2 * 10)
    assert "at most 2 times the best of them" in text
    assert "100 × (1 − e−E/40), rounded" in text
    reference = scoring.points(scoring.REFERENCE_STUDY)
    assert (
        f"a high-certainty randomised controlled trial of 100 people with a clear finding earns "
        f"{reference:.1f} points and scores {scoring.side_score([reference])} on its own"
    ) in text


def test_the_certainty_rules_it_states_are_how_scoring_judges(html):
    text = prose(html)

    def certainty(*items, publication_bias=False):
        return scoring.score(list(items), claim_type="causal",
                             publication_bias=publication_bias).certainty  # fmt: skip

    def rct(n, **fields):
        return {"stance": "supports", "design": "rct", "certainty": "high", "sample_size": n,
                "risk_of_bias": "low", **fields}  # fmt: skip

    steps = {"high": 3, "moderate": 2, "low": 1, "very_low": 0}

    def down(c):
        return steps["high"] - steps[c]

    very, serious, fewer = re.search(
        r"Fewer than (\d+) participants in the stream in all rates it down (\d+) levels?, "
        r"fewer than (\d+) by (\d+)",
        text,
    ).groups()[:3]
    assert down(certainty(rct(int(very) - 1))) == int(serious)
    assert down(certainty(rct(int(very)))) == 1 and down(certainty(rct(int(fewer) - 1))) == 1
    assert down(certainty(rct(int(fewer)))) == 0
    assert down(certainty(rct(int(fewer), imprecise=True))) == 1  # "at least 1"

    share, levels_high = re.search(
        r"more than (\d+)% at high risk rates it down (\d+) levels?", text
    ).groups()
    assert int(share) == 50 and int(levels_high) == 2
    # Exactly half at high risk is not more than half; with the other half at some concerns,
    # all of it has concerns: serious.
    assert down(certainty(rct(400, risk_of_bias="high"), rct(400, risk_of_bias="low"))) == 0
    assert down(certainty(rct(400, risk_of_bias="high"), rct(400, risk_of_bias="some"))) == 1
    assert down(certainty(rct(400, risk_of_bias="high"))) == 2
    assert down(certainty(rct(400, risk_of_bias="some"))) == 1
    assert down(certainty(rct(400, risk_of_bias=None))) == 1  # counts as some concerns
    assert "A study nobody has yet assessed for bias counts as having some concerns" in text

    assert "Publication bias: when editors suspect" in text and "down 1 level." in text
    assert down(certainty(rct(400), publication_bias=True)) == 1
    assert "at most 2 levels" in text  # indirectness and rating up
    assert down(certainty(rct(400, indirectness=2))) == 2
    assert "A stream that starts at very low stays very low" in text
    animal = {"stance": "supports", "design": "animal", "sample_size": 400}
    assert certainty(animal) == "very_low"
    assert "When 20% or more of the stream's weight points the other way" in text
    assert "from 40%, 2 levels (a tie counts as 50%)" in text
    assert (w.INCONSISTENCY_SERIOUS_AT, w.INCONSISTENCY_VERY_SERIOUS_AT) == (0.2, 0.4)
    tie = certainty(rct(400), {**rct(400), "stance": "contradicts"})
    assert down(tie) == 2  # a tie is very serious inconsistency; 800 participants are enough
    for name in ("Risk of bias", "Inconsistency", "Indirectness", "Imprecision",
                 "Publication bias", "Rating up"):  # fmt: skip
        assert f"{name}:" in text


def test_the_verdict_rules_it_states_are_verdict_for(html):
    text = prose(html)
    insufficient = int(re.search(r"both scores are below (\d+)", text).group(1))
    strong, other = map(int, re.search(r"Pro is at least (\d+) and Against below (\d+)", text)
                        .groups())  # fmt: skip
    moderate = int(re.search(r"when Pro leads by (\d+) or more; “Moderately", text).group(1))
    leaning = int(re.search(r"when Pro leads by (\d+) or more; “Leaning against", text).group(1))
    v = scoring.verdict_for
    assert v(insufficient - 1, 0, "high") == scoring.INSUFFICIENT
    assert v(insufficient, 0, "moderate") != scoring.INSUFFICIENT
    assert v(90, 0, None) == scoring.INSUFFICIENT
    assert v(90, 0, "very_low") == scoring.VERY_UNCERTAIN
    assert "when the certainty is very low" in text
    assert v(strong, other - 1, "moderate") == scoring.STRONG_SUPPORT
    assert v(strong - 1, other - 1, "moderate") != scoring.STRONG_SUPPORT
    assert v(strong, other, "high") != scoring.STRONG_SUPPORT
    assert v(other - 1, strong, "high") == scoring.STRONGLY_CONTRADICTED
    assert "A strong verdict needs moderate certainty or higher: at low certainty" in text
    assert v(strong, 0, "low") == scoring.MODERATE_SUPPORT
    assert v(0, strong, "low") == scoring.MODERATELY_CONTRADICTED
    assert v(20 + moderate, 20, "moderate") == scoring.MODERATE_SUPPORT
    assert v(20 + moderate - 1, 20, "moderate") == scoring.LEANING_SUPPORT
    assert v(20 + leaning, 20, "moderate") == scoring.LEANING_SUPPORT
    assert v(20 + leaning - 1, 20, "moderate") == scoring.MIXED


def test_the_statements_it_lists_are_scorings(html):
    for lvl in w.CERTAINTY_VALUES:
        row = "".join(
            f'<td data-label="{label}">{escape(scoring.statement_for(lvl, lead))}</td>'
            for lead, label in (
                ("supports", "Pro leads"),
                ("contradicts", "Against leads"),
                (None, "A tie"),
            )  # fmt: skip
        )
        assert f'<th scope="row">{dict(scoring.CERTAINTIES)[lvl]}</th>{row}' in html
    assert scoring.statement_for("low", "supports") == "This may be true."
    card = scoring.score([])
    assert f"When no study counts: “{card.statement}”" in prose(html)


def test_it_renders_every_row_of_the_constants_table_with_its_why(html):
    rows = [row for _, _, group_rows in weight_groups() for row in group_rows]
    assert len(rows) == len(w.TABLE)
    for row in rows:
        assert (
            f'<th scope="row">{escape(row.label)}</th><td class="weight-value" '
            f'data-label="Value">{escape(str(row.value))}</td>'
            f'<td class="weight-why" data-label="Why">{escape(row.why)}</td>'
        ) in html
    for title, summary, _ in weight_groups():
        assert escape(title) in html and escape(summary) in html
    assert "meta_analysis_rct" not in html and "very_low" not in html


# The table's reasons state scores of example studies: each is checked with scoring.
def _rct(certainty, n):
    return {"stance": "supports", "design": "rct", "certainty": certainty, "sample_size": n}


TABLE_FIGURES = [
    (r"one moderate-certainty RCT of 18 scores (\d+)", lambda: [score_alone(_rct("moderate", 18))]),
    (
        r"one low-certainty cohort of 50 scores about (\d+)",
        lambda: [
            score_alone(
                {"stance": "supports", "design": "cohort", "certainty": "low", "sample_size": 50}
            )
        ],  # fmt: skip
    ),
    (
        r"the reference strong study scores (\d+) and a high-certainty meta-analysis of 400 "
        r"scores (\d+)",
        lambda: [
            score_alone(vars(scoring.REFERENCE_STUDY)),
            score_alone(
                {
                    "stance": "supports",
                    "design": "meta_analysis_rct",
                    "certainty": "high",
                    "sample_size": 400,
                }
            ),  # fmt: skip
        ],
    ),
    (
        r"one animal or in-vitro study scores at most (\d+), one expert opinion (\d+) and one "
        r"mechanistic study (\d+) \(for a claim about a mechanism it starts low and can reach "
        r"(\d+)\)",
        lambda: [
            max(most_alone("animal"), most_alone("in_vitro")),
            most_alone("expert_opinion"),
            most_alone("mechanistic", "causal"),
            most_alone("mechanistic", "mechanistic"),
        ],
    ),
    (
        # "With a clear finding": a partial one scores less (31 for one participant).
        r"one moderate-certainty randomised trial with a clear finding, of any size, scores at "
        r"least (\d+), a low-certainty one of 100 scores (\d+)",
        lambda: [
            min(score_alone(_rct("moderate", n)) for n in SIZES),
            score_alone(_rct("low", 100)),
        ],
    ),
    (
        r"one small animal study \(n = 30 scores (\d+)\)",
        lambda: [score_alone({"stance": "supports", "design": "animal", "sample_size": 30})],
    ),
    (
        r"on its own it earns ([\d.]+) points and scores (\d+)",
        lambda: [
            round(scoring.points(scoring.REFERENCE_STUDY), 1),
            score_alone(vars(scoring.REFERENCE_STUDY)),
        ],
    ),
    (
        r"the curve never reaches (\d+)",
        # no side reaches 100: the highest E, every study at full points, scores less
        lambda: [100 if scoring.side_score([100] * 60) < 100 else None],
    ),
    (
        r"the points at which a score reaches (\d+)",
        lambda: [scoring.side_score([w.SCALE])],
    ),
]
# Phrases that state a score or points: every one in the table must be checked above.
SCORE_PHRASE = re.compile(r"\bscores (?:at most |at least |about )?\d+|\bcan reach \d+|"
                          r"\b\d+(?:\.\d+)? points\b|\breaches \d+")  # fmt: skip


def test_every_score_the_constants_table_states_is_true(html):
    text = table_text(html)
    checked = []
    for pattern, compute in TABLE_FIGURES:
        for match in re.finditer(pattern, text):
            stated = [float(g) for g in match.groups()]
            assert stated == [float(x) for x in compute()], match.group(0)
            checked.append(match.span())
    for phrase in SCORE_PHRASE.finditer(text):
        assert any(a <= phrase.start() < b for a, b in checked), (
            f"the table states {phrase.group(0)!r} "
            f"({text[max(0, phrase.start() - 80) : phrase.end()]!r}): add a check of it to "
            "TABLE_FIGURES"
        )


def test_a_moderate_trial_scores_at_least_52_only_with_a_clear_finding(html):
    """The defect: "one moderate-certainty randomised trial of any size scores at least 52"
    is false for a partial finding (one of 1 participant scores 31)."""
    clear = min(score_alone(_rct("moderate", n)) for n in SIZES)
    partial = min(score_alone({**_rct("moderate", n), "strength": "partial"}) for n in SIZES)
    assert (clear, partial) == (52, 31)
    text = table_text(html)
    for match in re.finditer(r"[^.:]*\bscores at least 52\b", text):
        assert "with a clear finding" in match.group(0), match.group(0)
    assert re.search(r"with a clear finding, of any size, scores at least 52\b", text)


def test_it_says_which_of_its_figures_are_computed(html):
    """The defect: "Every number on this page is computed by the same code" while the
    constants table's "why" column is typed text."""
    text = text_of(html)
    assert "Every number on this page is computed" not in text
    assert "Every number below is the one the site computes with" not in text
    assert (
        "Every figure in the explanation below is computed by the same code that scores the "
        "claims, and the table at the end lists every value that code uses; the reasons given "
        "beside those values are written by hand."
    ) in prose(html)
    assert "The “Why” column is written by hand" in table_text(html)
    # The values are the table's own (test_it_renders_every_row_… checks each row).
    assert "this part of the page is generated from the same table the code reads" in text


def test_the_rating_up_rule_it_states_is_grade_9_and_the_codes(html):
    """The defect: the bullet named two of GRADE 9's three reasons and not that only studies
    not rated down are rated up."""
    text = prose(html)
    bullet = text[text.index("Rating up:") : text.index("The steps are added")]
    for reason in (
        "a large effect",
        "a dose-response gradient",
        "plausible confounding that would reduce the effect",
    ):
        assert reason in bullet, reason
    assert "only observational studies not rated down for any concern" in bullet.lower()
    assert "1 level each" in bullet and "(2 levels for a very large one)" in bullet
    assert "at most 2 levels" in bullet

    def certainty(*items):
        return scoring.score(list(items), claim_type="causal").certainty

    def cohort(**fields):
        return {"stance": "supports", "design": "cohort", "sample_size": 400,
                "risk_of_bias": "low", **fields}  # fmt: skip

    assert certainty(cohort()) == "low"
    assert certainty(cohort(upgrades=1)) == "moderate"  # one reason, one level
    assert certainty(cohort(upgrades=3)) == "high"  # at most 2 levels
    assert certainty(cohort(upgrades=1, downgrades=1)) == "low"  # rated down: no upgrade
    assert certainty(cohort(upgrades=1, risk_of_bias="some")) == "very_low"  # risk of bias took
    rct = {"stance": "supports", "design": "rct", "certainty": "high", "sample_size": 400,
           "risk_of_bias": "low", "upgrades": 2}  # fmt: skip
    assert certainty(rct) == "high" and certainty({**rct, "risk_of_bias": "some"}) == "moderate"


def test_the_template_types_no_figure():
    """Every figure comes from the context: the template's own text has no digits, but for
    these (a citation year, and the formula and scale the words describe)."""
    allowed = ("Santesso et al. 2020", "100 × C", "100 × (1 − e", "from 0 towards 100",
               "add up to 100")  # fmt: skip
    source = TEMPLATE.read_text()
    source = re.sub(r"{%.*?%}|{{.*?}}|{#.*?#}", " ", source, flags=re.S)
    source = re.sub(r"<[^>]*>", " ", source)
    for phrase in allowed:
        source = source.replace(phrase, " ")
    assert not re.findall(r"[^\s]*\d[^\s]*", source)


def test_it_follows_the_constants_when_they_change(rf, monkeypatch):
    monkeypatch.setattr(w, "IMPRECISION_VERY_SERIOUS_BELOW", 50)
    monkeypatch.setattr(w, "INSUFFICIENT_BELOW", 25)
    monkeypatch.setattr(w, "SCALE", 55.0)
    request = rf.get("/about/scoring/")
    request.user = AnonymousUser()
    text = prose(render_to_string("claims/about_scoring.html", about_scoring_context(), request))
    assert "Fewer than 50 participants in the stream" in text
    assert "both scores are below 25" in text
    assert "100 × (1 − e−E/55), rounded" in text
    card = scoring.score([EXAMPLE], claim_type="causal")
    assert card.pro != 66 and f"so Pro {card.pro} and Against 0" in text
