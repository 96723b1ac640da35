"""Morpheme boundaries and classes of each hangul syllable, from MeCab (mecab-ko-dic).

Several pronunciation rules depend on morphology: a coda moves whole before a particle but is
neutralised first before a new word (값을[갑쓸] / 값어치[가버치]); endings after a verb stem
in ㄴ ㅁ are tensed (신고[신꼬]); ㄴ is inserted only inside compounds (솜이불[솜니불]). MeCab
gives morphemes in order and, for compounds and contracted forms, their parts
(``음운/NNG+론/NNG``). This module reduces that to two numbers per character: the morpheme
part its onset belongs to and the part its coda belongs to, plus each part's class from
``pos_classes.tsv``. MeCab's output is read as one string (``Lattice.to_string``) rather
than as python-mecab-ko's objects, which took twice as long as the analysis itself; each
distinct morpheme's parts and layout are computed once, and results are cached per sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache, lru_cache
from typing import NamedTuple

from g2p.ko.tables import TABLES
from g2p.tables import Rows


class Part(NamedTuple):
    """One morpheme part: its class (``pos_classes.tsv``), form and MeCab tag."""

    kind: str
    form: str
    tag: str


NO_PART = Part("other", "", "")


class Analysis(NamedTuple):
    """Per character of the analysed text: the index in ``parts`` of the part its onset and
    its coda belong to. -1 means no part; ``parts`` ends with :data:`NO_PART` so that
    ``parts[-1]`` reads as one without a test."""

    onset_part: tuple[int, ...]
    coda_part: tuple[int, ...]
    parts: tuple[Part, ...]


class Morpheme(NamedTuple):
    """One MeCab morpheme: its surface and the mecab-ko-dic feature fields used here."""

    surface: str
    pos: str
    reading: str  # "" where the dictionary has none
    expression: str  # parts of a compound or contraction (음운/NNG/*+론/NNG/*), or ""


class MeCabError(RuntimeError):
    """MeCab could not analyse a text."""


@cache
def tagger():
    from mecab import MeCab

    return MeCab()


def _mecab_lines(text: str) -> list[str]:
    """MeCab's ``surface<TAB>features`` lines for ``text`` (the EOS line dropped)."""
    from mecab.utils import create_lattice

    wrapper = tagger()
    lattice = create_lattice(text)
    if not wrapper._tagger.parse(lattice):  # the wrapper's own parse builds slow objects
        raise MeCabError(f"MeCab failed on {text!r}: {wrapper._tagger.what()}")
    return lattice.to_string().split("\n")


@lru_cache(maxsize=1 << 16)
def _morpheme(line: str) -> Morpheme:
    surface, _, feature = line.partition("\t")
    fields = [("" if field == "*" else field) for field in feature.split(",")]
    if len(fields) < 8:  # unknown-word features may be short; pad to the 8 columns
        fields += [""] * (8 - len(fields))
    return Morpheme(surface, fields[0], fields[3], fields[7])


def _located(text: str) -> Iterator[tuple[int, str, str]]:
    """(start, line, surface) of each MeCab morpheme of ``text``.

    Offsets are found by locating each surface in order: MeCab's own spans are counted
    from the first non-space character, so they are off when the text starts with spaces.
    """
    cursor = 0
    for line in _mecab_lines(text):
        surface, tab, _ = line.partition("\t")
        if not tab or not surface:  # EOS and the empty line after it
            continue
        start = text.find(surface, cursor)
        if start < 0:
            continue
        cursor = start + len(surface)
        yield start, line, surface


def morphemes(text: str) -> Iterator[tuple[int, int, Morpheme]]:
    """(start, end, morpheme) for each MeCab morpheme of ``text``."""
    for start, line, surface in _located(text):
        yield start, start + len(surface), _morpheme(line)


pos_classes = TABLES.mapping("pos_classes.tsv", "tag", "class")  # MeCab tag -> class


@TABLES.view("stem_splits.tsv")
def stem_splits(rows: Rows) -> frozenset[tuple[str, str]]:
    """(last syllable, tag) of stems that end in a real morpheme (맛없- = 맛+없-)."""
    return frozenset((row["syllable"], row["tag"]) for row in rows)


# Conjoining (U+1100-11FF) or compatibility (U+3130-318F) jamo.
_JAMO = re.compile("[\u1100-\u11ff\u3130-\u318f]")


def _parts(surface: str, pos: str, expression: str | None) -> list[tuple[str, str]]:
    """(form, tag) of each part of one MeCab morpheme."""
    if expression:
        pieces = [piece.rsplit("/", 2) for piece in expression.split("+")]
        if all(len(piece) == 3 for piece in pieces):
            return [(piece[0], piece[1]) for piece in pieces]
    tags = pos.split("+")
    if len(tags) > 1:
        return [("", tag) for tag in tags]
    if len(surface) > 1 and (surface[-1], pos) in stem_splits():
        return [(surface[:-1], pos), (surface[-1], pos)]
    half = len(surface) // 2
    if pos == "MAG" and half > 1 and surface == surface[:half] * 2:  # 유들유들, 야금야금
        return [(surface[:half], pos), (surface[half:], pos)]
    return [(surface, pos)]


def _align(length: int, parts: list[tuple[str, str]]) -> list[tuple[int, int]]:
    """(onset part, coda part) index for each of ``length`` characters.

    Parts whose widths add up to the surface are laid out in order; a part that starts with
    a bare jamo (ᆯ of 할 = 하+ᆯ, ㄴ다 of 준다 = 주+ㄴ다) also takes the coda of the character
    before it. Contracted forms (했 = 하+았) keep the first part for the onsets and give the
    last character's coda to the last part.
    """
    widths = [len(form) - len(_JAMO.findall(form)) for form, _ in parts]
    if sum(widths) != length:
        layout = [(0, 0)] * length
        layout[-1] = (0, len(parts) - 1)
        return layout
    layout: list[tuple[int, int]] = []
    for index, ((form, _), width) in enumerate(zip(parts, widths, strict=True)):
        if _JAMO.match(form) and layout:
            layout[-1] = (layout[-1][0], index)
        layout.extend([(index, index)] * width)
    return layout


class _Layout(NamedTuple):
    """One morpheme's parts and each of its characters' (onset part, coda part) indices."""

    parts: tuple[Part, ...]
    chars: tuple[tuple[int, int], ...]


@lru_cache(maxsize=1 << 16)
def _layout(line: str) -> _Layout:
    """The layout of one MeCab output line, memoised by the line: morphemes recur."""
    morpheme = _morpheme(line)
    parts = _parts(morpheme.surface, morpheme.pos, morpheme.expression)
    table = pos_classes()
    return _Layout(
        tuple(Part(table.get(tag, "other"), form, tag) for form, tag in parts),
        tuple(_align(len(morpheme.surface), parts)),
    )


@lru_cache(maxsize=8192)
def analyse(text: str) -> Analysis:
    """Morpheme parts of every character of ``text`` (a sentence of space-joined tokens)."""
    onset = [-1] * len(text)
    coda = [-1] * len(text)
    parts: list[Part] = []
    for start, line, _ in _located(text):
        layout = _layout(line)
        base = len(parts)
        parts.extend(layout.parts)
        for offset, (first, last) in enumerate(layout.chars, start=start):
            onset[offset] = base + first
            coda[offset] = base + last
    parts.append(NO_PART)
    return Analysis(tuple(onset), tuple(coda), tuple(parts))
