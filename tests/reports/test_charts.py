"""Chart geometry (pure): a suppressed value draws nothing but keeps its text; lines break at a gap; negative
changes run left of the zero line; counts never get a fractional scale."""

from __future__ import annotations

from reports.charts import Series, bar_chart, line_chart


def test_a_suppressed_bar_draws_nothing_but_says_why():
    chart = bar_chart(
        key="t",
        title="T",
        description="D",
        categories=["A", "B"],
        series=[Series("K", [12, None], ["12", "fewer than 5"]), Series("E", [0, 6], ["0", "6"])],
        whole_numbers=True,
    )
    widths = {(bar.series, bar.text): bar.width for bar in chart.bars}
    assert widths[(0, "fewer than 5")] == 0 and widths[(0, "12")] > widths[(1, "6")] > 0
    assert all(float(tick.text) == int(float(tick.text)) for tick in chart.ticks)


def test_negative_changes_run_left_of_the_zero_line():
    chart = bar_chart(
        key="p", title="P", description="D", categories=["Reading"], series=[Series("SEN", [-5.7], ["-5.7"])]
    )
    (bar,) = chart.bars
    zero = chart.axis[0]
    assert bar.x + bar.width == zero and bar.text_anchor == "end"


def test_a_line_breaks_where_a_value_is_hidden():
    chart = line_chart(
        key="l",
        title="L",
        description="D",
        x_labels=["a", "b", "c", "d", "e"],
        series=[Series("K", [1.0, 2.0, None, 3.0, 4.0], ["1%", "2%", "hidden", "3%", "4%"])],
        suffix="%",
    )
    assert len(chart.lines) == 2 and len(chart.markers) == 4
    assert chart.ticks[-1].text.endswith("%")
