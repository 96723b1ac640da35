"""Vowel length of a word's first syllable (표준 발음법 제6항), learned from a lexicon.

Standard Korean keeps long vowels only in the first syllable of a word (눈[눈ː] snow,
말[말ː] word), and which words have them is lexical: nothing in the spelling decides it.
This module scores a word with a logistic model over a few spelling features (its first
syllable, first two syllables, first morpheme and its tag, onset and vowel, last syllable,
length) and calls the first vowel long when the score is positive. The weights are the
data table ``data/ko/length_weights.tsv``, fitted from a WikiPron lexicon by
:mod:`g2p.ko.fit_length` (never at run time).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from itertools import repeat

from g2p.ko.hangul import decompose, is_syllable
from g2p.ko.morph import analyse
from g2p.ko.tables import TABLES
from g2p.tables import Rows

_BIAS = "bias"
_NOT_SYLLABLE = re.compile("[^\uac00-\ud7a3]")  # all but precomposed hangul syllables


@cache
def _first_syllable_features(syllable: str) -> tuple[str, str, str, str]:
    """The s1, ov, v and vc features of a first syllable, built once per syllable (with their
    hashes, which the weight lookups need): most words of a corpus are new, their syllables
    are not."""
    onset, vowel, coda = decompose(syllable)
    return f"s1={syllable}", f"ov={onset}{vowel}", f"v={vowel}", f"vc={vowel}{coda}"


def features(word: str, first_form: str, first_tag: str) -> list[str]:
    """Spelling features of a hangul word (``word[0]`` a syllable) and its first morpheme
    (form and MeCab tag)."""
    syllables = _NOT_SYLLABLE.sub("", word)
    s1, ov, v, vc = _first_syllable_features(syllables[0])
    return [
        _BIAS,
        s1,
        f"s2={syllables[:2]}",
        f"m={first_form}/{first_tag}",
        f"t={first_tag}",
        f"t1={first_tag}{syllables[0]}",
        ov,
        v,
        vc,
        f"last={syllables[-1]}",
        f"n={min(len(syllables), 5)}",
    ]


def word_features(word: str) -> list[str]:
    """:func:`features` of a word said alone (its first morpheme from MeCab)."""
    analysis = analyse(word)
    start = next(i for i, ch in enumerate(word) if is_syllable(ch))
    part = analysis.parts[analysis.onset_part[start]]
    return features(word[start:], part.form, part.tag)


class LengthModel:
    """Feature weights; a word whose weights add up to more than 0 has a long first vowel."""

    def __init__(self, weights: dict[str, float]) -> None:
        self.weights = weights
        self._memo: dict[tuple[str, str, str], bool] = {}

    def is_long(self, names: Iterable[str]) -> bool:
        return sum(map(self.weights.get, names, repeat(0.0))) > 0

    def word_is_long(self, word: str, first_form: str, first_tag: str) -> bool:
        """:meth:`is_long` of :func:`features`, memoised: corpus words recur."""
        key = (word, first_form, first_tag)
        long = self._memo.get(key)
        if long is None:
            long = self._memo[key] = self.is_long(features(word, first_form, first_tag))
        return long


@TABLES.view("length_weights.tsv")
def default_model(rows: Rows) -> LengthModel:
    """The model of ``length_weights.tsv``, which :func:`main` writes."""
    return LengthModel({row["feature"]: float(row["weight"]) for row in rows})
