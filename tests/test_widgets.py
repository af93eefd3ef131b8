"""Tests for the explorers' shared parts in course.widgets."""

import ipywidgets as widgets

from course.widgets import explorer, slider


def test_explorer_redraws_when_any_control_changes():
    left, right = slider("Left", 1, 0, 10, 1), widgets.Dropdown(options=["a", "b"])
    box = explorer([left, right], lambda: f"{left.value:g}{right.value}")
    assert box.children[:2] == (left, right)
    assert box.children[-1].value == "1a"
    left.value = 4
    assert box.children[-1].value == "4a"
    right.value = "b"
    assert box.children[-1].value == "4b"


def test_slider_reports_only_on_release():
    control = slider("Share (%)", 5, 0, 20, 0.5, ".1f")
    assert (control.min, control.max, control.step, control.value) == (0, 20, 0.5, 5)
    assert control.continuous_update is False and control.description == "Share (%)"
