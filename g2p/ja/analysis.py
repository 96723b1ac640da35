"""Morphological analysis with fugashi + unidic-lite: each morpheme's span and pronunciation.

UniDic's ``pron`` field is the spoken form in katakana (東京 トーキョー, particle は ワ); its
``kana`` field is the written form (トウキョウ, ハ). Words the dictionary does not know come
back without either; their kana is read as written, and unknown kanji fall back to pykakasi
(or, failing that, to each kanji's most frequent reading).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from g2p.ja.kana import is_ideograph, is_kana, to_katakana
from g2p.ja.split import kanji_readings, same_kana
from g2p.ja.tables import TABLES

PARTICLE = "助詞"
NUMERAL = "数詞"


@dataclass(frozen=True)
class Morpheme:
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


def _fixed(text: str, start: int, surface: str, pron: str) -> str:
    """UniDic's pron, or the everyday reading where unidic-lite prefers a rarer one. The most
    specific row wins: the character before, then any kanji before, then any; within each,
    the character after, then any."""
    if (surface, pron) not in _fixed_words():
        return pron
    fixes = _reading_fixes()
    end = start + len(surface)
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    befores = (before, "kanji", "-") if before and is_ideograph(before) else (before, "-")
    for b in befores:
        for a in (after, "-"):
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


def analyse(text: str) -> Iterator[Morpheme]:
    """Morphemes of ``text`` with their offsets (whitespace between them is skipped)."""
    offset = 0
    for node in _tagger()(text):
        surface = node.surface
        start = text.index(surface, offset) if surface else offset
        offset = start + len(surface)
        feature = node.feature
        pron = getattr(feature, "pron", None)
        pos = getattr(feature, "pos1", "")
        numeral = getattr(feature, "pos2", "") == NUMERAL
        known = pron is not None and pron != "*"
        if known:
            pron = _fixed(text, start, surface, pron)
        if surface and all(map(is_kana, surface)):
            reading = _kana_reading(surface, pron or "")
            yield Morpheme(surface, start, reading, particle=pos == PARTICLE, known=bool(pron))
        elif known:
            yield Morpheme(surface, start, pron, particle=pos == PARTICLE, numeral=numeral)
        elif any(is_kana(ch) or is_ideograph(ch) for ch in surface):
            yield Morpheme(surface, start, _unknown_reading(surface), known=False)
        else:
            yield Morpheme(surface, start, "", known=False)
