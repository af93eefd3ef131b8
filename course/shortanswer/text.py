"""Turning an answer into sentences of tokens, and deciding what is denied.

Everything the grader matches works on the same normalised form: lower case,
curly quotes straightened, hyphens and slashes read as spaces, ``%`` read as
``percent``, contractions expanded (``didn't`` -> ``did not``) and possessive
``'s`` dropped. Each token also has a light stem so that ``warehouses``,
``warehousing`` and ``warehouse`` meet, and British and American spellings
(``localisation``, ``localization``) meet too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "`": "'", "\u201c": '"', "\u201d": '"'})
_ABBREVIATIONS = {"eg", "ie", "vs", "etc", "approx", "no", "st", "mr", "dr", "inc", "ltd", "co", "fig", "cf"}
_BULLET = re.compile(r"^\s*(?:[-*\u2013\u2014\u2022\u25aa\u2023]|\d{1,2}[.)])\s+")
_WORD_OR_MARK = re.compile(r"[a-z0-9]+(?:'[a-z]+)*|[,;:()]")

# Contractions written without the apostrophe are common in quick typing.
_BARE_NEGATIONS = {
    "dont": "do", "doesnt": "does", "didnt": "did", "isnt": "is", "wasnt": "was", "arent": "are",
    "werent": "were", "cant": "can", "cannot": "can", "wont": "will", "wouldnt": "would",
    "couldnt": "could", "shouldnt": "should", "hasnt": "has", "havent": "have", "hadnt": "had",
}
_IS_CONTRACTIONS = {"it", "that", "what", "there", "here", "he", "she", "who", "where", "how", "this"}
_SUFFIX_WORDS = {"re": "are", "ve": "have", "ll": "will", "d": "would", "m": "am"}

FUNCTION_WORDS = frozenset(
    """a an the this that these those it its they their them he she his her we our you your i
    of to in on at by for with from into onto than as because since so but which who whom whose
    what when where why how there here is are was were be been being has have had do does did
    can could will would should may might must shall not also more most very if then while
    although though both each all some such only already through about over under within without
    between after before during against until any no nor every other another one own same""".split()
)

_AUXILIARIES = """is are was were be been being am has have had do does did can could will would
should may might must shall""".split()
_VERB_BASES = """get give take make let mean allow enable build buy acquire purchase own need help gain reach win
run grow cut put set keep leave face want use offer provide create open enter launch start begin finish end
stop continue move shift switch redirect reallocate spread diversify reduce lower raise increase decrease
boost shorten improve support ship deliver send receive carry transport store stock track trace monitor
clear handle manage serve sell show tell say state claim argue know learn teach think see find lose save
depend rely trust distrust fear worry doubt question like love prefer expect hope believe feel seem appear
look remain become stay turn fall rise drop decline hurt harm damage benefit profit earn cost partner merge
join invest spend pay charge lend borrow beat fight work operate process adapt adjust change modify tailor
customize customise localize localise translate focus compete struggle meet solve fix address tackle
overcome ensure comply respect obey satisfy fit match suit target attract retain convince persuade
criticize ban block restrict regulate require demand ask answer try attempt aim plan decide choose pick
select rank compare contrast differ vary account contribute represent add sum total equal omit break split
divide combine matter count cause result lead involve include contain consist affect influence shape
determine limit prevent avoid protect hedge offset balance cushion absorb mitigate design develop test
optimize optimise scale integrate connect link relate describe explain suggest indicate imply prove
confirm reveal hide cover face follow lack penetrate expand hit hear sit go come""".split()
_IRREGULAR_VERBS = """got gave given took taken made let meant built bought won ran grew grown cut put set kept
left found lost saw seen knew known thought told said brought became come came went gone led paid spent chose
chosen broke broken sold shown understood stood held felt began begun drew fell hit hurt sent spoke stuck
struck taught threw wrote written rose drove heard""".split()


def _inflections(base: str) -> set[str]:
    forms = {base, base + "s", base + "es", base + "ed", base + "d", base + "ing"}
    if base.endswith("y"):
        forms |= {base[:-1] + "ies", base[:-1] + "ied"}
    if base.endswith("e"):
        forms |= {base[:-1] + "ing"}
    return forms


VERB_WORDS = frozenset(
    set(_AUXILIARIES) | set(_IRREGULAR_VERBS) | {form for base in _VERB_BASES for form in _inflections(base)}
)
# Bare forms double as nouns ("trust, quality, privacy"), so they do not count at the start of a list item.
BARE_VERBS = frozenset(_VERB_BASES) - set(_AUXILIARIES) - set(_IRREGULAR_VERBS)
PRONOUNS = frozenset("it they this that he she we you i which who there these those".split())

NEGATION_CUES = frozenset("not no never nor neither none nothing nobody hardly".split())
# "not only X but also Y" asserts X.
_NOT_NEGATING_AFTER = frozenset("only just merely simply".split())
_CLAUSE_WORDS = frozenset(
    "but however although though yet whereas while instead so because since which therefore thus".split()
)
# "Speed was not the reason", "speed did not matter", "speed played no role"; but not
# "buyers did not trust", where the subject is not what is denied.
_COPULAS = frozenset("is are was were be been".split())
_COPULA_CUES = frozenset("not never no nothing irrelevant unimportant".split())
_DENYING_PREDICATES = {
    "did": {"not"}, "does": {"not"}, "do": {"not"},
    "had": {"nothing", "no"}, "has": {"nothing", "no"}, "played": {"no"}, "plays": {"no"},
}
_DENIED_VERBS = frozenset("matter count explain drive motivate help play".split())
_REFUTATIONS = (("is", "wrong"), ("is", "false"), ("not", "true"), ("is", "a", "myth"), ("not", "the", "case"),
                ("is", "incorrect"), ("is", "mistaken"), ("was", "wrong"), ("was", "false"))
PRE_NEGATION_WINDOW = 8
POST_NEGATION_WINDOW = 3


def normalise(text: str) -> str:
    """Unicode-normalised text with straight quotes and spacing marks read as spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = re.sub(r"(?<=\w)[-\u2010\u2011](?=\w)", " ", text)
    text = re.sub(r"\s[-\u2013\u2014]+\s|[\u2013\u2014]", " ; ", text)
    # "US" the country, not "us" the pronoun, once text is lower case.
    text = re.sub(r"\b(?:U\.S\.A\.|U\.S\.|USA|US)(?![A-Za-z])", "USA", text)
    text = re.sub(r"\b([A-Za-z])\.([A-Za-z])\.", r"\1\2", text)
    text = text.replace("%", " percent ").replace("&", " and ").replace("/", " ")
    return text


@lru_cache(maxsize=20000)
def stem(word: str) -> str:
    """A light stem: plural, -ed, -ing, -ly, -ment, -ation and final -e removed, -ise read as -ize.

    ``localisation``, ``localized`` and ``localizing`` meet at ``localiz``,
    which stays apart from ``local``.
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("sses", "xes", "ches", "shes", "zes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for british, american in (("isation", "ization"), ("ising", "izing"), ("ised", "ized"), ("ise", "ize")):
        if word.endswith(british) and len(word) > 5:
            word = word[: -len(british)] + american
            break
    for suffix in ("ation", "ment", "ing", "ied", "ed", "ly", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "ed" and word.endswith("eed"):
                break
            word = word[: -len(suffix)] + ("y" if suffix == "ied" else "")
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiousz":
        word = word[:-1]
    return word


def expand(word: str) -> list[str]:
    """A word with its contraction spelled out: ``didn't`` -> ``did not``, ``Lazada's`` -> ``Lazada``."""
    if word in _BARE_NEGATIONS:
        return [_BARE_NEGATIONS[word], "not"]
    if "'" not in word:
        return [word]
    if word.endswith("n't"):
        base = word[:-3]
        return [{"ca": "can", "wo": "will", "sha": "shall"}.get(base, base), "not"]
    base, _, suffix = word.partition("'")
    if suffix == "s":
        if base == "let":
            return ["let", "us"]
        return [base, "is"] if base in _IS_CONTRACTIONS else [base]
    if suffix in _SUFFIX_WORDS:
        return [base, _SUFFIX_WORDS[suffix]]
    return [base]


@dataclass
class Sentence:
    """One sentence: its words, their stems and where its clauses break."""

    index: int
    start: int
    tokens: list[str]
    stems: list[str]
    breaks: set[int] = field(default_factory=set)
    commas: set[int] = field(default_factory=set)
    text: str = ""
    offsets: list[int] = field(default_factory=list)
    positions: dict[str, list[int]] = field(default_factory=dict)
    clauses: list[int] = field(default_factory=list)
    terminated: bool = True  # ends with ".", "!" or "?"
    rejected_until: int = 0  # the tokens before this are a view the writer goes on to reject
    cache: dict = field(default_factory=dict, repr=False)  # matches, reused across the questions of a case

    def __len__(self) -> int:
        return len(self.tokens)

    def token_at(self, char: int) -> int:
        """The token holding character ``char`` of ``text``."""
        position = 0
        for i, offset in enumerate(self.offsets):
            if offset > char:
                break
            position = i
        return position

    def part_holding(self, start: int, end: int) -> int | None:
        """The number of the part (between commas, clause breaks and clause words) that holds all
        of ``start:end``, or None when the span crosses a part's edge."""
        if "cuts" not in self.cache:
            self.cache["cuts"] = self.commas | self.breaks | {i for i in range(1, len(self.tokens))
                                                              if self.clauses[i] != self.clauses[i - 1]}
        cuts = self.cache["cuts"]
        if any(start < cut < end for cut in cuts):
            return None
        return sum(1 for cut in cuts if cut <= start)

    def segments(self) -> list[tuple[int, int]]:
        """(start, end) token ranges between commas and clause breaks."""
        cuts = sorted({0, len(self.tokens)} | self.commas | self.breaks)
        return [(a, b) for a, b in pairwise(cuts) if b > a]


def _sentence(index: int, start: int, raw: str) -> Sentence:
    sentence = Sentence(index=index, start=start, tokens=[], stems=[], terminated=raw.rstrip()[-1:] in ".!?")
    pending_break = pending_comma = False
    for match in _WORD_OR_MARK.finditer(raw.lower()):
        piece = match.group()
        if piece == ",":
            pending_comma = True
            continue
        if piece in ";:(":
            pending_break = piece != ":" or not _short_label(raw.lower(), match.start())
            pending_comma = not pending_break
            continue
        if piece == ")":  # the clause goes on after an aside
            continue
        for word in expand(piece):
            position = len(sentence.tokens)
            if pending_break:
                sentence.breaks.add(position)
            elif pending_comma:
                sentence.commas.add(position)
            pending_break = pending_comma = False
            sentence.tokens.append(word)
    sentence.stems = [stem(word) for word in sentence.tokens]
    offset = 0
    for word in sentence.tokens:
        sentence.offsets.append(offset)
        offset += len(word) + 1
    sentence.text = " ".join(sentence.tokens)
    for i, word_stem in enumerate(sentence.stems):
        sentence.positions.setdefault(word_stem, []).append(i)
    clause = 0
    for i in range(len(sentence.tokens)):
        if i and (i in sentence.breaks or _starts_clause(sentence, i)):
            clause += 1
        sentence.clauses.append(clause)
    return sentence



def _short_label(text: str, colon: int) -> bool:
    """A colon between two short pieces labels a fact ("Most control: POP."), it opens no new clause;
    one that opens a list ("Cainiao's role was: shipping, tracking, customs") does."""
    before = re.split(r"[,;:(.!?]", text[:colon])[-1].split()
    rest = re.split(r"[;:(.!?]", text[colon + 1:])[0]
    return 0 < len(before) <= 3 and 0 < len(rest.split(",")[0].split()) <= 3 and rest.count(",") < 2


def _lines_to_chunks(text: str) -> list[str]:
    """Join hard-wrapped lines; keep bullets, blank lines and finished lines apart."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        stripped = line.strip()
        bullet = _BULLET.match(line)
        if bullet:
            stripped = line[bullet.end():].strip()
        if not stripped:
            if current:
                chunks.append(current)
            current = ""
            continue
        if current and (bullet or current.rstrip()[-1] in ".!?:;"):
            chunks.append(current)
            current = stripped
        else:
            current = f"{current} {stripped}".strip()
    if current:
        chunks.append(current)
    return chunks


def _split_chunk(chunk: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    for match in re.finditer(r"[.!?]+(?=\s|$)", chunk):
        before = re.findall(r"(')?([A-Za-z0-9]+)$", chunk[start:match.start()])
        possessive, word = (before[0][0], before[0][1].lower()) if before else ("", "")
        # "U.S." or "e.g." do not end a sentence; "AliExpress's." does.
        # "No. 5" abbreviates "number"; "No. Without a baseline ..." answers a question.
        numbered = word != "no" or re.match(r"\s*\d", chunk[match.end():])
        if (word in _ABBREVIATIONS and numbered) or (len(word) == 1 and word.isalpha() and not possessive):
            continue
        pieces.append(chunk[start:match.end()])
        start = match.end()
    pieces.append(chunk[start:])
    return [piece.strip() for piece in pieces if re.search(r"[A-Za-z0-9]", piece)]


def sentences(text: str) -> list[Sentence]:
    """The answer split into sentences of tokens, numbered in order, views it rejects marked."""
    result: list[Sentence] = []
    start = 0
    for chunk in _lines_to_chunks(text):
        for raw in _split_chunk(normalise(chunk)):
            sentence = _sentence(len(result), start, raw)
            if sentence.tokens:
                result.append(sentence)
                start += len(sentence.tokens)
    _mark_rejections(result)
    return result


# Discourse-level denial: a view reported or entertained ("some say X", "it could be that X",
# "one might think X") and then rejected ("but I do not agree", "That is not true.").
_REPORTERS = frozenset("some someone somebody people others many critics commentators observers one you "
                       "experts analysts authors it".split())
_REPORTING_VERBS = frozenset("say says said claim claims claimed argue argues argued believe believes believed "
                             "think thinks thought suggest suggests suggested assume assumes assumed ask asks "
                             "asked insist insists feel feels".split())
_HEDGES = frozenset("might may could would".split())
_QUANTIFIERS = frozenset("some many".split())
REJECTION_REACH = 2  # sentences after a reported view in which the writer may reject it
_ADVERBS = frozenset("often sometimes also usually commonly widely generally first really entirely quite "
                     "completely actually simply".split())
_OPINION_VERBS = frozenset("agree think believe accept buy see".split())
_FALSITY = frozenset("wrong false untrue incorrect mistaken myth nonsense misleading".split())
_NEGATED_TRUTH = frozenset("true right correct case point important relevant fair accurate so problem issue".split())
_CONTRASTS = frozenset("but however yet though although".split())
_ANSWER_FOLLOWERS = frozenset("because since as it they this that these those not".split())
# "That is not what happened"; "this argument is weak".
_WHAT_HAPPENED = frozenset("what how why".split())
_VIEW_NOUNS = frozenset("argument arguments view claim idea point reasoning explanation theory".split())
_WEAKNESS = frozenset("weak unconvincing overstated exaggerated doubtful".split())


def _skip(tokens: list[str], i: int, words: AbstractSet[str]) -> int:
    while i < len(tokens) and tokens[i] in words:
        i += 1
    return i


def _reports_a_view(tokens: list[str]) -> bool:
    """The clause opens by reporting or entertaining a view: "some say", "it is often said",
    "one might think", "at first you might think", "it could be that"."""
    i = 2 if tokens[:2] == ["at", "first"] else 0
    if i < len(tokens) and tokens[i] in _REPORTERS:
        j = _skip(tokens, i + 1, _ADVERBS | (_REPORTERS - {"it"}) | {"of", "them", "the"})
        # "some readers say", "many students think": whoever the quantifier names.
        if tokens[i] in _QUANTIFIERS and j < len(tokens) and tokens[j] not in _REPORTING_VERBS | _HEDGES \
                and tokens[j + 1: j + 2] and tokens[j + 1] in _REPORTING_VERBS | _HEDGES:
            j += 1
        if j < len(tokens) and tokens[j] in _HEDGES:
            j = _skip(tokens, j + 1, _ADVERBS | {"be", "have"})
            return j < len(tokens) and (tokens[j] in _REPORTING_VERBS or tokens[j] in ("that", "argued", "said"))
        if j < len(tokens) and tokens[j] in _COPULAS:  # "it is often said that"
            j = _skip(tokens, j + 1, _ADVERBS)
            return j < len(tokens) and tokens[j] in _REPORTING_VERBS
        return j < len(tokens) and tokens[j] in _REPORTING_VERBS and tokens[i] != "it"
    return False


def _rejection_at(tokens: list[str], i: int) -> bool:
    """A rejection starts at token ``i``: "I do not agree", "I disagree", "I do not think so",
    "that is not (really) true", "this is wrong", "not really"."""
    if i >= len(tokens):
        return False
    word = tokens[i]
    if word == "i":
        j = _skip(tokens, i + 1, _ADVERBS)
        if j < len(tokens) and tokens[j] in ("disagree", "doubt"):
            return True
        if tokens[j: j + 1] and tokens[j] in ("do", "did", "can", "would") and tokens[j + 1: j + 2] == ["not"]:
            k = _skip(tokens, j + 2, _ADVERBS)
            return k < len(tokens) and tokens[k] in _OPINION_VERBS
        return False
    if word in ("that", "this", "it", "which", "the"):
        j = i + 1
        named = word in ("that", "this", "the") and j < len(tokens) and tokens[j] in _VIEW_NOUNS
        if named:  # "this argument is weak", "the claim is wrong": the view itself, named
            j += 1
        elif word == "the":
            return False
        if j < len(tokens) and tokens[j] in _COPULAS:
            j = _skip(tokens, j + 1, _ADVERBS)
            if j < len(tokens) and tokens[j] in ("not", "hardly"):
                k = _skip(tokens, j + 1, _ADVERBS | {"the", "a", "an"})
                return k < len(tokens) and (tokens[k] in _NEGATED_TRUTH or tokens[k] in _WHAT_HAPPENED)
            k = _skip(tokens, j, {"a", "an", "just", "simply", "plainly", "clearly", "very", "rather"})
            return k < len(tokens) and (tokens[k] in _FALSITY or (named and tokens[k] in _WEAKNESS))
    return word == "not" and tokens[i + 1: i + 2] in (["really"], ["so"], ["true"])


def _rejection_in(sentence: Sentence, first: int) -> bool:
    """A rejection at the start of a clause from token ``first`` on."""
    tokens = sentence.tokens
    return any(_rejection_at(tokens, i) for i in range(first, min(len(tokens), first + 3)))


def _rejection_anywhere(sentence: Sentence) -> bool:
    """A rejection opening any clause or comma segment of the sentence, or after "I think"
    ("Having read §2, I do not agree with that"; "..., so I think this argument is weak")."""
    tokens = sentence.tokens
    starts = {0} | sentence.commas | sentence.breaks | {i for i in range(len(tokens)) if sentence.clauses[i]
                                                         != sentence.clauses[i - 1]}
    for start in sorted(starts):
        i = start + 1 if start < len(tokens) and tokens[start] in _CLAUSE_WORDS | {"and"} else start
        if tokens[i: i + 2] == ["i", "think"]:
            i += 2
        if _rejection_in(sentence, i):
            return True
    return False


def _mark_rejections(found: list[Sentence]) -> None:
    for k, sentence in enumerate(found):
        tokens = sentence.tokens
        # "X, but I do not agree" / "Some say X, but Y": what comes before the contrast is rejected.
        reported = _reports_a_view(tokens)
        for i, word in enumerate(tokens):
            if i and word in _CONTRASTS and (_rejection_in(sentence, i + 1) or reported):
                sentence.rejected_until = i
                break
        # "Some say X. I do not agree." / "One might think X. That is wrong, ..." / "Some say X. But ..."
        # The rejection may come after a sentence that goes on with the view ("Some say X. They point
        # to Y. I do not agree.").
        if reported and sentence.rejected_until == 0:
            for distance, following in enumerate(found[k + 1: k + 1 + REJECTION_REACH]):
                # a bare "But ..." answers only the sentence right before it
                if _rejection_anywhere(following) or (distance == 0 and following.tokens[0] in _CONTRASTS):
                    sentence.rejected_until = len(tokens)
                    break


def count_words(text: str) -> int:
    """Words as the grader counts them (a contraction counts as two)."""
    return sum(len(sentence) for sentence in sentences(text))


def _starts_clause(sentence: Sentence, position: int) -> bool:
    """Whether a new clause begins at ``position`` (a pronoun or verb after "and"/"or")."""
    tokens = sentence.tokens
    if tokens[position] in _CLAUSE_WORDS:
        # "nobody can tell which region is largest": a question the verb governs, not a new clause.
        return not (tokens[position] == "which" and position and tokens[position - 1] in VERB_WORDS
                    and position not in sentence.commas)
    if tokens[position] in ("and", "or") and position + 1 < len(tokens):
        follower = tokens[position + 1]
        return follower in PRONOUNS or (tokens[position] == "and" and follower in VERB_WORDS)
    return False


def _is_cue(sentence: Sentence, position: int, no_longer: bool = False) -> bool:
    """A negation cue at ``position``; "no longer" counts only where ``no_longer`` asks for it."""
    tokens = sentence.tokens
    if tokens[position] not in NEGATION_CUES:
        return False
    if position + 1 < len(tokens) and tokens[position + 1] in _NOT_NEGATING_AFTER:
        return False
    # "No, there is no baseline", "No because ...", "No it does not": an answer to a yes/no question,
    # not a denial of what follows.
    if tokens[position] == "no" and (position + 1 in sentence.commas or position + 1 in sentence.breaks
                                     or position + 1 == len(tokens)
                                     or (position == 0 and tokens[1] in _ANSWER_FOLLOWERS)):
        return False
    return no_longer or not (tokens[position] == "no" and tokens[position + 1: position + 2] == ["longer"])


def denied_before(sentence: Sentence, start: int, no_longer: bool = False) -> bool:
    """A negation cue governs the words from ``start`` (same clause, a few words back).

    Commas end the scope unless what follows them is a short list item and
    the cue governs the list directly ("not speed, users or local knowledge",
    but not "never heard of Alibaba, and Amazon ..."). "No longer" denies only where a denial is what
    is looked for ("no longer pays a tax bill"), since elsewhere it asserts a change ("no longer has to").
    """
    tokens = sentence.tokens
    first_comma = None
    for position in range(start - 1, max(-1, start - 1 - PRE_NEGATION_WINDOW), -1):
        boundary = position + 1
        if boundary in sentence.breaks:
            return False
        if boundary in sentence.commas:
            between = tokens[boundary:start]
            if len(between) > 2 or any(word in PRONOUNS or word in VERB_WORDS for word in between):
                return False
            first_comma = boundary
        if _is_cue(sentence, position, no_longer):
            if first_comma is None:
                return True
            # "not speed, users or local knowledge" governs the list; "it does not, other factors ..." ends there.
            governed = tokens[position + 1:first_comma]
            return bool(governed) and not any(word in VERB_WORDS for word in governed)
        if _starts_clause(sentence, position):
            # "not because of speed": the cue sits just before the clause word.
            return position > 0 and _is_cue(sentence, position - 1)
    return False


def denied_after(sentence: Sentence, end: int) -> bool:
    """The words ending at ``end`` are the subject of a denial ("speed was not the reason")."""
    tokens = sentence.tokens
    limit = min(len(tokens), end + POST_NEGATION_WINDOW)
    for position in range(end, limit):
        if position in sentence.breaks or position in sentence.commas:
            return False
        word = tokens[position]
        following = tokens[position + 1: position + 4]
        if word in _COPULAS:
            for i, cue in enumerate(following[:2]):
                if cue in _COPULA_CUES:
                    return not (cue == "not" and bool(set(following[i + 1: i + 2]) & _NOT_NEGATING_AFTER))
            return False
        if word in _DENYING_PREDICATES:
            if following[:1] and following[0] in _DENYING_PREDICATES[word]:
                return word not in ("did", "does", "do") or bool(set(following[1:2]) & _DENIED_VERBS)
            return False
    return False


def refuted_from(sentence: Sentence) -> int | None:
    """The token where a refutation ("... is wrong", "... is a myth") starts, if any."""
    if "refuted" not in sentence.cache:
        tokens = sentence.tokens
        sentence.cache["refuted"] = next((i for i in range(len(tokens)) for cue in _REFUTATIONS
                                          if tuple(tokens[i: i + len(cue)]) == cue), None)
    return sentence.cache["refuted"]


def is_rejected(sentence: Sentence, end: int) -> bool:
    """Whether the words ending at ``end`` belong to a view the writer rejects: reported and then
    refused ("some say X, but I do not agree"), or refuted later in the sentence ("X is a myth")."""
    if end <= sentence.rejected_until:
        return True
    refutation = refuted_from(sentence)
    return refutation is not None and end <= refutation


def is_denied(sentence: Sentence, start: int, end: int) -> bool:
    """Whether the tokens ``start:end`` of ``sentence`` are asserted only to be denied."""
    return denied_before(sentence, start) or denied_after(sentence, end) or is_rejected(sentence, end)
