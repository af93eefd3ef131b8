import json

from course.instructor import student_lab


def test_cases_are_copied_once_and_never_overwritten(tmp_path):
    release, work = tmp_path / "release", tmp_path / "work"
    (release / "case1").mkdir(parents=True)
    (release / "case1" / "nb.ipynb").write_text("release v1")
    assert student_lab.copy_new_cases(release, work) == ["case1"]
    (work / "case1" / "nb.ipynb").write_text("my answers")
    (release / "case1" / "nb.ipynb").write_text("release v2")
    (release / "case2").mkdir()
    assert student_lab.copy_new_cases(release, work) == ["case2"]
    assert (work / "case1" / "nb.ipynb").read_text() == "my answers"


def test_config_turns_off_instructor_tools_and_news(tmp_path):
    config = student_lab.write_config(tmp_path)
    disabled = json.loads((config / "labconfig" / "page_config.json").read_text())["disabledExtensions"]
    assert disabled["@jupyter/nbgrader:formgrader"] and disabled["@jupyter/nbgrader:create-assignment"]
    assert disabled["@jupyterlab/apputils-extension:announcements"]
    assert "@jupyter/nbgrader:validate-assignment" not in disabled
    server = json.loads((config / "jupyter_server_config.json").read_text())["ServerApp"]["jpserver_extensions"]
    assert server["nbgrader.server_extensions.formgrader"] is False
