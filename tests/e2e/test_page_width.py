"""In Debian's Chromium at 1,400 x 900: the grading report and a release notebook fit the
window. The page does not scroll sideways and no element reaches past the right edge, except
inside a box that scrolls on its own (a wide table's). The notebook is checked as nbconvert's
HTML export, as released and as the answer key's autograded copy (JupyterLab's own rendering
is test_browser.py's). A full-page screenshot of each goes to the test's tmp_path.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from course import notebooks
from course.cases import notebook
from course.grading import records
from course.reports import report

import system_parts

CASE = "case1_market_selection"
VIEWPORT = {"width": 1400, "height": 900}

pytestmark = pytest.mark.needs("chromium")

# Elements whose box reaches past the window's right edge, leaving out those inside a box that
# clips or scrolls sideways (their overflow is that box's, not the page's). The body's own overflow
# is the window's (JupyterLab's template sets it to auto), so the search stops below it.
PAST_THE_EDGE = """() => {
  const edge = window.innerWidth + 0.5;
  const inScroller = el => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible") return true;
    }
    return false;
  };
  const past = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.right > edge && !inScroller(el)) {
      const text = (el.textContent || "").replace(/\\s+/g, " ").trim().slice(0, 60);
      past.push(`<${el.tagName.toLowerCase()} class="${el.getAttribute("class") || ""}"> `
                + `to ${Math.round(box.right)} px: ${text}`);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, past};
}"""


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(system_parts.CHROMIUM), args=["--no-sandbox"])
        yield browser
        browser.close()


def _assert_fits(browser, page_file: Path, screenshot: Path) -> None:
    page = browser.new_page(viewport=VIEWPORT)
    try:
        page.goto(page_file.as_uri())
        page.wait_for_load_state("load")
        measured = page.evaluate(PAST_THE_EDGE)
        page.screenshot(path=screenshot, full_page=True)
    finally:
        page.close()
    assert measured["innerWidth"] == VIEWPORT["width"]
    assert measured["scrollWidth"] <= measured["innerWidth"], (
        f"{page_file.name} is {measured['scrollWidth']} px wide in a {measured['innerWidth']} px window "
        f"(screenshot {screenshot}):\n" + "\n".join(measured["past"][:20]))
    assert not measured["past"], "past the right edge:\n" + "\n".join(measured["past"][:20])


def test_the_report_fits_the_window(graded_copy, browser, tmp_path):
    root = graded_copy(CASE)
    # What widens a page: a reason with a long unbroken path, many long flags, a failed student.
    path = "/".join(["home", "jovyan", "submitted", "partly-right", CASE, "a" * 120, "market_selection.ipynb"])
    records.write_record(root, records.make_record(
        "partly-right", CASE, "failed", seconds=3.0,
        reasons=[f"the kernel died while running ex7_plot (memory limit) in {path}", "timed out after 600 s"],
        flags=[f"duplicated a graded cell: ex3_gains_test, copied {n} times" for n in range(1, 6)]))
    records.write_record(root, records.make_record(
        "untouched", CASE, "graded", flags=["Flagged for review: " + "an answer left as the stub " * 12]))
    records.write_summary(root, CASE, [])
    page = report.write(root, CASE, tmp_path / "report")["report"]
    assert "memory limit" in page.read_text()
    _assert_fits(browser, page, tmp_path / "report.png")


@pytest.mark.parametrize("copy", ["release", "autograded"])
def test_a_release_notebook_exported_to_html_fits_the_window(copy, checkout, graded_classes, browser, tmp_path):
    """As released, and as the answer key's autograded copy (the same notebook run: tables, figures)."""
    from nbconvert import HTMLExporter

    released = notebook(CASE, "release", checkout)
    path = released if copy == "release" else \
        graded_classes[CASE][0] / "autograded" / "answer-key" / CASE / released.name
    body, _ = HTMLExporter().from_notebook_node(notebooks.read(path))
    page = tmp_path / f"{copy}.html"
    page.write_text(body, encoding="utf-8")
    _assert_fits(browser, page, tmp_path / f"{copy}.png")
