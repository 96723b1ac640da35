"""Cheap value types shared by every adapter (no heavy imports here)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Status(str, Enum):
    """Why a token's IPA looks the way it does.

    Only ``OK`` and ``DIGIT`` carry IPA read by the language's own rules; every other status
    marks a documented fallback so that no token is silently transcribed wrongly.
    """

    OK = "ok"
    DIGIT = "digit"  # digits read aloud as a number in the language
    PUNCT = "punct"  # punctuation, symbols, emoji: no pronunciation, empty IPA
    LATIN = "latin"  # Latin-script word inside CJKV text: empty IPA, reading = token
    UNKNOWN = "unknown"  # a character the language's tables cannot read: empty IPA
    SHARED = "shared"  # reading given to a neighbouring token (e.g. Japanese jukujikun 今日)
    EMPTY = "empty"  # the empty string


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
