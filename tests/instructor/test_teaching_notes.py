"""The teaching notes (docs/teaching-notes/) are what generating them gives, their numbers are the answer
key's, their quotes are the readings', they cover every graded cell, and they never reach students."""

from __future__ import annotations

import re
import tomllib

import pytest

from course import checks, facts, notebooks
from course.cases import notebook
from course.instructor import teaching_notes
from course.provenance import READINGS, quote_in_reading

from conftest import CASES

NOTES = teaching_notes.CHECKOUT_DIR / teaching_notes.NOTES_DIR
QUOTE = re.compile(r"^> “(.+)”  \n> — reading \d{3} \(`seeds/([^`]+)`\), (.+)$", re.M)


def note(case: str) -> str:
    path = NOTES / f"{case}.md"
    assert path.is_file(), f"{path} is missing: run `make notes`"
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", CASES)
def test_note_matches_a_fresh_generation(case, checkout):
    assert teaching_notes.render(case, checkout) == note(case), \
        f"docs/teaching-notes/{case}.md is stale: run `make notes`"


def test_index_matches_a_fresh_generation(checkout):
    index = (NOTES / "README.md").read_text(encoding="utf-8")
    assert teaching_notes.render_index(checkout) == index, "docs/teaching-notes/README.md is stale: run `make notes`"
    for case in CASES:
        assert f"]({case}.md)" in index


@pytest.mark.parametrize("case", CASES)
def test_every_computed_number_is_computed_again(case, checkout):
    from course.shortanswer import grade_details
    text = note(case)
    run = teaching_notes.run_key(case, checkout)
    spans = teaching_notes.SPAN.findall(text)
    assert spans, "a note without computed numbers"
    for kind, quoted_key, shown in spans:
        key = quoted_key.replace("&quot;", '"')
        if kind == "computed":
            value = run.values[key]
        elif kind == "fact":
            value = facts.value(key)
        elif kind == "calc":
            value = eval(key, teaching_notes.calc_namespace(case, checkout))  # noqa: S307
        else:
            question_id, band = key.rsplit(":", 1)
            prose = teaching_notes.load_prose(case, checkout)
            answer = teaching_notes.example_answers(question_id, prose, checkout)[band]
            value = grade_details(answer, question_id, source=checkout / "source").points
        assert teaching_notes.render_value(value) == shown, f"{kind} {key}: the note says {shown}"
    for key, block in teaching_notes.TABLE_BLOCK.findall(text):
        assert teaching_notes.render_value(run.values[key]) == block, f"table {key} differs"


@pytest.mark.parametrize("case", CASES)
def test_the_answer_keys_values_are_the_notebooks(case, checkout):
    """The values the notes print are those the answer key gives in a real kernel: the stored answer hashes,
    recorded by running the notebook, are the hashes of the values recorded here."""
    run = teaching_notes.run_key(case, checkout)
    assert run.values
    for key, value in run.values.items():
        args, kwargs = run.options[key]
        try:
            checks.check(key, value, "", *args, **kwargs)
        except AssertionError:
            pytest.fail(f"{key}: the notes' value is not the answer key's (or the hashes are stale: `make hashes`)")


@pytest.mark.parametrize("case", CASES)
def test_every_graded_cell_appears_with_its_points(case, checkout):
    text = note(case)
    graded = notebooks.graded_cells(notebooks.read(notebook(case, "source", checkout)))
    assert graded
    for grade_id, points in graded.items():
        assert f"`{grade_id}` ({teaching_notes.fmt(points)})" in text, f"{grade_id} ({points:g} points) missing"
    total = sum(graded.values())
    assert f"{teaching_notes.fmt(total)} points in" in text


@pytest.mark.parametrize("case", CASES)
def test_every_quote_is_verbatim_in_its_reading(case):
    text = note(case)
    quotes = QUOTE.findall(text)
    assert quotes, "a note that quotes no reading"
    for quote, reading, _section in quotes:
        assert reading in READINGS
        assert quote_in_reading(quote, reading), f"not in seeds/{reading}: {quote!r}"
    # every quotation mark block is one of those checked
    assert text.count("\n> “") == len(quotes)


def _note_sentences(case: str) -> list[str]:
    """Passages only a note holds: the instructor prose (wrong answers, discussion bands, board, synopsis)."""
    prose = tomllib.loads((teaching_notes.CHECKOUT_DIR / teaching_notes.SRC_DIR / f"{case}.toml").read_text())
    found: list[str] = []

    def walk(value):
        if isinstance(value, str):
            plain = teaching_notes.PLACEHOLDER.sub("", value)
            found.extend(s.strip() for s in re.split(r"(?<=[.!?])\s+", " ".join(plain.split()))
                         if len(s.strip()) > 60)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk({k: v for k, v in prose.items() if k not in ("contradictions",)})
    return found


def test_notes_never_reach_students(checkout):
    release = checkout / "release"
    assert not list(release.rglob("*teaching*")), "a teaching note under release/"
    assert not list(release.rglob("*.md")), "markdown files under release/"
    release_text = " ".join(" ".join(p.read_text(encoding="utf-8").split()) for p in release.rglob("*.ipynb"))
    assert teaching_notes.GENERATED not in release_text and "Teaching notes" not in release_text
    for case in CASES:
        for sentence in _note_sentences(case):
            assert sentence not in release_text, f"note text in release/: {sentence!r}"
    # the student environment: installed package data and Binder's build hold no notes
    pyproject = tomllib.loads((checkout / "pyproject.toml").read_text())
    package_data = [p for patterns in pyproject["tool"]["setuptools"].get("package-data", {}).values()
                    for p in patterns]
    assert not any("docs" in p or "teaching" in p or p.endswith(".md") or p.endswith(".toml") for p in package_data)
    assert pyproject["tool"]["setuptools"]["packages"]["find"]["include"] == ["course*"]
    assert not list((checkout / "course").rglob("*teaching-notes*"))
    for path in (checkout / "binder").iterdir():
        assert "docs" not in path.read_text(encoding="utf-8"), f"binder/{path.name} mentions docs/"
    # the generator reads its prose from docs/, outside the installed package
    assert teaching_notes.SRC_DIR.parts[0] == "docs"


def test_notes_never_reach_feedback(checkout):
    """Feedback pages are built from autograded notebooks only; none may hold note text (checked where any exist)."""
    pages = list((checkout / "feedback").rglob("*.html")) if (checkout / "feedback").is_dir() else []
    sentences = [s for case in CASES for s in _note_sentences(case)]
    for page in pages:
        text = " ".join(page.read_text(encoding="utf-8").split())
        assert teaching_notes.GENERATED not in text
        assert not any(s in text for s in sentences), f"note text in {page}"
    config = (checkout / "nbgrader_config.py").read_text()
    assert "teaching" not in config and "docs/" not in config


def _prose_strings(value, path=""):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _prose_strings(item, f"{path}.{key}")
    elif isinstance(value, list):
        for number, item in enumerate(value):
            yield from _prose_strings(item, f"{path}[{number}]")


@pytest.mark.parametrize("case", CASES)
def test_quotations_in_the_prose_are_the_readings_words(case):
    """In the instructor prose, a passage of three words or more in double quotes quotes a reading, verbatim;
    students' imagined answers (the examples) are the only other text in quotation marks."""
    prose = tomllib.loads((teaching_notes.CHECKOUT_DIR / teaching_notes.SRC_DIR / f"{case}.toml").read_text())
    for path, text in _prose_strings(prose):
        if path.endswith("_example") or path.startswith(".short") or ".quotes" in path:
            continue
        for quote in re.findall(r'"([^"]+)"', teaching_notes.PLACEHOLDER.sub("", text)):
            if len(quote.split()) >= 3:
                assert any(quote_in_reading(quote, reading) for reading in READINGS), f"{path}: {quote!r}"


def test_notes_command_and_make_target(checkout):
    from course.instructor import cli

    args = cli.parser().parse_args(["notes", "case1_market_selection"])
    assert args.run is cli._notes and args.cases == ["case1_market_selection"]
    assert cli.parser().parse_args(["notes"]).cases == []
    makefile = (checkout / "Makefile").read_text()
    assert "\nnotes: env" in makefile and "-m course notes $(CASES)" in makefile
