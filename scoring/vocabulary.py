"""The scoring model's vocabulary: the values it accepts and the one label each is shown with.

Every other module (the models' choices, the pages, the exports) takes its labels from here,
so a design or a certainty level reads the same everywhere. Django models build their choices
from these, so they stay plain tuples and dicts.
"""

DESIGNS = (  # strongest first
    ("meta_analysis_rct", "Meta-analysis of RCTs"),
    ("systematic_review", "Systematic review"),
    ("rct", "Randomised controlled trial"),
    ("crossover_rct", "Randomised crossover trial"),
    ("non_randomised_trial", "Non-randomised trial"),
    ("cohort", "Cohort study"),
    ("case_control", "Case-control study"),
    ("cross_sectional", "Cross-sectional study"),
    ("case_series", "Case series"),
    ("animal", "Animal study"),
    ("in_vitro", "In-vitro study"),
    ("mechanistic", "Mechanistic study"),
    ("expert_opinion", "Expert opinion"),
)
CERTAINTIES = (  # highest first
    ("high", "High"),
    ("moderate", "Moderate"),
    ("low", "Low"),
    ("very_low", "Very low"),
)
DESIGN_LABELS = dict(DESIGNS)
CERTAINTY_LABELS = dict(CERTAINTIES)
# A level inside a sentence: "low certainty", "very low".
CERTAINTY_WORDS = {value: label.lower() for value, label in CERTAINTY_LABELS.items()}
DESIGN_VALUES = tuple(DESIGN_LABELS)
CERTAINTY_VALUES = tuple(CERTAINTY_LABELS)
LEVELS = ("very_low", "low", "moderate", "high")  # lowest first: one step = one GRADE level


def design_noun(design: str) -> str:
    """A design's label inside a sentence: "randomised controlled trial", "meta-analysis of
    RCTs" (the first letter lowered, never an acronym's); an unknown design as it is."""
    label = DESIGN_LABELS.get(design, design)
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


STANCE_LABELS = {"supports": "Supports", "contradicts": "Contradicts"}
# A side in a sentence or a heading: "now supporting (was contradicting)", "Supporting".
STANCE_WORDS = {"supports": "supporting", "contradicts": "contradicting"}
STANCES = tuple(STANCE_LABELS)

STRENGTH_LABELS = {"clear": "Clear finding", "partial": "Partial finding (tended to…)"}
STRENGTHS = tuple(STRENGTH_LABELS)

RISK_OF_BIAS_LABELS = {
    "low": "Low risk of bias",
    "some": "Some concerns",
    "high": "High risk of bias",
}
RISKS_OF_BIAS = tuple(RISK_OF_BIAS_LABELS)  # None: not yet assessed

CLAIM_TYPES = ("mechanistic", "causal", "correlational", "comparative", "descriptive")
# Reviews pool other studies (§3.1 rule 2).
REVIEW_DESIGNS = ("meta_analysis_rct", "systematic_review")
# The human observational designs: they start low (high for the claim types below), and only
# they are ever rated up (GRADE 9).
OBSERVATIONAL_DESIGNS = (
    "non_randomised_trial",
    "cohort",
    "case_control",
    "cross_sectional",
    "case_series",
)
# Claim types that observational data answer directly (OCEBM 2011: prevalence and association
# questions are answered by surveys and cohorts, not trials).
OBSERVATIONAL_DIRECT_CLAIM_TYPES = ("correlational", "descriptive")

# The verdicts (§3.4), as readers see them.
INSUFFICIENT = "Insufficient evidence"
VERY_UNCERTAIN = "Very uncertain"
STRONG_SUPPORT = "Strong support"
STRONGLY_CONTRADICTED = "Strongly contradicted"
MODERATE_SUPPORT = "Moderate support"
MODERATELY_CONTRADICTED = "Moderately contradicted"
LEANING_SUPPORT = "Leaning support"
LEANING_AGAINST = "Leaning against"
MIXED = "Mixed evidence"

VERDICTS = (
    INSUFFICIENT,
    VERY_UNCERTAIN,
    STRONG_SUPPORT,
    STRONGLY_CONTRADICTED,
    MODERATE_SUPPORT,
    MODERATELY_CONTRADICTED,
    LEANING_SUPPORT,
    LEANING_AGAINST,
    MIXED,
)
