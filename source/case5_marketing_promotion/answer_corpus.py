from course.instructor.visible_checks import key, right, wrong

CASE = "case5_marketing_promotion"
READ = key(CASE, "ex7_read_fragment")
PARSE = key(CASE, "ex8_parse_outcome")
TIDY = key(CASE, "ex9_tidy3")
COMPARE = key(CASE, "ex10_compare")
REACH = """\
reach = (paper[paper["metric"].isin(["people_reached", "users_reached"])]
         [["id", "section", "entity", "metric", "value", "bound", "unit"]].sort_values("section"))
"""
CONVERSIONS = """\
conversions = paper[paper["metric"] == "conversion_rate"]
conversion_claims = dict(zip(conversions["section"], conversions["entity"]))
"""
BASELINE = """\
def implied_baseline(new_value, percent_lower):
    if new_value <= 0 or not 0 <= percent_lower < 100:
        raise ValueError("out of range")
"""
CEILING = """\
def roi_ceiling(commission_rate):
    if not 0 < commission_rate <= 1:
        raise ValueError("a fraction between 0 and 1")
"""
CLAIM = """\
commission = facts.value("000_influencer_commission_rate") / 100
claimed_roi = facts.value("000_clothing_brand_roi")
ceiling_at_15 = roi_ceiling(commission)
"""
BY_TIER = """\
with_cost = campaign.assign(cost_usd=campaign["commission_usd"] + campaign["fixed_fee_usd"])
by_tier = with_cost.groupby("tier", observed=True).agg(influencers=("influencer_id", "size"), gmv_usd=("gmv_usd", "sum"),
                                                       cost_usd=("cost_usd", "sum"), new_customers=("new_customers", "sum"))
"""
RATIOS = 'by_tier = by_tier.assign(roi=by_tier["gmv_usd"] / by_tier["cost_usd"], cac_usd=by_tier["cost_usd"] / by_tier["new_customers"])\n'
MID = """\
mid = with_cost[with_cost["tier"] == "mid"]
mid_mean_of_ratios = float((mid["gmv_usd"] / mid["cost_usd"]).mean())
"""
PLOT = """\
fig, ax = plt.subplots()
for kind in ["change", "level"]:
    rows = pct[pct["kind"] == kind]
    ax.barh(rows["label"], rows["signed_value"], label=kind)
ax.legend()
"""

ENTRIES = [
    wrong("ex1_reach", "people-reached-only", """\
reach = paper[paper["metric"] == "people_reached"][["id", "section", "entity", "metric", "value", "bound", "unit"]].sort_values("section")
challenge_share_of_reach_pct = facts.value("000_tiktok_challenge_users_reached") / facts.value("000_people_reached_intro") * 100
""" + CONVERSIONS),
    wrong("ex1_reach", "share-as-fraction", REACH + """\
challenge_share_of_reach_pct = facts.value("000_tiktok_challenge_users_reached") / facts.value("000_people_reached_intro")
""" + CONVERSIONS),
    wrong("ex1_reach", "claims-keyed-by-entity", REACH + """\
challenge_share_of_reach_pct = facts.value("000_tiktok_challenge_users_reached") / facts.value("000_people_reached_intro") * 100
conversions = paper[paper["metric"] == "conversion_rate"]
conversion_claims = dict(zip(conversions["entity"], conversions["section"]))"""),
    right("ex1_reach", "query-and-loop", """\
reach = paper.query("metric in ['people_reached', 'users_reached']").sort_values("section")[
    ["section", "id", "entity", "metric", "value", "bound", "unit"]]
challenge_share_of_reach_pct = 100 * facts.value("000_tiktok_challenge_users_reached") / facts.value("000_people_reached_intro")
conversion_claims = {}
for _, row in paper[paper["metric"] == "conversion_rate"].iterrows():
    conversion_claims[row["section"]] = row["entity"]"""),
    wrong("ex2_implied_baseline", "no-guard", "def implied_baseline(new_value, percent_lower):\n    return new_value / (1 - percent_lower / 100)"),
    wrong("ex2_implied_baseline", "guard-for-100-only", """\
def implied_baseline(new_value, percent_lower):
    if percent_lower >= 100:
        raise ValueError("100% lower is nothing")
    return new_value / (1 - percent_lower / 100)"""),
    wrong("ex2_implied_baseline", "plus-the-percent", BASELINE + "    return new_value * (1 + percent_lower / 100)"),
    wrong("ex2_implied_baseline", "rounded", BASELINE + "    return round(new_value / (1 - percent_lower / 100), 2)"),
    right("ex2_implied_baseline", "hundreds", """\
def implied_baseline(new_value, percent_lower):
    if not (new_value > 0 and 0 <= percent_lower < 100):
        raise ValueError(f"need new_value > 0 and 0 <= percent_lower < 100, got {new_value}, {percent_lower}")
    return 100 * new_value / (100 - percent_lower)"""),
    wrong("ex2_traditional_cac", "bound-exact", """\
traditional_cac_upper_usd = implied_baseline(facts.value("000_pet_supplies_cac"), facts.value("000_pet_supplies_cac_vs_advertising"))
traditional_cac_bound = "exact\""""),
    wrong("ex2_traditional_cac", "sixty-percent-of", """\
traditional_cac_upper_usd = facts.value("000_pet_supplies_cac") / 0.6
traditional_cac_bound = "under\""""),
    right("ex2_traditional_cac", "by-hand", """\
traditional_cac_upper_usd = 3 / 0.4
traditional_cac_bound = str(facts.fact("000_pet_supplies_cac")["bound"])"""),
    wrong("ex3_tier_shares", "fractions", """\
tier_share_pct = campaign["tier"].value_counts(normalize=True)
pyramid_holds = bool(((tier_share_pct * 100 - stated_share_pct).abs() <= 0.5).all())"""),
    wrong("ex3_tier_shares", "counts", """\
tier_share_pct = campaign["tier"].value_counts() * 1.0
pyramid_holds = True"""),
    wrong("ex3_tier_shares", "pyramid-verdict-wrong", """\
tier_share_pct = campaign["tier"].value_counts(normalize=True) * 100
pyramid_holds = not bool(((tier_share_pct - stated_share_pct).abs() <= 0.5).all())"""),
    right("ex3_tier_shares", "groupby-size", """\
tier_share_pct = campaign.groupby("tier", observed=True).size() / len(campaign) * 100
pyramid_holds = all(abs(tier_share_pct[t] - stated_share_pct[t]) <= 0.5 for t in stated_share_pct.index)"""),
    wrong("ex4_by_tier", "commission-only-cost", """\
with_cost = campaign.assign(cost_usd=campaign["commission_usd"])
by_tier = with_cost.groupby("tier", observed=True).agg(influencers=("influencer_id", "size"), gmv_usd=("gmv_usd", "sum"),
                                                       cost_usd=("cost_usd", "sum"), new_customers=("new_customers", "sum"))
""" + RATIOS + 'best_roi_tier = str(by_tier["roi"].idxmax())\n' + MID),
    wrong("ex4_by_tier", "mean-of-ratios-per-tier", BY_TIER + """\
ratios = with_cost.assign(roi=with_cost["gmv_usd"] / with_cost["cost_usd"], cac_usd=with_cost["cost_usd"] / with_cost["new_customers"])
by_tier = by_tier.join(ratios.groupby("tier", observed=True)[["roi", "cac_usd"]].mean())
best_roi_tier = str(by_tier["roi"].idxmax())
""" + MID),
    wrong("ex4_by_tier", "total-over-total-for-mid", BY_TIER + RATIOS + """\
best_roi_tier = str(by_tier["roi"].idxmax())
mid_mean_of_ratios = float(by_tier.loc["mid", "roi"])"""),
    wrong("ex4_by_tier", "lowest-cac-as-best", BY_TIER + RATIOS + 'best_roi_tier = str(by_tier["cac_usd"].idxmax())\n' + MID),
    right("ex4_by_tier", "sums-then-columns", """\
campaign_cost = campaign["commission_usd"] + campaign["fixed_fee_usd"]
grouped = campaign.assign(cost_usd=campaign_cost).groupby("tier", observed=True)
by_tier = grouped[["gmv_usd", "cost_usd", "new_customers"]].sum()
by_tier["influencers"] = grouped.size()
by_tier["roi"] = by_tier["gmv_usd"] / by_tier["cost_usd"]
by_tier["cac_usd"] = by_tier["cost_usd"] / by_tier["new_customers"]
best_roi_tier = by_tier["roi"].sort_values().index[-1]
mid = campaign[campaign["tier"] == "mid"]
mid_mean_of_ratios = (mid["gmv_usd"] / campaign_cost[mid.index]).mean()"""),
    wrong("ex5_roi_ceiling", "no-guard", "def roi_ceiling(commission_rate):\n    return 1 / commission_rate"),
    wrong("ex5_roi_ceiling", "zero-guard-only", """\
def roi_ceiling(commission_rate):
    if commission_rate == 0:
        raise ValueError("zero")
    return 1 / commission_rate"""),
    wrong("ex5_roi_ceiling", "percent-input", CEILING + "    return 100 / commission_rate"),
    right("ex5_roi_ceiling", "reciprocal", """\
def roi_ceiling(commission_rate):
    if commission_rate <= 0 or commission_rate > 1:
        raise ValueError(f"{commission_rate} is not a fraction in (0, 1]")
    return commission_rate ** -1"""),
    wrong("ex5_claim", "percent-to-ceiling", """\
claimed_roi = facts.value("000_clothing_brand_roi")
ceiling_at_15 = 1 / facts.value("000_influencer_commission_rate")
commission_alone_reaches_8 = ceiling_at_15 >= claimed_roi
max_cost_share_pct = 100 / claimed_roi
must_be_true = {"a": True, "b": False, "c": True, "d": False, "e": False}"""),
    wrong("ex5_claim", "reaches-8", CLAIM + """\
commission_alone_reaches_8 = True
max_cost_share_pct = 100 / claimed_roi
must_be_true = {"a": True, "b": False, "c": True, "d": False, "e": False}"""),
    wrong("ex5_claim", "share-as-fraction", CLAIM + """\
commission_alone_reaches_8 = ceiling_at_15 >= claimed_roi
max_cost_share_pct = 1 / claimed_roi
must_be_true = {"a": True, "b": False, "c": True, "d": False, "e": False}"""),
    wrong("ex5_claim", "statement-e", CLAIM + """\
commission_alone_reaches_8 = ceiling_at_15 >= claimed_roi
max_cost_share_pct = 100 / claimed_roi
must_be_true = {"a": True, "b": False, "c": True, "d": False, "e": True}"""),
    right("ex5_claim", "by-hand", """\
ceiling_at_15 = roi_ceiling(0.15)
commission_alone_reaches_8 = ceiling_at_15 >= 8
max_cost_share_pct = 12.5
must_be_true = dict(a=1 == 1, b=ceiling_at_15 >= 8, c=True, d=ceiling_at_15 >= 8, e=False)"""),
    wrong("ex6_calendar", "case-sensitive", key(CASE, "ex6_calendar").replace('case=False)]', 'case=True)]')
          .replace('festivals = ["Spring Festival", "Ramadan", "Christmas", "Black Friday"]',
                   'festivals = ["spring festival", "ramadan", "christmas", "black friday"]')),
    wrong("ex6_calendar", "every-id-of-6-2", key(CASE, "ex6_calendar").replace(
        'repeated_from_5_2 = sorted(section_6_2.merge(section_5_2, on=["metric", "value"])["id"])',
        'repeated_from_5_2 = sorted(section_6_2["id"])')),
    wrong("ex6_calendar", "faster-as-more-speed", key(CASE, "ex6_calendar").replace(
        'traditional_settlement_days = implied_baseline(facts.value("000_settlement_cycle_days_s6_2"),\n'
        '                                               facts.value("000_settlement_speedup_s6_2"))',
        'traditional_settlement_days = facts.value("000_settlement_cycle_days_s6_2") * (1 + facts.value("000_settlement_speedup_s6_2") / 100)')),
    right("ex6_calendar", "loops", """\
festivals = ["Spring Festival", "Ramadan", "Christmas", "Black Friday"]
from_paper = timeline[timeline["reading"] == "000_2ac75adefbd94969.txt"]
promotions = from_paper[[any(f.lower() in str(event).lower() for f in festivals) for event in from_paper["event"]]]
black_friday_entity = str(promotions[promotions["event"].str.contains("Black Friday")]["entity"].iloc[0])
festivals_without_events = [f for f in festivals if not any(f.lower() in e.lower() for e in promotions["event"])]
s62 = paper[paper["section"] == "6.2"]
s52 = set(zip(paper.loc[paper["section"] == "5.2", "metric"], paper.loc[paper["section"] == "5.2", "value"]))
repeated_from_5_2 = sorted(i for i, m, v in zip(s62["id"], s62["metric"], s62["value"]) if (m, v) in s52)
traditional_settlement_days = 1 / (1 - 0.7)"""),
    wrong("ex7_read_fragment", "by-before-to", READ.replace(
        '        ("level", rf"(?P<metric>[^%]+?)\\s+{verb}\\s+to\\s+{percent}"),\n        ("change", rf"(?P<metric>[^%]+?)\\s+{verb}\\s+(?:by\\s+)?{percent}"),\n',
        '        ("change", rf"(?P<metric>[^%]+?)\\s+{verb}\\s+(?:to\\s+|by\\s+)?{percent}"),\n')),
    wrong("ex7_read_fragment", "no-scale", READ.replace(
        'scales = {"thousand": 1e3, "million": 1e6, "billion": 1e9}', 'scales = {}')),
    wrong("ex7_read_fragment", "percent-sign-only", READ.replace(
        'percent = number + r"\\s*(?:%|\\s+percent)"', 'percent = number + r"\\s*%"')),
    wrong("ex7_read_fragment", "no-thousands-separator", READ.replace(
        'number = r"(?P<number>\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?)"', 'number = r"(?P<number>\\d+(?:\\.\\d+)?)"')),
    wrong("ex7_read_fragment", "value-in-millions", READ.replace(
        'scales = {"thousand": 1e3, "million": 1e6, "billion": 1e9}', 'scales = {"thousand": 1e-3, "million": 1, "billion": 1e3}')),
    right("ex7_read_fragment", "match-with-an-end-and-extra-field", READ.replace(
        "re.fullmatch(pattern, fragment, re.IGNORECASE)", "re.match(pattern + r\"$\", fragment, flags=re.I)").replace(
        '"kind": kind, "value": value, "unit": unit}', '"kind": kind, "value": value, "unit": unit, "source": "Table 3"}')),
    wrong("ex8_parse_outcome", "split-on-every-comma", PARSE.replace('re.split(r"(?<!\\d),|,(?!\\d)", text)', 'text.split(",")')),
    wrong("ex8_parse_outcome", "keeps-none", PARSE.replace(
        "return [outcome for fragment in fragments if fragment and (outcome := read_fragment(fragment))]",
        "return [read_fragment(fragment) for fragment in fragments if fragment]")),
    wrong("ex8_parse_outcome", "no-guard", PARSE.replace(
        '    if not isinstance(text, str):\n        raise ValueError(f"parse_outcome expects text, got {type(text).__name__}")\n', '')),
    wrong("ex8_parse_outcome", "empty-text-refused", PARSE.replace(
        "    if not isinstance(text, str):", "    if not isinstance(text, str) or not text:")),
    right("ex8_parse_outcome", "a-loop", """\
def parse_outcome(text):
    if type(text) is not str:
        raise ValueError("text please")
    outcomes = []
    for fragment in re.split(r",(?!\\d)", text):
        reading = read_fragment(fragment.strip()) if fragment.strip() else None
        if reading is not None:
            outcomes.append(reading)
    return outcomes"""),
    wrong("ex9_tidy3", "no-region", """\
tidy3 = pd.DataFrame([outcome for text in table3["outcomes"] for outcome in parse_outcome(text)])
tidy3.insert(0, "region", table3["region"].iloc[0])"""),
    wrong("ex9_tidy3", "region-order-lost", TIDY.replace("\n)\n", "\n).sort_values(\"region\").reset_index(drop=True)\n")),
    right("ex9_tidy3", "explode", """\
tidy3 = (table3.assign(outcome_dicts=table3["outcomes"].map(parse_outcome))[["region", "outcome_dicts"]]
         .explode("outcome_dicts").reset_index(drop=True))
tidy3 = pd.concat([tidy3[["region"]], pd.DataFrame(tidy3["outcome_dicts"].tolist())], axis=1)"""),
    wrong("ex10_compare", "levels-signed-too", COMPARE.replace(
        'falling = (pct["kind"] == "change") & (pct["direction"] == "down")', 'falling = pct["direction"] == "down"')),
    wrong("ex10_compare", "no-sign", COMPARE.replace('pct["value"].where(~falling, -pct["value"])', 'pct["value"]')),
    wrong("ex10_compare", "regions-swapped", COMPARE.replace(
        'regions_with_change = sorted(pct.loc[pct["kind"] == "change", "region"].astype(str).unique())',
        'regions_with_change = sorted(pct.loc[pct["kind"] == "level", "region"].astype(str).unique())')),
    right("ex10_compare", "apply", """\
pct = tidy3[tidy3["unit"] == "percent"].copy()
pct["label"] = [f"{region}: {metric.lower()}" for region, metric in zip(pct["region"], pct["metric"])]
pct["signed_value"] = pct.apply(lambda r: -r["value"] if r["kind"] == "change" and r["direction"] == "down" else r["value"], axis=1)
regions_with_change = sorted(set(pct.loc[pct["kind"] == "change", "region"]))
regions_with_level_only = [r for r in sorted(set(pct["region"])) if r not in regions_with_change]"""),
    wrong("ex11_plot", "unsigned-values", PLOT.replace('rows["signed_value"]', 'rows["value"]')
          + 'ax.set_xlabel("Percent")\nax.set_title("Table 3\'s percent outcomes")'),
    wrong("ex11_plot", "one-series", """\
fig, ax = plt.subplots()
ax.barh(pct["label"], pct["signed_value"], label="change and level")
ax.legend()
ax.set_xlabel("Percent")
ax.set_title("Table 3's percent outcomes")"""),
    wrong("ex11_plot", "no-unit", PLOT + 'ax.set_title("Table 3\'s percent outcomes")'),
    right("ex11_plot", "levels-first-vertical", """\
fig, ax = plt.subplots()
for kind, name in [("level", "Level now"), ("change", "Change")]:
    rows = pct[pct["kind"] == kind]
    ax.bar(rows["label"], rows["signed_value"], label=name)
ax.legend()
ax.set_ylabel("%")
ax.set_title("Table 3's percent outcomes")"""),
]
