"""Explorer for case 8, reading sources critically."""

from __future__ import annotations

from html import escape

import ipywidgets as widgets
import pandas as pd

from course.cases.case8_reading_sources import source_criticism
from course.widgets import explorer


def claims_rows_html(claims: pd.DataFrame) -> str:
    """The claims as an HTML table: reading, who the figure is about, its date, the figure and the quote."""
    rows = []
    for claim in claims.itertuples(index=False):
        period = claim.period if isinstance(claim.period, str) else "undated"
        rows.append(
            f"<tr><td>{escape(claim.reading_no)}</td><td>{escape(str(claim.entity))}</td><td>{escape(period)}</td>"
            f"<td><b>{escape(claim.value_text)}</b></td><td><i>{escape(claim.quote)}</i></td></tr>"
        )
    header = "<tr><th>Reading</th><th>About</th><th>Date</th><th>Figure</th><th>Quote</th></tr>"
    return f"<table>{header}{''.join(rows)}</table>"


def claims_explorer(facts: pd.DataFrame) -> widgets.VBox:
    """Pick a metric; see every reading's figure for it, whoever it is about, with date and quote."""
    options = sorted(set(source_criticism.shared_metrics(facts)) | set(source_criticism.COMPARED_METRICS))
    metric = widgets.Dropdown(options=options, value="countries_served", description="Metric")

    def render() -> str:
        return claims_rows_html(source_criticism.claims_table(facts, [metric.value], entity=None))

    return explorer([metric], render)
