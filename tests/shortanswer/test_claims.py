"""The short-answer grader's claim checks: which idea is asserted of which subject, false claims,
rubric words strung together, views the writer rejects, and where review goes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from course.shortanswer import calibrate, defences, evaluate, grade_details, text
from course.shortanswer.rubric import load_case
from course.shortanswer.scoring import Result

PETS = r'''
[pets]
question = "How do cats and dogs differ as pets for a busy owner?"
points = 3
min_words = 8
max_words = 80
model_answer = "Cats sleep most of the day alone; dogs need daily walks; both cost money."

[[pets.concepts]]
id = "cats_alone"
points = 1
description = "How the smaller animal copes with an empty flat"
about = ["cat*", "kitten*"]
phrases = ["sleep* all day", "sleep* most of the day", "left alone", "independent"]

[[pets.concepts]]
id = "dogs_walks"
points = 1
description = "What the larger animal needs every day"
about = ["dog*", "pupp*"]
phrases = ["daily walk*", "need* walks", "walked every day", "exercise"]

[[pets.concepts]]
id = "costs"
points = 1
description = "What both cost the owner"
phrases = ["cost money", "vet bills", "food bills"]
false_claims = ["free to keep", "cost nothing"]
false_patterns = ['\bcosts? (almost )?nothing\b']

[shelter]
question = "Why did the shelter open a cat room?"
points = 3
min_words = 8
max_words = 80
model_answer = "Quiet, space and adoption."

[[shelter.concepts]]
id = "quiet"
points = 1
description = "What the animals needed away from the noise"
phrases = ["quiet", "calm"]

[[shelter.concepts]]
id = "space"
points = 1
description = "What the old room lacked"
phrases = ["space", "room to climb"]

[[shelter.concepts]]
id = "adoption"
points = 1
description = "What the shelter hoped visitors would do"
phrases = ["adopt*"]
'''


@pytest.fixture()
def pets(tmp_path: Path) -> Path:
    case = tmp_path / "source" / "pets"
    case.mkdir(parents=True)
    (case / "rubrics.toml").write_text(PETS, encoding="utf-8")
    return tmp_path / "source"


def details(source: Path, answer: str, key: str = "pets") -> Result:
    return grade_details(answer, f"pets/{key}", source=source)


# ---------------------------------------------------------------- subjects

def test_an_idea_told_of_its_own_subject_earns(pets):
    result = details(pets, "Cats sleep most of the day and are fine left alone. Dogs need walks every morning.")
    assert result.found == ["cats_alone", "dogs_walks"]


def test_an_idea_told_of_the_other_subject_is_a_swapped_claim(pets):
    result = details(pets, "Dogs sleep most of the day and are fine on their own. Cats need walks every morning.")
    assert result.found == []
    assert any("wrong subject" in flag for flag in result.flags)


def test_the_subject_is_the_nearest_in_the_clause(pets):
    result = details(pets, "A cat can be left alone, while a dog needs walks twice a day.")
    assert result.found == ["cats_alone", "dogs_walks"]


def test_a_pronoun_continues_the_subject_of_the_sentence_before(pets):
    assert details(pets, "Dogs are loyal friends for a family. They need walks and a garden.").found == ["dogs_walks"]
    assert details(pets, "Cats are quiet friends for a family. They need walks and a garden.").found == []


def test_a_pronoun_after_a_sentence_setting_two_subjects_apart_names_neither(pets):
    # "They" may be the owners, the cats or the dogs: neither swapped nor credited to a subject
    answer = "Cats are calm at home but dogs are not. They need walks and exercise every day."
    assert details(pets, answer).found == ["dogs_walks"]
    assert not any("wrong subject" in flag for flag in details(pets, answer).flags)


def test_what_a_subject_is_compared_with_is_not_its_subject(pets):
    result = details(pets, "Dogs need walks far more often than cats do, which a busy owner must plan for.")
    assert result.found == ["dogs_walks"]


def test_an_idea_with_no_subject_named_still_earns(pets):
    assert details(pets, "One of them needs walks every day, so plan your mornings.").found == ["dogs_walks"]


def test_subjects_are_read_from_the_rubric(pets):
    concept = load_case(pets / "pets" / "rubrics.toml")["pets"].concepts[0]
    assert [term.text for term in concept.about] == ["cat*", "kitten*"]


# ---------------------------------------------------------------- false claims

def test_a_false_claim_loses_the_idea_it_contradicts(pets):
    right = details(pets, "Both animals cost money for food and vet bills every month of the year.")
    assert right.found == ["costs"]
    wrong = details(pets, "Both animals cost money at first, but after that they are free to keep for years.")
    assert wrong.found == [] and any("opposite" in flag for flag in wrong.flags)
    assert details(pets, "Both cost money at first, but after that a cat costs almost nothing.").found == []


def test_a_denied_or_questioned_false_claim_is_no_contradiction(pets):
    assert details(pets, "Both cost money; they are not free to keep, whatever the shop says.").found == ["costs"]
    assert details(pets, "Both cost money, and I wonder whether a cat is free to keep later on.").found == ["costs"]
    assert details(pets, "Both cost money; a cat is no longer free to keep once it is ill.").found == ["costs"]


# ---------------------------------------------------------------- rubric words strung together

def test_three_ideas_in_one_clause_part_are_strung_together(pets):
    result = details(pets, "Quiet space the adopt room is cats of shelter open.", "shelter")
    assert result.points == 0 and any("run together" in flag for flag in result.flags)


def test_ideas_in_their_own_clauses_or_joined_by_and_are_claims(pets):
    assert details(pets, "The cats needed quiet, the old room was short of space, and visitors could adopt them.",
                   "shelter").points == 3
    assert details(pets, "Quiet and space help the cats, so more visitors adopt them.", "shelter").points == 3


def test_a_list_of_short_noun_phrases_is_not_a_sentence():
    assert not defences.is_real_sentence(text.sentences("1.7 points, fixed costs, compliance costs, fee cut")[0])
    assert defences.is_real_sentence(text.sentences("Cramped house; they breed; it attracts visitors.")[0])


# ---------------------------------------------------------------- views the writer rejects

def _denied(answer: str, phrase: str) -> bool:
    found = text.sentences(answer)
    words = phrase.split()
    for s in found:
        if words[0] in s.tokens:
            start = s.tokens.index(words[0])
            return text.is_denied(s, start, start + len(words))
    raise AssertionError(f"{phrase!r} not in {answer!r}")


@pytest.mark.parametrize("answer, phrase, denied", [
    ("Some say cats sleep all day. Having owned both, I do not agree with that.", "sleep", True),
    ("Many people think dogs need walks. That is not what happened with mine.", "walks", True),
    ("Some argue cats are independent. Mine is clingy, so I think this argument is weak.", "independent", True),
    ("Some owners say cats sleep all day, but mine is restless.", "sleep", True),
    ("Some say cats sleep all day. Mine does, and it suits me.", "sleep", False),
    ("Cats sleep all day. That is not true of dogs.", "sleep", False),
])
def test_a_view_rejected_in_the_next_sentence_is_denied(answer, phrase, denied):
    assert _denied(answer, phrase) is denied


def test_a_rejected_view_that_states_a_denial_earns_nothing(tmp_path):
    source = tmp_path / "source"
    (source / "farm").mkdir(parents=True)
    (source / "farm" / "rubrics.toml").write_text('''
[hens]
question = "What do we not know about the hens?"
points = 1
min_words = 4
max_words = 60
model_answer = "We cannot know how many eggs they laid in 2024."

[[hens.concepts]]
id = "unknown_year"
points = 1
description = "What the records leave open"
all_of = [["~know", "2024"]]
''', encoding="utf-8")
    plain = grade_details("We cannot know what happened in 2024 with the eggs.", "farm/hens", source=source)
    rejected = grade_details("Some might say we cannot know what happened in 2024, but I do not think that "
                             "matters at all.", "farm/hens", source=source)
    assert plain.points == 1 and rejected.points == 0


# ---------------------------------------------------------------- review

def test_an_idea_lost_to_a_claim_check_in_an_answer_that_keeps_points_is_reviewed(pets):
    result = details(pets, "Dogs sleep most of the day alone. Both of them cost money for food and the vet.")
    assert result.found == ["costs"] and result.needs_review


def test_partial_credit_beside_a_sentence_that_earned_nothing_is_reviewed(pets):
    answer = ("Cats are happy to sleep most of the day. Dogs want somebody at home who can take them out to "
              "the park twice. A busy owner should think hard before choosing.")
    result = details(pets, answer)
    assert result.found == ["cats_alone"] and result.needs_review
    assert not details(pets, "Cats sleep most of the day, and dogs need walks.").needs_review  # fewer sentences


# ---------------------------------------------------------------- evaluation sets

def test_development_and_held_out_sets_are_apart():
    dev = json.loads(evaluate.DEV_JSON.read_text(encoding="utf-8"))["answers"]
    held_out = json.loads(evaluate.DEFAULT_JSON.read_text(encoding="utf-8"))["answers"]
    assert len(dev) >= 60
    assert not {a["answer"] for a in dev} & {a["answer"] for a in held_out}
    assert {a["category"] for a in dev} == set(calibrate.CATEGORIES)


def test_calibrate_reports_development_and_held_out_apart(capsys):
    calibrate.main([])
    out = capsys.readouterr().out
    assert "Development answers:" in out and "Held-out answers:" in out
    assert out.index("Development answers:") < out.index("Held-out answers:")


def test_terms_of_two_ideas_piled_side_by_side_earn_nothing(pets):
    result = details(pets, "The room had quiet space adopt, cats like it very much in the shelter.", "shelter")
    assert result.points == 0 and any("run together" in flag for flag in result.flags)
    # a term crossing a comma, or a number after a term, is how prose goes on
    assert details(pets, "The cats needed quiet, space to climb and people who adopt them.", "shelter").points == 3


def test_a_short_label_before_a_colon_stays_in_its_clause():
    label = text.sentences("Most control: POP.")[0]
    listing = text.sentences("Cainiao's role was: shipping, tracking, customs clearance and returns.")[0]
    assert not label.breaks and listing.breaks


def test_which_after_a_verb_opens_no_clause():
    s = text.sentences("Nobody can tell which region is the biggest, which is a pity.")[0]
    tell, which, pity = s.tokens.index("tell"), s.tokens.index("which"), s.tokens.index("pity")
    assert s.clauses[tell] == s.clauses[which] != s.clauses[pity]


def test_no_longer_denies_only_where_a_denial_is_looked_for():
    s = text.sentences("The buyer no longer pays a tax bill.")[0]
    bill = s.tokens.index("tax")
    assert text.denied_before(s, bill, no_longer=True) and not text.denied_before(s, bill)


def test_a_clause_naming_no_subject_goes_on_about_the_one_before(pets):
    assert details(pets, "Cats are easy pets, because they can be left alone, while dogs are harder.").found \
        == ["cats_alone"]
    assert details(pets, "Dogs are easy pets, because they can be left alone, while cats need walks.").found == []


@pytest.mark.parametrize("answer", [
    "No because other factors could explain the results.",
    "No it does not, other factors could explain the results.",
    "No, other factors could explain the results.",
])
def test_no_answering_a_yes_no_question_denies_nothing(answer):
    assert not _denied(answer, "other factors")


def test_a_rejection_may_follow_a_sentence_that_goes_on_with_the_view():
    assert _denied("Some say cats sleep all day. They point to lazy cats online. I do not agree.", "sleep")
    assert not _denied("Some say cats sleep all day. Mine is the same. But dogs need walks.", "sleep")
