"""The scoring table's frame: what a row is, the groups rows fall in (with the summary the
"How scores work" page shows above each) and the sources the rows' reasons cite. The rows
themselves are in table_study.py and table_verdict.py; weights.py joins them into TABLE."""

from typing import Any, NamedTuple

from .vocabulary import CERTAINTY_LABELS, DESIGN_LABELS, RISK_OF_BIAS_LABELS, STRENGTH_LABELS

# Certainty labels win over the risk-of-bias ones for "low" and "high": the table holds those
# values only as certainty levels (its one risk-of-bias value is "some").
_VALUE_LABELS = {**RISK_OF_BIAS_LABELS, **DESIGN_LABELS, **CERTAINTY_LABELS, **STRENGTH_LABELS}


class Weight(NamedTuple):
    """One row of the scoring table: a value, its group, why it has that value, and its name in
    words. A row named for a design, a certainty level or a finding strength leaves `label`
    empty: weights.TABLE gives it the vocabulary's label, so the two never differ."""

    name: str
    value: Any
    group: str
    why: str
    label: str = ""

    @property
    def shown_value(self) -> Any:
        """The value as the "How scores work" page shows it: a design, certainty level, finding
        strength or risk-of-bias judgement by its label ("rct" -> "Randomised controlled
        trial"), anything else as it is."""
        if isinstance(self.value, str):
            return _VALUE_LABELS.get(self.value, self.value)
        return self.value


class Group(NamedTuple):
    title: str
    summary: str
    rows: list[Weight]


COUNTING = "Which studies count"
CERTAINTY = "Certainty multiplier (C)"
START = "Starting certainty"
RATING = "Rating certainty down and up"
TIER = "Design tier (T)"
SAMPLE = "Sample size (N)"
STRENGTH = "Finding strength (d)"
AGGREGATION = "Adding up a side"
BODY = "Certainty of the body of evidence"
VERDICT = "Verdict thresholds"
STATEMENT = "Statement"
REFERENCE = "Reference strong study"

GROUP_SUMMARIES = {
    COUNTING: "Only approved, appraised evidence is scored. Then, in this order, a study is "
    "shown but not counted, with its reason: it was retracted; a meta-analysis or systematic "
    "review in the list, not retracted, already includes it; or another publication of the "
    "same trial earns more points.",
    CERTAINTY: "How far we trust the study's result for this claim, as a GRADE level.",
    START: "Where a study's certainty starts before it is rated down or up, when editors "
    "have not set it directly.",
    RATING: "For one study: each GRADE concern moves certainty one level; it never leaves the "
    "four levels.",
    TIER: "How well the design can answer the question at all.",
    SAMPLE: "Larger studies give more precise answers, with diminishing returns.",
    STRENGTH: "Whether the study's finding bears on the claim fully or only in part.",
    AGGREGATION: "Points on one side are added strongest first, each next study counting half "
    "as much as the one before, then mapped onto 0–100.",
    BODY: "GRADE rates a body of evidence, not single studies. The counted studies with the "
    "highest starting certainty form the stream that sets it; weaker studies still score "
    "points. The stream starts at its level and is rated down for risk of bias, "
    "inconsistency, indirectness, imprecision and publication bias, and up for strong "
    "observational evidence; the steps are added, then kept within the four levels.",
    VERDICT: "The verdict is the first rule that matches, checked in this order.",
    STATEMENT: "The sentence under the verdict: GRADE's informative words for the certainty "
    "and, except at very low certainty, which way the evidence points.",
    REFERENCE: "The study the fragility check imagines adding to the trailing side.",
}

OCEBM = "OCEBM Levels of Evidence Working Group, Oxford 2011 Levels of Evidence"
HANDBOOK = "GRADE Handbook (Schünemann et al. 2013)"
GRADE3 = "Balshem et al. 2011, J Clin Epidemiol (GRADE guidelines 3: rating the quality)"
GRADE4 = "Guyatt et al. 2011, J Clin Epidemiol (GRADE guidelines 4: risk of bias)"
GRADE5 = "Guyatt et al. 2011, J Clin Epidemiol (GRADE guidelines 5: publication bias)"
GRADE6 = "Guyatt et al. 2011, J Clin Epidemiol (GRADE guidelines 6: imprecision)"
GRADE7 = "Guyatt et al. 2011, J Clin Epidemiol (GRADE guidelines 7: inconsistency)"
GRADE8 = "Guyatt et al. 2011, J Clin Epidemiol (GRADE guidelines 8: indirectness)"
GRADE9 = "Guyatt et al. 2011, J Clin Epidemiol (GRADE guidelines 9: rating up)"
SANTESSO = (
    "Santesso et al. 2020, J Clin Epidemiol (GRADE guidelines 26: informative statements to "
    "communicate the findings of systematic reviews)"
)
COCHRANE = "Cochrane Handbook for Systematic Reviews of Interventions (Higgins et al., v6)"
