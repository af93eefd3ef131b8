from course.instructor.visible_checks import right, wrong

LONG = """\
cells = table2.melt(id_vars="model", value_vars=["merchant_responsibilities", "platform_support"],
                    var_name="party", value_name="phrase")
cells = cells.assign(party=cells["party"].map({"merchant_responsibilities": "merchant", "platform_support": "platform"}),
                     phrase=cells["phrase"].str.split("+")).explode("phrase")
"""
FIELDS = 'FIELDS = ["has_brand", "has_operations_team", "is_factory", "has_cross_border_experience", "has_overseas_stock"]\n'
RULES = """\
    if profile["has_brand"] and profile["has_overseas_stock"]:
        return "Overseas Hosting"
    if profile["has_brand"] or profile["has_operations_team"]:
        return "POP Self-operation"
    if profile["has_cross_border_experience"]:
        return "Semi-Hosting"
    if profile["is_factory"]:
        return "Full Hosting"
    return None
"""
GUARD = """\
    for name in FIELDS:
        if name not in profile or profile[name] not in (True, False):
            raise ValueError(name)
"""
PLOT_END = """\
ax.set_xlabel("Number of the six responsibilities")
ax.set_title("Who carries which responsibility")
"""

ENTRIES = [
    wrong("ex1_long", "not-stripped", LONG + """\
cells = cells.assign(phrase=cells["phrase"].str.lower())
long = cells.merge(codebook, on="phrase")[["model", "party", "responsibility"]]"""),
    wrong("ex1_long", "not-lower-cased", LONG + """\
cells = cells.assign(phrase=cells["phrase"].str.strip())
long = cells.merge(codebook, on="phrase")[["model", "party", "responsibility"]]"""),
    wrong("ex1_long", "parties-swapped", LONG.replace('"merchant", "platform_support": "platform"',
                                                       '"platform", "platform_support": "merchant"') + """\
cells = cells.assign(phrase=cells["phrase"].str.strip().str.lower())
long = cells.merge(codebook, on="phrase")[["model", "party", "responsibility"]]"""),
    right("ex1_long", "a-loop-other-column-order", """\
rows = []
for _, row in table2.iterrows():
    for party, column in [("platform", "platform_support"), ("merchant", "merchant_responsibilities")]:
        for phrase in row[column].split("+"):
            for responsibility in codebook.loc[codebook["phrase"] == phrase.strip().lower(), "responsibility"]:
                rows.append({"responsibility": responsibility, "party": party, "model": row["model"]})
long = pd.DataFrame(rows)"""),
    wrong("ex2_matrix", "nan-kept", 'matrix = long.pivot(index="model", columns="responsibility", values="party")'),
    wrong("ex2_matrix", "filled-with-merchant", """\
matrix = long.pivot(index="model", columns="responsibility", values="party").fillna("merchant")"""),
    wrong("ex2_matrix", "transposed", """\
matrix = long.pivot(index="responsibility", columns="model", values="party").fillna("not stated")"""),
    right("ex2_matrix", "pivot-table-sorted", """\
matrix = long.pivot_table(index="model", columns="responsibility", values="party", aggfunc="first").fillna("not stated")"""),
    wrong("ex3_questions", "unsorted-names", """\
logistics_by_platform = list(matrix.index[matrix["logistics"] == "platform"])[::-1]
counts = matrix.apply(pd.Series.value_counts, axis=1).fillna(0).astype(int)[["merchant", "platform", "not stated"]]"""),
    wrong("ex3_questions", "merchant-not-platform", """\
logistics_by_platform = sorted(matrix.index[matrix["logistics"] == "merchant"])
counts = matrix.apply(pd.Series.value_counts, axis=1).fillna(0).astype(int)[["merchant", "platform", "not stated"]]"""),
    wrong("ex3_questions", "counts-by-column", """\
logistics_by_platform = sorted(matrix.index[matrix["logistics"] == "platform"])
counts = matrix.apply(pd.Series.value_counts).fillna(0).T.reindex(columns=["merchant", "platform", "not stated"]).fillna(0)"""),
    right("ex3_questions", "a-loop-and-float-counts", """\
logistics_by_platform = sorted(model for model, party in matrix["logistics"].items() if party == "platform")
counts = pd.DataFrame({party: (matrix == party).sum(axis=1).astype(float) for party in ["not stated", "platform", "merchant"]})"""),
    wrong("ex4_plot", "not-stated-for-platform", """\
fig, ax = plt.subplots()
counts[["merchant", "not stated"]].rename(columns={"not stated": "platform"}).plot.barh(ax=ax)
""" + PLOT_END),
    wrong("ex4_plot", "no-axis-label", """\
fig, ax = plt.subplots()
counts[["merchant", "platform"]].plot.barh(ax=ax)
ax.set_title("Who carries which responsibility")"""),
    right("ex4_plot", "vertical-bars-platform-first", """\
fig, ax = plt.subplots()
counts[["platform", "merchant"]].plot.bar(ax=ax)
ax.set_ylabel("Responsibilities (of six)")
ax.set_title("Who carries which responsibility")"""),
    wrong("ex5_recommend", "no-guard", FIELDS + "def recommend_model(profile):\n" + RULES),
    wrong("ex5_recommend", "guard-for-missing-only", FIELDS + """\
def recommend_model(profile):
    if any(name not in profile for name in FIELDS):
        raise ValueError("missing fields")
""" + RULES),
    wrong("ex5_recommend", "factory-before-semi-hosting", FIELDS + "def recommend_model(profile):\n" + GUARD + """\
    if profile["has_brand"] and profile["has_overseas_stock"]:
        return "Overseas Hosting"
    if profile["has_brand"] or profile["has_operations_team"]:
        return "POP Self-operation"
    if profile["is_factory"]:
        return "Full Hosting"
    if profile["has_cross_border_experience"]:
        return "Semi-Hosting"
    return None"""),
    wrong("ex5_recommend", "no-model-as-text", FIELDS + "def recommend_model(profile):\n" + GUARD
          + RULES.replace("return None", 'return "none"')),
    right("ex5_recommend", "a-table-of-rules", FIELDS + """\
ORDER = [("Overseas Hosting", lambda p: p["has_brand"] and p["has_overseas_stock"]),
         ("POP Self-operation", lambda p: p["has_brand"] or p["has_operations_team"]),
         ("Semi-Hosting", lambda p: p["has_cross_border_experience"]),
         ("Full Hosting", lambda p: p["is_factory"])]


def recommend_model(profile):
    missing = set(FIELDS) - set(dict(profile))
    if missing or any(profile[name] not in (True, False) for name in FIELDS):
        raise ValueError(f"a profile needs the five fields as True or False (missing: {sorted(missing)})")
    return next((model for model, fits in ORDER if fits(profile)), None)"""),
    wrong("ex6_recommendations", "unmatched-as-positions", """\
recommendations = profiles.apply(recommend_model, axis=1)
unmatched = [i for i, model in enumerate(recommendations) if model is None]"""),
    wrong("ex6_recommendations", "unmatched-as-models", """\
recommendations = profiles.apply(recommend_model, axis=1)
unmatched = sorted(recommendations.dropna().index)"""),
    right("ex6_recommendations", "a-loop", """\
recommendations = pd.Series({name: recommend_model(row) for name, row in profiles.iterrows()})
unmatched = [name for name in sorted(profiles.index) if pd.isna(recommendations[name])]"""),
    wrong("ex7_growth", "growth-as-multiple", """\
growth = facts.value("000_a_jin_order_growth")
a_jin_multiple = growth / 100
misread_multiple = 1 + growth / 100
mens_clothing = all_facts[all_facts["entity"].str.contains("men's clothing", case=False) & (all_facts["value"] == 400)]
metrics_400 = sorted(mens_clothing["metric"].unique())"""),
    wrong("ex7_growth", "case-sensitive-filter", """\
growth = facts.value("000_a_jin_order_growth")
a_jin_multiple = 1 + growth / 100
misread_multiple = growth / 100
mens_clothing = all_facts[all_facts["entity"].str.contains("Men's clothing") & (all_facts["value"] == 400)]
metrics_400 = sorted(mens_clothing["metric"].unique())"""),
    right("ex7_growth", "query-and-set", """\
a_jin_multiple = (100 + facts.value("000_a_jin_order_growth")) / 100
misread_multiple = facts.value("000_a_jin_order_growth") / 100
mens_clothing = all_facts[all_facts["entity"].str.lower().str.contains("men's clothing") & all_facts["value"].eq(400)]
metrics_400 = sorted(set(mens_clothing["metric"]))"""),
    wrong("ex8_sold_out", "text-model-from-table", """\
sold_out_table_model = table2.loc[table2["typical_case"].str.contains("sold out"), "model"].item()
sold_out_text_model = sold_out_table_model
chengdu = timeline[timeline["entity"] == "Chengdu pet supplies merchant"]
chengdu_months = int((chengdu["year"] * 12 + chengdu["month"]).max() - (chengdu["year"] * 12 + chengdu["month"]).min())"""),
    wrong("ex8_sold_out", "months-only", """\
sold_out_table_model = table2.loc[table2["typical_case"].str.contains("sold out"), "model"].item()
sold_out_text_model = table2.loc[table2["typical_case"].str.contains("Yiwu"), "model"].item()
chengdu = timeline[timeline["entity"] == "Chengdu pet supplies merchant"]
chengdu_months = int(chengdu["month"].max() - chengdu["month"].min()) + 1"""),
    right("ex8_sold_out", "by-hand-lookups", """\
sold_out_table_model = "Overseas Hosting"
sold_out_text_model = "Full Hosting"
chengdu = timeline.query("entity == 'Chengdu pet supplies merchant'").sort_values(["year", "month"])
first, last = chengdu.iloc[0], chengdu.iloc[-1]
chengdu_months = (last["year"] - first["year"]) * 12 + (last["month"] - first["month"])"""),
    wrong("ex9_magcubic", "entity-only", """\
magcubic = all_facts[all_facts["entity"] == "Magcubic"]
magcubic_years = sorted(int(year) for year in magcubic["period"].dropna().unique())
same_year = len(magcubic_years) == 1"""),
    wrong("ex9_magcubic", "same-year-wrong", """\
magcubic = all_facts[(all_facts["entity"] == "Magcubic") & (all_facts["metric"] == "daily_unit_sales")]
magcubic_years = sorted(int(year) for year in magcubic["period"].dropna().unique())
same_year = True"""),
    right("ex9_magcubic", "years-as-strings-numpy-bool", """\
magcubic = all_facts.query("entity == 'Magcubic' and metric == 'daily_unit_sales'")
magcubic_years = sorted(str(int(p)) for p in set(magcubic["period"].dropna()))
same_year = magcubic["period"].dropna().nunique() == 1"""),
]
