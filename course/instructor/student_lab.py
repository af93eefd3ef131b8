"""A student's JupyterLab: their own copies of the notebooks, and no instructor tools.

``make lab`` runs ``python -m course.instructor.student_lab``: it copies each case of
``release/`` into ``work/`` the first time (a case already there is never
touched again, so ``make release`` and ``make demo`` cannot overwrite a
student's answers), writes a Jupyter configuration folder that turns off
nbgrader's instructor extensions (formgrader, create assignment, course list)
and JupyterLab's news pop-up, and starts JupyterLab on ``work/`` with it.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

from course.paths import CHECKOUT_DIR

WORK_DIR = CHECKOUT_DIR / "work"
CONFIG_DIR = CHECKOUT_DIR / "build" / "student-jupyter"
# Lab plugins of the instructor, and the news pop-up (it also asks to fetch news from the internet).
DISABLED_PLUGINS = (
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:course-list",
    "@jupyter/nbgrader:assignment-list",  # needs a JupyterHub exchange, which a laptop has not
    "@jupyterlab/apputils-extension:announcements",
)
DISABLED_SERVER_EXTENSIONS = (
    "nbgrader.server_extensions.formgrader",
    "nbgrader.server_extensions.course_list",
    "nbgrader.server_extensions.assignment_list",
)


def copy_new_cases(release: Path = CHECKOUT_DIR / "release", work: Path = WORK_DIR) -> list[str]:
    """Copy each case of ``release`` that ``work`` does not have yet; the names of those copied."""
    copied = []
    for case in sorted(p for p in release.iterdir() if p.is_dir()):
        target = work / case.name
        if not target.exists():
            shutil.copytree(case, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
            copied.append(case.name)
    return copied


def write_config(config_dir: Path = CONFIG_DIR) -> Path:
    """A Jupyter configuration folder for students (written afresh each time)."""
    (config_dir / "labconfig").mkdir(parents=True, exist_ok=True)
    page = {"disabledExtensions": dict.fromkeys(DISABLED_PLUGINS, True)}
    (config_dir / "labconfig" / "page_config.json").write_text(json.dumps(page, indent=1) + "\n", encoding="utf-8")
    server = {"ServerApp": {"jpserver_extensions": dict.fromkeys(DISABLED_SERVER_EXTENSIONS, False)}}
    (config_dir / "jupyter_server_config.json").write_text(json.dumps(server, indent=1) + "\n", encoding="utf-8")
    return config_dir


def lab_command(extra: list[str]) -> list[str]:
    return [str(Path(sys.executable).with_name("jupyter")), "lab", f"--notebook-dir={WORK_DIR}", *extra]


def main(argv: list[str] | None = None) -> int:
    extra = list(sys.argv[1:] if argv is None else argv)
    for case in copy_new_cases():
        print(f"copied release/{case} to work/{case}")
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(write_config())}
    print(f"Your notebooks are in {WORK_DIR.relative_to(CHECKOUT_DIR)}/ (make release never changes them).")
    os.execvpe(lab_command(extra)[0], lab_command(extra), env)


if __name__ == "__main__":
    sys.exit(main())
