from course.instructor.visible_checks import key, right, wrong

CASE = "case7_alibaba_expansion"
YEARS = key(CASE, "ex3_years")
SHARES = """\
share_2019 = facts.value("003_international_revenue_share_2019")
share_2023 = facts.value("003_international_revenue_share_2023")
"""
CAGR = """\
def cagr(start, end, years):
    if start <= 0 or end < 0 or years <= 0:
        raise ValueError("out of range")
"""
HEADLINE = key(CASE, "ex7_headline")
PLOT_END = """\
ax.set_ylabel("Share of total revenue (%)")
ax.set_title("International commerce as a share of Alibaba's revenue")
"""

ENTRIES = [
    wrong("ex1_events", "oldest-first", key(CASE, "ex1_events").replace("ascending=False", "ascending=True")),
    wrong("ex1_events", "index-kept", key(CASE, "ex1_events").replace("    .reset_index(drop=True)\n", "")),
    wrong("ex1_events", "every-reading", """\
events = timeline[["id", "year", "event", "entity"]].sort_values("year", ascending=False).reset_index(drop=True)"""),
    right("ex1_events", "query-and-stable-sort", """\
events = (timeline.query("reading == '003_56eb73be327c13af.txt'")
          .sort_values("year", ascending=False)[["id", "year", "event", "entity"]]
          .reset_index(drop=True))"""),
    wrong("ex2_periods", "sorted-by-count", key(CASE, "ex2_periods").replace("value_counts(sort=False)", "value_counts()")),
    wrong("ex2_periods", "right-closed-bins-off", key(CASE, "ex2_periods").replace(
        "bins=period_edges, labels=period_labels)", "bins=period_edges, labels=period_labels, right=False)")),
    wrong("ex2_periods", "quietest", key(CASE, "ex2_periods").replace("idxmax()", "idxmin()")),
    right("ex2_periods", "groupby-cut", """\
bins = pd.cut(events["year"], bins=period_edges, labels=period_labels)
per_period = events.groupby(bins, observed=False).size()
busiest_period = per_period.sort_values(ascending=False, kind="stable").index[0]"""),
    wrong("ex3_years", "launch-year-typed-wrong", YEARS.replace(
        'launch_year = events.loc[events["id"] == "003_2010_aliexpress_launched", "year"].item()', "launch_year = 2009")),
    wrong("ex3_years", "acquisitions-only", YEARS.replace('"acquires|invests"', '"acquires"')),
    wrong("ex3_years", "reversed", YEARS.replace('events["year"] - launch_year', 'launch_year - events["year"]')),
    right("ex3_years", "apply-and-filter", """\
launch_year = int(events.set_index("id").loc["003_2010_aliexpress_launched", "year"])
events_years = events.copy()
events_years["years_since_launch"] = events_years["year"].apply(lambda year: year - launch_year)
deal_gaps = pd.Series({row.id: row.years_since_launch for row in events_years.itertuples()
                       if "acquires" in row.event or "invests" in row.event})"""),
    wrong("ex4_share_growth", "points-reversed", SHARES + """\
growth_points = share_2019 - share_2023
relative_change_pct = (share_2023 - share_2019) / share_2019 * 100"""),
    wrong("ex4_share_growth", "relative-to-2023", SHARES + """\
growth_points = share_2023 - share_2019
relative_change_pct = (share_2023 - share_2019) / share_2023 * 100"""),
    wrong("ex4_share_growth", "ratio-not-change", SHARES + """\
growth_points = share_2023 - share_2019
relative_change_pct = share_2023 / share_2019 * 100"""),
    right("ex4_share_growth", "by-hand", """\
growth_points = 8 - 4
relative_change_pct = (8 / 4 - 1) * 100"""),
    wrong("ex5_cagr", "no-guard", "def cagr(start, end, years):\n    return ((end / start) ** (1 / years) - 1) * 100"),
    wrong("ex5_cagr", "zero-start-guard-only", """\
def cagr(start, end, years):
    if start == 0:
        raise ValueError("start is zero")
    return ((end / start) ** (1 / years) - 1) * 100"""),
    wrong("ex5_cagr", "average-growth", CAGR + "    return (end / start - 1) / years * 100"),
    wrong("ex5_cagr", "a-fraction", CAGR + "    return (end / start) ** (1 / years) - 1"),
    wrong("ex5_cagr", "zero-end-refused", """\
def cagr(start, end, years):
    if start <= 0 or end <= 0 or years <= 0:
        raise ValueError("out of range")
    return ((end / start) ** (1 / years) - 1) * 100"""),
    right("ex5_cagr", "exp-log-free", """\
def cagr(start, end, years):
    if not start > 0:
        raise ValueError("start must be positive")
    if end < 0 or not years > 0:
        raise ValueError("end must be at least 0 and years positive")
    return 100 * (pow(end / start, 1 / years) - 1)"""),
    wrong("ex6_share_cagr", "five-years", """\
years_between = 5
share_cagr_pct = cagr(share_2019, share_2023, years_between)"""),
    wrong("ex6_share_cagr", "points-cagr", """\
years_between = 4
share_cagr_pct = cagr(1, 1 + (share_2023 - share_2019) / 100, years_between)"""),
    right("ex6_share_cagr", "typed-years", """\
years_between = 2023 - 2019
share_cagr_pct = cagr(4, 8, 4)"""),
    wrong("ex7_headline", "points-added", HEADLINE.replace(
        'international_change_pct=(share_ratio * (1 + scenarios["total_change_pct"] / 100) - 1) * 100',
        'international_change_pct=scenarios["total_change_pct"] + (share_2023 - share_2019)')),
    wrong("ex7_headline", "headline-follows", HEADLINE.replace("headline_follows = False", "headline_follows = True")),
    wrong("ex7_headline", "flat-as-halving-share", HEADLINE.replace(
        "flat_total_change_pct = (1 / share_ratio - 1) * 100", "flat_total_change_pct = -share_ratio * 100")),
    right("ex7_headline", "a-loop", """\
what_if = scenarios.copy()
what_if["international_change_pct"] = [100 * (8 / 4 * (1 + t / 100) - 1) for t in scenarios["total_change_pct"]]
headline_follows = bool((what_if["international_change_pct"] > 0).all())
flat_total_change_pct = 100 * (4 / 8 - 1)"""),
    wrong("ex8_reach", "whole-reading-names", """\
reach = pd.Series(reach_facts["value"].to_numpy(), index=reach_facts["reading"].astype(str))
reach_spread = reach.max() - reach.min()
all_can_hold = True"""),
    wrong("ex8_reach", "cannot-hold", key(CASE, "ex8_reach").replace("all_can_hold = True", "all_can_hold = False")),
    right("ex8_reach", "dict", """\
reach = pd.Series({str(r)[:3]: int(v) for r, v in zip(reach_facts["reading"], reach_facts["value"])})
reach_spread = int(reach.max() - reach.min())
all_can_hold = reach.max() > 200 and reach.max() >= 190"""),
    wrong("ex9_plot", "points-not-shares", """\
fig, ax = plt.subplots()
ax.bar(["2019", "2023"], [0, share_2023 - share_2019])
ax.set_ylim(bottom=0)
""" + PLOT_END),
    wrong("ex9_plot", "fractions", """\
fig, ax = plt.subplots()
ax.bar(["2019", "2023"], [share_2019 / 100, share_2023 / 100])
ax.set_ylim(bottom=0)
""" + PLOT_END),
    wrong("ex9_plot", "axis-not-from-zero", """\
fig, ax = plt.subplots()
ax.bar(["2019", "2023"], [share_2019, share_2023])
ax.set_ylim(3, 9)
""" + PLOT_END),
    wrong("ex9_plot", "no-title", """\
fig, ax = plt.subplots()
ax.bar(["2019", "2023"], [share_2019, share_2023])
ax.set_ylim(bottom=0)
ax.set_ylabel("%")"""),
    right("ex9_plot", "pandas-bars", """\
fig, ax = plt.subplots()
pd.Series({"2019": share_2019, "2023": share_2023}).plot.bar(ax=ax, rot=0)
ax.set_ylim(0, 10)
""" + PLOT_END),
]
