"""Indonesian personal names: canonical words, sound keys and how two names match.

Rules:
- Titles before a name (H., Hj., Ir., dr., Drs., Prof., KH., police and army
  ranks, Bapak/Ibu) and degrees after it (S.Pd., S.E., M.Si., A.Md., ...)
  are not part of the name. A word is only dropped as a title when a name
  word remains.
- A word's canonical form (``canonical_word``): accents and apostrophes
  gone, lower case; the common variants of one name are one word
  (Muhammad/Muhamad/Mohammad/Moh./Mhd./M., Nur/Noor/Nurul, Siti/Sitti/St.,
  Abdul/Abd., Ahmad/Achmad/Akhmad); the old spelling is the new one (oe -> u,
  dj -> j, tj -> c, ch -> kh, nj -> ny, sj -> sy); doubled letters are one.
- ``phonetic`` is coarser: words that sound alike in Indonesian (Aminah and
  Amina, Yusuf and Jusup, Zainal and Sainal) share a key.
- ``name_match`` scores a typed name against a recorded one from 0 to 1 and
  says why they match (exact, another spelling, sounds alike, typo,
  initial, other word order, part of the name).

These functions run for every person when the registry is indexed or
searched for duplicates: per-word work is cached.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA, JaroWinkler

REASON_EXACT = "exact"
REASON_VARIANT = "variant"
REASON_PHONETIC = "phonetic"
REASON_TYPO = "typo"
REASON_INITIAL = "initial"
REASON_REORDERED = "reordered"
REASON_PARTIAL = "partial"

TOKEN_KEY = "t:"  # noqa: S105 (a name word, not a secret)
PHONETIC_KEY = "p:"
INITIAL_KEY = "i:"

# Titles and forms of address that come before a name.
PREFIX_TITLES = frozenset(
    [
        "h",
        "hj",
        "hja",
        "haji",
        "hajah",
        "hajjah",
        "ir",
        "dr",
        "drg",
        "drs",
        "dra",
        "prof",
        "kh",
        "ns",
        "ust",
        "ustad",
        "ustadz",
        "ustadzah",
        "ustazah",
        "ny",
        "nn",
        "nona",
        "tn",
        "tuan",
        "sdr",
        "sdri",
        "bpk",
        "bp",
        "bapak",
        "ibu",
        "bu",
        "pak",
        "kak",
        "mbak",
        "mas",
        "aipda",
        "aiptu",
        "bripda",
        "briptu",
        "brigpol",
        "bripka",
        "brigadir",
        "ipda",
        "iptu",
        "akp",
        "kompol",
        "akbp",
        "kombes",
        "prada",
        "pratu",
        "praka",
        "kopda",
        "koptu",
        "kopka",
        "serda",
        "sertu",
        "serka",
        "serma",
        "pelda",
        "peltu",
        "letda",
        "lettu",
        "kapten",
        "mayor",
        "letkol",
        "kolonel",
    ]
)
# Degrees that come after a name, written without their dots.
DEGREES = frozenset(
    [
        "spd",
        "spdi",
        "sag",
        "sai",
        "se",
        "sh",
        "shi",
        "ssos",
        "sip",
        "skom",
        "st",
        "sth",
        "sthi",
        "skm",
        "skep",
        "sked",
        "sfarm",
        "spsi",
        "sgz",
        "sstp",
        "sikom",
        "sp",
        "ssi",
        "ak",
        "amd",
        "amdkeb",
        "amdkep",
        "ampd",
        "mpd",
        "msi",
        "mm",
        "mh",
        "mag",
        "mkes",
        "mkom",
        "mt",
        "mph",
        "mba",
        "msc",
        "phd",
        "bsc",
    ]
)
# Degrees written with dots whose letters read like a name word otherwise.
_DOTTED_DEGREE = re.compile(r"^[a-z]{1,2}\.[a-z]{1,4}(\.[a-z]{1,4})*\.?$")

# Spellings of one name, to the form they are indexed under.
VARIANTS = {
    **dict.fromkeys(
        [
            "muhammad",
            "muhamad",
            "mohammad",
            "mohamad",
            "mohammed",
            "mohamed",
            "muhammed",
            "muhamed",
            "mochammad",
            "mochamad",
            "muchammad",
            "muchamad",
            "mokhammad",
            "mokhamad",
            "muhamat",
            "mohamat",
            "moh",
            "muh",
            "mhd",
            "mhmd",
            "moch",
            "much",
            "mohd",
        ],
        "muhammad",
    ),
    **dict.fromkeys(["nur", "noor", "nurul", "nuur", "nour"], "nur"),
    **dict.fromkeys(["siti", "sitti", "st"], "siti"),
    **dict.fromkeys(["abdul", "abd", "abdoel", "abdol"], "abdul"),
    **dict.fromkeys(["ahmad", "achmad", "akhmad", "ahmed", "achmed", "amad"], "ahmad"),
}
# "M." opening a name of several words is Muhammad; elsewhere an initial.
_FIRST_WORD_VARIANTS = {"m": "muhammad"}

_OLD_SPELLING = (("oe", "u"), ("dj", "j"), ("tj", "c"), ("ch", "kh"), ("nj", "ny"), ("sj", "sy"))
_DOUBLED = re.compile(r"(.)\1+")
_APOSTROPHES = re.compile(r"['`\u2018\u2019\u02bc]")
_WORD = re.compile(r"[a-z0-9.]+")
# Sounds that Indonesian spelling writes in several ways.
_SOUNDS = (
    ("kh", "h"),
    ("sy", "s"),
    ("ph", "f"),
    ("q", "k"),
    ("x", "ks"),
    ("z", "s"),
    ("v", "f"),
    ("dz", "d"),
    ("ts", "s"),
    ("j", "y"),
    ("y", "i"),
    ("w", "u"),
    ("e", "i"),
    ("o", "u"),
    ("p", "f"),
)


@dataclass(frozen=True)
class NameMatch:
    score: float
    reason: str


# -- words ------------------------------------------------------------------------------


def _ascii_lower(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _is_degree(chunk: str) -> bool:
    """``chunk`` is one lower-case word with its dots ("s.pd.", "se", "m.si")."""
    bare = chunk.replace(".", "")
    return bare in DEGREES or (len(bare) >= 3 and bool(_DOTTED_DEGREE.match(chunk)))


def raw_words(text: str) -> list[str]:
    """The words of a name as written, lower case, titles and degrees dropped."""
    cleaned = _APOSTROPHES.sub("", _ascii_lower(text))
    parts = cleaned.split(",")
    # After the first comma only degrees are expected; anything else stays.
    kept = [parts[0]] + [part for part in parts[1:] if not _all_degrees(part)]
    chunks = _WORD.findall(" ".join(kept))
    end = len(chunks)
    while end > 1 and _is_degree(chunks[end - 1]):
        end -= 1
    words = [piece for chunk in chunks[:end] for piece in chunk.split(".") if piece]
    start = 0
    while start < len(words) - 1 and words[start] in PREFIX_TITLES:
        start += 1
    return words[start:]


def _all_degrees(part: str) -> bool:
    chunks = _WORD.findall(part)
    return bool(chunks) and all(_is_degree(chunk) for chunk in chunks)


@lru_cache(maxsize=200_000)
def canonical_word(word: str) -> str:
    """One lower-case word (no titles) in the form it is indexed under."""
    word = VARIANTS.get(word, word)
    for old, new in _OLD_SPELLING:
        if old in word:
            word = word.replace(old, new)
    word = _DOUBLED.sub(r"\1", word)
    return VARIANTS.get(word, word)


def name_tokens(text: str) -> list[str]:
    """The canonical words of a name, in their order."""
    words = raw_words(text)
    tokens = []
    for position, word in enumerate(words):
        if position == 0 and len(words) > 1 and word in _FIRST_WORD_VARIANTS:
            word = _FIRST_WORD_VARIANTS[word]
        tokens.append(canonical_word(word))
    return tokens


@lru_cache(maxsize=200_000)
def phonetic(token: str) -> str:
    """A sound key for one canonical word: alike-sounding words share it."""
    if not token:
        return ""
    key = token
    for old, new in _SOUNDS:
        if old in key:
            key = key.replace(old, new)
    # H is silent after a vowel or between letters: Aminah, Rahmat/Ramat.
    key = key[0] + key[1:].replace("h", "")
    return _DOUBLED.sub(r"\1", key)


def index_keys(text: str) -> set[str]:
    """The search keys of a name: each word, its sound and its initial."""
    keys: set[str] = set()
    for token in name_tokens(text):
        keys.add(f"{INITIAL_KEY}{token[0]}")
        if len(token) > 1:
            keys.add(f"{TOKEN_KEY}{token}")
            keys.add(f"{PHONETIC_KEY}{phonetic(token)}")
    return keys


def typo_distance(token: str) -> int:
    """How many edits a word of this length may have and still be the same word."""
    if len(token) <= 3:
        return 0
    if len(token) <= 7:
        return 1
    return 2


def vocabulary_neighbours(token: str, vocabulary: Sequence[str], limit: int = 30) -> list[str]:
    """Words of ``vocabulary`` within typo distance of ``token`` (itself included)."""
    distance = typo_distance(token)
    if distance == 0 or not vocabulary:
        return [token] if token in vocabulary else []
    found = process.extract(
        token,
        vocabulary,
        scorer=OSA.distance,
        score_cutoff=distance,
        limit=limit,
    )
    return [word for word, _distance, _index in found]


# -- comparing names ----------------------------------------------------------------------

_KIND_SCORE = {
    REASON_EXACT: 1.0,
    REASON_PHONETIC: 0.9,
    REASON_INITIAL: 0.8,
}
# The reasons, from the best to the worst: a name matches as well as its worst word.
_ORDER = (REASON_EXACT, REASON_PHONETIC, REASON_INITIAL, REASON_TYPO)
JARO_WINKLER_TYPO = 0.88


@lru_cache(maxsize=500_000)
def word_similarity(first: str, second: str) -> tuple[float, str]:
    """How alike two canonical words are, and why; (0, "") when they are not."""
    if first == second:
        return 1.0, REASON_EXACT
    if len(first) == 1 or len(second) == 1:
        if first[0] == second[0]:
            return _KIND_SCORE[REASON_INITIAL], REASON_INITIAL
        return 0.0, ""
    if phonetic(first) == phonetic(second):
        return _KIND_SCORE[REASON_PHONETIC], REASON_PHONETIC
    longest = max(len(first), len(second))
    allowed = typo_distance(first if len(first) >= len(second) else second)
    # Two neighbouring letters swapped (Yuni/Ynui) count as one typo.
    distance = OSA.distance(first, second, score_cutoff=max(allowed, 1))
    if allowed and distance <= allowed:
        return max(0.5, 0.9 - 0.15 * distance * 6 / longest), REASON_TYPO
    # Short names with a letter dropped or doubled (Keenan/Kenn) keep their start.
    if min(len(first), len(second)) >= 3:
        similarity = JaroWinkler.similarity(first, second)
        if similarity >= JARO_WINKLER_TYPO:
            return 0.7, REASON_TYPO
    return 0.0, ""


@dataclass(frozen=True)
class _Alignment:
    total: float
    matched: int
    worst: str
    in_order: bool


def _align(query: Sequence[str], record: Sequence[str]) -> _Alignment:
    """Pair each query word with the best free record word, best pairs first."""
    options = []
    for i, word in enumerate(query):
        for j, other in enumerate(record):
            score, reason = word_similarity(word, other)
            if score:
                options.append((score, -abs(i - j), i, j, reason))
    options.sort(reverse=True)
    used_query: dict[int, int] = {}
    used_record: set[int] = set()
    total = 0.0
    worst = REASON_EXACT
    for score, _closeness, i, j, reason in options:
        if i in used_query or j in used_record:
            continue
        used_query[i] = j
        used_record.add(j)
        total += score
        if _ORDER.index(reason) > _ORDER.index(worst):
            worst = reason
    positions = [used_query[i] for i in sorted(used_query)]
    return _Alignment(
        total=total,
        matched=len(used_query),
        worst=worst,
        in_order=positions == sorted(positions),
    )


def name_match(query: str, recorded: str) -> NameMatch:
    """How well a typed name finds a recorded one: 0..1 and the main reason.

    Every typed word counts fully; words of the record that were not typed
    lower the score a little (typing "Siti" finds "Siti Aminah").
    """
    query_tokens = name_tokens(query)
    record_tokens = name_tokens(recorded)
    if not query_tokens or not record_tokens:
        return NameMatch(0.0, "")
    if query_tokens == record_tokens:
        if raw_words(query) == raw_words(recorded):
            return NameMatch(1.0, REASON_EXACT)
        return NameMatch(0.97, REASON_VARIANT)
    alignment = _align(query_tokens, record_tokens)
    if not alignment.matched:
        return NameMatch(0.0, "")
    coverage = alignment.total / len(query_tokens)
    completeness = alignment.matched / len(record_tokens)
    score = coverage * (0.8 + 0.2 * completeness)
    reason = alignment.worst
    if reason == REASON_EXACT:
        if alignment.matched < len(record_tokens) or alignment.matched < len(query_tokens):
            reason = REASON_PARTIAL
        elif not alignment.in_order:
            reason = REASON_REORDERED
            score = 0.95
    if not alignment.in_order:
        score -= 0.01
    return NameMatch(round(min(score, 0.99), 4), reason)


def name_similarity(first: Iterable[str], second: Iterable[str]) -> float:
    """How alike two names are as token lists, symmetric, 0..1 (for record matching)."""
    a = list(first)
    b = list(second)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    alignment = _align(shorter, longer)
    return alignment.total / len(longer) * 0.5 + alignment.total / len(shorter) * 0.5
