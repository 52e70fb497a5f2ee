"""The forest plot's geometry: pure functions, no database."""

import math

import pytest

from claims.forest_plot import (
    MARK_MAX,
    MARK_MIN,
    ForestRow,
    forest,
    mark_size,
    plot,
)
from claims.plot_axis import PAD_X, WIDTH, Scale, number, scale_for, tick_values


def row(estimate, lower=None, upper=None, measure="md", n=20, outcome="Muscle thickness", **kw):
    return ForestRow(
        label=kw.pop("label", "Study"),
        n=n,
        estimate=estimate,
        lower=lower,
        upper=upper,
        measure=measure,
        outcome=outcome,
        **kw,
    )


def test_it_maps_a_ci_to_the_right_pixels():
    scale = Scale(-1.0, 3.0, log=False, x0=10, x1=410)  # 4 units over 400 px
    assert (scale.x(-1.0), scale.x(0.0), scale.x(1.5), scale.x(3.0)) == (10, 110, 260, 410)
    assert Scale(-1.0, 3.0, log=False).x(3.0) == WIDTH - PAD_X

    drawn = plot([row(1.0, 0.0, 2.0), row(-1.0, -2.0, 0.5)])
    first, second = drawn.rows
    # The scale spans -2 .. 2 padded by 5% either side: 4.4 units over the plot's width.
    unit = (WIDTH - 2 * PAD_X) / 4.4
    assert first.x1 == pytest.approx(PAD_X + 2.2 * unit, abs=0.01)
    assert first.x == pytest.approx(PAD_X + 3.2 * unit, abs=0.01)
    assert first.x2 == pytest.approx(PAD_X + 4.2 * unit, abs=0.01)
    assert second.x1 == pytest.approx(PAD_X + 0.2 * unit, abs=0.01)  # -2, the lowest value
    assert drawn.no_effect_x == pytest.approx(PAD_X + 2.2 * unit, abs=0.01)
    assert first.y_line > first.y_text and second.y_line > first.y_line


@pytest.mark.parametrize(
    ("measure", "line"),
    [
        ("md", 0.0),
        ("smd", 0.0),
        ("percent_change", 0.0),
        ("other", 0.0),
        ("rr", 1.0),
        ("or", 1.0),
        ("hr", 1.0),
    ],
)
def test_it_draws_the_no_effect_line_at_0_or_1_by_measure(measure, line):
    drawn = plot([row(2.0, 1.5, 3.0, measure=measure), row(0.5, 0.25, 4.0, measure=measure)])
    scale = scale_for([line, 2.0, 1.5, 3.0, 0.5, 0.25, 4.0], measure in {"rr", "or", "hr"})
    assert drawn.no_effect_x == scale.x(line)
    assert any(tick.label == number(line) for tick in drawn.ticks)


def test_it_draws_ratios_on_a_log_scale():
    drawn = plot([row(2.0, 0.5, 4.0, measure="rr")])
    assert drawn.ratio
    # On a log scale 0.5 and 2 sit as far either side of 1 as each other.
    no_effect, ci = drawn.no_effect_x, drawn.rows[0]
    assert no_effect - ci.x1 == pytest.approx(ci.x - no_effect, abs=0.02)
    assert [tick.label for tick in drawn.ticks] == ["0.5", "1", "2"]
    assert "log scale" in drawn.caption


def test_it_draws_differences_on_a_linear_scale():
    drawn = plot([row(2.0, 0.0, 4.0)])
    ci = drawn.rows[0]
    assert ci.x - ci.x1 == pytest.approx(ci.x2 - ci.x, abs=0.02)
    assert not drawn.ratio and "linear scale" in drawn.caption


def test_it_draws_the_threshold():
    drawn = plot([row(0.3, 0.1, 0.5)], threshold=0.2)
    scale = scale_for([0.0, 0.2, -0.2, 0.3, 0.1, 0.5], ratio=False)
    assert drawn.threshold_x == scale.x(0.2)
    assert drawn.no_effect_x < drawn.rows[0].x1 < drawn.threshold_x < drawn.rows[0].x
    assert plot([row(0.3, 0.1, 0.5)]).threshold_x is None


def test_it_draws_the_threshold_either_way_as_the_reading_counts_it():
    """An important effect counts in both directions (claims.effects): −t for a difference,
    1/t for a ratio, drawn as a second dashed line the same distance from no effect."""
    difference = plot([row(0.3, 0.1, 0.5)], threshold=0.2)
    assert difference.mirror_x is not None
    assert difference.no_effect_x - difference.mirror_x == pytest.approx(
        difference.threshold_x - difference.no_effect_x, abs=0.02
    )
    assert difference.mirror_text == "\u22120.2"
    ratio = plot([row(1.5, 1.1, 2.0, measure="rr")], threshold=1.25)
    assert ratio.mirror_x < ratio.no_effect_x < ratio.threshold_x
    assert ratio.no_effect_x - ratio.mirror_x == pytest.approx(
        ratio.threshold_x - ratio.no_effect_x, abs=0.02
    )
    assert plot([row(0.3, 0.1, 0.5)]).mirror_x is None
    # A ratio threshold at or below 0 cannot be drawn on a log scale.
    assert plot([row(1.3, 1.1, 1.5, measure="rr")], threshold=-1).threshold_x is None


def test_it_plots_one_study():
    drawn = plot([row(1.0, 0.5, 1.5)])
    assert len(drawn.rows) == 1 and drawn.summary is None
    assert drawn.height > drawn.axis_y > drawn.rows[0].y_line
    assert drawn.view_box == f"0 0 {WIDTH} {round(drawn.height)}"


@pytest.mark.parametrize("measure", ["md", "rr"])
def test_it_plots_identical_bounds(measure):
    value = 1.0 if measure == "rr" else 0.0  # the estimate is no effect, and so is the CI
    drawn = plot([row(value, value, value, measure=measure)])
    ci = drawn.rows[0]
    assert ci.x1 == ci.x == ci.x2 == drawn.no_effect_x
    assert PAD_X < ci.x < WIDTH - PAD_X
    assert len(drawn.ticks) >= 3
    drawn = plot([row(2.5, 2.5, 2.5, measure=measure)])
    assert all(math.isfinite(t.x) for t in drawn.ticks) and drawn.rows[0].x1 == drawn.rows[0].x2


def test_it_clamps_the_mark_for_extreme_n():
    assert mark_size(None, 100) == MARK_MIN
    assert mark_size(1, 1_000_000) == MARK_MIN
    assert mark_size(1_000_000, 1_000_000) == MARK_MAX
    # Area proportional to n: a quarter of the n, half the side.
    assert mark_size(250, 1000) == pytest.approx(MARK_MAX / 2)
    drawn = plot([row(1.0, 0.5, 1.5, n=1), row(1.0, 0.5, 1.5, n=10**9)])
    assert [r.size for r in drawn.rows] == [MARK_MIN, MARK_MAX]


def test_it_keeps_ticks_round_and_inside():
    for scale in (Scale(-0.37, 2.9, False), Scale(0.8, 1.3, True), Scale(0.02, 40, True)):
        ticks = tick_values(scale)
        assert 3 <= len(ticks) <= 8, (scale, ticks)
        assert all(scale.low <= t <= scale.high for t in ticks)
        assert len({number(t) for t in ticks}) == len(ticks)


def test_it_groups_by_outcome_and_measure_and_lists_direction_only():
    rows = [
        row(1.0, 0.5, 1.5, outcome="Muscle thickness", label="A"),
        row(0.5, -0.5, 1.5, outcome="muscle thickness ", label="B"),
        row(1.2, 0.9, 1.6, measure="rr", label="C"),
        row(None, label="D", direction="supports"),
        row(3.0, 1.0, 5.0, outcome="CSA", label="E"),
    ]
    result = forest(rows, threshold_for=lambda measure, unit: 0.5 if measure == "md" else None)
    assert [[r.row.label for r in p.rows] for p in result.plots] == [["A", "B"], ["C"], ["E"]]
    assert [r.label for r in result.direction_only] == ["D"]
    assert result.plots[0].threshold == 0.5 and result.plots[1].threshold is None


def test_it_counts_directions_weighted_by_n_and_never_pools():
    rows = [row(1.0, n=30), row(0.4, n=10), row(-0.2, n=12), row(0.0, n=5)]
    drawn = plot(rows, expected="increase")
    summary = drawn.summary
    assert (summary.up, summary.up_n, summary.down, summary.down_n) == (2, 40, 1, 12)
    assert summary.sentence == (
        "2 studies (40 participants) point to an increase (the claim's direction); "
        "1 study (12 participants) points to a decrease; 1 study (5 participants) shows no "
        "difference."
    )
    assert not hasattr(drawn, "pooled")


def test_it_writes_numbers_plainly():
    assert number(-0.25) == "\u22120.25"
    assert number(1500.0) == "1500"
    assert number(1.0) == "1"
    assert row(0.3, 0.1, 0.5, unit="mm").effect_text == "0.3 (95% CI 0.1 to 0.5) mm"
    assert row(0.3, -0.1, 0.5).short_text == "0.3 [\u22120.1, 0.5]"
    assert row(0.3).short_text == "0.3"
    long = row(1.0, label="Schoenfeld, Ogborn and Krieger 2016")
    assert long.short_label == "Schoenfeld, Ogborn\u2026 2016"
    assert row(1.0, label="A" * 40).short_label == "A" * 23 + "\u2026"
