"""Loading and checking the rubric files (``source/<case>/rubrics.toml``).

The format is described in this package's README. Every problem is reported
as a :class:`RubricError` naming the file and the question key, because a
rubric mistake found during autograding is hard to trace otherwise.
"""

from __future__ import annotations

import math
import re
import tomllib
import warnings
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Literal, overload

from course.paths import file_stamp, source_dir
from course.shortanswer import text

RUBRIC_FILE = "rubrics.toml"
_QUESTION_FIELDS = {"question", "points", "min_words", "max_words", "min_sentences", "model_answer",
                    "reference_answer", "concepts", "flagging"}
_CONCEPT_FIELDS = {"id", "points", "description", "phrases", "weak_phrases", "negated_phrases",
                   "patterns", "all_of", "about", "not_about", "false_claims", "false_patterns"}
_TERM_LISTS = ("phrases", "weak_phrases", "negated_phrases")
_CLAIM_LISTS = ("about", "not_about", "false_claims")


class RubricError(Exception):
    """A rubric file is missing, malformed or inconsistent."""


@dataclass(frozen=True)
class Term:
    """A phrase as matched: (stem, is_prefix) per word; ``denied`` for a ``~`` term."""

    text: str
    parts: tuple[tuple[str, bool], ...]
    denied: bool = False


@dataclass(frozen=True)
class Concept:
    id: str
    points: float
    description: str
    phrases: tuple[Term, ...] = ()
    weak_phrases: tuple[Term, ...] = ()
    negated_phrases: tuple[Term, ...] = ()
    patterns: tuple[re.Pattern, ...] = ()
    all_of: tuple[tuple[tuple[Term, ...], ...], ...] = ()
    about: tuple[Term, ...] = ()  # the subjects the idea must be asserted of (see claims.py)
    not_about: tuple[Term, ...] = ()  # subjects it is wrong of, besides those of the other concepts
    false_claims: tuple[Term, ...] = ()  # asserting one of these (not denied) loses the idea
    false_patterns: tuple[re.Pattern, ...] = ()


@dataclass(frozen=True)
class Flagging:
    """Thresholds of the defences; a rubric may override any of them per question."""

    stuffing_terms: int = 10         # distinct phrases and groups found before their density is judged
    stuffing_density: float = 0.4    # distinct phrases and groups found per word
    stuffing_items: int = 6          # list items made of nothing but rubric terms...
    stuffing_share: float = 0.4      # ...and the share of the words they take up
    repeat_limit: int = 3            # uses of one multi-word term (twice this for a single word)...
    repeat_share: float = 0.15       # ...taking up this share of the words
    copy_ngram: int = 5              # shared words in a row that count as copied from the question
    copy_share: float = 0.3          # share of the answer copied from the question
    restated_words: int = 5          # a copied answer with fewer words of its own earns nothing
    misplaced_margin: float = 0.34   # how much better (share of points) another question must fit
    gaming_cap: float = 1 / 3        # share of the points a stuffed answer may keep
    prose_share: float = 2 / 3       # share of words in real sentences for fragments to count


@dataclass(frozen=True)
class Question:
    id: str
    case: str
    key: str
    text: str
    points: float
    min_words: int
    max_words: int
    model_answer: str
    concepts: tuple[Concept, ...]
    min_sentences: int = 1
    reference_answer: str = ""
    flagging: Flagging = field(default_factory=Flagging)


def parse_term(raw: str, where: str) -> Term:
    """``"local know*"`` -> stems with prefixes; ``"~know"`` must be denied to count."""
    denied = raw.startswith("~")
    body = raw[1:] if denied else raw
    parts: list[tuple[str, bool]] = []
    for piece in text.normalise(body).lower().split():
        prefix = piece.endswith("*")
        words = [w for word in re.findall(r"[a-z0-9]+(?:'[a-z]+)*", piece) for w in text.expand(word)]
        for i, word in enumerate(words):
            last = i == len(words) - 1
            parts.append((word, True) if prefix and last else (text.stem(word), False))
    if not parts:
        raise RubricError(f"{where}: the term {raw!r} has no words")
    return Term(text=raw, parts=tuple(parts), denied=denied)


def _fail(path: Path, key: str, message: str) -> RubricError:
    return RubricError(f"{path} [{key}]: {message}")


def _strings(value, path: Path, where: str, name: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise _fail(path, where, f"{name} must be a list of non-empty strings")
    return value


@overload
def _number(value, path: Path, where: str, name: str, *, integer: Literal[True]) -> int: ...


@overload
def _number(value, path: Path, where: str, name: str, *, integer: bool = False) -> float: ...


def _number(value, path: Path, where: str, name: str, *, integer: bool = False) -> float:
    kind = int if integer else (int, float)
    if isinstance(value, bool) or not isinstance(value, kind) or value <= 0:
        raise _fail(path, where, f"{name} must be a positive {'whole ' if integer else ''}number, not {value!r}")
    return value


def _compile(pattern: str, path: Path, where: str) -> re.Pattern:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            return re.compile(pattern)
    except (re.error, Warning) as err:
        raise _fail(path, where, f"pattern {pattern!r} is not a valid regular expression ({err})") from None


def _gives_away(description: str, term: Term) -> bool:
    if any(prefix for _, prefix in term.parts) or term.denied:
        return False
    stems = [text.stem(word) for s in text.sentences(description) for word in s.tokens]
    wanted = [part for part, _ in term.parts]
    return any(stems[i: i + len(wanted)] == wanted for i in range(len(stems)))


def _concept(entry, path: Path, key: str, seen: set[str]) -> Concept:
    if not isinstance(entry, dict):
        raise _fail(path, key, "each [[concepts]] entry must be a table")
    cid = entry.get("id")
    if not isinstance(cid, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", cid):
        raise _fail(path, key, f"concept id {cid!r} must be lower_case_with_underscores")
    where = f"{key}.{cid}"
    if cid in seen:
        raise _fail(path, key, f"concept id {cid!r} is used twice")
    seen.add(cid)
    unknown = set(entry) - _CONCEPT_FIELDS
    if unknown:
        raise _fail(path, where, f"unknown field(s) {', '.join(sorted(unknown))}")
    description = entry.get("description")
    if not isinstance(description, str) or not description.strip():
        raise _fail(path, where, "description (shown to students) is required")
    terms = {name: tuple(parse_term(raw, f"{path} [{where}]")
                         for raw in _strings(entry.get(name, []), path, where, name)) for name in _TERM_LISTS}
    patterns = tuple(_compile(p, path, where) for p in _strings(entry.get("patterns", []), path, where, "patterns"))
    groups = entry.get("all_of", [])
    if not isinstance(groups, list):
        raise _fail(path, where, "all_of must be a list of groups, each a list of at least two items")
    all_of = []
    for group in groups:
        if not isinstance(group, list) or len(group) < 2:
            raise _fail(path, where, "each all_of group must list at least two items")
        items = _strings(group, path, where, "all_of")
        all_of.append(tuple(tuple(parse_term(alt.strip(), f"{path} [{where}]")
                                  for alt in item.split("|") if alt.strip()) for item in items))
    if not (any(terms.values()) or patterns or all_of):
        raise _fail(path, where, "needs phrases, weak_phrases, negated_phrases, patterns or all_of")
    for term in (t for name in _TERM_LISTS for t in terms[name]):
        if _gives_away(description, term):
            raise _fail(path, where,
                        f"the description gives away the phrase {term.text!r}; describe the idea neutrally")
    subjects = {name: tuple(parse_term(raw, f"{path} [{where}]")
                            for raw in _strings(entry.get(name, []), path, where, name)) for name in _CLAIM_LISTS}
    false_patterns = tuple(_compile(p, path, where)
                           for p in _strings(entry.get("false_patterns", []), path, where, "false_patterns"))
    return Concept(id=cid, points=_number(entry.get("points"), path, where, "points"),
                   description=description.strip(), patterns=patterns, all_of=tuple(all_of), **terms, **subjects,
                   false_patterns=false_patterns)


def _flagging(value, path: Path, key: str) -> Flagging:
    if value is None:
        return Flagging()
    if not isinstance(value, dict):
        raise _fail(path, key, "flagging must be a table")
    known = {f.name: f.type for f in fields(Flagging)}
    unknown = set(value) - set(known)
    if unknown:
        raise _fail(path, key, f"unknown flagging threshold(s) {', '.join(sorted(unknown))}; known: {', '.join(known)}")
    for name, item in value.items():
        _number(item, path, key, f"flagging.{name}", integer=known[name] == "int")
    return Flagging(**value)


def _question(case: str, key: str, entry, path: Path) -> Question:
    if not isinstance(entry, dict):
        raise _fail(path, key, "each question must be a table")
    unknown = set(entry) - _QUESTION_FIELDS
    if unknown:
        raise _fail(path, key, f"unknown field(s) {', '.join(sorted(unknown))}")
    for name in ("question", "model_answer"):
        if not isinstance(entry.get(name), str) or not entry[name].strip():
            raise _fail(path, key, f"{name} is required and must be text")
    if not isinstance(entry.get("reference_answer", ""), str):
        raise _fail(path, key, "reference_answer must be text")
    points = _number(entry.get("points"), path, key, "points")
    min_words = _number(entry.get("min_words"), path, key, "min_words", integer=True)
    max_words = _number(entry.get("max_words"), path, key, "max_words", integer=True)
    if max_words <= min_words:
        raise _fail(path, key, f"max_words ({max_words}) must be larger than min_words ({min_words})")
    concepts = entry.get("concepts")
    if not isinstance(concepts, list) or not concepts:
        raise _fail(path, key, "needs at least one [[concepts]] entry")
    seen: set[str] = set()
    parsed = tuple(_concept(item, path, key, seen) for item in concepts)
    total = sum(c.points for c in parsed)
    if not math.isclose(total, points):
        raise _fail(path, key, f"concept points add up to {total:g}, but the question is worth {points:g}")
    return Question(id=f"{case}/{key}", case=case, key=key, text=entry["question"].strip(), points=float(points),
                    min_words=min_words, max_words=max_words, model_answer=entry["model_answer"].strip(),
                    reference_answer=entry.get("reference_answer", "").strip(),
                    concepts=parsed, flagging=_flagging(entry.get("flagging"), path, key),
                    min_sentences=_number(entry.get("min_sentences", 1), path, key, "min_sentences", integer=True))


@lru_cache(maxsize=64)
def _load(path: Path, _stamp: tuple[int, int]) -> dict[str, Question]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise RubricError(f"{path} is not valid TOML: {err}") from None
    if not data:
        raise RubricError(f"{path} defines no questions")
    return {key: _question(path.parent.name, key, entry, path) for key, entry in data.items()}


def load_case(path: Path) -> dict[str, Question]:
    """Every question of one rubric file, re-read when the file changes."""
    try:
        stamp = file_stamp(path)
    except FileNotFoundError:
        raise RubricError(f"No rubric file {path}: the case needs a {RUBRIC_FILE} beside its notebooks "
                          f"in the instructor's source folder") from None
    return _load(path, stamp)


def split_id(question_id: str) -> tuple[str, str]:
    case, _, key = str(question_id).partition("/")
    if not case or not key or "/" in key:
        raise RubricError(f"Question id {question_id!r} must look like '<case>/<key>'")
    return case, key


def load_question(question_id: str, source: Path | None = None) -> tuple[Question, dict[str, Question]]:
    """The question and every question of its case (to spot answers in the wrong cell)."""
    case, key = split_id(question_id)
    path = Path(source or source_dir()) / case / RUBRIC_FILE
    questions = load_case(path)
    if key not in questions:
        raise RubricError(f"{path} has no question {key!r}; it has: {', '.join(questions)}")
    return questions[key], questions
