"""The command line: help, and clear refusals that change nothing."""

from __future__ import annotations

import subprocess
import sys

import pytest

from course.instructor import cli


def run(*args, cwd):
    return subprocess.run([sys.executable, "-m", "course", *args], cwd=cwd, capture_output=True, text=True)


def test_help_lists_the_commands(checkout):
    done = run("--help", cwd=checkout)
    assert done.returncode == 0
    for command in ("build", "demo", "hashes"):
        assert command in done.stdout


@pytest.mark.parametrize("command", ["build", "demo"])
def test_unknown_case_is_refused_naming_the_cases(command, checkout, tmp_path):
    before = sorted(p.name for p in (checkout / "release").iterdir())
    done = run(command, "case1_market_selektion", *(["--workdir", str(tmp_path / "d")] if command == "demo" else []),
               cwd=checkout)
    assert done.returncode == 2
    assert "no case named 'case1_market_selektion'" in done.stderr
    assert "case1_market_selection" in done.stderr
    assert sorted(p.name for p in (checkout / "release").iterdir()) == before
    assert not (tmp_path / "d").exists()


def test_unknown_command_is_refused(checkout):
    done = run("grade-everything", cwd=checkout)
    assert done.returncode == 2
    assert "invalid choice" in done.stderr


def test_parser_knows_every_command():
    assert set(cli.parser()._subparsers._group_actions[0].choices) >= {"build", "demo", "hashes"}


@pytest.mark.parametrize("command", sorted(cli.parser()._subparsers._group_actions[0].choices))
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as done:
        cli.parser().parse_args([command, "--help"])
    assert done.value.code == 0
    assert f"python -m course {command}" in capsys.readouterr().out


@pytest.mark.parametrize("args", [["report"], ["feedback", "--student"], ["answers", "case1", "--colour"]])
def test_a_wrong_argument_is_refused_with_usage(args, capsys):
    with pytest.raises(SystemExit) as done:
        cli.parser().parse_args(args)
    assert done.value.code == 2
    assert "error:" in capsys.readouterr().err
