import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from course import plotting


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


FRAME = pd.DataFrame({"before_days": [15.0, 14.0], "after_days": [5.0, 3.0]}, index=["Europe/US", "Brazil"])


@pytest.mark.parametrize("kind", ["bar", "barh"])
def test_bar_data_reads_grouped_pandas_bars(kind):
    fig, ax = plt.subplots()
    getattr(FRAME.plot, kind)(ax=ax)
    assert plotting.bar_data(fig) == {
        "before_days": {"Europe/US": 15.0, "Brazil": 14.0},
        "after_days": {"Europe/US": 5.0, "Brazil": 3.0},
    }


def test_bar_data_reads_matplotlib_categorical_bars():
    fig, ax = plt.subplots()
    ax.bar(["a", "b"], [1, 2], label="x")
    assert plotting.bar_data(fig) == {"x": {"a": 1.0, "b": 2.0}}


def test_bar_data_rejects_figures_without_bars_or_with_two_plots():
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    with pytest.raises(AssertionError, match="no bars"):
        plotting.bar_data(fig)
    fig, axes = plt.subplots(1, 2)
    for ax in axes:
        ax.bar(["a"], [1])
    with pytest.raises(AssertionError, match="one plot"):
        plotting.bar_data(fig)
    with pytest.raises(AssertionError, match="Figure"):
        plotting.bar_data("not a figure")


def test_describe_bars_and_palette():
    plotting.use_casebook_style()
    fig, ax = plt.subplots()
    FRAME.plot.bar(ax=ax, title="Delivery")
    text = plotting.describe_bars(fig)
    assert "Delivery" in text and "Brazil 14" in text and "after_days" in text
    assert ax.patches[0].get_facecolor()[:3] == matplotlib.colors.to_rgb(plotting.OKABE_ITO["blue"])


def test_bar_descriptions_give_numbers_as_a_reader_says_them():
    fig, ax = plt.subplots()
    ax.bar(["share", "orders", "tiny"], [1 / 3, 12345.6, 0.0001234], label="2019")
    text = plotting.describe_bars(fig)
    assert "share 0.333; orders 12,346; tiny 0.000123." in text
    assert [plotting.readable_number(v) for v in (14.0, -0.5, 2.5e-7, 99.95)] == ["14", "-0.5", "0", "100"]


def test_wrapped_tables_show_long_text_whole():
    text = "Return rate down 22%, repurchase rate up 35%, after a campaign of many long weeks"
    html = plotting.wrapped(pd.DataFrame({"outcomes": [text]})).to_html()
    assert text in html and "white-space: pre-wrap" in html


def test_wrapped_tables_render_the_same_twice():
    table = pd.DataFrame({"outcomes": ["Return rate down 22%"]})
    assert plotting.wrapped(table).to_html() == plotting.wrapped(table.copy()).to_html()


def test_integer_ticks_on_a_count_axis():
    _, ax = plt.subplots()
    ax.hist([0, 8, 18], bins=range(20))  # every bar one student high
    assert any(tick != int(tick) for tick in ax.get_yticks())  # matplotlib's own: 0.0, 0.2, ...
    plotting.integer_ticks(ax.yaxis)
    ticks = ax.get_yticks()
    assert len(ticks) >= 2 and all(tick == int(tick) for tick in ticks)
