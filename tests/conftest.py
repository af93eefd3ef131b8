"""Shared fixtures: the checkout, its cases, each case's demo class (autograded once per
test run and only when a test asks for that case), and a throwaway PostgreSQL server.

``@pytest.mark.needs("bwrap" | "postgres" | "chromium", ...)`` skips a test, with a one-line
reason, where a system part it needs is missing (see ``system_parts``)."""

from __future__ import annotations

import getpass
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from course.cases import names as cases
from course.instructor import demo, nbgrader_tools
from course.paths import CHECKOUT_DIR

import system_parts

CASES = cases()


def pytest_configure(config):
    config.addinivalue_line("markers", "needs(*parts): skip unless these system parts are here: "
                                       + ", ".join(system_parts.PARTS) + " (`make system` installs them)")


@pytest.hookimpl(tryfirst=True)  # before `-m` selects: a test using postgres_url counts as marked
def pytest_collection_modifyitems(config, items):
    for item in items:
        if "postgres_url" in item.fixturenames and "postgres" not in _needed(item):
            item.add_marker(pytest.mark.needs("postgres"))
        for part in _needed(item):
            why = system_parts.missing(part)
            if why:
                item.add_marker(pytest.mark.skip(reason=why))
                break


def _needed(item) -> list[str]:
    return list(dict.fromkeys(part for mark in item.iter_markers("needs") for part in mark.args))


@pytest.fixture(scope="session")
def checkout() -> Path:
    return CHECKOUT_DIR


@pytest.fixture(scope="session")
def scripts_on_path():
    """This environment's scripts first on PATH, as nbgrader's Gradebook runs ``alembic``."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATH", nbgrader_tools.environment()["PATH"])
        yield


@pytest.fixture(scope="session")
def graded_classes(tmp_path_factory):
    """``graded_classes[case]`` is ``(course folder, score table)`` after real ``nbgrader autograde``."""

    class GradedClasses(dict):
        def __missing__(self, case):
            root = demo.copy_course(CHECKOUT_DIR, tmp_path_factory.mktemp(f"course-{case}") / "course")
            self[case] = (root, demo.grade_class(root, case))
            return self[case]

    return GradedClasses()



@pytest.fixture
def graded_copy(graded_classes, tmp_path):
    """``graded_copy(case)`` is a private copy of ``case``'s autograded demo class, free to change."""

    def copy(case: str) -> Path:
        return shutil.copytree(graded_classes[case][0], tmp_path / f"graded-{case}")

    return copy

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def postgres_url():
    """A throwaway PostgreSQL server on loopback; its URL."""
    why = system_parts.missing("postgres")
    if why:
        pytest.skip(why)
    binaries = system_parts.postgres_bin()
    # A folder of its own under /tmp: the server's account must be able to reach it.
    tmp_path = Path(tempfile.mkdtemp(prefix="casebook-postgres-"))
    data, sockets = tmp_path / "pgdata", tmp_path / "pgsock"
    sockets.mkdir()
    run_as = {}
    user = getpass.getuser()
    if os.geteuid() == 0:  # initdb refuses to run as root: use the server's own account
        import pwd

        account = pwd.getpwnam("postgres")
        for path in (tmp_path, sockets):
            os.chown(path, account.pw_uid, account.pw_gid)
        run_as = {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}
        user = "postgres"
    subprocess.run([binaries / "initdb", "-D", data, "-U", user, "--auth=trust", "-E", "UTF8"],
                   check=True, capture_output=True, cwd=tmp_path, **run_as)
    port = _free_port()
    server = subprocess.Popen([binaries / "postgres", "-D", data, "-h", "127.0.0.1", "-p", str(port), "-k", sockets],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp_path, **run_as)
    try:
        deadline = time.monotonic() + 30
        while True:
            ready = subprocess.run([binaries / "pg_isready", "-h", "127.0.0.1", "-p", str(port)],
                                   capture_output=True)
            if ready.returncode == 0:
                break
            if time.monotonic() > deadline or server.poll() is not None:
                pytest.fail("PostgreSQL did not start")
            time.sleep(0.2)
        subprocess.run([binaries / "createdb", "-h", "127.0.0.1", "-p", str(port), "-U", user, "gradebook"],
                       check=True, capture_output=True)
        yield f"postgresql+psycopg://{user}@127.0.0.1:{port}/gradebook"
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(tmp_path, ignore_errors=True)
