from course.instructor.visible_checks import key, right, wrong

CASE = "case8_reading_sources"
CLAIMS = key(CASE, "ex1_claims")
SPREAD = key(CASE, "ex3_spread")
JANUARY = key(CASE, "ex8_january")
RATIOS = key(CASE, "ex9_ratios")
QUALITY = key(CASE, "ex10_quality")
PLOT = key(CASE, "ex11_plot")
GROWTH = """\
def growth_readings(times):
    if times < 0:
        raise ValueError("negative")
"""

ENTRIES = [
    wrong("ex1_claims", "lazada-kept", CLAIMS.replace('(all_facts["entity"] == "AliExpress") & ', '')),
    wrong("ex1_claims", "reading-number-as-int", CLAIMS.replace(
        'rows["reading"].astype(str).str[:3]', 'rows["reading"].astype(str).str[:3].astype(int)')),
    wrong("ex1_claims", "unsorted", CLAIMS.replace('    .sort_values(["metric", "reading_no"])\n', '')),
    right("ex1_claims", "query-and-insert", """\
rows = all_facts[all_facts["metric"].isin(compared_metrics)]
rows = rows[rows["entity"] == "AliExpress"].copy()
rows["reading_no"] = [str(r)[:3] for r in rows["reading"]]
claims = rows.sort_values(["metric", "reading_no"])[claim_columns].reset_index(drop=True)"""),
    wrong("ex2_comparison", "scale-not-applied", """\
comparison = claims.pivot_table(index="metric", columns="reading_no", values="value", aggfunc="first")"""),
    wrong("ex2_comparison", "divided-by-scale", key(CASE, "ex2_comparison").replace(
        'claims["value"] * claims["unit"]', 'claims["value"] / claims["unit"]')),
    wrong("ex2_comparison", "transposed", key(CASE, "ex2_comparison").replace(
        'index="metric", columns="reading_no"', 'index="reading_no", columns="metric"')),
    right("ex2_comparison", "unstack", """\
common = claims["value"] * [scale[str(u)] for u in claims["unit"]]
comparison = claims.assign(common=common).set_index(["metric", "reading_no"])["common"].unstack("reading_no")"""),
    wrong("ex3_spread", "every-metric", SPREAD.replace("counts >= 2", "counts >= 1")),
    wrong("ex3_spread", "ratio-inverted", SPREAD.replace('ratio=spread["high"] / spread["low"]', 'ratio=spread["low"] / spread["high"]')),
    wrong("ex3_spread", "target-a-fraction", SPREAD.replace(
        '/ comparison.loc["active_buyers", "002"] * 100', '/ comparison.loc["active_buyers", "002"]')),
    wrong("ex3_spread", "target-of-people-reached", SPREAD.replace(
        'comparison.loc["active_buyers", "002"]', 'comparison.loc["people_reached", "000"]')),
    right("ex3_spread", "dropna-rows", """\
twice = comparison[comparison.notna().sum(axis=1) > 1]
spread = pd.DataFrame({"low": twice.min(axis=1), "high": twice.max(axis=1), "readings": twice.notna().sum(axis=1)})
spread["spread"] = spread["high"] - spread["low"]
spread["ratio"] = spread["high"] / spread["low"]
clientele_target_pct = 100 * facts.value("001_cross_border_clientele_target") / facts.value("002_shoppers_outside_china_2018")"""),
    wrong("ex4_implied_revenue", "times-the-share", key(CASE, "ex4_implied_revenue").replace(
        "spain_revenue / (international_share / 100)", "spain_revenue * (international_share / 100)")),
    wrong("ex4_implied_revenue", "one-year", """\
implied_revenue = pd.Series({2019: facts.value("001_spain_revenue_2020") / (facts.value("003_international_revenue_share_2019") / 100)})"""),
    right("ex4_implied_revenue", "string-years", """\
implied_revenue = pd.Series({str(y): facts.value("001_spain_revenue_2020") * 100 / facts.value(f"003_international_revenue_share_{y}")
                             for y in (2019, 2023)})"""),
    wrong("ex5_world_market", "times-the-share", """\
world_market_2020 = facts.value("001_gmv_2020") * facts.value("001_aliexpress_global_market_share") / 100
vs_paper_market = world_market_2020 / facts.value("000_global_ecommerce_market_size")"""),
    wrong("ex5_world_market", "ratio-inverted", """\
world_market_2020 = facts.value("001_gmv_2020") / (facts.value("001_aliexpress_global_market_share") / 100)
vs_paper_market = facts.value("000_global_ecommerce_market_size") / world_market_2020"""),
    right("ex5_world_market", "hundreds", """\
world_market_2020 = 100 * facts.value("001_gmv_2020") / facts.value("001_aliexpress_global_market_share")
vs_paper_market = world_market_2020 / 6.5"""),
    wrong("ex6_growth_readings", "no-guard", """\
def growth_readings(times):
    return {"multiple": float(times), "times_more": float(times) + 1}"""),
    wrong("ex6_growth_readings", "readings-swapped", GROWTH + '    return {"multiple": times + 1.0, "times_more": float(times)}'),
    wrong("ex6_growth_readings", "zero-refused", """\
def growth_readings(times):
    if times <= 0:
        raise ValueError("not positive")
    return {"multiple": float(times), "times_more": float(times) + 1}"""),
    right("ex6_growth_readings", "ints-kept", """\
def growth_readings(times):
    if not times >= 0:
        raise ValueError(f"'increased {times} times' makes no sense")
    return dict(times_more=times + 1, multiple=times)"""),
    wrong("ex7_growth", "gap-of-times", key(CASE, "ex7_growth").replace(
        '(growth["times_more"] - growth["multiple"]) / growth["multiple"] * 100', 'growth["times_more"] - growth["multiple"]')),
    wrong("ex7_growth", "gap-relative-to-times-more", key(CASE, "ex7_growth").replace(
        '/ growth["multiple"] * 100', '/ growth["times_more"] * 100')),
    right("ex7_growth", "a-loop", """\
rows = {}
for region, value in zip(all_facts.loc[all_facts["metric"] == "transaction_volume_growth", "region"],
                         all_facts.loc[all_facts["metric"] == "transaction_volume_growth", "value"]):
    readings = growth_readings(value)
    rows[str(region)] = {**readings, "gap_pct": 100 / readings["multiple"]}
growth = pd.DataFrame.from_dict(rows, orient="index")"""),
    wrong("ex8_january", "share-of-multiple", JANUARY.replace("jan2012_min_share = 100 / jan2013_multiple",
                                                              "jan2012_min_share = jan2013_multiple / 100")),
    wrong("ex8_january", "steady-possible", JANUARY.replace(
        "steady_growth_possible = bool((jan2012_vs_average <= 1).any())", "steady_growth_possible = True")),
    wrong("ex8_january", "average-month-as-twelve", JANUARY.replace("(100 / 12)", "12")),
    right("ex8_january", "dict-series", """\
readings = growth_readings(facts.value("004_transaction_volume_growth_2013_01"))
jan2012_min_share = pd.Series({name: 100 / multiple for name, multiple in readings.items()})
jan2012_vs_average = jan2012_min_share * 12 / 100
steady_growth_possible = any(jan2012_vs_average <= 1)"""),
    wrong("ex9_ratios", "days-for-hours", RATIOS.replace(
        'facts.value("000_clearance_days_middle_east_industry") * market.HOURS_PER_DAY',
        'facts.value("000_clearance_days_middle_east_industry")')),
    wrong("ex9_ratios", "readings-swapped", RATIOS.replace(
        '{"less_time": t_plus_one / (1 - faster), "more_speed": t_plus_one * (1 + faster)}',
        '{"less_time": t_plus_one * (1 + faster), "more_speed": t_plus_one / (1 - faster)}')),
    wrong("ex9_ratios", "roi-possible", RATIOS.replace(
        'roi_claim_possible = facts.value("000_clothing_brand_roi") <= max_roi', "roi_claim_possible = True")),
    wrong("ex9_ratios", "percent-commission", RATIOS.replace(
        'max_roi = 1 / (facts.value("000_influencer_commission_rate") / 100)',
        'max_roi = 1 / facts.value("000_influencer_commission_rate")')),
    right("ex9_ratios", "by-hand", """\
clearance_speed_up = 7 * 24 / 48
swift_days = pd.Series({"more_speed": 1.7, "less_time": 1 / 0.3})
max_roi = 100 / 15
roi_claim_possible = 8 <= max_roi"""),
    wrong("ex10_quality", "targets-kept", QUALITY.replace(
        'events = timeline[~timeline["note"].str.startswith("Future target", na=False)]', "events = timeline")),
    wrong("ex10_quality", "unweighted", QUALITY.replace(
        "score = sum(profiles[column].astype(int) * weight for column, weight in weights.items())",
        "score = sum(profiles[column].astype(int) for column in weights)")),
    wrong("ex10_quality", "worst-first", QUALITY.replace('rank(method="min", ascending=False)', 'rank(method="min")')),
    wrong("ex10_quality", "average-ranks", QUALITY.replace('rank(method="min", ascending=False)', 'rank(ascending=False)')),
    right("ex10_quality", "a-loop", """\
events = timeline[~timeline["note"].fillna("").str.startswith("Future target")]
latest_year = pd.Series({no: int(g["year"].max()) for no, g in events.groupby(events["reading"].astype(str).str[:3])})
quality = profiles.copy()
quality["score"] = 0
for column, weight in weights.items():
    quality["score"] += profiles[column].astype(int) * weight
quality["rank"] = [1 + (quality["score"] > s).sum() for s in quality["score"]]"""),
    wrong("ex11_plot", "undated-left-out", PLOT.replace('countries = comparison.loc["countries_served"].dropna()',
                                                        'countries = comparison.loc["countries_served"].dropna().iloc[:2]')),
    wrong("ex11_plot", "axis-not-from-zero", PLOT.replace("ax.set_ylim(bottom=0)", "ax.set_ylim(bottom=150)")),
    wrong("ex11_plot", "labels-without-numbers", PLOT.replace('labels = [f"{reading} ({years[reading]})" for reading in countries.index]',
                                                              'labels = [f"reading ({years[reading]})" + " " * i for i, reading in enumerate(countries.index)]')),
    right("ex11_plot", "pandas-bars", """\
countries = comparison.loc["countries_served"].dropna()
fig, ax = plt.subplots()
countries.rename(lambda no: f"{no}").plot.bar(ax=ax, rot=0)
ax.set_ylim(0, 250)
ax.set_ylabel("Countries served")
ax.set_title("Countries served, by reading")"""),
]
