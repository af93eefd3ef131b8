"""The formgrader's Autograde button, graded by the casebook's grader.

A Jupyter server extension, run in the instructor's Jupyter server: ``make instructor`` runs
``python -m course.grading.formgrader``, JupyterLab with ``SERVER_OPTION``. nbgrader's
formgrader autogrades one submission with plain ``nbgrader autograde``: the student's code
would run unsandboxed, as the instructor, with the gradebook in reach, and the test cells would
run in the student's kernel. Loaded, this extension makes the button run
``python -m course grade CASE --student ID --force`` instead, in its own process (the sandbox's
safe default holds: where no sandbox can be made, the button says so and grades nothing). The
dialog the formgrader opens then shows the outcome: the points, or why the submission could not
be graded, which the formgrader's status column ("needs autograding") cannot say.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from course.grading import records

__all__ = ["SERVER_OPTION", "autograde_with_casebook", "grade_command", "lab_command"]

SERVER_OPTION = "--ServerApp.jpserver_extensions=course.grading.formgrader=True"


def grade_command(case: str, student: str, db_url: str) -> list[str]:
    return [sys.executable, "-m", "course", "grade", case, "--student", student, "--force", "--workers", "1",
            "--quiet", "--db-url", db_url]


def autograde_with_casebook(api, assignment_id: str, student_id: str, force: bool = True,
                            create: bool = True) -> dict:
    """``NbGraderAPI.autograde``'s contract (``success``, ``log``, ``error``) kept, the grading
    done by the casebook's command. ``force`` and ``create`` are nbgrader's: a submission is
    always graded afresh, and its student added to the gradebook when missing."""
    root = Path(api.coursedir.root).resolve()
    done = subprocess.run(grade_command(assignment_id, student_id, api.coursedir.db_url), cwd=root,
                          capture_output=True, text=True, check=False)
    log = (done.stdout + done.stderr).strip()
    record = records.read_record(root, assignment_id, student_id)
    if done.returncode == 0 and record is not None and record["status"] == "graded":
        with api.gradebook as gradebook:
            submission = gradebook.find_submission(assignment_id, student_id)
            points = f"{student_id}: {submission.score:g} of {submission.max_score:g} points"
        return {"success": True, "log": f"{points}\n{log}"}
    if record is not None and record["status"] == "failed" and record["reasons"]:
        cause = "\n".join(["Not graded:", *record["reasons"]])
    else:  # the command refused before grading: no sandbox, an unknown case, a broken gradebook
        cause = done.stderr.strip() or f"The grading command stopped with exit code {done.returncode}."
    return {"success": False, "log": log, "error": cause}


def _jupyter_server_extension_points() -> list[dict]:
    return [{"module": "course.grading.formgrader"}]


def _load_jupyter_server_extension(serverapp) -> None:
    from nbgrader.apps.api import NbGraderAPI

    NbGraderAPI.autograde = autograde_with_casebook
    serverapp.log.info("casebook: the formgrader's Autograde button runs `python -m course grade`, sandboxed")


def lab_command(extra: list[str]) -> list[str]:
    return [str(Path(sys.executable).with_name("jupyter")), "lab", SERVER_OPTION, *extra]


if __name__ == "__main__":
    os.execv(lab_command([])[0], lab_command(sys.argv[1:]))
