from course.instructor.visible_checks import key, right, wrong

CASE = "case6_challenges"
SHARES = """\
brazil_share = facts.value("000_brazil_compliance_cost_share")
sea_share = brazil_share - facts.value("000_brazil_compliance_cost_gap_vs_sea")
"""
TARGET = """\
cut_pct = facts.value("000_compliance_cost_reduction_target")
brazil_after = brazil_share * (1 - cut_pct / 100)
"""
TABLE = """\
compliance = pd.DataFrame({"now": [brazil_share, sea_share], "after_target": [brazil_after, sea_share]},
                          index=["Brazil", "Southeast Asia"])
"""
MARGIN = """\
def margin_change(price, costs, fee_before, fee_after):
    if price <= 0 or not 0 <= fee_before <= 1 or not 0 <= fee_after <= 1:
        raise ValueError("bad input")
"""
FEES = """\
fee_before = facts.value("000_transaction_fee_before") / 100
fee_after = facts.value("000_transaction_fee_target") / 100
claimed_points = facts.value("000_net_margin_gain_fee_cut")
"""
WHAT_IF = key(CASE, "ex6_what_if")
PAYMENTS = key(CASE, "ex7_payments")
GREEN = key(CASE, "ex8_green")
PLOT_END = """\
ax.set_xlabel("Compliance costs (% of sales price)")
ax.set_title("Compliance costs now and after the target")
"""

ENTRIES = [
    wrong("ex1_points_percent", "gap-as-percent", SHARES.replace(
        'brazil_share - facts.value("000_brazil_compliance_cost_gap_vs_sea")',
        'brazil_share / (1 + facts.value("000_brazil_compliance_cost_gap_vs_sea") / 100)') + """\
brazil_vs_sea_times = brazil_share / sea_share
brazil_vs_sea_pct_higher = (brazil_share - sea_share) / sea_share * 100"""),
    wrong("ex1_points_percent", "points-for-percent", SHARES + """\
brazil_vs_sea_times = brazil_share / sea_share
brazil_vs_sea_pct_higher = brazil_share - sea_share + 0.0"""),
    wrong("ex1_points_percent", "percent-of-brazil", SHARES + """\
brazil_vs_sea_times = brazil_share / sea_share
brazil_vs_sea_pct_higher = (brazil_share - sea_share) / brazil_share * 100"""),
    wrong("ex1_points_percent", "times-minus-one-as-times", SHARES + """\
brazil_vs_sea_times = brazil_share / sea_share - 1
brazil_vs_sea_pct_higher = (brazil_share - sea_share) / sea_share * 100"""),
    right("ex1_points_percent", "from-the-times", """\
brazil_share = int(facts.value("000_brazil_compliance_cost_share"))
sea_share = brazil_share - int(facts.value("000_brazil_compliance_cost_gap_vs_sea"))
brazil_vs_sea_times = brazil_share / sea_share
brazil_vs_sea_pct_higher = (brazil_vs_sea_times - 1) * 100"""),
    wrong("ex2_target", "minus-forty-points", """\
cut_pct = facts.value("000_compliance_cost_reduction_target")
brazil_after = brazil_share - cut_pct
""" + TABLE + "gap_after_points = brazil_after - sea_share"),
    wrong("ex2_target", "forty-percent-kept", """\
cut_pct = facts.value("000_compliance_cost_reduction_target")
brazil_after = brazil_share * cut_pct / 100
""" + TABLE + "gap_after_points = brazil_after - sea_share"),
    wrong("ex2_target", "sea-cut-too", TARGET + """\
compliance = pd.DataFrame({"now": [brazil_share, sea_share], "after_target": [brazil_after, sea_share * 0.6]},
                          index=["Brazil", "Southeast Asia"])
gap_after_points = brazil_after - sea_share"""),
    wrong("ex2_target", "gap-in-percent", TARGET + TABLE + "gap_after_points = (brazil_after - sea_share) / sea_share * 100"),
    right("ex2_target", "dict-of-rows-ints", """\
brazil_after = brazil_share * 0.6
compliance = pd.DataFrame.from_dict({"Southeast Asia": {"after_target": sea_share, "now": sea_share},
                                     "Brazil": {"after_target": brazil_after, "now": brazil_share}}, orient="index")
gap_after_points = compliance.loc["Brazil", "after_target"] - compliance.loc["Southeast Asia", "after_target"]"""),
    wrong("ex3_plot", "one-series", "fig, ax = plt.subplots()\ncompliance[['now']].plot.barh(ax=ax)\n" + PLOT_END),
    wrong("ex3_plot", "series-swapped", """\
fig, ax = plt.subplots()
compliance.rename(columns={"now": "after_target", "after_target": "now"}).plot.barh(ax=ax)
""" + PLOT_END),
    wrong("ex3_plot", "no-unit", 'fig, ax = plt.subplots()\ncompliance.plot.barh(ax=ax)\nax.set_title("Compliance costs")'),
    right("ex3_plot", "vertical-after-first", """\
fig, ax = plt.subplots()
compliance[["after_target", "now"]].plot.bar(ax=ax, rot=0)
ax.set_ylabel("% of the sales price")
ax.set_title("Compliance costs now and after the target")"""),
    wrong("ex4_margin_change", "no-guard", """\
def margin_change(price, costs, fee_before, fee_after):
    return (fee_before - fee_after) * 100"""),
    wrong("ex4_margin_change", "fee-guard-above-one-only", """\
def margin_change(price, costs, fee_before, fee_after):
    if fee_before > 1 or fee_after > 1:
        raise ValueError("fee rates are fractions")
    return (fee_before - fee_after) * 100"""),
    wrong("ex4_margin_change", "before-minus-after", MARGIN + """\
    margin = lambda fee: (price - fee * price - costs) / price * 100
    return margin(fee_before) - margin(fee_after)"""),
    wrong("ex4_margin_change", "margin-in-usd", MARGIN + """\
    margin = lambda fee: price - fee * price - costs
    return margin(fee_after) - margin(fee_before)"""),
    wrong("ex4_margin_change", "costs-above-price-refused", MARGIN + """\
    if costs > price:
        raise ValueError("costs above the price")
    return (fee_before - fee_after) * 100"""),
    right("ex4_margin_change", "the-fee-difference", """\
def margin_change(price, costs, fee_before, fee_after):
    if not price > 0:
        raise ValueError("price must be positive")
    if not (0 <= fee_before <= 1 and 0 <= fee_after <= 1):
        raise ValueError("fee rates are fractions from 0 to 1")
    return 100 * (fee_before - fee_after)"""),
    wrong("ex5_claim", "percent-fees", FEES + """\
fee_gain_points = margin_change(challenges.EXAMPLE_PRICE, challenges.EXAMPLE_COSTS, 0.025, 0.008) * 100
best_case_points = margin_change(challenges.EXAMPLE_PRICE, challenges.EXAMPLE_COSTS, fee_before, 0.0)
claim_holds = claimed_points <= best_case_points"""),
    wrong("ex5_claim", "claim-holds", FEES + """\
fee_gain_points = margin_change(challenges.EXAMPLE_PRICE, challenges.EXAMPLE_COSTS, fee_before, fee_after)
best_case_points = margin_change(challenges.EXAMPLE_PRICE, challenges.EXAMPLE_COSTS, fee_before, 0.0)
claim_holds = True"""),
    wrong("ex5_claim", "best-case-is-the-cut", FEES + """\
fee_gain_points = margin_change(challenges.EXAMPLE_PRICE, challenges.EXAMPLE_COSTS, fee_before, fee_after)
best_case_points = fee_gain_points
claim_holds = claimed_points <= best_case_points"""),
    right("ex5_claim", "numpy-bool", FEES + """\
import numpy as np
fee_gain_points = margin_change(20, 17, fee_before, fee_after)
best_case_points = margin_change(20, 17, fee_before, 0)
claim_holds = np.float64(claimed_points) <= best_case_points"""),
    wrong("ex6_what_if", "cost-cut-in-points", WHAT_IF.replace(
        "cost_cut_usd = extra_points_needed / 100 * challenges.EXAMPLE_PRICE", "cost_cut_usd = extra_points_needed")),
    wrong("ex6_what_if", "relative-inverted", WHAT_IF.replace(
        "margin_if_relative = fee_gain_points / claimed_points * 100", "margin_if_relative = claimed_points / fee_gain_points")),
    wrong("ex6_what_if", "extra-is-the-claim", WHAT_IF.replace(
        "extra_points_needed = claimed_points - fee_gain_points", "extra_points_needed = claimed_points")),
    right("ex6_what_if", "by-hand", """\
extra_points_needed = 6 - 1.7
cost_cut_usd = 20 * extra_points_needed / 100
margin_if_relative = 100 * 1.7 / 6"""),
    wrong("ex7_payments", "fractions", PAYMENTS.replace(
        'normalize="index") * 100', 'normalize="index")').replace(
        'card_latin_america = method_shares.loc["Latin America", "credit_card"]',
        'card_latin_america = method_shares.loc["Latin America", "credit_card"] * 100')),
    wrong("ex7_payments", "normalized-by-method", PAYMENTS.replace('normalize="index"', 'normalize="columns"')),
    wrong("ex7_payments", "pix-only", PAYMENTS.replace('["pix", "oxxo"]].sum()', '"pix"]')),
    wrong("ex7_payments", "transposed", PAYMENTS.replace(
        'pd.crosstab(payments["region"], payments["method"], normalize="index") * 100',
        '(pd.crosstab(payments["region"], payments["method"], normalize="index") * 100).T').replace(
        'method_shares.loc["Middle East", "cash_on_delivery"]', 'method_shares.loc["cash_on_delivery", "Middle East"]').replace(
        'method_shares.loc["Latin America", "credit_card"]', 'method_shares.loc["credit_card", "Latin America"]').replace(
        'method_shares.loc["Latin America", ["pix", "oxxo"]].sum()', 'method_shares.loc[["pix", "oxxo"], "Latin America"].sum()')),
    right("ex7_payments", "value-counts-with-gaps", """\
method_shares = (payments.groupby("region", observed=True)["method"].value_counts(normalize=True)
                 .mul(100).unstack("method"))
method_shares = method_shares.where(method_shares > 0)
cod_middle_east = method_shares.loc["Middle East", "cash_on_delivery"]
card_latin_america = method_shares.loc["Latin America", "credit_card"]
local_latin_america = method_shares.loc["Latin America", "pix"] + method_shares.loc["Latin America", "oxxo"]"""),
    wrong("ex8_green", "a-fraction", GREEN.replace(
        "growth_needed_pct = ((target_share / start_share) ** (1 / years) - 1) * 100",
        "growth_needed_pct = (target_share / start_share) ** (1 / years) - 1").replace(
        "(1 + growth_needed_pct / 100)", "(1 + growth_needed_pct)")),
    wrong("ex8_green", "linear-growth", GREEN.replace(
        "growth_needed_pct = ((target_share / start_share) ** (1 / years) - 1) * 100",
        "growth_needed_pct = (target_share / start_share - 1) / years * 100")),
    wrong("ex8_green", "target-year-left-out", GREEN.replace("range(base_year, target_year + 1)", "range(base_year, target_year)")),
    wrong("ex8_green", "points-over-one-year-more", GREEN.replace(
        "points_per_year = (target_share - start_share) / years", "points_per_year = (target_share - start_share) / (years + 1)")),
    right("ex8_green", "a-loop-path", """\
target = facts.fact("000_green_product_share_target")
years = int(target["period"]) - challenges.ASSUMED_BASE_YEAR
multiple = (target["value"] / challenges.ASSUMED_GREEN_SHARE) ** (1 / years)
growth_needed_pct = 100 * (multiple - 1)
points_per_year = (target["value"] - challenges.ASSUMED_GREEN_SHARE) / years
path, share = {}, challenges.ASSUMED_GREEN_SHARE
for year in range(challenges.ASSUMED_BASE_YEAR, int(target["period"]) + 1):
    path[str(year)] = share
    share *= multiple
green_share_path = pd.Series(path)"""),
    wrong("ex9_ar", "one-section", """\
ar_claims = all_facts[(all_facts["metric"] == "return_rate_change") & (all_facts["section"] == "6.1")]
ar_gap = ar_claims["value"].max() - ar_claims["value"].min()"""),
    wrong("ex9_ar", "mean-not-range", """\
ar_claims = all_facts[all_facts["metric"] == "return_rate_change"]
ar_gap = ar_claims["value"].max() - ar_claims["value"].mean()"""),
    right("ex9_ar", "query-and-ptp", """\
import numpy as np
ar_claims = all_facts.query("metric == 'return_rate_change'")
ar_gap = float(np.ptp(ar_claims["value"].to_numpy()))"""),
]
