"""Of which subject an idea is asserted: the mature-market strategy told of emerging markets earns nothing.

A concept may name its subjects (``about``, e.g. Europe and the US for the
mature-market idea) and the subjects it is wrong of (``not_about``); the
subjects other concepts of the question name count as wrong too. A piece of
evidence is asserted of:

- the subject it contains; when it names the subject at one end, of the subject
  nearest its other end, where its predicate is, in the same clause part;
- else the subject nearest to it in its clause part (between commas and clause
  words), else in its clause;
- else the nearest subject before it in its sentence (a clause that names none
  goes on about the one before, never about one named only later);
- else, in a sentence that names none and opens with a pronoun ("It also ..."),
  the first subject of the sentence before, unless that sentence set subjects
  against each other (then the pronoun says neither).

What a subject is compared with ("than at home", "between POP and full
hosting") is not a subject. Evidence asserted of a wrong subject is a swapped
claim.
"""

from __future__ import annotations

from dataclasses import dataclass

from course.shortanswer import text
from course.shortanswer.rubric import Concept, Question, Term

_CONTINUING = frozenset("it its they their this these there he she".split())
_COMPARING = frozenset("than unlike compared between".split())


@dataclass(frozen=True)
class Mention:
    """A subject named in a sentence, and the concepts that are (or are not) about it."""

    start: int
    end: int
    right_for: frozenset[str]
    wrong_for: frozenset[str]


def _spans(term: Term, s: text.Sentence) -> list[tuple[int, int]]:
    size = len(term.parts)
    return [(i, i + size) for i in range(len(s.tokens) - size + 1)
            if all((s.tokens[i + k].startswith(part) or s.stems[i + k].startswith(part)) if prefix
                   else s.stems[i + k] == part for k, (part, prefix) in enumerate(term.parts))]


def _subject_terms(question: Question) -> dict[tuple, tuple[set[str], set[str]]]:
    """Each subject term, with the concepts it is right for and those it is wrong for."""
    terms: dict[tuple, tuple[set[str], set[str]]] = {}
    for concept in question.concepts:
        for term in concept.about:
            terms.setdefault(term.parts, (set(), set()))[0].add(concept.id)
        for term in concept.not_about:
            terms.setdefault(term.parts, (set(), set()))[1].add(concept.id)
    with_subjects = {c.id for c in question.concepts if c.about}
    for right, wrong in terms.values():
        wrong.update(with_subjects - right)
    return terms


def _standard_of_comparison(s: text.Sentence, start: int) -> bool:
    """"tougher rules than at home", "unlike in China", "between POP and full hosting": what the
    subject is compared with."""
    return any(word in _COMPARING for word in s.tokens[max(0, start - 3): start])


def mentions(question: Question, sentences: list[text.Sentence]) -> list[list[Mention]]:
    """The subjects named in each sentence; of overlapping names the longest ("outside China", not "China")."""
    terms = _subject_terms(question)
    found: list[list[Mention]] = []
    for s in sentences:
        candidates = sorted(((a, b, parts) for parts in terms for a, b in
                             _spans(Term(text="", parts=parts), s)), key=lambda m: (m[0] - m[1], m[0]))
        kept: list[Mention] = []
        for a, b, parts in candidates:
            if _standard_of_comparison(s, a):
                continue
            if all(b <= m.start or a >= m.end for m in kept):
                right, wrong = terms[parts]
                kept.append(Mention(a, b, frozenset(right), frozenset(wrong)))
        found.append(sorted(kept, key=lambda m: m.start))
    return found


def _nearest(named: list[Mention], start: int, end: int) -> Mention | None:
    def distance(m: Mention) -> tuple[int, int]:
        return (start - m.end, 0) if m.end <= start else (m.start - end, 1)  # ties go to the left
    return min(named, key=distance, default=None)


def _in_part(s: text.Sentence, named: list[Mention], position: int) -> list[Mention]:
    part = s.part_holding(position, position + 1)
    return [m for m in named if s.part_holding(m.start, m.end) == part]


def subject_of(s: text.Sentence, named: list[Mention], start: int, end: int,
               before: list[Mention]) -> Mention | None:
    """The subject the evidence ``start:end`` of ``s`` is asserted of, if the answer names one."""
    inside = [m for m in named if m.start < end and m.end > start]
    if inside:
        # Evidence naming a subject at one end has its predicate at the other ("the merchant ... net price");
        # the subject is the one nearest that predicate ("for the buyer the platform handles the paperwork,
        # and for the merchant ..." tells the paperwork of the buyer).
        first, last = inside[0], inside[-1]
        if first.start == start and first.end < end:
            return _nearest(_in_part(s, named, end - 1), end - 1, end) or first
        if last.end == end and last.start > start:
            # The predicate comes first ("a level, and the 28%"): it tells of what was named before it.
            earlier = [m for m in named if m.end <= start and s.clauses[m.start] == s.clauses[start]]
            return _nearest(_in_part(s, named, start) or earlier, start, start + 1) or last
        return first
    clause = s.clauses[start]
    in_clause = [m for m in named if s.clauses[m.start] == clause]
    if in_clause:
        return _nearest(_in_part(s, named, start) or in_clause, start, end)
    # A clause that names no subject ("because the platform does the pricing") goes on about the subject
    # of the clauses before it; one named only in a later clause is not its subject.
    earlier = [m for m in named if m.end <= start]
    if earlier:
        return _nearest(earlier, start, end)
    # "It also ..." goes on about the sentence before, unless that one set subjects against each other
    # ("known in China but not in other countries"): then the pronoun does not say which, nor may the grader.
    if s.tokens and s.tokens[0] in _CONTINUING and before \
            and len({(m.right_for, m.wrong_for) for m in before}) == 1:
        return before[0]
    return None


def swapped(concept: Concept, subject: Mention | None) -> bool:
    """Whether the concept is asserted of a subject it is wrong of."""
    if subject is None or concept.id in subject.right_for:
        return False
    return concept.id in subject.wrong_for
