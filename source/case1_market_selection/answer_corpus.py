from course.instructor.visible_checks import right, wrong

TABLE = "ex1_delivery_table"
GAINS = ("gains = delivery.assign(days_saved=delivery['before_days'] - delivery['after_days'],\n"
         "                       speed_up=delivery['before_days'] / delivery['after_days'])\n")
PLOT_END = ("ax.set_xlabel('Delivery time (days)')\n"
            "ax.set_title('Delivery times before and after, by region')\n")

ENTRIES = [
    # Exercise 1
    wrong(TABLE, "low-end-of-range", """\
when = delivery_facts["scenario"].astype(str).replace({"industry_average": "before"})
delivery = (delivery_facts.assign(when=when.map({"before": "before_days", "after": "after_days"}))
            .pivot_table(index="region", columns="when", values="value", aggfunc="first", observed=True)
            .dropna()[["before_days", "after_days"]])"""),
    wrong(TABLE, "industry-average-left-out", """\
days = delivery_facts["value_high"].fillna(delivery_facts["value"])
delivery = (delivery_facts.assign(days=days, when=delivery_facts["scenario"].astype(str) + "_days")
            .pivot_table(index="region", columns="when", values="days", aggfunc="first", observed=True)
            .dropna(subset=["before_days", "after_days"])[["before_days", "after_days"]])"""),
    wrong(TABLE, "nan-kept", """\
days = delivery_facts["value_high"].fillna(delivery_facts["value"])
when = delivery_facts["scenario"].astype(str).replace({"industry_average": "before"})
delivery = (delivery_facts.assign(days=days, when=when.map({"before": "before_days", "after": "after_days"}))
            .pivot_table(index="region", columns="when", values="days", aggfunc="first", observed=False)
            [["before_days", "after_days"]])"""),
    wrong(TABLE, "columns-swapped", """\
days = delivery_facts["value_high"].fillna(delivery_facts["value"])
when = delivery_facts["scenario"].astype(str).replace({"industry_average": "before"})
delivery = (delivery_facts.assign(days=days, when=when.map({"before": "after_days", "after": "before_days"}))
            .pivot_table(index="region", columns="when", values="days", aggfunc="first", observed=True)
            .dropna()[["before_days", "after_days"]])"""),
    right(TABLE, "a-loop", """\
rows = {}
for _, fact in delivery_facts.iterrows():
    days = fact["value_high"] if pd.notna(fact["value_high"]) else fact["value"]
    column = "after_days" if fact["scenario"] == "after" else "before_days"
    rows.setdefault(str(fact["region"]), {}).setdefault(column, days)
delivery = pd.DataFrame.from_dict(rows, orient="index").dropna()"""),
    right(TABLE, "other-column-order-int-days", """\
days = delivery_facts["value_high"].fillna(delivery_facts["value"]).astype(int)
when = delivery_facts["scenario"].astype(str).replace({"industry_average": "before"})
delivery = (delivery_facts.assign(days=days, when=when.map({"before": "before_days", "after": "after_days"}))
            .pivot_table(index="region", columns="when", values="days", aggfunc="first", observed=True)
            .dropna()[["after_days", "before_days"]])"""),
    # Exercise 2
    wrong("ex2_speed_up", "missing-guard", "def speed_up(before, after):\n    return before / after"),
    wrong("ex2_speed_up", "guard-for-zero-only", """\
def speed_up(before, after):
    if after == 0:
        raise ValueError("after cannot be zero")
    return before / after"""),
    wrong("ex2_speed_up", "assert-instead-of-valueerror", """\
def speed_up(before, after):
    assert before > 0 and after > 0, "durations must be positive"
    return before / after"""),
    wrong("ex2_speed_up", "inverted", """\
def speed_up(before, after):
    if before <= 0 or after <= 0:
        raise ValueError("Durations must be positive.")
    return after / before"""),
    wrong("ex2_speed_up", "rounded", """\
def speed_up(before, after):
    if before <= 0 or after <= 0:
        raise ValueError("Durations must be positive.")
    return round(before / after, 1)"""),
    right("ex2_speed_up", "guard-with-min", """\
def speed_up(before, after):
    if min(before, after) <= 0:
        raise ValueError(f"durations must be positive, got {before} and {after}")
    return float(before) / float(after)"""),
    # Exercise 3
    wrong("ex3_gains", "days-saved-reversed", """\
gains = delivery.assign(days_saved=delivery['after_days'] - delivery['before_days'],
                        speed_up=delivery['before_days'] / delivery['after_days'])
biggest_speed_up_region = gains['speed_up'].idxmax()"""),
    wrong("ex3_gains", "smallest-speed-up", GAINS + "biggest_speed_up_region = gains['speed_up'].idxmin()"),
    wrong("ex3_gains", "an-index-not-a-name", GAINS + "biggest_speed_up_region = gains['speed_up'].nlargest(1).index"),
    wrong("ex3_gains", "speed-up-inverted", """\
gains = delivery.assign(days_saved=delivery['before_days'] - delivery['after_days'],
                        speed_up=delivery['after_days'] / delivery['before_days'])
biggest_speed_up_region = gains['speed_up'].idxmin()"""),
    right("ex3_gains", "apply-and-sort", """\
gains = delivery.copy()
gains["days_saved"] = gains["before_days"] - gains["after_days"]
gains["speed_up"] = gains.apply(lambda row: speed_up(row["before_days"], row["after_days"]), axis=1)
biggest_speed_up_region = str(gains.sort_values("speed_up", ascending=False).index[0])"""),
    # Exercise 4
    wrong("ex4_clearance", "claim-holds", """\
clearance_speed_up = facts.value("000_clearance_days_middle_east_industry") * 24 / facts.value("000_clearance_hours_middle_east")
claim_holds = True
hours_for_claim = facts.value("000_clearance_days_middle_east_industry") * 24 / 6"""),
    wrong("ex4_clearance", "days-not-converted", """\
clearance_speed_up = facts.value("000_clearance_days_middle_east_industry") / facts.value("000_clearance_hours_middle_east")
claim_holds = False
hours_for_claim = 7 * 24 / 6"""),
    wrong("ex4_clearance", "hours-for-claim-in-days", """\
clearance_speed_up = 7 * 24 / 48
claim_holds = abs(clearance_speed_up - 6) <= 0.1
hours_for_claim = 7 / 6"""),
    right("ex4_clearance", "numpy-bool-and-int-hours", """\
import numpy as np
industry_hours = facts.value("000_clearance_days_middle_east_industry") * 24
clearance_speed_up = industry_hours / facts.value("000_clearance_hours_middle_east")
claim_holds = np.isclose(clearance_speed_up, facts.value("000_clearance_speedup_claimed"), atol=0.1)
hours_for_claim = int(industry_hours // 6)"""),
    # Exercise 5
    wrong("ex5_disputes", "a-fraction", """\
industry = facts.value("000_tax_dispute_rate_brazil_industry")
dispute_reduction_pct = (industry - facts.value("000_tax_dispute_rate_brazil")) / industry"""),
    wrong("ex5_disputes", "ratio-not-reduction", """\
dispute_reduction_pct = facts.value("000_tax_dispute_rate_brazil") / facts.value("000_tax_dispute_rate_brazil_industry") * 100"""),
    wrong("ex5_disputes", "points-not-percent", """\
dispute_reduction_pct = facts.value("000_tax_dispute_rate_brazil_industry") - facts.value("000_tax_dispute_rate_brazil")"""),
    wrong("ex5_disputes", "divided-by-programme", """\
programme = facts.value("000_tax_dispute_rate_brazil")
dispute_reduction_pct = (facts.value("000_tax_dispute_rate_brazil_industry") - programme) / programme * 100"""),
    wrong("ex5_disputes", "rounded", """\
industry = facts.value("000_tax_dispute_rate_brazil_industry")
dispute_reduction_pct = round((industry - facts.value("000_tax_dispute_rate_brazil")) / industry * 100, 1)"""),
    right("ex5_disputes", "one-minus-ratio", """\
dispute_reduction_pct = 100 * (1 - facts.value("000_tax_dispute_rate_brazil") / facts.value("000_tax_dispute_rate_brazil_industry"))"""),
    # Exercise 6
    wrong("ex6_shares", "a-fraction", """\
stated_share = figure1.loc[figure1["status"] == "stated", "gmv_share_percent"].sum() / 100
unstated_share = 1 - stated_share"""),
    wrong("ex6_shares", "one-region", """\
stated_share = figure1["gmv_share_percent"].max()
unstated_share = 100 - stated_share"""),
    wrong("ex6_shares", "missing-filled-in", """\
stated_share = figure1["gmv_share_percent"].fillna(0).sum() + 5
unstated_share = 100 - stated_share"""),
    right("ex6_shares", "a-loop-of-ints", """\
stated_share = 0
for status, share in zip(figure1["status"], figure1["gmv_share_percent"]):
    if status == "stated":
        stated_share += int(share)
unstated_share = 100 - stated_share"""),
    # Exercise 7
    wrong("ex7_plot", "one-series", "fig, ax = plt.subplots()\ndelivery[['before_days']].plot.barh(ax=ax)\n" + PLOT_END),
    wrong("ex7_plot", "gains-not-times", """\
fig, ax = plt.subplots()
pd.DataFrame({"before_days": delivery["before_days"] - delivery["after_days"],
              "after_days": delivery["after_days"]}).plot.barh(ax=ax)
""" + PLOT_END),
    wrong("ex7_plot", "no-unit", """\
fig, ax = plt.subplots()
delivery[["before_days", "after_days"]].plot.barh(ax=ax)
ax.set_title("Delivery times")"""),
    wrong("ex7_plot", "no-title", """\
fig, ax = plt.subplots()
delivery[["before_days", "after_days"]].plot.bar(ax=ax)
ax.set_ylabel("days")"""),
    right("ex7_plot", "matplotlib-bars-after-first", """\
import numpy as np
fig, ax = plt.subplots()
y = np.arange(len(delivery))
ax.barh(y - 0.2, delivery["after_days"], height=0.4, label="After (days)")
ax.barh(y + 0.2, delivery["before_days"], height=0.4, label="Before (days)")
ax.set_yticks(y, delivery.index)
ax.legend()
""" + PLOT_END),
]
