"""Explorer for case 7, Alibaba's international expansion."""

from __future__ import annotations

import ipywidgets as widgets

from course.cases.case7_alibaba_expansion import expansion
from course.widgets import explorer


def share_growth_explorer(start: float = 4.0, end: float = 8.0, years: int = 4) -> widgets.VBox:
    """Move a share's start, end and years; see its growth in points, in percent and per year."""
    style = {"description_width": "initial"}
    shares = {"min": 0.0, "max": 20.0, "step": 0.5, "style": style}
    start_share = widgets.FloatSlider(value=start, description="Start share (%)", **shares)
    end_share = widgets.FloatSlider(value=end, description="End share (%)", **shares)
    span = widgets.IntSlider(value=years, min=0, max=10, description="Years", style=style)

    def render() -> str:
        try:
            relative = expansion.percent_change(start_share.value, end_share.value)
            yearly = expansion.cagr(start_share.value, end_share.value, span.value)
        except ValueError as err:
            return f"<i>{err}</i>"
        points = expansion.point_change(start_share.value, end_share.value)
        return (
            f"{start_share.value:g}% to {end_share.value:g}% over {span.value} years: "
            f"<b>{points:+g} points</b>, <b>{relative:+.1f}%</b> relative, "
            f"<b>{yearly:+.1f}% a year</b> compounded."
        )

    return explorer([start_share, end_share, span], render)
