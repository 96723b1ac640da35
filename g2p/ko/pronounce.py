"""Standard pronunciation (표준 발음) of a tokenised sentence, handed back per token.

Stages, each one pass over the sentence's hangul syllables:

1. morphology: MeCab tags the space-joined tokens (:mod:`g2p.ko.morph`);
2. junctions: each coda × next onset pair is rewritten by the rule cascade of junction.tsv
   (:mod:`g2p.ko.rules`) under the context flags of that boundary, e.g.
   음운론 → 으문논, 같이 → 가치, 값어치 → 가버치;
3. vowels after some onsets (vowel_rules.tsv): 가져 → 가저, 희망 → 히망;
4. IPA per pronounced syllable with its neighbours (:mod:`g2p.ko.phones`), the first
   syllable of a token long where the length model says so (:mod:`g2p.ko.length`).

Syllable boundaries inside a token, and between tokens when ``sandhi`` is on, are treated
alike except that a token boundary is a word boundary for the rules (unless the tokens are
characters cut from words: ``joined``). A whole coda that moves onto the next token's vowel
(옷 안 → [오단]) stays with the token it is spelled in: the first token reads 옫 /od/, the
second 안 /an/. Every other change is kept in the syllable where it is heard, so each
token's reading has exactly its own number of syllables.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import NamedTuple

from g2p.ko.hangul import compose, decompose
from g2p.ko.length import LengthModel
from g2p.ko.morph import Analysis, Part, analyse
from g2p.ko.phones import PAUSE, preceding_class, syllable_phones
from g2p.ko.rules import FLAG_BITS, JunctionRules
from g2p.ko.tables import TABLES
from g2p.tables import Rows

# Morpheme classes (pos_classes.tsv) that make a boundary grammatical rather than lexical.
_GRAMMATICAL = frozenset({"grammatical", "ending"})
_NOMINAL_BEFORE = frozenset({"nominal", "prefix"})
_NOMINAL_AFTER = frozenset({"nominal", "nsuffix"})
# MeCab tags of adnominal words and endings (한, 먹은, 할), before which a following short
# noun takes an inserted ㄴ across words (한 일[한닐], 할 일[할릴]).
_ADNOMINAL_TAGS = frozenset({"MM", "ETM"})


@dataclass(slots=True)
class _Slot:
    """One hangul syllable of the sentence, rewritten in place by the stages."""

    token: int
    position: int  # character offset in the analysed sentence text
    spelled: str
    onset: str
    vowel: str
    coda: str
    borrowed_onset: bool = False  # onset moved here from the previous token's coda


@dataclass(slots=True)
class TokenSound:
    """The pronounced hangul (reading) and IPA segments of one token."""

    reading: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)


@cache
def _rules() -> JunctionRules:
    return JunctionRules()


@TABLES.view("coda_exceptions.tsv")
def _coda_exceptions(rows: Rows) -> dict[str, frozenset[str]]:
    """Syllable → the next syllables (``*``: any) before which its coda is an exception."""
    exceptions: dict[str, set[str]] = {}
    for row in rows:
        exceptions.setdefault(row["syllable"], set()).add(row["next"])
    return {syllable: frozenset(nexts) for syllable, nexts in exceptions.items()}


@cache
def _morphemes(name: str, *columns: str) -> frozenset[str] | frozenset[tuple[str, ...]]:
    """A morpheme list: its ``morpheme`` column, or (morpheme, *columns) tuples."""
    rows = TABLES.rows(name)
    if not columns:
        return frozenset(row["morpheme"] for row in rows)
    return frozenset((row["morpheme"], *(row[c] for c in columns)) for row in rows)


# Compound-tensing morpheme → after which first parts it is tensed (any, sonorant,
# sonorant1: a one-syllable part).
_tensing = TABLES.mapping("tensing_morphemes.tsv", "morpheme", "after")


# Letter name → the coda it is read with before a vowel (디귿 → ㅅ: 디귿이[디그시]).
_letter_codas = TABLES.mapping("letter_names.tsv", "name", "coda")


@TABLES.view("vowel_rules.tsv")
def _vowel_rules(rows: Rows) -> dict[tuple[str, str, str], str]:
    """(pronounced|spelled, onset, vowel) → vowel."""
    return {
        (row["onset"], onset, row["vowel"]): row["new_vowel"]
        for row in rows
        for onset in row["onsets"].split()
    }


def _slots(
    texts: Sequence[str | None], joined: bool
) -> tuple[str, list[_Slot], list[tuple[int, int]]]:
    """Sentence text for MeCab, its hangul syllables, and each token's (start, end) in it.

    Tokens are separated by a space; with ``joined`` (character-tokenised text) two
    neighbouring pronounceable tokens are written together, so that MeCab sees the words
    they were cut from.
    """
    pieces: list[str] = []
    spans: list[tuple[int, int]] = []
    offset = 0
    for text in texts:
        text = text or ""
        if pieces:
            separator = "" if joined and text and pieces[-1] else " "
            pieces.append(separator)
            offset += len(separator)
        spans.append((offset, offset + len(text)))
        pieces.append(text)
        offset += len(text)
    sentence = "".join(pieces)
    slots = [
        _Slot(index, position, char, *decompose(char))
        for index, (start, end) in enumerate(spans)
        for position, char in enumerate(sentence[start:end], start=start)
        if "\uac00" <= char <= "\ud7a3"  # is_syllable, inlined: this runs for every character
    ]
    return sentence, slots, spans


def _adjacent(left: _Slot, right: _Slot, spans: list[tuple[int, int]], sandhi: bool) -> bool:
    """Whether two consecutive syllables are said together (no pause between them)."""
    if left.token == right.token:
        return right.position == left.position + 1
    return (
        sandhi
        and right.token == left.token + 1
        and left.position == spans[left.token][1] - 1
        and right.position == spans[right.token][0]
    )


class _CodaSide(NamedTuple):
    """What the morpheme part of a coda contributes to the junction flags."""

    bits: int
    one_syllable: bool  # a one-syllable form: the first part of a sonorant1 compound


class _OnsetSide(NamedTuple):
    """What the morpheme part of the next onset contributes to the junction flags."""

    bits: int
    between: int  # the flag of a boundary between two parts of one word: gram or lex
    after_one_syllable: int  # ctensed if the part is tensed after a one-syllable first part


@lru_cache(maxsize=1 << 16)
def _coda_side(part: Part) -> _CodaSide:
    """Junction flags of the part before a boundary, memoised by part (parts recur)."""
    bits = FLAG_BITS
    mask = bits["nprev"] if part.kind in _NOMINAL_BEFORE else 0
    if part.kind == "stem":
        mask |= bits["stem"]
    elif part.kind == "ending":
        mask |= bits["ecoda"]
    elif part.kind == "grammatical":
        mask |= bits["jcoda"]
    if part.tag in _ADNOMINAL_TAGS:
        mask |= bits["adn"]
    if part.form[-1:] in _morphemes("sino_l_morphemes.tsv"):
        mask |= bits["lsino"]
    return _CodaSide(mask, len(part.form) == 1)


@lru_cache(maxsize=1 << 16)
def _onset_side(part: Part) -> _OnsetSide:
    """Junction flags of the part after a boundary, memoised by part."""
    bits = FLAG_BITS
    kind, form = part.kind, part.form
    mask = bits["ending"] if kind == "ending" else 0
    if kind in _NOMINAL_AFTER:
        mask |= bits["nnext"]
    elif kind == "stem":
        mask |= bits["vnext"]
    if len(form) == 1:
        mask |= bits["short"]
    if form in _morphemes("n_insertion_blockers.tsv"):
        mask |= bits["noins"]
    if (form, kind) in _morphemes("n_insertion_morphemes.tsv", "class"):
        mask |= bits["ins"]
    if form in _morphemes("l_nasal_suffixes.tsv"):
        mask |= bits["lsfx"]
    after = _tensing().get(form)
    if after == "any":
        mask |= bits["tensed"]
    elif after == "sonorant":
        mask |= bits["ctensed"]
    return _OnsetSide(
        mask, bits["gram"] if kind in _GRAMMATICAL else bits["lex"],
        bits["ctensed"] if after == "sonorant1" else 0,
    )


# The junction flags that _context sets itself, as bits.
_EXC, _END, _WORD, _IN, _REP, _REDUP = (
    FLAG_BITS[name] for name in ("exc", "end", "word", "in", "rep", "redup")
)


def _context(left: _Slot, right: _Slot | None, analysis: Analysis, joined: bool) -> int:
    """Bit mask of the junction flags (see junction.tsv) between two syllables.

    A token boundary is a word boundary, unless the tokens are characters cut from words
    (``joined``): then the morphology alone tells what kind of boundary it is.
    """
    spelled = left.spelled
    coda_part = analysis.coda_part[left.position]
    coda = _coda_side(analysis.parts[coda_part])
    mask = coda.bits
    exceptions = _coda_exceptions().get(spelled)
    if exceptions and ("*" in exceptions or right and right.spelled in exceptions):
        mask |= _EXC
    if right is None:
        return mask | _END
    onset_part = analysis.onset_part[right.position]
    onset = _onset_side(analysis.parts[onset_part])
    if right.token != left.token and not joined:
        mask |= _WORD
    elif onset_part == coda_part:
        mask |= _IN
    else:
        mask |= onset.between
        before, after = analysis.parts[coda_part], analysis.parts[onset_part]
        if after.form == before.form and before.tag == "MAG":  # the halves of 유들|유들
            mask |= _REDUP
    if right.spelled == spelled:
        mask |= _REP
    if coda.one_syllable:
        mask |= onset.after_one_syllable
    return mask | onset.bits


def _apply_junctions(
    slots: list[_Slot], following: list[_Slot | None], analysis: Analysis, joined: bool
) -> None:
    """Stage 2: rewrite every coda × next onset pair (the last coda before a pause too)."""
    apply = _rules().apply
    letters = _letter_codas()
    for slot, right in zip(slots, following, strict=True):
        context = _context(slot, right, analysis, joined)
        if right is None:
            slot.coda = apply(slot.coda, PAUSE, "", context).coda
            continue
        if right.onset == "ㅇ" and slot.coda:
            # 제16항: a letter name before a vowel has its own coda (디귿이 → 디긋이).
            form = analysis.parts[analysis.coda_part[slot.position]].form
            slot.coda = letters.get(form, slot.coda)
        spelled_onset = right.onset
        slot.coda, right.onset, moved = apply(slot.coda, spelled_onset, right.vowel, context)
        # A whole coda that moved onto the next token's vowel stays with its token.
        right.borrowed_onset = (
            moved and right.token != slot.token and spelled_onset == "ㅇ" and not slot.coda
        )


def _apply_vowel_rules(slots: list[_Slot]) -> None:
    """Stage 3: vowels that depend on the (pronounced or spelled) onset."""
    rules = _vowel_rules()
    for slot in slots:
        by_spelling = rules.get(("spelled", decompose(slot.spelled).onset, slot.vowel), slot.vowel)
        slot.vowel = rules.get(("pronounced", slot.onset, slot.vowel), by_spelling)


def _long_slots(
    slots: list[_Slot], texts: Sequence[str | None], analysis: Analysis,
    model: LengthModel | None,
) -> set[int]:
    """Indices of the slots said long: the first syllable of a token the model calls long."""
    if model is None:
        return set()
    long: set[int] = set()
    token = -1
    for index, slot in enumerate(slots):
        if slot.token == token:
            continue
        token = slot.token
        part = analysis.parts[analysis.onset_part[slot.position]]
        text = texts[token] or ""
        if model.word_is_long(text[text.index(slot.spelled):], part.form, part.tag):
            long.add(index)
    return long


def _collect(
    slots: list[_Slot], following: list[_Slot | None], sounds: list[TokenSound],
    long: set[int],
) -> None:
    """Stage 4: IPA and reading of each syllable, added to the token it belongs to."""
    previous: _Slot | None = None
    for index, (slot, right) in enumerate(zip(slots, following, strict=True)):
        jamo = (slot.onset, slot.vowel, slot.coda)
        phones = syllable_phones(
            jamo,
            preceding_class(previous.coda) if previous else PAUSE,
            right.onset if right else PAUSE,
            right.vowel if right else "",
            index in long,
        )
        own = sounds[slot.token]
        if slot.borrowed_onset and previous is not None:
            # 옷 안: the ㄷ heard at the start of [단] is spelled in 옷, so it stays there.
            prior = sounds[previous.token]
            prior.phones.extend(phones.onset)
            prior.reading[-1] = compose((previous.onset, previous.vowel, slot.onset))
            own.reading.append(compose(("ㅇ", slot.vowel, slot.coda)))
        else:
            own.phones.extend(phones.onset)
            own.reading.append(compose(jamo))
        own.phones.extend(phones.rest)
        previous = slot if right is not None else None


def pronounce(
    texts: Sequence[str | None], *, sandhi: bool = True, joined: bool = False,
    length: LengthModel | None = None,
) -> list[TokenSound]:
    """Pronunciation of each token text (None: a token with nothing to pronounce).

    Non-hangul characters inside a text are pauses for the rules and are not read.
    ``joined``: the tokens are characters cut from words (PAN-X style), not words; their
    syllables get no length. ``length``: the model of long first syllables, or None.
    """
    sentence, slots, spans = _slots(texts, joined)
    sounds = [TokenSound() for _ in texts]
    if not slots:
        return sounds
    following: list[_Slot | None] = [
        right if _adjacent(left, right, spans, sandhi) else None
        for left, right in zip(slots, slots[1:], strict=False)
    ]
    following.append(None)
    analysis = analyse(sentence)
    long = _long_slots(slots, texts, analysis, None if joined else length)
    _apply_junctions(slots, following, analysis, joined)
    _apply_vowel_rules(slots)
    _collect(slots, following, sounds, long)
    return sounds
