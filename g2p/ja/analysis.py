"""Morphological analysis with fugashi + unidic-lite: each morpheme's span and pronunciation.

UniDic's ``pron`` field is the spoken form in katakana (東京 トーキョー, particle は ワ); its
``kana`` field is the written form (トウキョウ, ハ). Words the dictionary does not know come
back without either; their kana is read as written, and unknown kanji fall back to pykakasi
(or, failing that, to each kanji's most frequent reading).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import NamedTuple

from g2p.ja.kana import is_ideograph, is_kana, to_katakana
from g2p.ja.split import kanji_readings, same_kana
from g2p.ja.tables import TABLES

PARTICLE = "助詞"
NUMERAL = "数詞"
PROPER_NOUN = "固有名詞"


class Morpheme(NamedTuple):
    """One analysed word (a tuple: one is made for every word of a corpus)."""

    surface: str
    start: int  # offset in the analysed text
    reading: str  # katakana pronunciation ("" for punctuation and symbols)
    particle: bool = False
    known: bool = True
    numeral: bool = False  # UniDic 数詞 (一, 二千)

    @property
    def end(self) -> int:
        return self.start + len(self.surface)


@cache
def _tagger():
    import fugashi

    return fugashi.Tagger()


@cache
def _kakasi():
    import pykakasi

    return pykakasi.kakasi()


def kakasi_reading(surface: str) -> str:
    """pykakasi's katakana reading, or "" when it leaves characters unread."""
    kana = "".join(item["kana"] for item in _kakasi().convert(surface))
    return kana if kana and all(is_kana(ch) for ch in kana) else ""


def table_reading(surface: str) -> str:
    """Each kanji's most frequent reading from the kanji table, kana as written."""
    table = kanji_readings()
    return "".join(
        to_katakana(ch) if is_kana(ch) else table.get(ch, ("",))[0] for ch in surface
    )


def _unknown_reading(surface: str) -> str:
    """Reading of a word UniDic does not know: kana as written, kanji through pykakasi
    (which knows many names), else through the kanji table."""
    if not any(is_ideograph(ch) for ch in surface):
        return "".join(to_katakana(ch) for ch in surface if is_kana(ch))
    return kakasi_reading(surface) or table_reading(surface)


_reading_fixes = TABLES.mapping("reading_fixes.tsv", ("before", "surface", "pron", "after"),
                                "fixed")


@cache
def _fixed_words() -> frozenset[tuple[str, str]]:
    return frozenset((surface, pron) for _, surface, pron, _ in _reading_fixes())


@cache
def _context_lengths() -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Lengths of the ``before`` and ``after`` contexts of several characters (not a class
    name, which is ASCII), longest first: a longer context is the more specific row."""
    rows = _reading_fixes()

    def lengths(values: set[str]) -> tuple[int, ...]:
        return tuple(sorted({len(v) for v in values if len(v) > 1 and not v.isascii()},
                            reverse=True))

    return lengths({key[0] for key in rows}), lengths({key[3] for key in rows})


def _fixed(text: str, start: int, surface: str, pron: str,
           left: tuple[str, ...] = ()) -> str:
    """UniDic's pron, or the everyday reading where unidic-lite prefers a rarer one. The most
    specific row wins: the text before (longest first, down to one character), then the
    classes of the morpheme right before (``left``, see :func:`_classes`), then any kanji
    (or any katakana) before, then any; within each, the text after (longest first), then
    any."""
    if (surface, pron) not in _fixed_words():
        return pron
    fixes = _reading_fixes()
    end = start + len(surface)
    before = text[start - 1] if start else ""
    if before and is_ideograph(before):
        script = "kanji"
    elif before and is_kana(before) and to_katakana(before) == before:
        script = "katakana"
    else:
        script = "-"
    longer_before, longer_after = _context_lengths()
    befores = (*(text[start - n:start] for n in longer_before if n <= start), before, *left,
               script, "-")
    afters = (*(text[end:end + n] for n in longer_after if end + n <= len(text)),
              text[end:end + 1], "-")
    for b in befores:
        for a in afters:
            fixed = fixes.get((b, surface, pron, a))
            if fixed:
                return fixed
    return pron


def _kana_reading(surface: str, pron: str) -> str:
    """Pronunciation of an all-kana morpheme: UniDic's pron for a word of two kana or more
    when it has as many kana (こう コー, いう ユー: という is said トユー; not ヴィンテージ
    ビンテージ, whose characters would lose their kana), and for a single kana
    when it only marks a particle (は ワ); else the kana as written. On a single kana the
    analyser picks odd entries (ょ as a particle ヨ, っ with no pron) that must not change
    the word."""
    written = to_katakana(surface)
    if len(pron) == len(written) and (len(written) > 1 or same_kana(written, pron)):
        return pron
    return written


# (reading, particle, known, numeral): what a morpheme reads as, wherever it stands
_Entry = tuple[str, bool, bool, bool]
_CACHE_SIZE = 65536
# (surface, UniDic's feature string) -> (pron, pos1, numeral, whether _fixed may change the
# pron, its classes as the morpheme before a fix, entry). fugashi parses the features of
# every node anew; a word's are parsed and read once here.
_seen: dict[tuple[str, str], tuple[str | None, str, bool, bool, tuple[str, ...], _Entry]] = {}


def _classes(pos1: str, pos2: str, pos3: str, known: bool) -> tuple[str, ...]:
    """What a morpheme is as the left context of a reading fix: "name" (a proper noun, 島津 of
    島津家, or a word UniDic does not know, most often a foreign name: タクシス家), "place" (a
    name that is not a person's: 日本 of 日本人, ユダヤ), "noun" (a noun a compound may start
    with, 株式 of 株式会社) and "plain" (a plain noun or adjectival noun, no verbal noun: 一般
    of 一般人, 有名 of 有名人, not 管理 of 管理人). A noun that can stand as an adverb (昨日,
    毎日: 昨日|川 is two words) or a pronoun (私) is none of them."""
    if pos1 == "形状詞":
        return ("plain",)
    if pos1 != "名詞":
        return ()
    if not known:
        return ("name", "place", "noun")
    if pos2 == PROPER_NOUN:
        return ("name", "noun") if pos3 == "人名" else ("name", "place", "noun")
    if pos2 != "普通名詞" or pos3 == "副詞可能":
        return ()
    return ("noun", "plain") if pos3 == "一般" else ("noun",)


def _entry(surface: str, pron: str | None, pos: str, numeral: bool) -> _Entry:
    """How a morpheme reads, from its surface and UniDic's fields (``pron`` fixed)."""
    if surface and all(map(is_kana, surface)):
        return _kana_reading(surface, pron or ""), pos == PARTICLE, bool(pron), False
    if pron is not None and pron != "*":
        return pron, pos == PARTICLE, True, numeral
    if any(is_kana(ch) or is_ideograph(ch) for ch in surface):
        return _unknown_reading(surface), False, False, False
    return "", False, False, False


def _lookup(surface: str, node) -> tuple[str | None, str, bool, bool, tuple[str, ...], _Entry]:
    key = (surface, node.feature_raw)
    found = _seen.get(key)
    if found is None:
        if len(_seen) >= _CACHE_SIZE:
            _seen.clear()
        feature = node.feature
        pron = getattr(feature, "pron", None)
        pos = getattr(feature, "pos1", "")
        pos2 = getattr(feature, "pos2", "")
        numeral = pos2 == NUMERAL
        known = pron is not None and pron != "*"
        fixable = known and (surface, pron) in _fixed_words()
        found = _seen[key] = (pron, pos, numeral, fixable,
                              _classes(pos, pos2, getattr(feature, "pos3", ""), known),
                              _entry(surface, pron, pos, numeral))
    return found


def analyse(text: str) -> Iterator[Morpheme]:
    """Morphemes of ``text`` with their offsets (whitespace between them is skipped)."""
    offset = 0
    before: tuple[str, ...] = ()  # the classes of the morpheme that ends at ``offset``
    for node in _tagger()(text):
        surface = node.surface
        start = text.index(surface, offset) if surface else offset
        pron, pos, numeral, fixable, classes, entry = _lookup(surface, node)
        if fixable:  # the reading depends on the neighbours
            fixed = _fixed(text, start, surface, pron, before if start == offset else ())
            entry = _entry(surface, fixed, pos, numeral)
        offset = start + len(surface)
        before = classes
        yield Morpheme(surface, start, *entry)
