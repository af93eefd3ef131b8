"""Explorers for case 4, logistics and payment."""

from __future__ import annotations

import ipywidgets as widgets

from course import facts
from course.cases.case4_logistics_payment import logistics
from course.widgets import explorer, slider

# An illustrative parcel, not data: the reading gives no price or shipping cost.
EXAMPLE_PRICE = 20.0
EXAMPLE_SHIPPING = 5.0


def landed_cost_explorer() -> widgets.VBox:
    """Move price, shipping and tax rate, choose who prepays the tax; see the landed cost and its split."""
    price = slider("Price (USD)", EXAMPLE_PRICE, 0, 200, 1, ".0f")
    shipping = slider("Shipping (USD)", EXAMPLE_SHIPPING, 0, 50, 0.5, ".1f")
    tax_rate = slider("Tax rate (fraction)", logistics.BRAZIL_COMPREHENSIVE_TAX, 0, 1, 0.05, ".2f")
    stated = facts.value("000_tax_prepaid_share_brazil")
    who = widgets.ToggleButtons(
        options=[("buyer pays all on delivery", 0.0), (f"platform prepays {stated:g}% of the tax", stated / 100),
                 ("platform prepays all the tax", 1.0)],
        value=stated / 100, description="Who prepays",
    )

    def render() -> str:
        cost = logistics.landed_cost(price.value, shipping.value, tax_rate.value, who.value)
        ratio = f", {cost['total'] / price.value:.2f} times the price" if price.value > 0 else ""
        return (
            "<p>Illustrative parcel (assumed numbers, not data from the reading); "
            "tax charged on price plus shipping.</p>"
            f"<p>Tax {cost['tax']:.2f} USD: <b>{cost['prepaid']:.2f}</b> prepaid by the platform at checkout, "
            f"<b>{cost['due_on_delivery']:.2f}</b> due from the buyer on delivery.<br>"
            f"Landed cost <b>{cost['total']:.2f} USD</b>{ratio}.</p>"
        )

    return explorer([price, shipping, tax_rate, who], render)
