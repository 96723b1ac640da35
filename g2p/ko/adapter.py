"""Korean adapter: tokens → standard pronunciation (pronounced hangul) and WikiPron-style IPA.

>>> from g2p.ko.adapter import KoreanAdapter
>>> [t.reading for t in KoreanAdapter().transcribe(["음운론", "같이", "국물"])]
['으문논', '가치', '궁물']

Token treatment: hangul is read by the rules (status ok). Numbers are read as Sino-Korean,
or native before counters such as 개 (status digit). A stand-alone vowel letter is read as
its sound (ㅜㅜ → 우우); a stand-alone consonant letter (ㅋㅋ) is not read. Latin words get no
IPA. Hanja are read when MeCab's dictionary knows them. Letters that are not read are kept as
written in the reading (3D로 → 삼D로) and decide the status (:mod:`g2p.contract`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from itertools import groupby

from g2p.base import Adapter
from g2p.contract import Piece, Read, Unread, assemble
from g2p.ko.hangul import is_syllable, vowel_letters_as_syllables
from g2p.ko.hanja import read_hanja
from g2p.ko.length import LengthModel, default_model
from g2p.ko.numbers import spell_numbers
from g2p.ko.pronounce import TokenSound, pronounce
from g2p.script import is_han, is_latin, is_punct, to_halfwidth
from g2p.types import Transcription

_HANGUL_WORD = re.compile("[\uac00-\ud7a3]+")  # precomposed syllables only


def _plan(token: str) -> tuple[str | None, bool]:
    """(the text to pronounce: numbers and known hanja in hangul, None for a token with
    nothing to pronounce (silent, a Latin word); whether digits were spelled)."""
    if _HANGUL_WORD.fullmatch(token):  # the common case, which every check below passes
        return token, False
    return _plan_other(token)


@lru_cache(maxsize=1 << 16)
def _plan_other(token: str) -> tuple[str | None, bool]:
    """:func:`_plan` of a token that is not all hangul syllables, memoised: corpus tokens
    recur (an all-hangul token is checked faster than it is looked up)."""
    if not token or is_punct(token) or is_latin(token):
        return None, False
    text = spell_numbers(token)
    has_digit = text != to_halfwidth(token)
    text = vowel_letters_as_syllables(text)
    if any(map(is_han, text)):
        text = read_hanja(text)
    return text, has_digit


def is_character_tokenized(texts: list[str | None]) -> bool:
    """Whether a sentence's tokens are single syllables cut from words (PAN-X ko does this
    for some sentences: 서 울 특 별 시), judged from three or more one-syllable tokens and
    no longer hangul token."""
    hangul = [text for text in texts if text and any(map(is_syllable, text))]
    return len(hangul) >= 3 and all(len(text) == 1 for text in hangul)


def _pieces(token: str, text: str | None, sound: TokenSound, number: bool) -> list[Piece]:
    """Pronounced syllables in place of the hangul, other letters and marks as written in
    ``token`` (spell_numbers made ``text`` half-width), punctuation and symbols dropped.
    ko spells a number into hangul before the sound rules, so every read piece of a token
    with digits carries the digit flag."""
    if text is None:
        return [Unread(token)] if is_latin(token) else []
    if len(sound.reading) == len(text):  # all hangul, the common case
        return [Read("".join(sound.reading), number)]
    syllables = iter(sound.reading)
    written = iter(token)
    pieces: list[Piece] = []
    for hangul, run in groupby(text, is_syllable):
        if hangul:
            pieces.append(Read("".join(next(syllables) for _ in run), number))
        else:
            pieces.extend(Unread(_as_written(ch, written)) for ch in run if not is_punct(ch))
    return pieces


def _as_written(ch: str, written: Iterator[str]) -> str:
    """The character of the token that ``ch`` (a character of its half-width text) is."""
    return next((original for original in written if to_halfwidth(original) == ch), ch)


class KoreanAdapter(Adapter):
    """Standard Korean pronunciation, token by token.

    ``sandhi=True`` (default) applies the sound changes across token boundaries as in
    connected speech (국 물 → [궁 물], 옷 안 → [옫 안]); ``sandhi=False`` reads every token
    as if said alone. ``length=True`` (default) marks a long first vowel of a word (눈
    snow [nuːn], 말 word [maːɭ]) as predicted by :mod:`g2p.ko.length`, in WikiPron's
    notation; ``length=False`` gives only short vowels. Korean has no tones: ``tones`` is
    accepted for the common contract.
    """

    lang = "ko"

    def __init__(self, *, tones: bool = True, sandhi: bool = True, length: bool = True) -> None:
        super().__init__(tones=tones)
        self.sandhi = sandhi
        self.length_model: LengthModel | None = default_model() if length else None

    def _transcribe(self, tokens: list[str]) -> list[Transcription]:
        plans = [_plan(token) for token in tokens]
        texts = [text for text, _ in plans]
        sounds = pronounce(
            texts, sandhi=self.sandhi, joined=is_character_tokenized(texts),
            length=self.length_model,
        )
        return [
            assemble(token, _pieces(token, text, sound, number), " ".join(sound.phones), "")
            for token, (text, number), sound in zip(tokens, plans, sounds, strict=True)
        ]
