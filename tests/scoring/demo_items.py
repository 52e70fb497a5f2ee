"""The five demo claims' evidence as scoring items, appraised for the second edition.

Kept here so the demo fixture (fixtures/demo.json) can be compared with it: each entry is
(claim slug, claim type, items). The studies: Ruple et al. 2023 (randomised, 19 trained
adults, limbs allocated to near-failure or failure training), Refalo et al. 2024 (randomised
within-participant trial of 18), Hermann et al. 2025 (randomised trial of 42, volume not
equated), Goli et al. 2026 (non-randomised calf-raise study, size and risk of bias not yet
appraised).
"""

RUPLE_2023 = {
    "key": "ruple-2023",
    "stance": "supports",
    "design": "rct",
    "certainty": None,  # derived: high, one level down for risk of bias → moderate
    "downgrades": 1,  # risk of bias: some concerns (participants unblinded)
    "sample_size": 19,
    "strength": "clear",
    "risk_of_bias": "some",
    "imprecise": True,
}
REFALO_2024 = {
    "key": "refalo-2024",
    "stance": "supports",
    "design": "rct",  # crossover-like, within-participant, recorded as an RCT
    "certainty": None,
    "downgrades": 1,
    "sample_size": 18,
    "strength": "clear",
    "risk_of_bias": "some",
    "imprecise": True,
}
HERMANN_2025 = {
    "key": "hermann-2025",
    "stance": "supports",
    "design": "rct",
    "certainty": None,
    "downgrades": 1,  # indirectness: volume not equated
    "sample_size": 42,
    "strength": "partial",
    "risk_of_bias": "some",
    "indirectness": 1,
}
GOLI_2026 = {
    "key": "goli-2026",
    "stance": "supports",
    "design": "non_randomised_trial",
    "certainty": None,
    "sample_size": None,
    "strength": "clear",
    "risk_of_bias": None,  # not yet assessed
}

DEMO_CLAIMS = (
    ("failure-motor-unit-firing", "causal", (RUPLE_2023,)),
    ("failure-distal-vl-csa", "causal", (RUPLE_2023,)),
    ("rir-similar-volume", "comparative", (REFALO_2024,)),
    ("failure-volume-equated-hypertrophy", "comparative", (REFALO_2024, HERMANN_2025, GOLI_2026)),
    (
        "quadriceps-rir-vs-failure",
        "comparative",
        # Both differences small and uncertain: a partial finding.
        ({**REFALO_2024, "strength": "partial"},),
    ),
)
