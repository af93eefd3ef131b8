"""The short-answer grader: rubric features, defences, rubric errors, shipped rubrics, calibration."""

from __future__ import annotations

import json
import re
import textwrap
import warnings
from pathlib import Path

import pytest

import course.shortanswer as shortanswer
from course.paths import CHECKOUT_DIR
from course.shortanswer import REVIEW_PREFIX, RubricError, calibrate, check_length, defences, grade, grade_details, text
from course.shortanswer.rubric import load_case
from course.shortanswer.scoring import Result

SOURCE = CHECKOUT_DIR / "source"
CASE7 = "case7_alibaba_expansion"
CASE1 = "case1_market_selection"

ZOO = r'''
[aviary]
question = "Why did the zoo build a new aviary for its birds?"
points = 3
min_words = 8
max_words = 60
model_answer = "More space, better breeding and visitor appeal."

[[aviary.concepts]]
id = "space"
points = 1
description = "What the birds lacked in the old building"
phrases = ["more space", "more room", "cramped"]
weak_phrases = ["bigger"]

[[aviary.concepts]]
id = "breeding"
points = 1
description = "What the keepers hoped the birds would do"
phrases = ["breed*"]
patterns = ['\bchicks? hatch']
negated_phrases = ["survive"]

[[aviary.concepts]]
id = "visitors"
points = 1
description = "Who else the project was meant to please"
all_of = [["visitor*|tourist*", "attract*|draw*"]]

[feeding]
question = "Keepers feed the penguins herring at feeding time; why does the timing matter?"
points = 2
min_words = 8
max_words = 60
model_answer = "A fixed time keeps the penguins healthy and in a routine."

[[feeding.concepts]]
id = "timing"
points = 1
description = "How regular the meals are"
phrases = ["feeding time", "same time"]
all_of = [["penguin*", "~skip*|~miss*"]]

[[feeding.concepts]]
id = "health"
points = 1
description = "What regular meals do for the animals"
phrases = ["healthy", "digest*"]
'''


@pytest.fixture()
def zoo(tmp_path: Path) -> Path:
    case = tmp_path / "source" / "zoo"
    case.mkdir(parents=True)
    (case / "rubrics.toml").write_text(ZOO, encoding="utf-8")
    return tmp_path / "source"


def details(source: Path, answer, key: str = "aviary") -> Result:
    return grade_details(answer, f"zoo/{key}", source=source)


# ---------------------------------------------------------------- text handling

def test_stems_meet_across_inflections_and_spellings():
    assert text.stem("warehouses") == text.stem("warehousing") == text.stem("warehouse")
    assert text.stem("localisation") == text.stem("localized") == text.stem("localizing")
    assert text.stem("localization") != text.stem("local")
    assert text.stem("customs") != text.stem("customers")


def test_sentences_join_wrapped_lines_and_split_bullets():
    wrapped = text.sentences("Alibaba bought Lazada because it\nalready had customers. It was fast.")
    assert [s.tokens[:2] for s in wrapped] == [["alibaba", "bought"], ["it", "was"]]
    bullets = text.sentences("- speed\n- users\n- local knowledge")
    assert [s.tokens for s in bullets] == [["speed"], ["users"], ["local", "knowledge"]]
    assert len(text.sentences("Buyers in the U.S. did not trust it, e.g. fakes. Then what?")) == 2


def test_contractions_and_us_are_normalised():
    tokens = text.sentences("Buyers didn't trust the US; let us see what's next.")[0].tokens
    assert tokens[:4] == ["buyers", "did", "not", "trust"]
    assert "usa" in tokens and tokens.count("us") == 1


@pytest.mark.parametrize("sentence, phrase, denied", [
    ("Speed to market was not the reason.", "speed", True),
    ("It was not about speed, users or local knowledge.", "local knowledge", True),
    ("Alibaba did not buy Lazada for speed.", "speed", True),
    ("It gave not only speed but also users.", "speed", False),
    ("Alibaba did not build from scratch, it gained speed.", "speed", False),
    ("The hurdle was not logistics but trust.", "trust", False),
    ("Buyers did not trust the goods.", "buyers", False),
    ("Speed to market did not matter at all.", "speed", True),
    ("People say speed mattered, but that is a myth.", "speed", True),
    ("Nobody had heard of Alibaba, and Amazon was strong.", "amazon", False),
])
def test_negation_scope(sentence, phrase, denied):
    s = text.sentences(sentence)[0]
    words = phrase.split()
    position = s.tokens.index(words[0])
    assert text.is_denied(s, position, position + len(words)) is denied


@pytest.mark.parametrize("sentence, real", [
    ("Cainiao enabled cross-border shipping, parcel tracking and customs clearance.", True),
    ("Mature markets get speed: overseas warehouses and the Choice service.", True),
    ("speed to market, existing user base, local knowledge, Lazada", False),
    ("Cainiao's role was: shipping, tracking, customs, warehouses, delivery hubs.", False),
    ("Trust, perception, product quality, data privacy, political ties", False),
])
def test_real_sentences_and_lists(sentence, real):
    assert defences.is_real_sentence(text.sentences(sentence)[0]) is real


# ---------------------------------------------------------------- rubric features

def test_phrases_and_synonyms_earn_a_concept(zoo):
    assert details(zoo, "The old house was cramped, so the birds were unhappy there.").found == ["space"]
    assert details(zoo, "The birds were given more room to fly about in the new aviary.").found == ["space"]


def test_prefix_and_stemmed_phrases(zoo):
    assert details(zoo, "The keepers wanted the parrots to start breeding again next year.").found == ["breeding"]


def test_patterns(zoo):
    assert details(zoo, "The keepers hoped that chicks hatch there in the spring.").found == ["breeding"]


def test_all_of_needs_every_item_in_one_clause(zoo):
    assert details(zoo, "The aviary was built to attract visitors to the bird house.").found == ["visitors"]
    assert details(zoo, "Visitors came often to the zoo. The keepers wanted to attract sponsors.").found == []
    assert details(zoo, "Visitors were few, because the city tried to attract new investors.").found == []


def test_negated_phrases_and_denied_items(zoo):
    survived = details(zoo, "In the old house the chicks did not survive, so something had to change.")
    assert survived.found == ["breeding"]
    assert details(zoo, "Chicks survive well in most zoos and the birds were fine.").found == []
    assert details(zoo, "The penguins never miss a meal because keepers are punctual.", "feeding").found == ["timing"]
    assert details(zoo, "The penguins miss a meal sometimes when keepers are late.", "feeding").found == []


def test_denied_concepts_earn_nothing_and_are_flagged(zoo):
    result = details(zoo, "The aviary was not built for more space, and breeding was not the reason either.")
    assert result.points == 0.0 and not result.needs_review  # a denial read is trusted, not sent to review
    assert any("denied" in flag for flag in result.flags)
    both = details(zoo, "It gave not only more space but also a place to breed in peace.")
    assert both.found == ["space", "breeding"]


def test_weak_evidence_deciding_the_band_is_flagged(zoo):
    result = details(zoo, "The birds got a bigger home, began to breed again and it attracted visitors.")
    assert result.points == 3.0
    assert any("thin evidence" in flag for flag in result.flags)


def test_length_limits(zoo):
    short = details(zoo, "It was cramped there.")
    assert short.found == ["space"] and any("shorter than the 8 words" in f for f in short.flags)
    filler = "The zoo is old and has many animals that people like to see on sunny days. " * 4
    long = details(zoo, filler + "The old house was cramped.")
    assert long.words > 60 and long.found == []
    assert any("longer than the 60-word limit" in flag for flag in long.flags)


def test_points_are_a_plain_float_within_the_cell_points(zoo, monkeypatch, capsys):
    monkeypatch.setenv("CASEBOOK_ROOT", str(zoo.parent))
    for answer in ("The old house was cramped, the birds will breed and it will attract visitors.",
                   "The zoo had some money left over at the end of the year.", 42, None):
        points = grade(answer, "zoo/aviary")
        assert type(points) is float and 0.0 <= points <= 3.0
    inflated = Result("zoo/aviary", 5.0, 3.0, [], [])
    monkeypatch.setattr(shortanswer, "grade_details", lambda answer, question_id: inflated)
    assert grade("anything at all", "zoo/aviary") == 3.0
    inflated.points = -1.0
    assert grade("anything at all", "zoo/aviary") == 0.0


def test_feedback_lists_descriptions_and_never_phrases_or_model_answer(zoo, monkeypatch, capsys):
    monkeypatch.setenv("CASEBOOK_ROOT", str(zoo.parent))
    grade("The old house was cramped, so the birds needed a new home, but breeding was not the reason.",
          "zoo/aviary")
    out = capsys.readouterr().out
    assert "What the birds lacked in the old building" in out
    assert "Who else the project was meant to please" in out
    assert "More space, better breeding and visitor appeal." not in out
    for phrase in ("more space", "more room", "breed", "chicks", "attract", "tourist", "bigger", "survive"):
        assert phrase not in out.lower()
    # which defence fired, its thresholds and the review flags are the instructor's
    assert REVIEW_PREFIX not in out and "denied" not in out and "flag" not in out.lower()
    note = shortanswer.review_note(grade_details(
        "The old house was cramped for the birds. The keepers also wanted to please the families who come to "
        "the zoo every weekend. The new aviary opened last spring after two years of work.",
        "zoo/aviary", source=zoo))
    assert note.startswith(shortanswer.REVIEW_COMMENT_PREFIX) and "Provisional score 1 of 3" in note
    assert f"{REVIEW_PREFIX} partial credit, and a full sentence earned nothing" in note


def test_grade_keeps_its_result_for_the_grading_process(zoo, monkeypatch, capsys):
    monkeypatch.setenv("CASEBOOK_ROOT", str(zoo.parent))
    grade("The old house was cramped, so the birds needed more room.", "zoo/aviary")
    kept = shortanswer.take_graded("zoo/aviary")
    assert kept.points == 1.0 and shortanswer.take_graded("zoo/aviary") is None


def test_grading_writes_nothing_to_stderr_and_warns_nothing(zoo, monkeypatch, capfd):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        monkeypatch.setenv("CASEBOOK_ROOT", str(zoo.parent))
        grade("The old house was cramped; visitors, tourists, breeding, breed, more room.", "zoo/aviary")
        grade(None, "zoo/aviary")
        monkeypatch.setenv("CASEBOOK_ROOT", str(CHECKOUT_DIR))
        grade("Cainiao shipped parcels across borders, let buyers track them and cleared customs.",
              f"{CASE7}/cainiao")
    assert caught == []
    assert capfd.readouterr().err == ""


def test_grade_finds_the_rubric_from_an_autograded_folder(tmp_path, monkeypatch, capsys):
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    (tmp_path / "source" / "zoo").mkdir(parents=True)
    (tmp_path / "source" / "zoo" / "rubrics.toml").write_text(ZOO, encoding="utf-8")
    student = tmp_path / "autograded" / "student1" / "zoo"
    student.mkdir(parents=True)
    monkeypatch.delenv("CASEBOOK_ROOT", raising=False)
    monkeypatch.chdir(student)
    assert grade("The old house was cramped, so the birds needed more room.", "zoo/aviary") == 1.0


# ---------------------------------------------------------------- defences

def test_keyword_list_earns_nothing(zoo):
    result = details(zoo, "more space, breeding, visitors, attraction, aviary, birds, zoo")
    assert result.points == 0.0
    assert any("not written in complete sentences" in flag for flag in result.flags)


def test_synonym_stuffing_is_capped_and_flagged(zoo):
    result = details(zoo, "The aviary gave more space, more room, cramped, breeding, breed, breeds, chicks hatch, "
                          "visitors, tourists, attract, draw, attracting and drawing.")
    assert result.found == ["space", "breeding", "visitors"]
    assert result.points == 1.0
    assert any("stuffed" in flag for flag in result.flags)


def test_repeated_phrase_is_stuffing(zoo):
    result = details(zoo, "More space matters here. More space helps the birds. More space is good for them. "
                          "The keepers hope they breed.")
    assert result.points == 1.0 and any("repeated" in flag for flag in result.flags)


def test_question_copied_back_earns_nothing_for_the_copy(zoo):
    copied = details(zoo, "Keepers feed the penguins herring at feeding time, and the timing matters.", "feeding")
    assert copied.found == [] and any("repeats the question" in flag for flag in copied.flags)
    own = details(zoo, "The birds eat at the same feeding time each day, so they stay calm and content.", "feeding")
    assert own.found == ["timing"] and not own.flags


def test_over_long_answers_are_cut_at_the_limit(zoo):
    opening = "The old house was cramped and the birds were unhappy in it. "
    filler = "Many people visit the zoo every weekend with their families and friends. " * 5
    result = details(zoo, opening + filler + "The keepers also wanted the birds to breed.")
    assert result.found == ["space"]
    assert result.missing == ["breeding", "visitors"]
    assert any("only the first 60 words were graded" in flag for flag in result.flags)


def test_answer_to_another_question_scores_zero_for_chance_overlap(zoo):
    result = details(zoo, "Feeding time is fixed so that the penguins stay healthy and can breed.")
    assert result.points == 0.0
    assert any("another question" in flag for flag in result.flags)
    good = details(zoo, "The old house was cramped, the parrots should breed and the aviary will attract visitors.")
    assert good.points == 3.0 and not good.flags


def test_unreadable_answers_score_zero(zoo):
    for answer in (None, 3, "   ", "YOUR ANSWER HERE"):
        result = details(zoo, answer)
        assert result.points == 0.0 and result.flags
        # an empty answer is surely worth nothing; a value that is not text may be a slip worth a look
        assert result.needs_review is not isinstance(answer, str)


# ---------------------------------------------------------------- check_length

@pytest.mark.parametrize("answer, message", [
    (None, "should be text"),
    (12, "should be text"),
    ("YOUR ANSWER HERE", "placeholder"),
    ("\n# YOUR CODE HERE\nraise NotImplementedError()\n", "placeholder"),
])
def test_check_length_rejects_with_a_hint(answer, message):
    with pytest.raises(AssertionError, match=message):
        check_length(answer)


@pytest.mark.parametrize("answer, message", [
    ("Too short to grade.", "at least 10 words in complete sentences"),
    ("word " * 450, "shorten it to fewer than 400"),
])
def test_check_length_says_what_is_expected_without_failing(answer, message, capsys):
    assert check_length(answer) is None
    assert message in capsys.readouterr().out


def test_a_terse_correct_answer_is_graded_on_its_content(zoo):
    result = details(zoo, "Cramped house; they breed; it attracts visitors.")
    assert result.words < 8 and result.points == 3.0


def test_check_length_prints_only_the_word_count(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CASEBOOK_ROOT", str(tmp_path))  # no rubric anywhere: the check must not need one
    assert check_length("Buying Lazada was faster than building a new platform from scratch.") is None
    assert capsys.readouterr().out.strip() == "Your answer has 11 words: long enough to be graded."


# ---------------------------------------------------------------- rubric errors

def write_rubric(tmp_path: Path, body: str) -> Path:
    case = tmp_path / "source" / "zoo"
    case.mkdir(parents=True, exist_ok=True)
    (case / "rubrics.toml").write_text(textwrap.dedent(body), encoding="utf-8")
    return tmp_path / "source"


MINIMAL = """
[q]
question = "Why?"
points = 2
min_words = 5
max_words = 50
model_answer = "Because."
[[q.concepts]]
id = "a"
points = 1
description = "The first idea"
phrases = ["alpha"]
[[q.concepts]]
id = "b"
points = 1
description = "The second idea"
phrases = ["beta"]
"""


def test_missing_rubric_file_is_named(tmp_path):
    with pytest.raises(RubricError, match=r"No rubric file .*nowhere.*rubrics\.toml"):
        grade_details("Some answer here.", "nowhere/q", source=tmp_path)


def test_unknown_question_key_lists_the_known_ones(tmp_path):
    source = write_rubric(tmp_path, MINIMAL)
    with pytest.raises(RubricError, match=r"rubrics\.toml has no question 'r'; it has: q"):
        grade_details("Some answer here.", "zoo/r", source=source)


def test_malformed_toml_is_reported_with_the_file(tmp_path):
    source = write_rubric(tmp_path, "[q]\nquestion = \"unclosed\n")
    with pytest.raises(RubricError, match=r"zoo.rubrics\.toml is not valid TOML"):
        grade_details("Some answer here.", "zoo/q", source=source)


@pytest.mark.parametrize("change, message", [
    (("points = 2", "points = 3"), r"\[q\]: concept points add up to 2, but the question is worth 3"),
    (('phrases = ["beta"]', 'phrases = ["beta"]\nsynonyms = ["b"]'), r"\[q\.b\]: unknown field\(s\) synonyms"),
    (('phrases = ["beta"]', "patterns = ['(unclosed']"), r"\[q\.b\]: pattern '\(unclosed' is not a valid"),
    (('description = "The second idea"', 'description = "Say beta"'), r"\[q\.b\]: the description gives away"),
    (('phrases = ["beta"]', 'all_of = [["beta"]]'), r"\[q\.b\]: each all_of group must list at least two"),
    (('model_answer = "Because."', ""), r"\[q\]: model_answer is required"),
    (("max_words = 50", "max_words = 3"), r"\[q\]: max_words \(3\) must be larger than min_words \(5\)"),
])
def test_inconsistent_rubrics_give_clear_messages(tmp_path, change, message):
    source = write_rubric(tmp_path, MINIMAL.replace(*change, 1))
    with pytest.raises(RubricError, match=message) as err:
        grade_details("Some answer here.", "zoo/q", source=source)
    assert "rubrics.toml" in str(err.value)


def test_question_ids_must_name_case_and_key(tmp_path):
    with pytest.raises(RubricError, match="must look like '<case>/<key>'"):
        grade_details("Some answer here.", "just_a_key", source=tmp_path)


# ---------------------------------------------------------------- shipped rubrics

CASE1_QUESTIONS = {
    "dual_track": "Section 2 describes a 'dual-track' market strategy. In three to five sentences, explain what "
                  "AliExpress does differently in mature and in emerging markets, and why running both tracks at "
                  "once helps the company. Support each point with evidence from §2.",
    "figure1_limits": "The text of §2.2 gives two of Figure 1's regional GMV shares. What do these two numbers let "
                      "us say about AliExpress's GMV in 2025, and what do they not let us say?",
}


def shipped(case: str) -> dict:
    return load_case(SOURCE / case / "rubrics.toml")


def rubric_question_ids() -> set[str]:
    return {f"{path.parent.name}/{key}" for path in SOURCE.glob("*/rubrics.toml") for key in load_case(path)}


def test_case7_rubric_uses_the_readings_questions_and_model_answers():
    reading = (CHECKOUT_DIR / "seeds" / "003_56eb73be327c13af.txt").read_text(encoding="utf-8")
    section = reading[reading.index("9. Discussion Questions"):reading.index("10. References")]
    lines = [line.strip() for line in section.splitlines() if line.strip()][1:]
    pairs = [(re.sub(r"^\d\.\s+", "", lines[i]), lines[i + 1]) for i in range(0, len(lines), 2)]
    questions = shipped(CASE7)
    assert list(questions) == ["acquire_vs_build", "domestic_vs_international", "cainiao", "western_hurdle",
                               "engineers"]
    assert [(q.text, q.model_answer) for q in questions.values()] == pairs
    assert all(q.points == 3 and len(q.concepts) == 3 for q in questions.values())


def test_case1_rubric_questions_and_points():
    questions = shipped(CASE1)
    assert {key: q.text for key, q in questions.items()} == CASE1_QUESTIONS
    assert questions["dual_track"].points == 3 and questions["figure1_limits"].points == 2


@pytest.mark.parametrize("case", [CASE7, CASE1])
def test_reference_answers_earn_full_marks_unflagged(case):
    for question in shipped(case).values():
        result = grade_details(question.reference_answer, question.id, source=SOURCE)
        assert (result.points, result.flags) == (question.points, []), question.id


def test_nbgrader_never_releases_rubrics():
    config = (CHECKOUT_DIR / "nbgrader_config.py").read_text(encoding="utf-8")
    ignore = re.search(r"CourseDirectory\.ignore\s*=\s*\[([^\]]*)\]", config)
    assert ignore and '"rubrics.toml"' in ignore.group(1)


def test_feedback_on_shipped_rubrics_leaks_no_phrase_or_model_answer(capsys, monkeypatch):
    monkeypatch.setenv("CASEBOOK_ROOT", str(CHECKOUT_DIR))
    for case in (CASE7, CASE1):
        questions = shipped(case)
        question_text = " ".join(q.text.lower() for q in questions.values())
        for question in questions.values():
            grade(question.reference_answer, question.id)
            grade("It was not about any of that, and nothing else mattered either way.", question.id)
            out = capsys.readouterr().out.lower()
            assert question.model_answer.lower() not in out
            for concept in question.concepts:
                for term in concept.phrases + concept.weak_phrases + concept.negated_phrases:
                    words = term.text.rstrip("*").lower()
                    if " " in words and words not in question_text:
                        assert not re.search(rf"\b{re.escape(words)}\b", out), (question.id, words)


def test_release_notebooks_hold_no_rubric_content():
    notebooks = sorted((CHECKOUT_DIR / "release").rglob("*.ipynb"))
    if not notebooks:
        pytest.skip("release/ holds no notebooks yet")
    assert not list((CHECKOUT_DIR / "release").rglob("rubrics.toml"))
    secrets = []
    for path in sorted(SOURCE.glob("*/rubrics.toml")):
        for question in load_case(path).values():
            secrets += [question.model_answer, question.reference_answer]
            for concept in question.concepts:
                listed = [t.text for t in concept.phrases]
                if len(listed) >= 3:
                    secrets.append(", ".join(json.dumps(t) for t in listed[:3]))
    for notebook in notebooks:
        content = notebook.read_text(encoding="utf-8")
        cells = json.loads(content)["cells"]
        flat = "\n".join("".join(cell.get("source", "")) for cell in cells) + content
        for secret in filter(None, secrets):
            assert secret not in flat, f"{notebook} contains rubric content: {secret[:60]!r}"
        assert "phrases = [" not in flat


# ---------------------------------------------------------------- calibration

@pytest.fixture(scope="module")
def report() -> calibrate.Report:
    return calibrate.run(calibrate.read_rows(calibrate.DEFAULT_CSV), SOURCE)


def test_calibration_set_is_broad_enough(report):
    rows = [g.row for g in report.graded]
    assert len(rows) >= 150 and len({r["id"] for r in rows}) == len(rows)
    per_question = {}
    for graded in report.graded:
        per_question.setdefault(graded.row["question_id"], set()).add(graded.row["category"])
        assert 0 <= graded.label <= graded.result.max_points
    # Every question in every case's rubric file is calibrated, with every kind of answer.
    assert set(per_question) == rubric_question_ids()
    assert all(categories == set(calibrate.CATEGORIES) for categories in per_question.values())
    for question in per_question:
        assert sum(r["question_id"] == question for r in rows) >= 15
    notes = " ".join(r["note"] for r in rows if r["category"] == "gamed")
    for strategy in ("keyword list", "stuffing", "question copied", "over-long", "denied", "answer to the"):
        assert strategy in notes


def test_calibration_targets(report):
    print("\n" + calibrate.summary(report))  # the speed figure is reported, not asserted
    assert report.exact >= calibrate.TARGET_EXACT
    assert report.within_one >= calibrate.TARGET_WITHIN_ONE
    assert [g.row["id"] for g in report.gamed_over_limit] == []


def test_gamed_answers_are_flagged_for_the_instructor(report):
    unflagged = [g.row["id"] for g in report.gamed if not g.result.flags]
    assert unflagged == []


def test_calibrate_command_line(capsys):
    with pytest.raises(SystemExit) as done:
        calibrate.main(["--help"])
    assert done.value.code == 0 and "calibration" in capsys.readouterr().out
    assert calibrate.main(["--source", str(SOURCE)]) == 0
    out = capsys.readouterr().out
    assert "Exact agreement" in out and "Milliseconds per answer" in out and "Targets met." in out


def test_save_verdicts_marks_a_doubtful_short_answer_for_review(monkeypatch, capsys):
    """The grading process's SaveAutoGrades finds the result ``grade`` kept for a test cell whose
    verdict it came from, and writes the instructor's note only when the score is in doubt."""
    import nbformat

    from course.grading.kernels import VERDICTS
    from course.grading.save_verdicts import VerdictSaveAutoGrades
    from course.grading.verdict import Verdict

    monkeypatch.setenv("CASEBOOK_ROOT", str(CHECKOUT_DIR))
    cell = nbformat.v4.new_code_cell(f'check_length(answer_cainiao)\ngrade(answer_cainiao, "{CASE7}/cainiao")')
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": "ex12_cainiao_test", "points": 3}
    saver = VerdictSaveAutoGrades()
    saver.answer_cell = "ex12_cainiao"
    doubtful = ("Cainiao shipped parcels abroad. Its founders wanted Alibaba to be remembered as a company that "
                "made life easier for small sellers everywhere. Buyers were very happy with it.")
    for answer, expected in ((doubtful, True), ("Cainiao shipped parcels abroad and let buyers track them.", False)):
        points = grade(answer, f"{CASE7}/cainiao")
        resources = {VERDICTS: {"ex12_cainiao_test": Verdict(points, 3.0)}}
        note = saver._review_note(cell, resources)
        assert (note is not None) is expected
        if expected:
            assert "Provisional score 1 of 3" in note and "may state a missing idea" in note
    grade(doubtful, f"{CASE7}/cainiao")
    failed = {VERDICTS: {"ex12_cainiao_test": Verdict(0.0, 3.0, error="AssertionError: placeholder")}}
    assert saver._review_note(cell, failed) is None  # not the result the verdict came from
