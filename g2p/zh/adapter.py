"""Mandarin adapter: sentence-level readings handed back to character or word tokens.

The tokens are joined into one string, every character of it gets its syllables (Han
characters one reading each from :mod:`g2p.zh.readings`, Arabic numbers their Chinese reading
from :mod:`g2p.zh.numbers`), and each token collects the syllables of its own characters. The
same sentence therefore gives the same phones whether it is split into characters (PAN-X) or
words (UD).

>>> from g2p import get_adapter
>>> [t.reading for t in get_adapter("zh").transcribe(["银行", "行长"])]
['yin2 hang2', 'hang2 zhang3']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from g2p.base import Adapter
from g2p.contract import Carried, Piece, Read, Unread, assemble, per_token
from g2p.ipa import join_segments
from g2p.script import LATIN_WORD, is_spoken, to_halfwidth
from g2p.types import Transcription
from g2p.zh.numbers import NUMBER, read_number
from g2p.zh.pinyin_ipa import PinyinError, syllable_ipa
from g2p.zh.readings import SentenceReader
from g2p.zh.sandhi import sandhi_tones

_ASCII_ALNUM = re.compile("[A-Za-z0-9]")
_YEAR_DIGITS = 4
_YEAR = "年"


@dataclass(slots=True)
class _Char:
    """What one character of the joined sentence contributes to its token."""

    syllables: list[tuple[str, str]] = field(default_factory=list)  # (pinyin, ipa)
    kind: str = "other"  # han | number | latin | other


class MandarinAdapter(Adapter):
    """Standard Mandarin, simplified or traditional characters.

    Options: ``tones`` (Chao tone letters, default on), ``sandhi`` (third-tone, 一 and 不
    sandhi in the IPA, default off: the dataset uses citation tones), ``backend`` (reading
    back-end, see :mod:`g2p.zh.readings`).
    """

    lang = "zh"

    def __init__(self, *, tones: bool = True, sandhi: bool = False, backend: str = "hybrid"):
        super().__init__(tones=tones)
        self.sandhi = sandhi
        self.reader = SentenceReader(backend)

    def _transcribe(self, tokens: list[str]) -> list[Transcription]:
        text = "".join(tokens)
        chars = self._analyse(text, tokens)
        return [_assemble(token, own) for token, own in zip(tokens, per_token(tokens, chars),
                                                             strict=True)]

    def _analyse(self, text: str, tokens: list[str]) -> list[_Char]:
        chars = [_Char() for _ in text]
        readings = self.reader.read(text)
        tones = (
            sandhi_tones(self.reader.model_text(text), readings)
            if self.sandhi
            else [None] * len(text)
        )
        for char, reading, tone in zip(chars, readings, tones, strict=True):
            if reading is not None:
                _add(char, reading, tone)
                char.kind = "han" if char.syllables else char.kind
        plain = to_halfwidth(text)
        if _ASCII_ALNUM.search(plain):  # else no Latin word and no number to find
            for start, end in _segments(tokens):
                _read_latin_and_numbers(plain, start, end, chars)
        return chars


def _segments(tokens: list[str]) -> list[tuple[int, int]]:
    """Spans of the joined text that Latin words and numbers may not cross.

    Character tokens (PAN-X) are joined freely, so 3 + D is the word 3D; a boundary next to a
    longer token is a word boundary (UD's iPhone | 15).
    """
    segments = []
    start = end = 0
    for index, token in enumerate(tokens):
        if end > start and (len(tokens[index - 1]) > 1 or len(token) > 1):
            segments.append((start, end))
            start = end
        end += len(token)
    segments.append((start, end))
    return segments


def _read_latin_and_numbers(plain: str, start: int, end: int, chars: list[_Char]) -> None:
    """Mark Latin words and give Arabic numbers their Chinese syllables within one span."""
    span = plain[start:end]
    for match in LATIN_WORD.finditer(span):
        for char in chars[start + match.start() : start + match.end()]:
            char.kind = "latin"
    masked = LATIN_WORD.sub(lambda m: " " * len(m.group()), span)
    for match in NUMBER.finditer(masked):
        digits = match.group()
        after = plain[start + match.end() : start + match.end() + 1]
        year = len(digits) == _YEAR_DIGITS and after == _YEAR
        first = start + match.start()
        for char in chars[first : start + match.end()]:
            char.kind = "number"
        for offset, syllable in read_number(digits, as_digits=year):
            _add(chars[first + offset], syllable, None)


def _add(char: _Char, syllable: str, tone: str | None) -> None:
    try:
        char.syllables.append((syllable, syllable_ipa(syllable, tone)))
    except PinyinError:
        pass  # a reading the tables cannot map leaves the character unread (status below)


def _assemble(token: str, chars: Sequence[_Char]) -> Transcription:
    """One token's transcription from its characters' syllables; a run of unread characters
    is one piece, so that the reading keeps 3D whole (3D打印 → 3D da3 yin4)."""
    pieces: list[Piece] = []
    phones: list[str] = []
    unread = ""
    for ch, char in zip(token, chars, strict=True):
        if char.kind == "latin" or (not char.syllables and char.kind != "number"
                                    and is_spoken(ch)):
            unread += ch  # a Latin letter, or a letter or digit with no syllable
            continue
        if unread:
            pieces.append(Unread(unread))
            unread = ""
        number = char.kind == "number"
        if number and not char.syllables:
            pieces.append(_CARRIED)  # a 0 of 1000 split into digits: 1 says yi1 qian1
        for pinyin, ipa in char.syllables:
            pieces.append(_read(pinyin, number))
            phones.append(ipa)
    if unread:
        pieces.append(Unread(unread))
    return assemble(token, pieces, join_segments(*phones))


_CARRIED = Carried()


@lru_cache(maxsize=8192)
def _read(pinyin: str, number: bool) -> Read:
    """The piece of one syllable; pieces are immutable, so one per syllable serves a corpus."""
    return Read(pinyin, number)
