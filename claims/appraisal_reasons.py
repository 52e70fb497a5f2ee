"""Why one study has its certainty for a claim, in the editor's own words: the lines under a
study in the evidence list (and in the exports). Reads only the link and its study."""

import re

import scoring
from scoring import CERTAINTY_LABELS, design_noun
from scoring.vocabulary import RISK_OF_BIAS_LABELS

from . import effects
from .effects import has_ci
from .models import Evidence

_LEVELS = {1: "one level", 2: "two levels", 3: "three levels", 4: "four levels"}
_COUNTS = {1: "one", 2: "two"}
_SERIOUSNESS = {Evidence.Concern.SERIOUS: "Serious", Evidence.Concern.VERY_SERIOUS: "Very serious"}
# The GRADE concerns that rate a study's own certainty down (Evidence.downgrades), in GRADE's
# order: (field, what it is called, its reason field).
_DOWNGRADES = (
    ("risk_of_bias", "risk of bias", "risk_of_bias_reason"),
    ("inconsistency", "inconsistency", "inconsistency_reason"),
    ("indirectness", "indirectness", "indirectness_reason"),
    ("imprecision", "imprecision", "imprecision_reason"),
    ("publication_bias", "publication bias", "publication_bias_reason"),
)
# A risk-of-bias judgement inside a sentence ("Risk of bias (RoB 2): some concerns"); the
# exports' notes use the same words.
# "Risk of bias: low", "…: some concerns": the judgement after its heading.
RISK_OF_BIAS_WORDS = {
    **{
        value: label.lower().removesuffix(" risk of bias")
        for value, label in RISK_OF_BIAS_LABELS.items()
    },
    Evidence.RiskOfBias.NOT_ASSESSED: "not assessed",
}
# Said beside a judgement that moves only the certainty of the body of evidence (scoring reads
# the RoB judgement, indirectness and the `imprecise` flag there), so a reader tells it from the
# concerns that rated this study down, which its certainty line names.
BODY_ONLY = "affects the certainty of the whole body of evidence, not this study's points"
SET_DIRECTLY = "not applied: a certainty set directly is used as it is"
# The derived flag: the interval by its kind ("95% HDI") and what the reading says of it.
IMPRECISE = "Its {interval} {words}"
# The flag set by hand, with no interval on record to say so.
IMPRECISE_JUDGED = "Imprecise as the editor judged it, with no interval recorded here"

# The words labels are made of. An editor's reason that opens with a short clause of these
# alone ("Some concerns (RoB 2).", "Not assessed:", "Indirect for this claim:") restates the
# label the page puts in front of it, so that clause is left out.
_LABEL_WORDS = frozenset(
    " ".join(
        (
            "a an the this for of in is at",
            "low some moderate high very serious seriously concern concerns certainty level levels",
            "risk bias rob 2 robins-i d1 d2 d3 d4 d5 overall judgement not yet assessed unclear",
            "inconsistent inconsistency indirect indirectly indirectness imprecise imprecision",
            "publication suspected claim study rated down up large effect",
        )
    ).split(" ")
)
_OPENING_CLAUSE = re.compile(r"^\s*([^.:;—]{1,60}?)\s*(?:[.:;]|\s—)\s+(?=\S)")
_BIAS_DOMAIN = re.compile(r"^(?P<name>.+) \((?P<tool>RoB 2|ROBINS-I)(?:, (?P<code>D\d))?\)$")


def _levels(count: int) -> str:
    return _LEVELS.get(count, f"{count} levels")


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _lower_first(label: str) -> str:
    """ "Meta-analysis of RCTs" -> "meta-analysis of RCTs": only the first letter, and not
    that of an acronym."""
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


def own_words(reason: str) -> str:
    """The editor's reason, whitespace collapsed, without an opening clause that only restates
    the label it is shown under ("Some concerns (RoB 2). Each person's legs…" -> "Each
    person's legs…")."""
    reason = " ".join((reason or "").split())
    match = _OPENING_CLAUSE.match(reason)
    if match:
        words = re.findall(r"[\w-]+", match.group(1).lower())
        if 0 < len(words) <= 6 and set(words) <= _LABEL_WORDS:
            rest = reason[match.end() :]
            reason = rest[:1].upper() + rest[1:]
    elif set(re.findall(r"[\w-]+", reason.lower())) <= _LABEL_WORDS:
        return ""  # the reason is the label again ("Some concerns.")
    return reason


def _with_reason(text: str, reason: str, separator: str = ": ") -> str:
    reason = own_words(reason)
    return f"{text}{separator}{reason}" if reason else f"{text}."


def appraisal_reasons(evidence: Evidence, contribution: scoring.Contribution | None) -> list[str]:
    """Why this study has its certainty for this claim, with the reasons the editor recorded:
    where it starts (or the certainty the editor set) and what rated it down, its risk of bias,
    each concern, its imprecision and any upgrade. Each reads "<label>: <editor's reason>";
    a judgement that does not move this study's own certainty says so beside it. Nothing for
    a link awaiting appraisal: nobody has judged it. Reads only the link and its study (no
    query)."""
    if contribution is None:
        return []
    e, derived = evidence, contribution.certainty_derived
    reasons = [_certainty_reason(e, contribution), _risk_of_bias_reason(e, derived)]
    for field, name, reason_field in _DOWNGRADES[1:]:
        value = getattr(e, field)
        if value:
            label = f"{_serious(value)} {name}"
            if not derived:  # the editor's certainty is used as it is
                label += f" ({BODY_ONLY if field == 'indirectness' else SET_DIRECTLY})"
            reasons.append(_with_reason(label, getattr(e, reason_field)))
        if field == "imprecision" and e.imprecise:
            flag = f"{_imprecise_words(e) if has_ci(e) else IMPRECISE_JUDGED} ({BODY_ONLY})"
            # The reason once: beside the level of imprecision when there is one.
            reasons.append(f"{flag}." if value else _with_reason(flag, e.imprecision_reason))
    if e.upgrades:
        reasons.append(_upgrade_reason(e, contribution))
    return reasons


def _imprecise_words(e) -> str:
    """As the forest plot reads the interval: "compatible with both an important effect and
    none" only where the claim sets one. The link came through its claim, so `e.claim` is
    already loaded."""
    words = effects.reading(e, e.claim).words
    if words.startswith("compatible"):  # the reading's words are a predicate or an adjective
        words = f"is {words}"
    return IMPRECISE.format(interval=e.get_effect_ci_kind_display(), words=words)


def _serious(level: int) -> str:
    return _SERIOUSNESS.get(level, "Serious")


def _design_with_article(design: str) -> str:
    noun = design_noun(design)
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def _certainty_reason(e: Evidence, contribution: scoring.Contribution) -> str:
    level = CERTAINTY_LABELS[contribution.certainty]
    if not contribution.certainty_derived:
        if not own_words(e.certainty_reason):
            return f"{level} certainty, set by an editor (no reason recorded)."
        return _with_reason(f"{level} certainty, set by an editor", e.certainty_reason)
    start = CERTAINTY_LABELS[contribution.start_level].lower()
    steps = [f"{_design_with_article(e.study.design)} starts at {start} certainty"]
    if rated_down := _rated_down(e):
        steps.append(rated_down)
    if e.upgrades and not _upgrade_refused(e, contribution):
        steps.append(f"rated up {_levels(e.upgrades)}")
    return f"{level} certainty: {', '.join(steps)}."


def _rated_down(e: Evidence) -> str:
    """ "rated down two levels for risk of bias and indirectness", or with different levels
    "rated down three levels (two for risk of bias, one for publication bias)"; "" for none."""
    concerns = [(getattr(e, field), name) for field, name, _ in _DOWNGRADES if getattr(e, field)]
    if not concerns:
        return ""
    total = sum(levels for levels, _ in concerns)
    if all(levels == 1 for levels, _ in concerns):
        return f"rated down {_levels(total)} for {_and([name for _, name in concerns])}"
    each = ", ".join(f"{_COUNTS.get(levels, levels)} for {name}" for levels, name in concerns)
    return f"rated down {_levels(total)} ({each})"


def _risk_of_bias_reason(e: Evidence, derived: bool) -> str:
    """The risk-of-bias tool's judgement, as the tool words it ("Risk of bias (RoB 2): some
    concerns, driven by measurement of the outcome (D4)"). The GRADE concern that rates the
    study down for it is named in the certainty line; without it, the judgement feeds only the
    body of evidence."""
    judgement = e.risk_of_bias_judgement
    if judgement == Evidence.RiskOfBias.NOT_ASSESSED:
        text = "Risk of bias not yet assessed, counted as some concerns"
    else:
        tool, domain = _bias_domain(e)
        text = f"Risk of bias ({tool})" if tool else "Risk of bias"
        text += f": {RISK_OF_BIAS_WORDS[judgement]}"
        if domain:
            text += f", driven by {domain}"
    if judgement != Evidence.RiskOfBias.LOW and not (derived and e.risk_of_bias):
        text += f" ({BODY_ONLY})"
    return _with_reason(text, e.risk_of_bias_reason, " — ")


def _bias_domain(e: Evidence) -> tuple[str, str]:
    """(tool, domain in words): ("RoB 2", "measurement of the outcome (D4)"), ("ROBINS-I",
    "confounding"), or ("", "") when no domain is recorded."""
    if not e.risk_of_bias_domain:
        return "", ""
    label = e.get_risk_of_bias_domain_display()
    match = _BIAS_DOMAIN.match(label)
    if not match:
        return "", _lower_first(label)
    name = _lower_first(match["name"])
    if e.risk_of_bias_domain == Evidence.BiasDomain.RANDOMISATION:
        name = f"the {name}"
    return match["tool"], f"{name} ({match['code']})" if match["code"] else name


def _upgrade_reason(e: Evidence, contribution: scoring.Contribution) -> str:
    kinds = []
    if e.large_effect:
        kinds.append("a very large effect" if e.large_effect > 1 else "a large effect")
    if e.dose_response:
        kinds.append("a dose-response gradient")
    if e.plausible_confounding:
        kinds.append("confounding that would reduce the effect")
    words = " and ".join(kinds)
    if why_not := _upgrade_refused(e, contribution):
        return _with_reason(f"Upgrade for {words} (not applied: {why_not})", e.upgrade_reason)
    return _with_reason(f"Rated up for {words}", e.upgrade_reason)


def _upgrade_refused(e: Evidence, contribution: scoring.Contribution) -> str:
    """Why an upgrade the editor recorded moves nothing (design.md §3.2), or ""."""
    if not contribution.certainty_derived:
        return "a certainty set directly is used as it is"
    if e.study.design not in scoring.weights.OBSERVATIONAL_DESIGNS:
        return "only observational studies are rated up"
    if e.downgrades:
        return "a study rated down is not rated up"
    return ""
