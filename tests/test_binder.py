"""Binder and repo2docker launch from the repository's own files (binder/).
repo2docker itself cannot run here (it needs Docker and the network), so this
checks that the files agree with pyproject.toml and the course layout."""

from __future__ import annotations

import os
import re
import tomllib

BINDER = "binder"


def _requirements(text: str) -> set[str]:
    return {line.split("#")[0].replace(" ", "") for line in text.splitlines() if line.split("#")[0].strip()}


def test_binder_requirements_match_the_package_dependencies(checkout):
    project = tomllib.loads((checkout / "pyproject.toml").read_text())["project"]
    binder = _requirements((checkout / BINDER / "requirements.txt").read_text())
    assert binder == {dep.replace(" ", "") for dep in project["dependencies"]}


def test_binder_python_satisfies_requires_python(checkout):
    project = tomllib.loads((checkout / "pyproject.toml").read_text())["project"]
    runtime = (checkout / BINDER / "runtime.txt").read_text().strip()
    version = tuple(int(part) for part in re.fullmatch(r"python-(\d+)\.(\d+)", runtime).groups())
    minimum = tuple(int(part) for part in re.fullmatch(r">=(\d+)\.(\d+)", project["requires-python"]).groups())
    assert version >= minimum


def test_post_build_installs_the_casebook_and_opens_the_release(checkout):
    post_build = checkout / BINDER / "postBuild"
    assert os.access(post_build, os.X_OK)
    text = post_build.read_text()
    assert "pip install --no-cache-dir --no-deps -e ." in text
    assert "/lab/tree/release" in text and (checkout / "release").is_dir()
