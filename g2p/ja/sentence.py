"""The reading of a whole sentence, as units (morphemes or numbers) with per-character pieces.

This is the layer between the analyser and the tokens: each unit has the reading of a
stretch of the sentence and that reading shared out over its characters. Numbers in digits
and kanji numerals before a counter are read by :mod:`g2p.ja.numbers`; everything else by
UniDic through :mod:`g2p.ja.analysis`, split by :mod:`g2p.ja.split`.
"""

from __future__ import annotations

from typing import NamedTuple

from g2p.ja.analysis import Morpheme, analyse
from g2p.ja.numbers import (
    KANJI_NUMERALS,
    NUMBER,
    is_native,
    kanji_value,
    match_counter,
    read_kanji_number,
    read_number,
)
from g2p.ja.split import split_reading


class Unit(NamedTuple):
    """A stretch of the sentence read as one: ``pieces`` has one entry per character (its
    kana, or None when a neighbour carries its sound). A tuple: one is made per word."""

    start: int
    surface: str
    reading: str
    pieces: tuple[str | None, ...]
    particle: bool = False
    numeric: bool = False


def sentence_units(text: str) -> list[Unit]:
    """The units of ``text`` in order; characters with no sound (punctuation) are in none."""
    units: list[Unit] = []
    chunk_start = 0
    while match := NUMBER.search(text, chunk_start):
        position = match.start()
        units.extend(_analysed_units(text, chunk_start, position))
        end, pieces = read_number(text, position)
        reading = "".join(piece for piece in pieces if piece)
        units.append(Unit(position, text[position:end], reading, tuple(pieces), numeric=True))
        chunk_start = end
    units.extend(_analysed_units(text, chunk_start, len(text)))
    return units


def _analysed_units(text: str, start: int, end: int) -> list[Unit]:
    if start >= end:
        return []
    chunk = text[start:end]
    morphemes = list(analyse(chunk))
    ends = {m.end for m in morphemes}
    units: list[Unit] = []
    index = 0
    while index < len(morphemes):
        counted = _counted_numeral(chunk, morphemes, index, ends)
        if counted is not None:
            stop, unit = counted
            units.append(Unit(start + unit.start, unit.surface, unit.reading, unit.pieces))
            while index < len(morphemes) and morphemes[index].start < stop:
                index += 1
            continue
        morpheme = morphemes[index]
        index += 1
        if morpheme.reading:
            units.append(Unit(start + morpheme.start, morpheme.surface, morpheme.reading,
                              split_reading(morpheme.surface, morpheme.reading),
                              particle=morpheme.particle))
    return units


def _counted_numeral(
    chunk: str, morphemes: list[Morpheme], index: int, ends: set[int]
) -> tuple[int, Unit] | None:
    """A kanji numeral and the counter after it (一本 イッ|ポン), read by the counter table:
    UniDic reads the two apart (イチ|ポン). Returns where it stops and the unit."""
    run = index
    while run < len(morphemes) and morphemes[run].numeral \
            and all(ch in KANJI_NUMERALS for ch in morphemes[run].surface):
        run += 1
    if run == index:
        return None
    start, end = morphemes[index].start, morphemes[run - 1].end
    counter = match_counter(chunk, end)
    value = kanji_value(chunk[start:end])
    if not counter or end + len(counter) not in ends or value is None:
        return None
    said = "".join(m.reading for m in morphemes[index:run])
    if said != read_kanji_number(value, "")[0] and not is_native(counter):
        return None  # the analyser chose a special form itself (五日 イツカ, 三日 ミッカ)
    number_reading, counter_reading = read_kanji_number(value, counter)
    pieces = (*split_reading(chunk[start:end], number_reading),
              *split_reading(counter, counter_reading))
    stop = end + len(counter)
    return stop, Unit(start, chunk[start:stop], number_reading + counter_reading, pieces)
