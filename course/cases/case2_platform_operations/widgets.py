"""Explorers for case 2, platform operations."""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from course.cases.case2_platform_operations import operations
from course.widgets import explorer

LABELS = {
    "has_brand": "has its own brand",
    "has_operations_team": "has an experienced operations team",
    "is_factory": "is a manufacturing-trade factory",
    "has_cross_border_experience": "has cross-border experience",
    "has_overseas_stock": "holds stock in overseas warehouses",
}


def model_explorer(table2: pd.DataFrame) -> widgets.VBox:
    """Tick a seller's strengths; see the recommended model, why, and who then does what."""
    matrix = operations.responsibility_matrix(table2)
    boxes = {name: widgets.Checkbox(value=False, description=LABELS[name], indent=False)
             for name in operations.SELLER_FIELDS}

    def render() -> str:
        profile = {name: box.value for name, box in boxes.items()}
        lines = [html.escape(line) for line in operations.explain(profile).splitlines()]
        model = operations.recommend_model(profile)
        if model is not None:
            row = matrix.loc[model]
            carried = {party: ", ".join(row.index[row == party]) or "nothing"
                       for party in ("merchant", "platform", operations.NOT_STATED)}
            lines.append(f"Under {model} the merchant keeps: {carried['merchant']}; "
                         f"the platform takes: {carried['platform']}.")
            if carried[operations.NOT_STATED] != "nothing":
                lines.append(f"Table 2 does not say who does: {carried[operations.NOT_STATED]}.")
        lines[0] = f"<b>{lines[0]}</b>"
        return "<br>".join(lines)

    return explorer(list(boxes.values()), render)
