"""End to end in a real browser: JupyterLab with nbgrader's extensions, driven
by Debian's Chromium through Playwright (no browser download).

A student runs a completed release notebook of case 1, sees a visible check
pass and the ipywidgets explorer render and respond; an instructor opens the
formgrader from the Nbgrader menu, sees the casebook's assignments, and
autogrades two submissions with its button (the casebook's server extension
loaded, as ``make instructor`` does): one is graded, the other's dialog says
why it could not be.
Screenshots go to test-artifacts/browser/.
"""

from __future__ import annotations

import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from course import notebooks
from course.cases import names as cases, notebook
from course.grading import formgrader
from course.instructor import demo, nbgrader_tools, release
from course.paths import CHECKOUT_DIR

import system_parts

CHROMIUM = system_parts.CHROMIUM
CASE = "case1_market_selection"
ARTIFACTS = CHECKOUT_DIR / "test-artifacts" / "browser"
START_TIMEOUT_S = 60
STEP_TIMEOUT_MS = 60_000

pytestmark = pytest.mark.needs("chromium")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"jupyter lab exited early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"jupyter lab did not answer within {START_TIMEOUT_S} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on loopback in a scratch course with case 1 released, a student's completed
    copy of it, and two submissions (the answer key, a broken file); yields (base URL, token)."""
    scratch = tmp_path_factory.mktemp("lab")
    root = demo.copy_course(CHECKOUT_DIR, scratch / "course")
    release.build(CASE, root)
    completed = demo.submissions(CASE, root)["answer-key"]
    notebooks.write(completed, root / "work" / CASE / "market_selection.ipynb")
    demo.submit(root, CASE, "answer-key", completed)
    demo.submit(root, CASE, "broken", completed).write_text("{ not a notebook", encoding="utf-8")

    port, token = _free_port(), secrets.token_hex(16)
    env = nbgrader_tools.environment()
    env.update(JUPYTER_CONFIG_DIR=str(scratch / "config"), JUPYTER_RUNTIME_DIR=str(scratch / "runtime"))
    log = scratch / "lab.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "jupyter", "lab", formgrader.SERVER_OPTION, "--no-browser", "--allow-root",
             "--ip=127.0.0.1", f"--port={port}", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
             f"--LabApp.workspaces_dir={scratch / 'workspaces'}"],
            cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(f"{base}/api/status?token={token}", server, log)
        yield base, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture(scope="module")
def page(lab):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.set_default_timeout(STEP_TIMEOUT_MS)
        yield page
        browser.close()


def test_student_runs_a_release_notebook_with_checks_and_widgets(lab, page):
    base, token = lab
    page.goto(f"{base}/lab/tree/work/{CASE}/market_selection.ipynb?token={token}")
    page.wait_for_selector(".jp-Notebook")
    page.wait_for_selector("#jp-main-statusbar >> text=Idle")
    assert page.locator(".jp-Toolbar >> text=Validate").count() == 1, "nbgrader's Validate button is missing"

    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    page.wait_for_selector("text=Check case1.delivery: looks right.")

    region = page.locator(".widget-dropdown select").first
    region.scroll_into_view_if_needed()
    shown = page.locator(".widget-html-content").first
    page.wait_for_function("el => el.innerText.includes('times faster')", arg=shown.element_handle())
    before = shown.inner_text()
    shown.scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "1-notebook-widget.png")
    options = region.locator("option").all_inner_texts()
    region.select_option(index=len(options) - 1)
    page.wait_for_function("([el, old]) => el.innerText !== old", arg=[shown.element_handle(), before])
    after = shown.inner_text()
    shown.scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "2-widget-changed.png")
    assert after.split(":")[0].split() == options[-1].split(), after
    assert "times faster" in after


def test_instructor_sees_the_assignments_in_the_formgrader(lab, page):
    base, token = lab
    page.goto(f"{base}/lab?token={token}")
    page.get_by_role("menuitem", name="Nbgrader", exact=True).click()
    page.get_by_role("menuitem", name="Formgrader").click()
    grader = page.frame_locator("iframe").first
    for case in cases():
        grader.locator(f"text={case}").first.wait_for()
    page.screenshot(path=ARTIFACTS / "3-formgrader.png")


@pytest.mark.needs("bwrap")
def test_instructor_autogrades_from_the_formgrader_in_the_sandbox(lab, page):
    base, token = lab
    page.goto(f"{base}/formgrader/manage_submissions/{CASE}?token={token}")
    full = sum(notebooks.graded_cells(notebooks.read(notebook(CASE, "source", CHECKOUT_DIR))).values())
    for student, title, text in (("answer-key", "Success", f"answer-key: {full:g} of {full:g} points"),
                                 ("broken", "Error", "Not graded:")):
        row = page.locator("tr", has_text=student)
        row.locator("td.autograde a").click()
        dialog = page.locator(".modal-dialog", has_text=title)
        dialog.wait_for()
        assert text in dialog.inner_text()
        page.screenshot(path=ARTIFACTS / f"4-autograde-{student}.png")
        dialog.locator("button", has_text="OK").click()
        dialog.wait_for(state="detached")
    page.reload()
    page.locator("tr", has_text="answer-key").locator("text=graded").wait_for()
    assert "needs autograding" in page.locator("tr", has_text="broken").inner_text()
