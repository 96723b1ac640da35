"""Cheap value types shared by every adapter (no heavy imports here)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Status(str, Enum):
    """Why a token's IPA looks the way it does.

    ``OK`` and ``DIGIT`` promise that every letter and digit of the token was read and that
    the IPA is not empty. ``LATIN`` and ``UNKNOWN`` flag a token with letters the language
    cannot read: its IPA holds only the parts that were read (often nothing), and its
    ``reading`` spells those parts with the unread ones copied as written (3D打印 →
    ``3D da3 yin4``), so nothing is dropped silently. The silent statuses have empty IPA and
    an empty reading, except `shared`, which keeps the spelling whose sound a neighbour
    carries (a character-token ー: reading ー, its length on the vowel before it).
    """

    OK = "ok"
    DIGIT = "digit"  # digits read aloud as a number in the language
    LATIN = "latin"  # Latin letters the language cannot read (iPhone, COVID-19 in CJK text)
    UNKNOWN = "unknown"  # other letters the language cannot read (Cyrillic, kana in Korean)
    PUNCT = "punct"  # punctuation, symbols, emoji: no pronunciation (silent)
    SHARED = "shared"  # sound carried by a neighbouring token, e.g. 今日's 日 (silent)
    EMPTY = "empty"  # the empty string (silent)


@dataclass(frozen=True)
class Transcription:
    """One source token and its pronunciation.

    ``ipa`` is a space-separated string of phone segments (WikiPron style) with Chao tone
    letters as their own segments; ``reading`` is the native phonemic spelling it came from
    (katakana for ja, numbered pinyin for zh, pronounced hangul for ko, the syllable for vi).
    """

    token: str
    ipa: str
    reading: str
    status: Status = Status.OK

    @property
    def phones(self) -> list[str]:
        return self.ipa.split()
