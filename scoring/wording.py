"""Every sentence template the scoring model fills in (captions and certainty reasons), in one
place. The statements under the verdict are not here: they are rows of the scoring table,
because readers see them on the "How scores work" page."""

from .vocabulary import CERTAINTY_WORDS

# {placeholders} are filled by scoring.certainty and scoring.scorecard; sentences end with a
# full stop.
LEVEL_WORDS = CERTAINTY_WORDS
COUNT_WORDS = dict(
    enumerate(("one", "two", "three", "four", "five", "six", "seven", "eight", "nine"), start=1)
)
# Plural phrases for "the best evidence is from …", in DESIGNS order.
DESIGN_PHRASES = {
    "meta_analysis_rct": "meta-analyses of randomised trials",
    "systematic_review": "systematic reviews",
    "rct": "randomised trials",
    "crossover_rct": "randomised trials",
    "non_randomised_trial": "non-randomised trials",
    "cohort": "cohort studies",
    "case_control": "case-control studies",
    "cross_sectional": "cross-sectional studies",
    "case_series": "case series",
    "animal": "animal studies",
    "in_vitro": "laboratory (in-vitro) studies",
    "mechanistic": "mechanistic studies",
    "expert_opinion": "expert opinion",
}
# When a stream has both, one phrase instead of "meta-analyses of randomised trials and
# randomised trials".
TRIALS_AND_META_ANALYSES = "randomised trials and meta-analyses of them"
WORDING = {
    # Captions (the balance and its fragility caveat)
    "no_studies": "No studies have been scored yet.",
    "even": "Evenly balanced.",
    "pro_higher": "Supports is higher.",
    "against_higher": "Against is higher.",
    "pro_fragile": "Support is ahead, but a single strong opposing study can change this.",
    "pro_holds": "The lead holds even against one strong opposing study.",
    "against_fragile": "Against is ahead, but a single strong supporting study can change this.",
    "against_holds": "The lead holds even against one strong supporting study.",
    # Certainty reasons: where the stream starts
    "start": "Starts at {level} certainty: the best evidence is from {kinds}.",
    "start_observational": "Starts at low certainty: the best evidence is from {kinds}, which "
    "are not randomised, so something other than what was studied may explain the result.",
    "start_direct": "Starts at high certainty: the best evidence is from {kinds}, which answer "
    "a {claim_type} claim directly.",
    "start_mechanism": "Starts at low certainty: the best evidence is from mechanistic "
    "studies, which start low for a claim about a mechanism.",
    "start_very_low": "The best evidence is from {kinds}, which start at very low certainty "
    "for claims about people.",
    "start_expert": "The best evidence is expert opinion, which starts at very low certainty "
    "because an opinion is not evidence in itself.",
    # Certainty reasons: one per step
    "risk_of_bias_very_serious": "Rated down two levels for risk of bias: {weight} comes from "
    "studies at high risk of bias.",
    "risk_of_bias_serious": "Rated down one level for risk of bias: {weight} comes from "
    "studies with some concerns or not yet assessed for bias.",
    "inconsistency": "Rated down {levels} for inconsistency: {share} of the weight of the best "
    "evidence points the other way.",
    "inconsistency_tie": "Rated down {levels} for inconsistency: the two sides score the same, "
    "so the evidence points both ways equally.",
    # {side} says which studies the rule looked at (§3.3: the leading side's studies in the
    # stream, both sides' on a tie). Not "a leading study", which reads as the strongest one
    # when it may carry little of the weight.
    "indirectness_serious": "Rated down one level for indirectness: a study {side} answers a "
    "somewhat different question (other people, comparison or outcome).",
    "indirectness_very_serious": "Rated down two levels for indirectness: a study {side} "
    "answers a quite different question (other people, comparison or outcome).",
    "imprecision_count": "Rated down {levels} for imprecision: {participants} in "
    "all{unreported}, {far}fewer than the {needed} usually needed.",
    "imprecision_unreported": "Rated down two levels for imprecision: no study here reports "
    "how many took part.",
    "imprecision_flag": "Rated down one level for imprecision: the result of a study {side} is "
    "compatible both with an important effect and with none.",
    "publication_bias": "Rated down one level for publication bias: studies with other results "
    "may have gone unpublished.",
    # Items carry only a count of upgrades, so these name every GRADE 9 factor that can give
    # that count, not one the study may not have.
    "upgrade_one": "Rated up one level: an observational study {side}, without serious "
    "limitations, shows a large effect, a dose-response gradient or confounding that would only "
    "reduce the effect.",
    "upgrade_two": "Rated up two levels: an observational study {side}, without serious "
    "limitations, shows a very large effect, or more than one of a large effect, a "
    "dose-response gradient and confounding that would only reduce the effect.",
    "clamp_low": "The steps add up to more than the levels below the start, and certainty "
    "cannot go below very low.",
    "clamp_high": "The steps add up to more than the levels above the start, and certainty "
    "cannot go above high.",
    # Pieces
    "far": "far ",
    "side_leading": "on the leading side",
    "side_tie": "on either side",  # no side leads, so the rule looks at both
    "all_weight": "all of the weight",
    "most_weight": "most of the weight ({share})",
    "participant": "{count} participant",
    "participants": "{count} participants",
    "unreported_one": " (one study does not report its size)",
    "unreported_many": " ({count} studies do not report their size)",
}

# "What would change the verdict" (scoring.whatif), for a lay reader: the kind of study in
# plain words, its certainty as the page's legend names it. {design} has its article.
WHAT_IF = {
    "one_more": "One more study {side}, of the kind rated {certainty} certainty ({design} of "
    "{n} people), would move this to {verdict}.",
    "first": "A single study either way, of the kind rated {certainty} certainty ({design} of "
    "{n} people), would give a first verdict.",
    "none": "No single new study would change this verdict; it would take several strong studies.",
    "supports": "in support",
    "contradicts": "against",
}
