"""Numbered pinyin syllable -> IPA, driven by the tables in ``g2p/data/zh/``.

A syllable is split into initial + final (``zhong1`` -> ``zh`` + ``ong`` + tone 1); the final is
looked up together with the class of its initial, because pinyin spells some finals the same
way for different sounds (``zi`` / ``zhi`` / ``ji``, ``lu`` / ``ju``). Whole-syllable exceptions
(syllabic nasals, the erhua suffix ``r``) come from ``syllables.tsv``.
"""

from __future__ import annotations

from functools import lru_cache

from g2p.ipa import join_segments
from g2p.tables import Rows
from g2p.zh.tables import TABLES

_ANY = "*"


class PinyinError(ValueError):
    """A string that is not a numbered pinyin syllable the tables can read."""


_finals = TABLES.mapping("finals.tsv", ("final", "after"), "ipa")  # after: initial class
_syllables = TABLES.mapping("syllables.tsv", "syllable", "ipa")  # not initial + final
_tones = TABLES.mapping("tones.tsv", "tone", "ipa")


@TABLES.view("initials.tsv")
def _initials(rows: Rows) -> dict[str, tuple[str, str]]:
    """Initial -> (IPA, the class its finals are looked up with)."""
    return {row["initial"]: (row["ipa"], row["class"]) for row in rows}


def split_tone(syllable: str) -> tuple[str, str]:
    """``'zhong1'`` -> ``('zhong', '1')``; the tone digit (1-5) is required."""
    body, tone = syllable[:-1], syllable[-1:]
    if not body or tone not in _tones():
        raise PinyinError(f"not numbered pinyin (tone digit 1-5 missing): {syllable!r}")
    return body, tone


def _split_initial(body: str) -> tuple[str, str]:
    """Longest initial that leaves a non-empty final (``zh`` before ``z``)."""
    initials = _initials()
    for size in (2, 1):
        if len(body) > size and body[:size] in initials:
            return body[:size], body[size:]
    return "", body


def segmental_ipa(body: str) -> str:
    """IPA phones of a toneless syllable such as ``'zhong'`` or ``'lu:e'``."""
    whole = _syllables()
    if body in whole:
        return whole[body]
    initial, final = _split_initial(body)
    initial_ipa, initial_class = _initials().get(initial, ("", _ANY))
    finals = _finals()
    final_ipa = finals.get((final, initial_class), finals.get((final, _ANY)))
    if final_ipa is None:
        raise PinyinError(f"unknown pinyin final {final!r} in {body!r}")
    return join_segments(initial_ipa, final_ipa)


def tone_ipa(tone: str) -> str:
    """Chao tone letters of a tone digit; empty for the neutral tone 5."""
    return _tones()[tone]


@lru_cache(maxsize=4096)
def syllable_ipa(syllable: str, tone: str | None = None) -> str:
    """IPA of a numbered pinyin syllable, optionally with another (sandhi) tone digit."""
    body, citation = split_tone(syllable)
    return join_segments(segmental_ipa(body), tone_ipa(tone or citation))
