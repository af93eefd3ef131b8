"""Matching an answer against a rubric and turning the evidence into points.

A concept is earned when one of its phrases, patterns or all_of groups is
found in the graded part of the answer and the match is not denied, not only
in a list of terms, not copied from the question, not past the word limit, not
in a sentence of rubric words strung together and not asserted of the wrong
subject (claims.py), and the answer does not also assert one of the concept's
false claims. The defences then adjust the total, and anything uncertain is
flagged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path

from course.points import clamp_points
from course.shortanswer import claims, defences, text
from course.shortanswer.rubric import Concept, Question, Term, load_question

DENIED, LISTED, COPIED, OVERFLOW, CHANCE = "denied", "listed", "copied", "overflow", "chance"
TANGLED, SWAPPED, CONTRADICTED = "tangled", "swapped", "contradicted"
# What the grader read a sentence to say, even where it earns nothing.
JUDGED = frozenset({DENIED, TANGLED, SWAPPED, CONTRADICTED})
QUESTIONING = frozenset("whether if claim claims claimed assume assumes assuming suppose".split())
# A clause part with no comma, clause word or "and"/"or" in it states one claim, perhaps two; evidence
# of this many ideas in one such part is rubric words strung together ("speed market the user base
# Lazada of knowledge local is acquire"), not claims. "Tracking and customs made delivery fast" is not.
TANGLED_IDEAS = 3
_ARTICLES = frozenset("the a an its their".split())
PILE_TERM_WORDS = 3
# One doubt is enough to send an answer to the instructor; flags alone are not doubts.
DOUBT_WEIGHT = 0.4
REVIEW_BELOW = 0.7
# A sentence this long that earns nothing in a partly credited answer is worth a second look.
IDLE_SENTENCE_WORDS = 10
PLACEHOLDERS = ("your answer here", "your code here", "raise notimplementederror", "write your answer")


@dataclass(frozen=True)
class Occurrence:
    sentence: int
    start: int
    end: int
    problems: frozenset[str] = frozenset()
    weak: bool = False


@dataclass
class ConceptResult:
    """How one concept fared: earned or not, and how sure the grader is."""

    id: str
    description: str
    points: float
    earned: bool
    uncertain: bool = False
    note: str = ""
    sentences: frozenset[int] = frozenset()


@dataclass
class Result:
    question_id: str
    points: float
    max_points: float
    concepts: list[ConceptResult]
    flags: list[str] = field(default_factory=list)  # what the grader noticed, for the instructor only
    words: int = 0
    doubts: list[str] = field(default_factory=list)  # why the score may be wrong: sends it to review

    @property
    def confidence(self) -> float:
        """1 when nothing casts doubt on the score, less for each reason to doubt it."""
        return max(0.0, 1.0 - DOUBT_WEIGHT * len(self.doubts))

    @property
    def found(self) -> list[str]:
        return [c.id for c in self.concepts if c.earned]

    @property
    def missing(self) -> list[str]:
        return [c.id for c in self.concepts if not c.earned]

    @property
    def needs_review(self) -> bool:
        return self.confidence < REVIEW_BELOW


@dataclass
class Analysis:
    """The answer split once, shared by every question it is compared with."""

    sentences: list[text.Sentence]
    real: list[bool]
    words: int

    @classmethod
    def of(cls, answer: str) -> Analysis:
        found = text.sentences(answer)
        return cls(found, [defences.is_real_sentence(s) for s in found], sum(len(s) for s in found))


@dataclass
class Evaluation:
    question: Question
    concepts: list[ConceptResult]
    spans: list[defences.Span]
    evidence: set
    copied: set[int]
    tangled: bool = False
    read: frozenset[int] = frozenset()  # sentences whose idea was found and judged: denied, swapped, ...

    @property
    def earned(self) -> float:
        return sum(c.points for c in self.concepts if c.earned)


def _prefix_index(s: text.Sentence) -> dict[str, list[int]]:
    """Every prefix of every word and stem, with the positions holding it."""
    if "prefixes" not in s.cache:
        index: dict[str, set[int]] = {}
        for i, (word, stem) in enumerate(zip(s.tokens, s.stems)):
            for form in {word, stem}:
                for end in range(1, len(form) + 1):
                    index.setdefault(form[:end], set()).add(i)
        s.cache["prefixes"] = {prefix: sorted(positions) for prefix, positions in index.items()}
    return s.cache["prefixes"]


class _Matcher:
    """Finds one question's terms in one analysed answer."""

    def __init__(self, question: Question, analysis: Analysis):
        self.analysis = analysis
        self.limit = question.max_words
        flagging = question.flagging
        self.copied = defences.copied_tokens(question.text, analysis.sentences, flagging.copy_ngram)
        self.prose = defences.prose_share(analysis.sentences, analysis.real, self.copied) >= flagging.prose_share
        self.spans: list[defences.Span] = []  # every term found, for the stuffing check
        self.evidence: set = set()  # distinct phrases, patterns and groups found

    def _problems(self, s: text.Sentence, start: int, end: int) -> set[str]:
        problems = set()
        if s.start + end > self.limit:
            problems.add(OVERFLOW)
        if not (self.analysis.real[s.index] or self.prose):
            problems.add(LISTED)
        if all(s.start + i in self.copied for i in range(start, end)):
            problems.add(COPIED)
        return problems

    @staticmethod
    def _spans(term: Term, s: text.Sentence) -> list[tuple[int, int]]:
        key = ("term", term.parts)
        if key not in s.cache:
            first, prefix = term.parts[0]
            starts = _prefix_index(s).get(first, ()) if prefix else s.positions.get(first, ())
            size = len(term.parts)
            s.cache[key] = [(i, i + size) for i in starts if i + size <= len(s.tokens) and all(
                (s.tokens[i + k].startswith(part) or s.stems[i + k].startswith(part)) if is_prefix
                else s.stems[i + k] == part for k, (part, is_prefix) in enumerate(term.parts[1:], 1))]
        return s.cache[key]

    def term(self, term: Term, s: text.Sentence, *, must_deny: bool = False, weak: bool = False,
             evidence: bool = True, record: bool = True) -> list[Occurrence]:
        """Occurrences of a term; a denied term (``~``) only counts where a cue before it denies it."""
        result = []
        for start, end in self._spans(term, s):
            problems = self._problems(s, start, end)
            if must_deny or term.denied:
                if not text.denied_before(s, start, no_longer=True) or text.denied_after(s, end):
                    continue
                if text.is_rejected(s, end):  # "some say we cannot know X, but ...": the denial is the view
                    problems.add(DENIED)
            elif text.is_denied(s, start, end):
                problems.add(DENIED)
            if s.start + start < self.limit and record:
                self.spans.append((s.index, start, end))
                if evidence:
                    self.evidence.add(" ".join(s.stems[start:end]))
            result.append(Occurrence(s.index, start, end, frozenset(problems), weak))
        return result

    def pattern(self, pattern, s: text.Sentence, *, record: bool = True) -> list[Occurrence]:
        result = []
        for match in pattern.finditer(s.text):
            start, end = s.token_at(match.start()), s.token_at(max(match.end() - 1, match.start())) + 1
            if s.start + start < self.limit and record:
                self.spans.append((s.index, start, end))
                self.evidence.add(" ".join(s.stems[start:end]))
            problems = self._problems(s, start, end)
            if text.is_denied(s, start, end):
                problems.add(DENIED)
            result.append(Occurrence(s.index, start, end, frozenset(problems)))
        return result

    def group(self, group: tuple[tuple[Term, ...], ...], s: text.Sentence) -> list[Occurrence]:
        """All items of an all_of group in one clause; copied only if every item is.

        In a group stating a denial ("~tell" with "Europe"), the other items sit
        inside the denial by design, so their being denied is no problem.
        """
        found = [[occ for alt in item for occ in self.term(alt, s, evidence=False)] for item in group]
        if not all(found):
            return []
        if any(alt.denied for item in group for alt in item):
            found = [item if any(alt.denied for alt in terms) else
                     [replace(o, problems=o.problems - {DENIED}) for o in item]
                     for terms, item in zip(group, found)]
        result = []
        shared = set.intersection(*({s.clauses[o.start] for o in item} for item in found))
        for clause in sorted(shared):
            chosen = [min((o for o in item if s.clauses[o.start] == clause),
                          key=lambda o: (len(o.problems - {COPIED}), COPIED in o.problems)) for item in found]
            problems = set().union(*(o.problems - {COPIED} for o in chosen))
            if all(COPIED in o.problems for o in chosen):
                problems.add(COPIED)
            result.append(Occurrence(s.index, min(o.start for o in chosen), max(o.end for o in chosen),
                                     frozenset(problems)))
        return result

    def concept(self, concept: Concept) -> list[Occurrence]:
        found: list[Occurrence] = []
        for s in self.analysis.sentences:
            for term in concept.phrases:
                found += self.term(term, s)
            for term in concept.weak_phrases:
                found += self.term(term, s, weak=True)
            for term in concept.negated_phrases:
                found += self.term(term, s, must_deny=True)
            for pattern in concept.patterns:
                found += self.pattern(pattern, s)
            for i, group in enumerate(concept.all_of):
                matches = self.group(group, s)
                if any(s.start + m.start < self.limit for m in matches):
                    self.evidence.add((concept.id, i))
                found += matches
        return found


    def false_claims(self, concept: Concept) -> list[Occurrence]:
        """Where the answer asserts what the idea denies; these are not evidence of anything."""
        found: list[Occurrence] = []
        for s in self.analysis.sentences:
            for term in concept.false_claims:
                found += self.term(term, s, record=False)
            for pattern in concept.false_patterns:
                found += self.pattern(pattern, s, record=False)
        sentences = self.analysis.sentences
        # "no longer has to calculate the taxes" denies the false claim too.
        return [o for o in found if not o.problems and not _questioned(sentences[o.sentence], o.start)
                and not text.denied_before(sentences[o.sentence], o.start, no_longer=True)]


def _questioned(s: text.Sentence, start: int) -> bool:
    """The words from ``start`` are put in question, not asserted: "whether it grew steadily",
    "the claim of steady growth cannot be checked"."""
    clause = s.clauses[start]
    return any(s.tokens[i] in QUESTIONING for i in range(start) if s.clauses[i] == clause)


def _near_miss(occurrences: list[Occurrence]) -> str:
    """The note for a concept that was mentioned but not earned (copying is not a near miss)."""
    problems = set().union(*(o.problems for o in occurrences)) if occurrences else set()
    for problem in (DENIED, SWAPPED, CONTRADICTED, LISTED, OVERFLOW):
        if problem in problems:
            return problem
    return ""


def _check_subjects(question: Question, found: dict[str, list[Occurrence]], analysis: Analysis) -> None:
    """Mark as swapped the evidence of an idea asserted of a subject it is wrong of."""
    named = claims.mentions(question, analysis.sentences)
    for concept in question.concepts:
        if not (concept.about or concept.not_about):
            continue
        marked = []
        for o in found[concept.id]:
            before = named[o.sentence - 1] if o.sentence else []
            subject = claims.subject_of(analysis.sentences[o.sentence], named[o.sentence], o.start, o.end, before)
            marked.append(replace(o, problems=o.problems | {SWAPPED}) if claims.swapped(concept, subject) else o)
        found[concept.id] = marked


def _coordinated(s: text.Sentence, spans: list[tuple[int, int, str]]) -> bool:
    """Whether "and"/"or" joins the evidence of two different ideas ("tracking and the customs services")."""
    starts = {start: cid for start, _, cid in spans}
    for _, end, cid in spans:
        if end < len(s.tokens) and s.tokens[end] in ("and", "or"):
            follower = end + 2 if end + 2 in starts and s.tokens[end + 1] in _ARTICLES else end + 1
            if starts.get(follower, cid) != cid:
                return True
    return False


def _piled_up(s: text.Sentence, spans: list[tuple[int, int, str]]) -> bool:
    """Whether the short terms of two different ideas sit side by side with nothing linking them
    ("quality privacy perception", "user base local of knowledge"): a pile of rubric words, not a claim.
    A number after a term is how prose goes on ("could have gone 38, 30, 67")."""
    short = [(a, b, cid) for a, b, cid in spans if b - a <= PILE_TERM_WORDS and s.part_holding(a, b) is not None]
    for _, end, cid in short:
        for start, _, other in short:
            gap = s.tokens[end:start]
            if other != cid and 0 <= start - end <= 1 and all(word in ("the", "a", "an") for word in gap) \
                    and not s.tokens[start][0].isdigit() and start not in s.commas and start not in s.breaks:
                return True
    return False


def _untangle(found: dict[str, list[Occurrence]], analysis: Analysis) -> bool:
    """Mark as tangled the evidence in a sentence of rubric words strung together: one with a clause part
    holding evidence of too many ideas, or with the terms of two ideas piled side by side."""
    ideas: dict[tuple[int, int], set[str]] = {}
    spans: dict[int, list[tuple[int, int, str]]] = {}
    for cid, occurrences in found.items():
        for o in occurrences:
            if o.problems:
                continue
            spans.setdefault(o.sentence, []).append((o.start, o.end, cid))
            part = analysis.sentences[o.sentence].part_holding(o.start, o.end)
            if part is not None:
                ideas.setdefault((o.sentence, part), set()).add(cid)
    tangled = {index for index, found_spans in spans.items() if _piled_up(analysis.sentences[index], found_spans)}
    for (index, part), cids in ideas.items():
        s = analysis.sentences[index]
        in_part = [span for span in spans[index] if s.part_holding(span[0], span[1]) == part]
        if len(cids) >= TANGLED_IDEAS and not _coordinated(s, in_part):
            tangled.add(index)
    if tangled:
        for cid, occurrences in found.items():
            found[cid] = [replace(o, problems=o.problems | {TANGLED}) if o.sentence in tangled else o
                          for o in occurrences]
    return bool(tangled)


def evaluate(question: Question, analysis: Analysis) -> Evaluation:
    """Concept by concept, before the defences that look at the answer as a whole."""
    matcher = _Matcher(question, analysis)
    found = {concept.id: matcher.concept(concept) for concept in question.concepts}
    tangled = _untangle(found, analysis)
    if any(c.about or c.not_about for c in question.concepts):
        _check_subjects(question, found, analysis)
    results = []
    read: set[int] = set()
    for concept in question.concepts:
        occurrences = found[concept.id]
        valid = [o for o in occurrences if not o.problems]
        if valid and matcher.false_claims(concept):
            # The answer also asserts the opposite: a confident wrong claim in the rubric's words.
            occurrences = [replace(o, problems=o.problems | {CONTRADICTED}) for o in occurrences]
            valid = []
        results.append(ConceptResult(
            id=concept.id, description=concept.description, points=concept.points, earned=bool(valid),
            uncertain=bool(valid) and all(o.weak for o in valid),
            note="" if valid else _near_miss(occurrences),
            sentences=frozenset(o.sentence for o in valid)))
        read |= {o.sentence for o in occurrences if o.problems & JUDGED}
    return Evaluation(question, results, matcher.spans, matcher.evidence, matcher.copied, tangled, frozenset(read))


def _band(points: float, maximum: float) -> str:
    if points <= 0:
        return "zero"
    return "full" if math.isclose(points, maximum) else "partial"


def _borderline(concepts: list[ConceptResult], points: float, maximum: float) -> str | None:
    """A reason when an idea found on thin evidence decides between full, partial and no credit.

    Ideas lost to a defence (denied, listed, past the limit, answering another
    question) are flagged by that defence already.
    """
    band = _band(points, maximum)
    for c in concepts:
        if c.earned and c.uncertain:
            other = _band(points - c.points, maximum)
            if other != band:
                return f"between {band} and {other} credit: one idea rests on thin evidence ({c.description})"
    return None


def _unreadable(answer) -> str | None:
    if not isinstance(answer, str):
        return f"the answer is a {type(answer).__name__}, not text"
    if not answer.strip() or any(p in answer.lower() for p in PLACEHOLDERS):
        return "the answer is empty or still the placeholder"
    return None


def grade_details(answer, question_id: str, *, source: Path | None = None) -> Result:
    """Grade one answer and say why; ``source`` is the folder holding the case folders."""
    question, siblings = load_question(question_id, source)
    problem = _unreadable(answer)
    if problem:
        concepts = [ConceptResult(c.id, c.description, c.points, False) for c in question.concepts]
        return Result(question.id, 0.0, question.points, concepts, [problem],
                      doubts=[problem] if not isinstance(answer, str) else [])
    analysis = Analysis.of(answer)
    own = evaluate(question, analysis)
    flagging = question.flagging
    flags: list[str] = []
    words = analysis.words
    graded_words = min(words, question.max_words)

    if words > question.max_words:
        flags.append(f"longer than the {question.max_words}-word limit ({words} words): only the first "
                     f"{question.max_words} words were graded")
    if words < question.min_words:
        flags.append(f"shorter than the {question.min_words} words asked for ({words} words)")
    real_sentences = sum(analysis.real)
    if real_sentences < question.min_sentences:
        flags.append("not written in complete sentences: ideas only listed earn nothing"
                     if real_sentences == 0 else
                     f"{real_sentences} complete sentence(s) where at least {question.min_sentences} are asked for")
    elif any(c.note == LISTED for c in own.concepts):
        flags.append("some ideas appear only in a list of terms, not in sentences")
    copied_share = len([i for i in own.copied if i < question.max_words]) / max(graded_words, 1)
    if copied_share >= flagging.copy_share:
        flags.append(f"{copied_share:.0%} of the answer repeats the question's wording, which earns nothing")
        if defences.own_words(question.text, analysis.sentences, own.copied) < flagging.restated_words:
            flags.append("restates the question with only a few words of its own")
            for c in own.concepts:
                c.earned, c.uncertain, c.note = False, False, COPIED
    contradicted = [c for c in own.concepts if c.note == CONTRADICTED]
    if contradicted:
        flags.append("the answer also asserts the opposite of an idea: "
                     + "; ".join(c.description for c in contradicted))
    swapped = [c for c in own.concepts if c.note == SWAPPED]
    if swapped:
        flags.append("an idea is stated of the wrong subject: " + "; ".join(c.description for c in swapped))
    if own.tangled:
        flags.append("key terms of several ideas run together in one clause, without saying anything of them")
    denied = [c for c in own.concepts if c.note == DENIED]
    if denied:
        flags.append("an idea is mentioned only to be denied: " + "; ".join(c.description for c in denied))

    others = {key: evaluate(q, analysis) for key, q in siblings.items() if key != question.key}
    better = defences.misplaced(own.earned / question.points,
                                {key: other.earned / other.question.points for key, other in others.items()},
                                flagging.misplaced_margin)
    if better:
        rival = others[better]
        rival_sentences = frozenset().union(*(c.sentences for c in rival.concepts if c.earned))
        for c in own.concepts:
            if c.earned and c.sentences <= rival_sentences:
                c.earned, c.uncertain, c.note = False, False, CHANCE
        flags.append(f"reads more like the answer to another question: {siblings[better].text!r}")

    points = sum(c.points for c in own.concepts if c.earned)
    stuffed = defences.stuffing(own.spans, len(own.evidence), analysis.sentences, graded_words, flagging)
    if stuffed:
        cap = math.floor(question.points * flagging.gaming_cap + 1e-9)
        flags.append(f"looks stuffed with key terms, {stuffed}: at most {cap:g} point(s)")
        points = min(points, cap)
    else:
        borderline = _borderline(own.concepts, points, question.points)
        if borderline:
            flags.append(borderline)
    points = clamp_points(points, question.points)
    return Result(question.id, points, question.points, own.concepts, flags, words,
                  _doubts(question, own, points, analysis, bool(stuffed), bool(better)))


def _doubts(question: Question, own: Evaluation, points: float, analysis: Analysis,
            stuffed: bool, misplaced: bool) -> list[str]:
    """The reasons to doubt a score, found where the grader's heuristics are weakest on answers it was
    not tuned on: answers that fit another question, a stuffed answer that still earns, an idea lost to
    the claim checks (wrong subject, false claim) in an answer that keeps points, and partial credit
    beside a full sentence that earned nothing and in which no idea was read (denied, swapped,
    ...), which may state a missing idea in words the rubric lacks. A gamed answer scored zero is
    not in doubt, nor is an answer that earned everything."""
    doubts = []
    if misplaced:
        doubts.append("reads more like the answer to another question")
    if stuffed and points > 0:
        doubts.append("looks stuffed with key terms but keeps some points")
    concepts = own.concepts
    claimed = [c.description for c in concepts if c.note in (SWAPPED, CONTRADICTED)]
    if claimed and points > 0:
        doubts.append("an idea was read as stated of the wrong subject or contradicted: " + "; ".join(claimed))
    used = frozenset().union(*(c.sentences for c in concepts)) | own.read
    idle = [s for s, real in zip(analysis.sentences, analysis.real)
            if real and len(s) >= IDLE_SENTENCE_WORDS and s.index not in used and s.start < question.max_words]
    # With at least a sentence per idea, a sentence that earned nothing is likely where a missed idea is.
    if 0 < points < question.points and idle and sum(analysis.real) >= len(question.concepts):
        doubts.append("partial credit, and a full sentence earned nothing: it may state a missing idea "
                      "in other words")
    return doubts
