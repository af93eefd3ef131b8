from course.instructor.visible_checks import right, wrong

TREND = """\
search_multiple = pricing.growth_multiple(facts.value("000_pet_water_dispenser_search_growth"))
gmv_multiple = pricing.growth_multiple(facts.value("000_pet_water_dispenser_gmv_growth"))
gmv_per_search_multiple = gmv_multiple / search_multiple
"""
SELL = 'trials["sell_through"] = trials["units_sold_14d"] / trials["first_order_units"]\n'
RULE = """\
is_blockbuster = trials["blockbuster"]
blockbuster_min = trials.loc[is_blockbuster, "sell_through"].min()
other_max = trials.loc[~is_blockbuster, "sell_through"].max()
reorder_min = trials.loc[trials["reordered"], "sell_through"].min()
reorder_multiple = trials["reorder_units"] / trials["first_order_units"]
median_multiple_blockbuster = reorder_multiple[is_blockbuster].median()
"""
STATED = 'stated = figure2[figure2["status"] == "stated"].pivot(index="merchant_type", columns="year", values="blockbuster_rate_percent")\n'
GUARDED = """\
def tiered_price(reference_price, share_percent):
    if reference_price <= 0 or share_percent <= 0:
        raise ValueError("The reference price and the share must be positive.")
"""
PRICES = """\
share_of_amazon = facts.value("000_basic_model_price_vs_amazon")
basic_discount_pct = 100 - share_of_amazon
basic_price = tiered_price(example_amazon_price, share_of_amazon)
"""
LEVERS = 'levers = all_facts.set_index("id").loc[pricing_ids, ["metric", "value"]]\n'
PLOT_END = """\
ax.set_ylabel("Blockbuster rate (%)")
ax.set_title("Blockbuster rate by merchant type (SYNTHETIC trials)")
"""

ENTRIES = [
    wrong("ex1_trend", "growth-as-multiple", """\
search_multiple = facts.value("000_pet_water_dispenser_search_growth") / 100
gmv_multiple = facts.value("000_pet_water_dispenser_gmv_growth") / 100
gmv_per_search_multiple = gmv_multiple / search_multiple
shows = {"a": True, "b": True, "c": False, "d": False, "e": False, "f": False}"""),
    wrong("ex1_trend", "ratio-of-percents", TREND.replace(
        "gmv_multiple / search_multiple",
        'facts.value("000_pet_water_dispenser_gmv_growth") / facts.value("000_pet_water_dispenser_search_growth")')
        + 'shows = {"a": True, "b": True, "c": False, "d": False, "e": False, "f": False}'),
    wrong("ex1_trend", "causation-read-in", TREND + 'shows = {"a": True, "b": True, "c": False, "d": False, "e": True, "f": False}'),
    right("ex1_trend", "by-hand-numpy-bools", """\
import numpy as np
search_multiple = 1 + facts.value("000_pet_water_dispenser_search_growth") / 100
gmv_multiple = (100 + facts.value("000_pet_water_dispenser_gmv_growth")) / 100
gmv_per_search_multiple = gmv_multiple / search_multiple
shows = dict(zip("abcdef", np.array([True, True, gmv_multiple > search_multiple, gmv_per_search_multiple > 1, False, False])))"""),
    wrong("ex2_sell_through", "percent", """\
trials["sell_through"] = trials["units_sold_14d"] / trials["first_order_units"] * 100
first_orders_ok = bool((trials["first_order_units"] < 500).all() and (trials["days_observed"] == 14).all())"""),
    wrong("ex2_sell_through", "inverted", """\
trials["sell_through"] = trials["first_order_units"] / trials["units_sold_14d"]
first_orders_ok = True"""),
    wrong("ex2_sell_through", "at-most-the-limit", SELL + """\
limit = facts.value("000_first_order_volume_limit")
first_orders_ok = not bool((trials["first_order_units"] <= limit).all())"""),
    wrong("ex2_sell_through", "rounded-to-two-decimals", """\
trials["sell_through"] = (trials["units_sold_14d"] / trials["first_order_units"]).round(2)
first_orders_ok = bool((trials["first_order_units"] < 500).all() and (trials["days_observed"] == 14).all())"""),
    right("ex2_sell_through", "rounded-to-three-decimals", """\
trials["sell_through"] = (trials["units_sold_14d"] / trials["first_order_units"]).astype(float).round(3)
first_orders_ok = (trials["first_order_units"].max() < facts.value("000_first_order_volume_limit")
                   and set(trials["days_observed"]) == {facts.value("000_test_sales_window_days")})"""),
    wrong("ex3_rule", "masks-swapped", RULE.replace('loc[is_blockbuster, "sell_through"].min()', 'loc[~is_blockbuster, "sell_through"].min()')
          + """\
blockbuster_threshold, reorder_threshold = 0.8, 0.5
median_multiple_other = reorder_multiple[~is_blockbuster & trials["reordered"]].median()"""),
    wrong("ex3_rule", "thresholds-swapped", RULE + """\
blockbuster_threshold, reorder_threshold = 0.5, 0.8
median_multiple_other = reorder_multiple[~is_blockbuster & trials["reordered"]].median()"""),
    wrong("ex3_rule", "never-reordered-kept", RULE + """\
blockbuster_threshold, reorder_threshold = 0.8, 0.5
median_multiple_other = reorder_multiple.fillna(0)[~is_blockbuster].median()"""),
    wrong("ex3_rule", "mean-not-median", RULE.replace("median_multiple_blockbuster = reorder_multiple[is_blockbuster].median()",
                                                      "median_multiple_blockbuster = reorder_multiple[is_blockbuster].mean()") + """\
blockbuster_threshold, reorder_threshold = 0.8, 0.5
median_multiple_other = reorder_multiple[~is_blockbuster & trials["reordered"]].median()"""),
    right("ex3_rule", "sorted-values-and-ints", """\
blockbuster_min = sorted(trials.loc[trials["blockbuster"] == True, "sell_through"])[0]
other_max = sorted(trials.loc[trials["blockbuster"] == False, "sell_through"])[-1]
reorder_min = trials.query("reordered")["sell_through"].min()
blockbuster_threshold, reorder_threshold = 4 / 5, 1 / 2
multiple = trials["reorder_units"].astype(float) / trials["first_order_units"].astype(float)
median_multiple_blockbuster = float(multiple[trials["blockbuster"] == True].median())
median_multiple_other = float(multiple[(trials["blockbuster"] == False) & trials["reordered"]].dropna().median())"""),
    wrong("ex4_rates", "shares-not-percent", """\
rates = trials.groupby(["merchant_type", "year"], observed=True)["blockbuster"].mean().unstack("year")"""),
    wrong("ex4_rates", "counts-not-rates", """\
rates = trials.groupby(["merchant_type", "year"], observed=True)["blockbuster"].sum().unstack("year") * 1.0"""),
    wrong("ex4_rates", "reorder-rate", """\
rates = trials.groupby(["merchant_type", "year"], observed=True)["reordered"].mean().mul(100).unstack("year")"""),
    right("ex4_rates", "pivot-table", """\
rates = trials.assign(b=trials["blockbuster"].astype(float) * 100).pivot_table(
    index="merchant_type", columns="year", values="b", aggfunc="mean", observed=True)"""),
    wrong("ex5_stated", "empty-2024-kept", """\
stated = figure2.pivot(index="merchant_type", columns="year", values="blockbuster_rate_percent")
max_abs_gap = (rates - stated).abs().max().max()"""),
    wrong("ex5_stated", "transposed", """\
stated = figure2[figure2["status"] == "stated"].pivot(index="year", columns="merchant_type", values="blockbuster_rate_percent")
max_abs_gap = (rates - stated.T).abs().max().max()"""),
    right("ex5_stated", "dropna-and-loop", """\
stated = figure2.dropna(subset=["blockbuster_rate_percent"]).pivot(
    index="merchant_type", columns="year", values="blockbuster_rate_percent")
max_abs_gap = max(abs(rates.loc[m, y] - stated.loc[m, y]) for m in stated.index for y in stated.columns)"""),
    wrong("ex6_growth", "relative-to-2025", """\
change = stated[2025] - stated[2023]
growth = pd.DataFrame({"points": change, "relative_pct": change / stated[2025] * 100})
lower_in_points = True
lower_in_relative = False"""),
    wrong("ex6_growth", "relative-claim-wrong", """\
change = stated[2025] - stated[2023]
growth = pd.DataFrame({"points": change, "relative_pct": change / stated[2023] * 100})
lower_in_points = True
lower_in_relative = True"""),
    right("ex6_growth", "multiples-minus-one", """\
growth = pd.DataFrame({"relative_pct": (stated[2025] / stated[2023] - 1) * 100,
                       "points": stated[2025] - stated[2023]})
lower_in_points = growth["points"]["non_hosting"] < growth["points"]["full_hosting"]
lower_in_relative = growth["relative_pct"]["non_hosting"] < growth["relative_pct"]["full_hosting"]"""),
    wrong("ex7_gap", "rows-not-values", """\
given_2024 = int((figure2["year"] == 2024).sum())
points_per_year = (stated[2025] - stated[2023]) / (2025 - 2023)"""),
    wrong("ex7_gap", "over-three-years", """\
given_2024 = 0
points_per_year = (stated[2025] - stated[2023]) / 3"""),
    right("ex7_gap", "count-and-diff", """\
given_2024 = figure2.query("year == 2024")["blockbuster_rate_percent"].count()
points_per_year = stated.diff(axis=1)[2025] / 2"""),
    wrong("ex8_tiered_price", "no-guard", "def tiered_price(reference_price, share_percent):\n    return reference_price * share_percent / 100"),
    wrong("ex8_tiered_price", "guard-for-zero-only", """\
def tiered_price(reference_price, share_percent):
    if reference_price == 0 or share_percent == 0:
        raise ValueError("zero")
    return reference_price * share_percent / 100"""),
    wrong("ex8_tiered_price", "share-as-fraction", GUARDED + "    return reference_price * share_percent"),
    wrong("ex8_tiered_price", "discount-not-share", GUARDED + "    return reference_price * (1 - share_percent / 100)"),
    wrong("ex8_tiered_price", "rounded-to-cents", GUARDED + "    return round(reference_price * share_percent / 100, 2)"),
    right("ex8_tiered_price", "min-guard", """\
def tiered_price(reference_price, share_percent):
    if min(reference_price, share_percent) <= 0:
        raise ValueError(f"need positive numbers, got {reference_price} and {share_percent}")
    return share_percent / 100 * reference_price"""),
    wrong("ex9_prices", "discount-is-the-share", PRICES.replace("100 - share_of_amazon", "share_of_amazon") + """\
litter_box_price = tiered_price(example_independent_site_price, 100 - facts.value("000_litter_box_price_vs_independent_sites"))"""),
    wrong("ex9_prices", "lower-read-as-share", PRICES + """\
litter_box_price = tiered_price(example_independent_site_price, facts.value("000_litter_box_price_vs_independent_sites"))"""),
    right("ex9_prices", "by-hand", """\
basic_discount_pct = 100 - facts.value("000_basic_model_price_vs_amazon")
basic_price = example_amazon_price * facts.value("000_basic_model_price_vs_amazon") / 100
litter_box_price = example_independent_site_price * (1 - facts.value("000_litter_box_price_vs_independent_sites") / 100)"""),
    wrong("ex10_levers", "every-value-a-share", LEVERS + 'levers = levers.assign(multiple=levers["value"] / 100)'),
    wrong("ex10_levers", "a-cut-as-a-rise", LEVERS + """\
levers = levers.assign(multiple=[v / 100 if m == "price_relative_to_amazon" else 1 + v / 100
                                 for m, v in zip(levers["metric"], levers["value"])])"""),
    wrong("ex10_levers", "lost-order", """\
levers = all_facts[all_facts["id"].isin(pricing_ids)].set_index("id")[["metric", "value"]]
levers = levers.assign(multiple=[{"price_relative_to_amazon": v / 100, "average_order_value_change": 1 + v / 100}.get(m, 1 - v / 100)
                                 for m, v in zip(levers["metric"], levers["value"])])"""),
    right("ex10_levers", "a-function-and-apply", LEVERS + """\
def multiple(row):
    if row["metric"] == "price_relative_to_amazon":
        return row["value"] / 100
    if row["metric"] == "average_order_value_change":
        return (100 + row["value"]) / 100
    return (100 - row["value"]) / 100
levers["multiple"] = levers.apply(multiple, axis=1)"""),
    wrong("ex11_plot", "years-as-series", "fig, ax = plt.subplots()\nrates.plot.bar(ax=ax)\n" + PLOT_END),
    wrong("ex11_plot", "shares-not-percent", "fig, ax = plt.subplots()\n(rates.T / 100).plot.bar(ax=ax)\n" + PLOT_END),
    wrong("ex11_plot", "not-said-synthetic", """\
fig, ax = plt.subplots()
rates.T.plot.bar(ax=ax)
ax.set_ylabel("Blockbuster rate (%)")
ax.set_title("Blockbuster rate by merchant type")"""),
    right("ex11_plot", "matplotlib-bars", """\
fig, ax = plt.subplots()
for offset, merchant_type in [(-0.2, "non_hosting"), (0.2, "full_hosting")]:
    ax.bar([str(y) + (" " * (offset > 0)) for y in rates.columns], rates.loc[merchant_type], label=merchant_type, alpha=0.7)
ax.legend()
""" + PLOT_END),
]
