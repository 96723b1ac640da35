"""Korean adapter: tokens → standard pronunciation (pronounced hangul) and WikiPron-style IPA.

>>> from g2p.ko.adapter import KoreanAdapter
>>> [t.reading for t in KoreanAdapter().transcribe(["음운론", "같이", "국물"])]
['으문논', '가치', '궁물']

Token treatment: hangul is read by the rules (status ok). Numbers are read as Sino-Korean,
or native before counters such as 개 (status digit). A stand-alone vowel letter is read as
its sound (ㅜㅜ → 우우); a stand-alone consonant letter (ㅋㅋ) is ``unknown``. Latin words
keep their spelling as the reading and get no IPA (status latin). Hanja are read when
MeCab's dictionary knows them, otherwise the token is ``unknown``. A token mixing scripts
(XML등이, 3D로) gets the IPA of the parts that can be read, its reading keeps the Latin
letters as written, and its status names the part that could not be read (latin,
unknown) or else digit.
"""

from __future__ import annotations

import re
from functools import lru_cache

from g2p.base import Adapter, silent_token
from g2p.ko.hangul import is_syllable, vowel_letters_as_syllables
from g2p.ko.hanja import is_hanja, read_hanja
from g2p.ko.length import LengthModel, default_model
from g2p.ko.numbers import spell_numbers
from g2p.ko.pronounce import TokenSound, pronounce
from g2p.script import is_latin, is_punct, is_spoken, to_halfwidth, unread_status
from g2p.types import Status, Transcription

_HANGUL_WORD = re.compile("[\uac00-\ud7a3]+")  # precomposed syllables only


def _prepare(token: str) -> tuple[str, Status]:
    """The token with numbers and known hanja in hangul, and the status it will get."""
    text = spell_numbers(token)
    has_digit = text != to_halfwidth(token)
    text = vowel_letters_as_syllables(text)
    if any(map(is_hanja, text)):
        text = read_hanja(text)
    unread = "".join(ch for ch in text if is_spoken(ch) and not is_syllable(ch))
    if unread or not any(map(is_syllable, text)):
        return text, unread_status(unread)
    return text, Status.DIGIT if has_digit else Status.OK


def is_character_tokenized(texts: list[str | None]) -> bool:
    """Whether a sentence's tokens are single syllables cut from words (PAN-X ko does this
    for some sentences: 서 울 특 별 시), judged from three or more one-syllable tokens and
    no longer hangul token."""
    hangul = [text for text in texts if text and any(map(is_syllable, text))]
    return len(hangul) >= 3 and all(len(text) == 1 for text in hangul)


def _reading(text: str, sound: TokenSound) -> str:
    """Pronounced syllables in place of the hangul; other letters and marks as written,
    punctuation and symbols dropped."""
    if len(sound.reading) == len(text):  # all hangul, the common case
        return "".join(sound.reading)
    syllables = iter(sound.reading)
    return "".join(next(syllables) if is_syllable(ch) else ch for ch in text if not is_punct(ch))


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
        texts = [text for _, text, _ in plans]
        sounds = pronounce(
            texts, sandhi=self.sandhi, joined=is_character_tokenized(texts),
            length=self.length_model,
        )
        return [
            result
            or Transcription(token, " ".join(sound.phones), _reading(text or "", sound), status)
            for token, (result, text, status), sound in zip(tokens, plans, sounds, strict=True)
        ]


@lru_cache(maxsize=1 << 16)
def _plan(token: str) -> tuple[Transcription | None, str | None, Status]:
    """(the whole transcription of a token with nothing to pronounce, else None; the text to
    pronounce; its status), memoised: corpus tokens recur."""
    if _HANGUL_WORD.fullmatch(token):  # the common case, which every check below passes
        return None, token, Status.OK
    silent = silent_token(token)
    if silent is None and is_latin(token):
        silent = Transcription(token, "", token, Status.LATIN)
    if silent is not None:
        return silent, None, Status.OK
    return None, *_prepare(token)
