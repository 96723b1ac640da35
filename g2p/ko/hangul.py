"""Hangul syllables as (onset, vowel, coda) jamo triples, and back.

All tables of the Korean adapter spell jamo as compatibility letters (ㄱ, ㅏ, ㄺ), which are
easy to read and type; a missing coda is the empty string and a vowel-initial syllable has
the onset ``ㅇ``, as in the spelling.
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

ONSETS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
CODAS = ("", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ")

_FIRST, _LAST = 0xAC00, 0xD7A3
_ONSET_INDEX = {jamo: i for i, jamo in enumerate(ONSETS)}
_VOWEL_INDEX = {jamo: i for i, jamo in enumerate(VOWELS)}
_CODA_INDEX = {jamo: i for i, jamo in enumerate(CODAS)}


class Syllable(NamedTuple):
    onset: str
    vowel: str
    coda: str


def is_syllable(char: str) -> bool:
    return _FIRST <= ord(char) <= _LAST


@cache
def decompose(char: str) -> Syllable:
    """ '닭' → Syllable('ㄷ', 'ㅏ', 'ㄺ'); ``char`` must be a precomposed syllable. Memoised
    (at most 11,172 entries): the pronunciation stages decompose every syllable."""
    index = ord(char) - _FIRST
    return Syllable(ONSETS[index // 588], VOWELS[index // 28 % 21], CODAS[index % 28])


@cache
def compose(syllable: tuple[str, str, str]) -> str:
    """The precomposed syllable of a jamo triple (a :class:`Syllable` or a plain tuple, which
    is cheaper to make); memoised like :func:`decompose`."""
    onset, vowel, coda = syllable
    return chr(
        _FIRST + (_ONSET_INDEX[onset] * 21 + _VOWEL_INDEX[vowel]) * 28 + _CODA_INDEX[coda]
    )


def vowel_letters_as_syllables(text: str) -> str:
    """Stand-alone vowel letters as the syllables they are read as: ㅜㅜ → 우우, ㅓ → 어."""
    return "".join(compose(Syllable("ㅇ", ch, "")) if ch in _VOWEL_INDEX else ch for ch in text)


def is_onset(jamo: str) -> bool:
    return jamo in _ONSET_INDEX


def is_coda(jamo: str) -> bool:
    return jamo in _CODA_INDEX


def is_vowel(jamo: str) -> bool:
    return jamo in _VOWEL_INDEX
