"""Checks against answers written for the grader rather than for the reader.

Each function looks at one way of gaming a keyword grader; scoring.py decides
what a tripped check costs. Denial ("speed was not the reason") is handled
where evidence is matched, through the negation scope in text.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence, Set as AbstractSet

from course.shortanswer.rubric import Flagging
from course.shortanswer.text import BARE_VERBS, FUNCTION_WORDS, VERB_WORDS, Sentence, sentences

Span = tuple[int, int, int]  # sentence index, first token, token after the last
_ED_NOUNS = frozenset("hundred kindred sacred naked wicked".split())


def _verb_like(word: str) -> bool:
    """A known verb form, or a past form in -ed ("speed" and "hundred" are not)."""
    if word in VERB_WORDS:
        return True
    return len(word) >= 5 and word.endswith("ed") and not word.endswith("eed") and word not in _ED_NOUNS


def is_real_sentence(sentence: Sentence) -> bool:
    """A clause with a verb and a function word (or a finite verb), once any list in it is set aside.

    "Speed to market, existing user base, local knowledge" has neither verb nor
    function word; in "Cainiao's role was: shipping, tracking, customs" what is
    left without the list ("Cainiao's role was") is too short to say anything.
    """
    tokens = sentence.tokens
    if _keyword_string(sentence):
        return False
    segments = sentence.segments()
    starts = {a for a, _ in segments}
    # In a list (two commas or more) a verb form heading an item is read as a modifier ("fixed costs",
    # "reduced fees"), and a short item without a function word is a noun phrase ("compliance costs").
    listing = len(sentence.commas) >= 2
    phrases = {i for a, b in segments if listing and b - a <= 3
               and not any(tokens[j] in FUNCTION_WORDS for j in range(a, b)) for i in range(a, b)}
    verbs = [_verb_like(word) and i not in phrases
             and not (i in starts and (word in BARE_VERBS or (listing and word.endswith("ed"))))
             for i, word in enumerate(tokens)]
    core = [i for a, b in segments for i in range(a, b)
            if b - a > 3 or any(verbs[j] and not tokens[j].endswith("ing") for j in range(a, b))]
    # Terse sentences ("Cainiao enabled cross-border shipping and tracking") may lack function words.
    finite = any(verbs[i] and tokens[i] not in BARE_VERBS and not tokens[i].endswith("ing") for i in core)
    return (len(core) >= 4 and any(verbs[i] for i in core)
            and (finite or any(tokens[i] in FUNCTION_WORDS for i in core)))


# Prose has about two linking words in five; a string of keywords has almost none.
KEYWORD_STRING_LINKS = 0.2
KEYWORD_STRING_WORDS = 10


def _keyword_string(sentence: Sentence) -> bool:
    """Many words run together with neither punctuation nor the small words that link a sentence."""
    tokens = sentence.tokens
    if len(tokens) < KEYWORD_STRING_WORDS or sentence.terminated or sentence.commas or sentence.breaks:
        return False
    links = sum(word in FUNCTION_WORDS or word in ("and", "or") for word in tokens)
    return links / len(tokens) < KEYWORD_STRING_LINKS


def prose_share(sentence_list: Sequence[Sentence], real: Sequence[bool],
                copied: AbstractSet[int] = frozenset()) -> float:
    """Share of the words that sit in real sentences; words copied from the question count for neither."""
    def own(s: Sentence) -> int:
        return sum(1 for i in range(s.start, s.start + len(s)) if i not in copied)
    total = sum(own(s) for s in sentence_list)
    return sum(own(s) for s, ok in zip(sentence_list, real) if ok) / total if total else 0.0


def own_words(question: str, sentence_list: Sequence[Sentence], copied: set[int]) -> int:
    """Content words of the answer that are neither copied nor words of the question."""
    asked = {stem for q in sentences(question) for stem in q.stems}
    return sum(1 for s in sentence_list for i, (word, stem) in enumerate(zip(s.tokens, s.stems))
               if s.start + i not in copied and stem not in asked
               and word not in FUNCTION_WORDS and word not in ("and", "or"))


def copied_tokens(question: str, sentence_list: Sequence[Sentence], ngram: int) -> set[int]:
    """Positions (over the whole answer) of words in runs of ``ngram`` words shared with the question."""
    grams = set()
    for q in sentences(question):
        grams |= {tuple(q.stems[i: i + ngram]) for i in range(len(q.stems) - ngram + 1)}
    copied: set[int] = set()
    for s in sentence_list:
        for i in range(len(s.stems) - ngram + 1):
            if tuple(s.stems[i: i + ngram]) in grams:
                copied.update(range(s.start + i, s.start + i + ngram))
    return copied


def _merge(spans: Iterable[Span]) -> list[Span]:
    merged: list[Span] = []
    for sentence, start, end in sorted(set(spans)):
        if merged and merged[-1][0] == sentence and start < merged[-1][2]:
            merged[-1] = (sentence, merged[-1][1], max(end, merged[-1][2]))
        else:
            merged.append((sentence, start, end))
    return merged


_DETERMINERS = frozenset("the a an of to in on for with by at from this that these those its their his her our "
                         "your my no any some each every".split())


def _clause(tokens: list[str], a: int, b: int) -> bool:
    """Whether ``tokens[a:b]`` is a clause ("the platform do the logistic", "both rose") rather than a
    term: a finite verb after its subject; "the fall" or "reused figures" are nouns."""
    return any(tokens[j] in VERB_WORDS and not tokens[j].endswith(("ed", "ing")) and tokens[j - 1] not in _DETERMINERS
               for j in range(a + 1, b))


def _list_items(sentence: Sentence) -> list[tuple[int, int]]:
    """Comma-, "and"- and "or"-separated pieces of a sentence."""
    items = []
    for a, b in sentence.segments():
        start = a
        for i in range(a, b):
            if sentence.tokens[i] in ("and", "or"):
                if i > start:
                    items.append((start, i))
                start = i + 1
        if b > start:
            items.append((start, b))
    return items


def stuffing(spans: Iterable[Span], evidence: int, sentence_list: Sequence[Sentence], words: int,
             flagging: Flagging) -> str | None:
    """Why the answer looks stuffed with rubric terms, or None.

    ``spans`` are the places where any of the question's terms matched and
    ``evidence`` counts the distinct phrases and groups that did. Three signs:
    many distinct pieces of evidence for the length, most of the answer made
    of short list items that are nothing but rubric terms (a string of
    synonyms), or one term repeated over and over.
    """
    words = max(words, 1)
    if evidence >= flagging.stuffing_terms and evidence / words >= flagging.stuffing_density:
        return f"unusually many key terms for its length ({evidence} in {words} words)"
    units = _merge(spans)
    covered = {(s, i) for s, a, b in units for i in range(a, b)}
    items = item_words = 0
    for s in sentence_list:
        for a, b in _list_items(s):
            content = [i for i in range(a, b) if s.tokens[i] not in FUNCTION_WORDS]
            if (content and len(content) <= 4 and not _clause(s.tokens, a, b)
                    and all((s.index, i) in covered for i in content)):
                items += 1
                item_words += b - a
    if items >= flagging.stuffing_items and item_words / words >= flagging.stuffing_share:
        return f"a string of {items} key terms with little said about them"
    keys = [" ".join(sentence_list[s].stems[a:b]) for s, a, b in units]
    for key, count in Counter(keys).most_common():
        # A good answer may name its subject ("full hosting") in every sentence; padding is repetition
        # that takes up a good part of the answer.
        padding = count * len(key.split()) / words >= flagging.repeat_share
        if padding and count >= (flagging.repeat_limit if " " in key else 2 * flagging.repeat_limit):
            return f"the same key term repeated {count} times"
    return None


def misplaced(own_fraction: float, others: dict[str, float], margin: float) -> str | None:
    """The key of another question this answer fits much better than its own, or None.

    "Much better" is by ``margin`` (a share of the points), or earning every
    point of the other question while missing some of its own.
    """
    if not others:
        return None
    best = max(others, key=others.__getitem__)
    rival = others[best]
    if rival >= 0.5 and (rival >= own_fraction + margin or rival >= 1 > own_fraction):
        return best
    return None
