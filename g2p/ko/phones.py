"""Pronounced hangul → IPA segments, from the tables onsets.tsv, vowels.tsv and codas.tsv.

The pronunciation stage has already applied the sound changes between syllables, so what is
left is allophony: which variant of a phoneme the neighbouring sounds select (voicing of lax
stops, ɕ before i, ɭ after ㄹ, unreleased final stops). Each table is expanded once into a
dense lookup over every jamo combination (onset × class before × vowel, vowel × length,
coda × next onset × next vowel), so a syllable costs three dictionary lookups and no search.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from typing import NamedTuple

from g2p.ko.hangul import ONSETS, VOWELS
from g2p.ko.tables import TABLES
from g2p.tables import Rows

PAUSE = "#"
# Class of the sound before an onset, as named in onsets.tsv: V vowel, N nasal, L lateral,
# O obstruent; # when nothing precedes.
_CODA_CLASS = {"": "V", "ㄴ": "N", "ㅁ": "N", "ㅇ": "N", "ㄹ": "L"}
_CLASSES = ("V", "N", "L", "O", PAUSE)


def preceding_class(coda: str | None) -> str:
    """Class of the sound before the next onset, given this syllable's pronounced coda."""
    if coda is None:
        return PAUSE
    return _CODA_CLASS.get(coda, "O")


class SyllablePhones(NamedTuple):
    onset: tuple[str, ...]
    rest: tuple[str, ...]  # vowel and coda


class _OnsetRow(NamedTuple):
    onset: str
    after: frozenset[str] | None  # None: any
    before: frozenset[str] | None
    ipa: str
    absorbs: bool


@cache
def _first_sound(segment: str) -> str:
    return unicodedata.normalize("NFD", segment)[0]


@TABLES.view("vowels.tsv")
def _vowels(rows: Rows) -> dict[str, tuple[str, str, str]]:
    """Vowel → (glide, short nucleus, long nucleus)."""
    return {row["vowel"]: (row["glide"], row["nucleus"], row["long"]) for row in rows}


@TABLES.view("onsets.tsv")
def _onset_rows(rows: Rows) -> tuple[_OnsetRow, ...]:
    return tuple(
        _OnsetRow(
            row["onset"],
            None if row["after"] == "*" else frozenset(row["after"].split()),
            None if row["before"] == "*" else frozenset(row["before"].split()),
            row["ipa"],
            row["absorbs"] == "y",
        )
        for row in rows
    )


@TABLES.view("codas.tsv")
def _coda_rows(rows: Rows) -> tuple[tuple[str, frozenset[str] | None, str], ...]:
    return tuple(
        (row["coda"], None if row["before"] == "*" else frozenset(row["before"].split()),
         row["ipa"])
        for row in rows
    )


def vowel_first_sound(vowel: str) -> str:
    glide, nucleus, _ = _vowels()[vowel]
    return _first_sound(glide or nucleus)


def _onset(onset: str, after: str, before: str) -> tuple[str, bool]:
    for jamo, after_set, before_set, ipa, absorbs in _onset_rows():
        if jamo == onset and (after_set is None or after in after_set) and (
            before_set is None or before in before_set
        ):
            return ipa, absorbs
    raise KeyError(f"onsets.tsv has no row for {onset!r} after {after!r} before {before!r}")


def _coda(coda: str, next_key: str) -> str:
    for jamo, before_set, ipa in _coda_rows():
        if jamo == coda and (before_set is None or next_key in before_set):
            return ipa
    raise KeyError(f"codas.tsv has no row for {coda!r} before {next_key!r}")


@cache
def _onset_phones() -> dict[tuple[str, str, str], tuple[tuple[str, ...], bool]]:
    """(onset, class before, vowel) → (onset phones, whether the vowel loses its j glide),
    for every combination, built once from onsets.tsv: a lookup per syllable, no search."""
    table: dict[tuple[str, str, str], tuple[tuple[str, ...], bool]] = {}
    for onset in ONSETS:
        for after in _CLASSES:
            for vowel in VOWELS:
                ipa, absorbs = _onset(onset, after, vowel_first_sound(vowel))
                glide_lost = absorbs and _vowels()[vowel][0] == "j"
                table[onset, after, vowel] = tuple(ipa.split()), glide_lost
    return table


@cache
def _nucleus_phones() -> dict[tuple[str, bool, bool], tuple[str, ...]]:
    """(vowel, long, glide lost) → vowel phones, for every combination (vowels.tsv)."""
    table: dict[tuple[str, bool, bool], tuple[str, ...]] = {}
    for vowel, (glide, short, long_nucleus) in _vowels().items():
        for long in (False, True):
            nucleus = tuple((long_nucleus if long else short).split())
            table[vowel, long, False] = (*glide.split(), *nucleus)
            table[vowel, long, True] = nucleus
    return table


@cache
def _coda_phones() -> dict[tuple[str, str, str], tuple[str, ...]]:
    """(pronounced coda, next onset or #, next vowel or "") → coda phones, for every coda of
    codas.tsv (the seven the sound rules leave) and every following syllable."""
    table: dict[tuple[str, str, str], tuple[str, ...]] = {}
    for coda in dict.fromkeys(row[0] for row in _coda_rows()):
        for onset in (*ONSETS, PAUSE):
            for vowel in ("", *VOWELS):
                palatal = onset == "ㄹ" and vowel and vowel_first_sound(vowel) in "ij"
                table[coda, onset, vowel] = tuple(_coda(coda, "ㄹj" if palatal else onset).split())
    return table


def syllable_phones(
    syllable: tuple[str, str, str], after: str, next_onset: str, next_vowel: str, long: bool = False
) -> SyllablePhones:
    """IPA of one pronounced syllable (onset, vowel, coda: a :class:`Syllable` or a tuple).

    ``after`` is the class of the preceding sound (:func:`preceding_class`), ``next_onset``
    the next syllable's pronounced onset (``#`` before a pause) and ``next_vowel`` its vowel;
    ``long``: the vowel is long (a word's first syllable, :mod:`g2p.ko.length`).
    """
    onset, vowel, coda = syllable
    onset_phones, glide_lost = _onset_phones()[onset, after, vowel]
    rest = _nucleus_phones()[vowel, long, glide_lost]
    if coda:
        rest += _coda_phones()[coda, next_onset, next_vowel]
    return SyllablePhones(onset_phones, rest)
