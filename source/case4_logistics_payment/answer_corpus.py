from course.instructor.visible_checks import right, wrong

TRUNK = """\
sea_days = facts.value("000_transit_days_east_asia_europe_before")
trunk_days = facts.value("000_transit_days_east_asia_europe_after")
trunk_speed_up = market.speed_up(sea_days, trunk_days)
trunk_days_saved = sea_days - trunk_days
"""
SEA = 'sea_after = deliveries[(deliveries["region"] == "Southeast Asia") & (deliveries["period"] == "after")]\n'
TIMED = """\
timed = deliveries.dropna(subset=["delivery_hours"])
timed = timed.assign(delivery_days=timed["delivery_hours"].astype(float) / 24)
"""
GAINS = """\
means = summary["mean_days"].unstack("period")
synthetic_gains = market.add_gains(pd.DataFrame({"before_days": means["before"], "after_days": means["after"]}))
synthetic_gains.index = synthetic_gains.index.astype(str)
"""
POP = """\
sea_timed = timed[(timed["region"] == "Southeast Asia") & (timed["period"] == "after")]
stated_range = facts.fact("000_delivery_days_southeast_asia_after")
patpat = deliveries[deliveries["campaign"] == "PatPat Ramadan 2025"]
"""
SETTLE = """\
t_plus = facts.value("000_settlement_cycle_days")
faster = facts.value("000_settlement_speedup_vs_swift") / 100
swift_days_less_time = t_plus / (1 - faster)
swift_days_more_speed = t_plus * (1 + faster)
"""
FRAUD = 'fraud_by_period = payments.groupby("period", observed=True)["fraud"].mean().astype(float) * 100\n'
BY_MARKET = """\
fraud_by_market = (payments.groupby(["market", "period"], observed=True)["fraud"].mean().astype(float).mul(100)
                   .unstack("period")[["before", "after"]])
"""
PLOT_END = """\
ax.set_xlabel("Fraud rate (% of payments)")
ax.set_title("Fraud rate by market (SYNTHETIC payments)")
"""
COVERAGE = """\
middle_east = payments[payments["region"] == "Middle East"]
latin_america = payments[payments["region"] == "Latin America"]
"""
LANDED = """\
def landed_cost(price, shipping, tax_rate=0.60, platform_prepays=0.0):
    if price < 0 or shipping < 0:
        raise ValueError("negative")
    if not 0 <= tax_rate <= 1 or not 0 <= platform_prepays <= 1:
        raise ValueError("fractions")
"""
READINGS = """\
rate = facts.value("000_brazil_comprehensive_tax_rate") / 100
share = facts.value("000_tax_prepaid_share_brazil") / 100
share_reading = landed_cost(20, 5, rate, share)
whole_reading = landed_cost(20, 5, rate, 1.0)
"""

ENTRIES = [
    wrong("ex1_trunk", "speed-up-inverted", """\
sea_days = facts.value("000_transit_days_east_asia_europe_before")
trunk_days = facts.value("000_transit_days_east_asia_europe_after")
trunk_speed_up = trunk_days / sea_days
trunk_days_saved = sea_days - trunk_days
kazakhstan_parcels_per_year = facts.value("000_kazakhstan_charter_parcels") * 365
korea_flights_per_year = facts.value("000_korea_freight_flights") * 52"""),
    wrong("ex1_trunk", "per-day-taken-as-per-week", TRUNK + """\
kazakhstan_parcels_per_year = facts.value("000_kazakhstan_charter_parcels") * 52
korea_flights_per_year = facts.value("000_korea_freight_flights") * 52"""),
    wrong("ex1_trunk", "days-in-a-year-for-flights", TRUNK + """\
kazakhstan_parcels_per_year = facts.value("000_kazakhstan_charter_parcels") * 365
korea_flights_per_year = facts.value("000_korea_freight_flights") * 365"""),
    wrong("ex1_trunk", "a-leap-year-of-weeks", TRUNK + """\
kazakhstan_parcels_per_year = facts.value("000_kazakhstan_charter_parcels") * 365.25
korea_flights_per_year = facts.value("000_korea_freight_flights") * 365.25 / 7"""),
    right("ex1_trunk", "by-division-ints", """\
trunk_speed_up = facts.value("000_transit_days_east_asia_europe_before") / facts.value("000_transit_days_east_asia_europe_after")
trunk_days_saved = int(facts.value("000_transit_days_east_asia_europe_before") - facts.value("000_transit_days_east_asia_europe_after"))
kazakhstan_parcels_per_year = int(facts.value("000_kazakhstan_charter_parcels")) * 365
korea_flights_per_year = int(facts.value("000_korea_freight_flights")) * 52"""),
    wrong("ex2_local_share", "a-fraction", SEA + """\
sea_local_pct = (sea_after["fulfilment"] == "local_warehouse").mean()
regular = sea_after[sea_after["campaign"].isna()]
sea_local_pct_regular = (regular["fulfilment"] == "local_warehouse").mean() * 100
more_than_60_regular = bool(sea_local_pct_regular > 60)"""),
    wrong("ex2_local_share", "both-periods", """\
sea = deliveries[deliveries["region"] == "Southeast Asia"]
sea_local_pct = (sea["fulfilment"] == "local_warehouse").mean() * 100
regular = sea[sea["campaign"].isna()]
sea_local_pct_regular = (regular["fulfilment"] == "local_warehouse").mean() * 100
more_than_60_regular = bool(sea_local_pct_regular > 60)"""),
    wrong("ex2_local_share", "campaign-kept", SEA + """\
sea_local_pct = (sea_after["fulfilment"] == "local_warehouse").mean() * 100
sea_local_pct_regular = sea_local_pct
more_than_60_regular = bool(sea_local_pct_regular > 60)"""),
    wrong("ex2_local_share", "verdict-wrong", SEA + """\
sea_local_pct = (sea_after["fulfilment"] == "local_warehouse").mean() * 100
regular = sea_after[sea_after["campaign"].isna()]
sea_local_pct_regular = (regular["fulfilment"] == "local_warehouse").mean() * 100
more_than_60_regular = not bool(sea_local_pct_regular > 60)"""),
    right("ex2_local_share", "value-counts", SEA + """\
sea_local_pct = sea_after["fulfilment"].value_counts(normalize=True)["local_warehouse"] * 100
regular = sea_after[sea_after["campaign"].isna()]
sea_local_pct_regular = 100 * (regular["fulfilment"] == "local_warehouse").sum() / len(regular)
more_than_60_regular = sea_local_pct_regular > 60"""),
    wrong("ex3_summary", "hours-not-days", """\
timed = deliveries.dropna(subset=["delivery_hours"])
summary = timed.groupby(["region", "period"], observed=True)["delivery_hours"].agg(mean_days="mean", median_days="median")"""),
    wrong("ex3_summary", "missing-times-as-zero", """\
timed = deliveries.assign(delivery_days=deliveries["delivery_hours"].fillna(0).astype(float) / 24)
summary = timed.groupby(["region", "period"], observed=True)["delivery_days"].agg(mean_days="mean", median_days="median")"""),
    wrong("ex3_summary", "mean-twice", TIMED + """\
summary = timed.groupby(["region", "period"], observed=True)["delivery_days"].agg(mean_days="mean", median_days="mean")"""),
    right("ex3_summary", "named-columns-other-order", TIMED + """\
grouped = timed.groupby(["region", "period"], observed=True)["delivery_days"]
summary = pd.DataFrame({"median_days": grouped.median(), "mean_days": grouped.mean()})"""),
    wrong("ex4_gains", "medians", """\
medians = summary["median_days"].unstack("period")
synthetic_gains = market.add_gains(pd.DataFrame({"before_days": medians["before"], "after_days": medians["after"]}))
synthetic_gains.index = synthetic_gains.index.astype(str)
off_most_region = str((synthetic_gains["speed_up"] - stated_gains["speed_up"]).abs().idxmax())"""),
    wrong("ex4_gains", "smallest-gap", GAINS + """\
off_most_region = str((synthetic_gains["speed_up"] - stated_gains["speed_up"]).abs().idxmin())"""),
    wrong("ex4_gains", "periods-swapped", """\
means = summary["mean_days"].unstack("period")
synthetic_gains = market.add_gains(pd.DataFrame({"before_days": means["after"], "after_days": means["before"]}))
synthetic_gains.index = synthetic_gains.index.astype(str)
off_most_region = str((synthetic_gains["speed_up"] - stated_gains["speed_up"]).abs().idxmax())"""),
    right("ex4_gains", "by-hand", """\
means = summary["mean_days"].unstack("period")
synthetic_gains = pd.DataFrame({"before_days": means["before"], "after_days": means["after"]})
synthetic_gains["days_saved"] = synthetic_gains["before_days"] - synthetic_gains["after_days"]
synthetic_gains["speed_up"] = synthetic_gains["before_days"] / synthetic_gains["after_days"]
gap = (synthetic_gains["speed_up"] - stated_gains["speed_up"]).abs().dropna()
off_most_region = gap.sort_values().index[-1]"""),
    wrong("ex5_population", "all-fulfilment", POP + """\
sea_cross_border_days = sea_timed["delivery_days"].mean()
in_stated_range = bool(stated_range["value"] <= sea_cross_border_days <= stated_range["value_high"])
patpat_within_48h_pct = (patpat["delivery_hours"] <= 48).mean() * 100
sea_within_48h_pct = (sea_timed["delivery_hours"] <= 48).mean() * 100"""),
    wrong("ex5_population", "in-range-wrong", POP + """\
sea_cross_border_days = sea_timed.loc[sea_timed["fulfilment"] == "cross_border", "delivery_days"].mean()
in_stated_range = not bool(stated_range["value"] <= sea_cross_border_days <= stated_range["value_high"])
patpat_within_48h_pct = (patpat["delivery_hours"] <= 48).mean() * 100
sea_within_48h_pct = (sea_timed["delivery_hours"] <= 48).mean() * 100"""),
    wrong("ex5_population", "strictly-under-48", POP + """\
sea_cross_border_days = sea_timed.loc[sea_timed["fulfilment"] == "cross_border", "delivery_days"].mean()
in_stated_range = bool(stated_range["value"] <= sea_cross_border_days <= stated_range["value_high"])
patpat_within_48h_pct = (patpat["delivery_hours"] < 48).mean() * 100
sea_within_48h_pct = (sea_timed["delivery_hours"] < 48).mean() * 100"""),
    wrong("ex5_population", "campaign-left-out", POP + """\
sea_cross_border_days = sea_timed.loc[sea_timed["fulfilment"] == "cross_border", "delivery_days"].mean()
in_stated_range = bool(stated_range["value"] <= sea_cross_border_days <= stated_range["value_high"])
patpat_within_48h_pct = (patpat["delivery_hours"] <= 48).mean() * 100
sea_within_48h_pct = (sea_timed.loc[sea_timed["campaign"].isna(), "delivery_hours"] <= 48).mean() * 100"""),
    right("ex5_population", "query-and-between", """\
sea_timed = timed.query("region == 'Southeast Asia' and period == 'after'")
sea_cross_border_days = sea_timed.query("fulfilment == 'cross_border'")["delivery_hours"].astype(float).mean() / 24
low, high = facts.fact("000_delivery_days_southeast_asia_after")[["value", "value_high"]]
in_stated_range = low <= sea_cross_border_days <= high
patpat_within_48h_pct = 100 * deliveries.loc[deliveries["campaign"] == "PatPat Ramadan 2025", "delivery_hours"].le(48).mean()
sea_within_48h_pct = 100 * sea_timed["delivery_hours"].le(48).mean()"""),
    wrong("ex6_settlement", "readings-swapped", """\
t_plus = facts.value("000_settlement_cycle_days")
faster = facts.value("000_settlement_speedup_vs_swift") / 100
swift_days_less_time = t_plus * (1 + faster)
swift_days_more_speed = t_plus / (1 - faster)
settlement_means = payments.groupby("period", observed=True)["settlement_days"].mean().astype(float)
settlement_cut_pct = market.percent_reduction(settlement_means["before"], settlement_means["after"])"""),
    wrong("ex6_settlement", "less-time-as-seventy-percent", """\
t_plus = facts.value("000_settlement_cycle_days")
faster = facts.value("000_settlement_speedup_vs_swift") / 100
swift_days_less_time = t_plus / faster
swift_days_more_speed = t_plus * (1 + faster)
settlement_means = payments.groupby("period", observed=True)["settlement_days"].mean().astype(float)
settlement_cut_pct = market.percent_reduction(settlement_means["before"], settlement_means["after"])"""),
    wrong("ex6_settlement", "cut-reversed", SETTLE + """\
settlement_means = payments.groupby("period", observed=True)["settlement_days"].mean().astype(float)
settlement_cut_pct = market.percent_reduction(settlement_means["after"], settlement_means["before"])"""),
    wrong("ex6_settlement", "medians", SETTLE + """\
settlement_means = payments.groupby("period", observed=True)["settlement_days"].median().astype(float)
settlement_cut_pct = market.percent_reduction(settlement_means["before"], settlement_means["after"])"""),
    right("ex6_settlement", "by-hand", """\
swift_days_less_time = 1 / 0.3
swift_days_more_speed = 1.7
before = payments.loc[payments["period"] == "before", "settlement_days"].astype(float).mean()
after = payments.loc[payments["period"] == "after", "settlement_days"].astype(float).mean()
settlement_means = pd.Series({"after": after, "before": before})
settlement_cut_pct = (before - after) / before * 100"""),
    wrong("ex7_fraud", "fractions", """\
fraud_by_period = payments.groupby("period", observed=True)["fraud"].mean().astype(float)
fraud_cut_points = fraud_by_period["before"] - fraud_by_period["after"]
fraud_cut_pct = market.percent_reduction(fraud_by_period["before"], fraud_by_period["after"])"""),
    wrong("ex7_fraud", "points-and-percent-swapped", FRAUD + """\
fraud_cut_pct = fraud_by_period["before"] - fraud_by_period["after"]
fraud_cut_points = market.percent_reduction(fraud_by_period["before"], fraud_by_period["after"])"""),
    wrong("ex7_fraud", "percent-of-after", FRAUD + """\
fraud_cut_points = fraud_by_period["before"] - fraud_by_period["after"]
fraud_cut_pct = fraud_cut_points / fraud_by_period["after"] * 100"""),
    right("ex7_fraud", "crosstab", """\
fraud_by_period = pd.crosstab(payments["period"], payments["fraud"], normalize="index")[True] * 100
fraud_cut_points = float(fraud_by_period["before"] - fraud_by_period["after"])
fraud_cut_pct = 100 * fraud_cut_points / fraud_by_period["before"]"""),
    wrong("ex8_fraud_market", "fractions", """\
fraud_by_market = payments.groupby(["market", "period"], observed=True)["fraud"].mean().astype(float).unstack("period")[["before", "after"]]
fig, ax = plt.subplots()
(fraud_by_market * 100).plot.barh(ax=ax)
""" + PLOT_END),
    wrong("ex8_fraud_market", "by-region", """\
fraud_by_market = (payments.groupby(["region", "period"], observed=True)["fraud"].mean().astype(float).mul(100)
                   .unstack("period")[["before", "after"]])
fig, ax = plt.subplots()
fraud_by_market.plot.barh(ax=ax)
""" + PLOT_END),
    wrong("ex8_fraud_market", "counts-plotted", BY_MARKET + """\
fig, ax = plt.subplots()
payments.groupby(["market", "period"], observed=True)["fraud"].sum().astype(float).unstack("period")[["before", "after"]].plot.barh(ax=ax)
""" + PLOT_END),
    wrong("ex8_fraud_market", "no-unit", BY_MARKET + """\
fig, ax = plt.subplots()
fraud_by_market.plot.barh(ax=ax)
ax.set_title("Fraud rate by market")"""),
    right("ex8_fraud_market", "pivot-table-vertical", """\
fraud_by_market = payments.assign(fraud=payments["fraud"].astype(float) * 100).pivot_table(
    index="market", columns="period", values="fraud", aggfunc="mean", observed=True)[["after", "before"]]
fig, ax = plt.subplots()
fraud_by_market.plot.bar(ax=ax)
ax.set_ylabel("Fraud rate (%)")
ax.set_title("Fraud rate by market")"""),
    wrong("ex9_coverage", "fractions", COVERAGE + """\
me_cod_pct = (middle_east["method"] == "cash_on_delivery").mean()
latam_card_pct = (latin_america["method"] == "credit_card").mean()
me_non_cod_ceiling = 100 - facts.value("000_middle_east_cod_share")
coverage_as_usage_possible = facts.value("000_local_payment_coverage") <= me_non_cod_ceiling"""),
    wrong("ex9_coverage", "coverage-possible", COVERAGE + """\
me_cod_pct = (middle_east["method"] == "cash_on_delivery").mean() * 100
latam_card_pct = (latin_america["method"] == "credit_card").mean() * 100
me_non_cod_ceiling = 100 - facts.value("000_middle_east_cod_share")
coverage_as_usage_possible = True"""),
    wrong("ex9_coverage", "ceiling-is-the-share", COVERAGE + """\
me_cod_pct = (middle_east["method"] == "cash_on_delivery").mean() * 100
latam_card_pct = (latin_america["method"] == "credit_card").mean() * 100
me_non_cod_ceiling = facts.value("000_middle_east_cod_share")
coverage_as_usage_possible = False"""),
    right("ex9_coverage", "crosstab", """\
shares = pd.crosstab(payments["region"], payments["method"], normalize="index") * 100
me_cod_pct = shares.loc["Middle East", "cash_on_delivery"]
latam_card_pct = shares.loc["Latin America", "credit_card"]
me_non_cod_ceiling = 60
coverage_as_usage_possible = 92 <= me_non_cod_ceiling"""),
    wrong("ex10_landed_cost", "no-guards", """\
def landed_cost(price, shipping, tax_rate=0.60, platform_prepays=0.0):
    tax = tax_rate * (price + shipping)
    prepaid = tax * platform_prepays
    return {"tax": tax, "prepaid": prepaid, "due_on_delivery": tax - prepaid, "total": price + shipping + tax}"""),
    wrong("ex10_landed_cost", "tax-rate-guard-only", """\
def landed_cost(price, shipping, tax_rate=0.60, platform_prepays=0.0):
    if not 0 <= tax_rate <= 1:
        raise ValueError("tax_rate is a fraction")
    tax = tax_rate * (price + shipping)
    prepaid = tax * platform_prepays
    return {"tax": tax, "prepaid": prepaid, "due_on_delivery": tax - prepaid, "total": price + shipping + tax}"""),
    wrong("ex10_landed_cost", "tax-on-price-only", LANDED + """\
    tax = tax_rate * price
    prepaid = tax * platform_prepays
    return {"tax": tax, "prepaid": prepaid, "due_on_delivery": tax - prepaid, "total": price + shipping + tax}"""),
    wrong("ex10_landed_cost", "total-without-tax", LANDED + """\
    tax = tax_rate * (price + shipping)
    prepaid = tax * platform_prepays
    return {"tax": tax, "prepaid": prepaid, "due_on_delivery": tax - prepaid, "total": price + shipping}"""),
    wrong("ex10_landed_cost", "prepaid-share-of-value", LANDED + """\
    tax = tax_rate * (price + shipping)
    prepaid = (price + shipping) * platform_prepays
    return {"tax": tax, "prepaid": prepaid, "due_on_delivery": tax - prepaid, "total": price + shipping + tax}"""),
    wrong("ex10_landed_cost", "ends-of-ranges-refused", """\
def landed_cost(price, shipping, tax_rate=0.60, platform_prepays=0.0):
    if price <= 0 or shipping < 0 or not 0 < tax_rate < 1 or not 0 <= platform_prepays <= 1:
        raise ValueError("out of range")
    tax = tax_rate * (price + shipping)
    prepaid = tax * platform_prepays
    return {"tax": tax, "prepaid": prepaid, "due_on_delivery": tax - prepaid, "total": price + shipping + tax}"""),
    right("ex10_landed_cost", "one-guard-and-a-dict", """\
def landed_cost(price, shipping, tax_rate=0.60, platform_prepays=0.0):
    if min(price, shipping) < 0 or not (0 <= tax_rate <= 1 and 0 <= platform_prepays <= 1):
        raise ValueError("price and shipping at least 0; tax_rate and platform_prepays fractions from 0 to 1")
    value = price + shipping
    tax = value * tax_rate
    return dict(total=value + tax, due_on_delivery=tax * (1 - platform_prepays), prepaid=tax * platform_prepays, tax=tax)"""),
    wrong("ex11_readings", "percent-not-fractions", """\
share_reading = landed_cost(20, 5, 0.6, 60)
whole_reading = landed_cost(20, 5, 0.6, 1.0)
prepaid_if_share = share_reading["prepaid"]
due_if_share = share_reading["due_on_delivery"]
prepaid_if_whole = whole_reading["prepaid"]
same_total = True"""),
    wrong("ex11_readings", "share-of-the-price", READINGS + """\
prepaid_if_share = share * 20
due_if_share = share_reading["tax"] - prepaid_if_share
prepaid_if_whole = whole_reading["prepaid"]
same_total = True"""),
    wrong("ex11_readings", "not-the-same-total", READINGS + """\
prepaid_if_share = share_reading["prepaid"]
due_if_share = share_reading["due_on_delivery"]
prepaid_if_whole = whole_reading["prepaid"]
same_total = False"""),
    right("ex11_readings", "by-hand", """\
tax = 0.6 * (20 + 5)
prepaid_if_share = 0.6 * tax
due_if_share = tax - prepaid_if_share
prepaid_if_whole = tax
same_total = landed_cost(20, 5, 0.6, 0.6)["total"] == landed_cost(20, 5, 0.6, 1.0)["total"]"""),
]
