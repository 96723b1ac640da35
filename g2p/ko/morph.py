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

from collections.abc import Iterator
from functools import cache, lru_cache
from typing import NamedTuple

from g2p.ko.tables import TABLES
from g2p.tables import Rows


class Analysis(NamedTuple):
    """Per character of the analysed text: part ids of its onset and coda (-1: none)."""

    onset_part: tuple[int, ...]
    coda_part: tuple[int, ...]
    part_class: tuple[str, ...]
    part_form: tuple[str, ...]
    part_tag: tuple[str, ...]


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


def morphemes(text: str) -> Iterator[tuple[int, int, Morpheme]]:
    """(start, end, morpheme) for each MeCab morpheme of ``text``.

    Offsets are found by locating each surface in order: MeCab's own spans are counted
    from the first non-space character, so they are off when the text starts with spaces.
    """
    cursor = 0
    for line in _mecab_lines(text):
        if "\t" not in line:  # EOS and the empty line after it
            continue
        morpheme = _morpheme(line)
        start = text.find(morpheme.surface, cursor)
        if start < 0 or not morpheme.surface:
            continue
        cursor = start + len(morpheme.surface)
        yield start, cursor, morpheme


pos_classes = TABLES.mapping("pos_classes.tsv", "tag", "class")  # MeCab tag -> class


@TABLES.view("stem_splits.tsv")
def stem_splits(rows: Rows) -> frozenset[tuple[str, str]]:
    """(last syllable, tag) of stems that end in a real morpheme (맛없- = 맛+없-)."""
    return frozenset((row["syllable"], row["tag"]) for row in rows)


def _is_jamo(char: str) -> bool:
    """Conjoining (U+1100-11FF) or compatibility (U+3130-318F) jamo."""
    return "\u1100" <= char <= "\u11ff" or "\u3130" <= char <= "\u318f"


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
    return [(surface, pos)]


def _align(length: int, parts: list[tuple[str, str]]) -> list[tuple[int, int]]:
    """(onset part, coda part) index for each of ``length`` characters.

    Parts whose widths add up to the surface are laid out in order; a part that starts with
    a bare jamo (ᆯ of 할 = 하+ᆯ, ㄴ다 of 준다 = 주+ㄴ다) also takes the coda of the character
    before it. Contracted forms (했 = 하+았) keep the first part for the onsets and give the
    last character's coda to the last part.
    """
    widths = [sum(not _is_jamo(ch) for ch in form) for form, _ in parts]
    if sum(widths) != length:
        layout = [(0, 0)] * length
        layout[-1] = (0, len(parts) - 1)
        return layout
    layout: list[tuple[int, int]] = []
    for index, ((form, _), width) in enumerate(zip(parts, widths, strict=True)):
        if form and _is_jamo(form[0]) and layout:
            layout[-1] = (layout[-1][0], index)
        layout.extend([(index, index)] * width)
    return layout


class _Layout(NamedTuple):
    """One morpheme's parts (class, form, tag of each) and each character's part indices."""

    classes: tuple[str, ...]
    forms: tuple[str, ...]
    tags: tuple[str, ...]
    chars: tuple[tuple[int, int], ...]


@lru_cache(maxsize=1 << 16)
def _layout(morpheme: Morpheme, length: int) -> _Layout:
    parts = _parts(morpheme.surface, morpheme.pos, morpheme.expression)
    table = pos_classes()
    return _Layout(
        tuple(table.get(tag, "other") for _, tag in parts),
        tuple(form for form, _ in parts),
        tuple(tag for _, tag in parts),
        tuple(_align(length, parts)),
    )


@lru_cache(maxsize=8192)
def analyse(text: str) -> Analysis:
    """Morpheme parts of every character of ``text`` (a sentence of space-joined tokens)."""
    onset = [-1] * len(text)
    coda = [-1] * len(text)
    classes: list[str] = []
    forms: list[str] = []
    tags: list[str] = []
    for start, end, morpheme in morphemes(text):
        layout = _layout(morpheme, end - start)
        base = len(classes)
        classes.extend(layout.classes)
        forms.extend(layout.forms)
        tags.extend(layout.tags)
        for offset, (first, last) in enumerate(layout.chars, start=start):
            onset[offset] = base + first
            coda[offset] = base + last
    return Analysis(tuple(onset), tuple(coda), tuple(classes), tuple(forms), tuple(tags))
