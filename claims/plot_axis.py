"""The forest plot's axis: a linear or log scale from values to x, round tick values, and
numbers written as a reader expects them ("−0.25", with a real minus sign)."""

import math
from collections.abc import Iterable
from dataclasses import dataclass

WIDTH = 320
PAD_X = 12  # the plot area starts and ends this far from the edges


def number(value: float) -> str:
    """Three significant figures, a real minus sign: "−0.25", "1.2", "150"."""
    text = f"{value:.3g}"
    if "e" in text:  # very large or small: plain decimals read better than 1.5e+03
        text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text.replace("-", "\u2212")


def as_entered(value: float) -> str:
    """A reported figure as the editor entered it (no rounding), with a real minus sign."""
    text = f"{value:.10f}".rstrip("0").rstrip(".") if "e" in str(value) else str(value)
    return text.replace("-", "\u2212")


@dataclass(frozen=True)
class Scale:
    """value -> x, linear or logarithmic, over [low, high] onto [x0, x1]."""

    low: float
    high: float
    log: bool
    x0: float = PAD_X
    x1: float = WIDTH - PAD_X

    def _t(self, value: float) -> float:
        return math.log(value) if self.log else value

    def x(self, value: float) -> float:
        low, high = self._t(self.low), self._t(self.high)
        return round(self.x0 + (self._t(value) - low) / (high - low) * (self.x1 - self.x0), 2)


def scale_for(values: Iterable[float], ratio: bool) -> Scale:
    """A scale that holds every value with a little room either side; one value (or several
    equal) still gets a usable width around it."""
    values = [v for v in values if v is not None and (not ratio or v > 0)]
    if ratio:
        logs = [math.log(v) for v in values] or [0.0]
        low, high = min(logs), max(logs)
        if high - low < 1e-9:
            low, high = low - math.log(2), high + math.log(2)
        pad = (high - low) * 0.05
        return Scale(math.exp(low - pad), math.exp(high + pad), log=True)
    low, high = (min(values), max(values)) if values else (-1.0, 1.0)
    if high - low < 1e-9:
        spread = abs(low) * 0.5 or 1.0
        low, high = low - spread, high + spread
    pad = (high - low) * 0.05
    return Scale(low - pad, high + pad, log=False)


def _nice_step(span: float, count: int = 5) -> float:
    raw = span / count
    if not math.isfinite(raw) or raw <= 0:  # a row written past validation: still draw
        return 1.0
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * magnitude >= raw:
            return factor * magnitude
    return 10 * magnitude


# Round ratios per decade, coarse first: the first set giving three ticks in range is used.
LOG_MANTISSAS = ((1, 2, 5), (1, 1.5, 2, 3, 5, 7), (1, 1.1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8))


def tick_values(scale: Scale) -> list[float]:
    """About five round values inside the scale: 1-2-5 steps for differences; 0.5, 1, 2 ... for
    ratios (finer when the range is narrow)."""
    low, high = scale.low, scale.high
    if scale.log:
        decades = range(math.floor(math.log10(low)) - 1, math.ceil(math.log10(high)) + 1)
        for mantissas in LOG_MANTISSAS:
            ticks = [m * 10**d for d in decades for m in mantissas if low <= m * 10**d <= high]
            if len(ticks) >= 3:
                return ticks if len(ticks) <= 7 else ticks[:: math.ceil(len(ticks) / 6)]
        # A very narrow ratio range: round values on a linear step, all positive.
    step = _nice_step(high - low)
    first = math.ceil(low / step) * step
    ticks, value = [], first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10) + 0.0)  # + 0.0: no "-0"
        value += step
    return ticks
