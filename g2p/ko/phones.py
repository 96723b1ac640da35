"""Pronounced hangul → IPA segments, from the tables onsets.tsv, vowels.tsv and codas.tsv.

The pronunciation stage has already applied the sound changes between syllables, so what is
left is allophony: which variant of a phoneme the neighbouring sounds select (voicing of lax
stops, ɕ before i, ɭ after ㄹ, unreleased final stops). Results are memoised per syllable in
context, which keeps the per-syllable cost to one dictionary lookup.
"""

from __future__ import annotations

import unicodedata
from functools import cache, lru_cache
from typing import NamedTuple

from g2p.ko.hangul import Syllable
from g2p.ko.tables import TABLES
from g2p.tables import Rows

PAUSE = "#"
# Class of the sound before an onset, as named in onsets.tsv: V vowel, N nasal, L lateral,
# O obstruent; # when nothing precedes.
_CODA_CLASS = {"": "V", "ㄴ": "N", "ㅁ": "N", "ㅇ": "N", "ㄹ": "L"}


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


@cache
def _onset(onset: str, after: str, before: str) -> tuple[str, bool]:
    for jamo, after_set, before_set, ipa, absorbs in _onset_rows():
        if jamo == onset and (after_set is None or after in after_set) and (
            before_set is None or before in before_set
        ):
            return ipa, absorbs
    raise KeyError(f"onsets.tsv has no row for {onset!r} after {after!r} before {before!r}")


@cache
def _coda(coda: str, next_key: str) -> str:
    for jamo, before_set, ipa in _coda_rows():
        if jamo == coda and (before_set is None or next_key in before_set):
            return ipa
    raise KeyError(f"codas.tsv has no row for {coda!r} before {next_key!r}")


@lru_cache(maxsize=1 << 16)
def syllable_phones(
    syllable: Syllable, after: str, next_onset: str, next_vowel: str, long: bool = False
) -> SyllablePhones:
    """IPA of one pronounced syllable.

    ``after`` is the class of the preceding sound (:func:`preceding_class`), ``next_onset``
    the next syllable's pronounced onset (``#`` before a pause) and ``next_vowel`` its vowel;
    ``long``: the vowel is long (a word's first syllable, :mod:`g2p.ko.length`).
    """
    onset, vowel, coda = syllable
    glide, short, long_nucleus = _vowels()[vowel]
    nucleus = long_nucleus if long else short
    onset_ipa, absorbs = _onset(onset, after, _first_sound(glide or nucleus))
    if absorbs and glide == "j":
        glide = ""
    rest = [glide, nucleus]
    if coda:
        key = next_onset
        if next_onset == "ㄹ" and next_vowel and vowel_first_sound(next_vowel) in "ij":
            key = "ㄹj"
        rest.append(_coda(coda, key))
    return SyllablePhones(tuple(onset_ipa.split()), tuple(" ".join(rest).split()))
