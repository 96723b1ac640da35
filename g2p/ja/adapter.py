"""Japanese adapter: sentence-level readings from UniDic, split back onto each token.

The tokens are joined and analysed as one sentence, so context decides readings (今日は
キョーワ, not こんにちは). Each morpheme's pronunciation is then shared out over its
characters (:mod:`g2p.ja.split`: 東京 トー|キョー; jukujikun 今日 キョー|shared) and every
token collects the readings of its characters: a token spanning several morphemes joins
them, a morpheme spanning several tokens is split. Numbers and the counter after them are
read by :mod:`g2p.ja.numbers` (the whole sentence layer: :mod:`g2p.ja.sentence`). The
sentence's kana is turned into IPA as a whole (:mod:`g2p.ja.phonology`), so ン and ッ
assimilate across token boundaries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from g2p.base import Adapter
from g2p.contract import Carried, Piece, Read, Unread, assemble, per_token, silent_status
from g2p.ja.kana import is_kana, to_katakana, widen_katakana
from g2p.ja.phonology import kana_to_ipa, lengthen_spelled_vowels
from g2p.ja.sentence import sentence_units
from g2p.script import is_latin, is_latin_letter, is_spoken
from g2p.types import Transcription

# Particles UniDic pronounces differently from their spelling (は ワ, へ エ). Inside a longer
# kana token (a lexicon word like はし or かたは cut by the analyser) they keep their kana.
_SPOKEN_PARTICLES = frozenset("はへ")


@dataclass(slots=True)
class _Char:
    token: int
    reading: str | None = None  # None: the character's sound is carried by a neighbour
    covered: bool = False  # whether any reading (or sharing) was assigned
    morpheme: int = -1  # start offset of the morpheme that read it, -1 for numbers


class JapaneseAdapter(Adapter):
    """Token-aligned IPA and katakana readings for Japanese.

    ``reading`` is the katakana pronunciation of the token (long vowels as ー, particles
    ワ/エ/オ). Characters of a jukujikun word after the first get status ``shared`` and empty
    IPA; so does a token that is only a length mark (ニュ|ー: ー lengthens the vowel of the
    token before, ɲ̟ ɯᵝː|, and keeps its reading ー). Latin letters are never read, even where
    UniDic spells them in katakana (ＶＲ＾ ブイアール): status ``latin``. Digits are read as
    numbers (status ``digit``). Japanese has no tones, so ``tones`` changes nothing.
    """

    lang = "ja"

    def _transcribe(self, tokens: list[str]) -> list[Transcription]:
        wide = [widen_katakana(token) for token in tokens]
        chars = _read_characters(tokens, wide)
        latin = [is_latin(token) for token in tokens]
        pieces = [
            [Unread(token)] if latin_word else _pieces(token, own)
            for token, own, latin_word in zip(wide, per_token(wide, chars), latin, strict=True)
        ]
        # The kana the sentence says; None, a pause, for a silent token or a Latin word.
        ipas = kana_to_ipa([
            None if latin_word or silent_status(token, own) is not None else _spoken(own)
            for token, own, latin_word in zip(tokens, pieces, latin, strict=True)
        ])
        return [
            assemble(token, own if ipa else _carried(own), ipa, joiner="")
            for token, own, ipa in zip(tokens, pieces, ipas, strict=True)
        ]


# unicodedata.name, which is_latin_letter asks, is slow for a test made on every character
_latin_letter = lru_cache(maxsize=65536)(is_latin_letter)


def _pieces(token: str, chars: Sequence[_Char]) -> list[Piece]:
    """What each character of a token contributes. A symbol is said only inside a number
    (3.5 サンテンゴ, 95 ％ パーセント), and then counts as part of it like the digits (a
    counter such as the 月 of 3|月 does not); Latin letters are left unread."""
    pieces: list[Piece] = []
    for ch, char in zip(token, chars, strict=True):
        in_number = char.morpheme < 0  # its digits, and the symbols and counters read with them
        if _latin_letter(ch) or (not char.covered and is_spoken(ch)):
            pieces.append(Unread(ch))
        elif not char.covered or not (is_spoken(ch) or in_number):
            continue
        elif char.reading is None:
            pieces.append(Carried())
        elif char.reading:  # "": UniDic's pron has no kana for it (カルロヴィ's ヴィ)
            pieces.append(Read(char.reading, ch.isdigit() or (in_number and not is_spoken(ch))))
    return pieces


def _spoken(pieces: Sequence[Piece]) -> str:
    return "".join(piece.reading for piece in pieces if isinstance(piece, Read))


def _carried(pieces: Sequence[Piece]) -> list[Piece]:
    """A token whose kana came out as no phones (a ー whose length went to the vowel before)
    is carried by its neighbour; it keeps its kana as the reading."""
    return [Carried(piece.reading) if isinstance(piece, Read) else piece for piece in pieces]


def _read_characters(tokens: list[str], wide: list[str]) -> list[_Char]:
    """One entry per character of the joined tokens (``wide``: half-width katakana widened),
    with its reading."""
    chars: list[_Char] = []
    for index, token in enumerate(wide):
        chars.extend(_Char(index) for _ in token)
    for unit in sentence_units("".join(wide)):
        pieces = unit.pieces
        if unit.particle and unit.surface in _SPOKEN_PARTICLES and _inside_kana_word(
            tokens, chars, unit.start
        ):
            pieces = (to_katakana(unit.surface),)
        for offset, piece in enumerate(pieces):
            char = chars[unit.start + offset]
            char.reading, char.covered = piece, True
            char.morpheme = -1 if unit.numeric else unit.start
    _lengthen_cut_words(tokens, chars)
    return chars


def _inside_kana_word(tokens: list[str], chars: list[_Char], position: int) -> bool:
    """Whether a は/へ the analyser took for a particle sits in a longer all-kana token (a
    word such as はし, かたは): then it is read as written. In a token with kanji it is the
    particle, also inside a phrase given as one token (東京へ行く)."""
    token = tokens[chars[position].token]
    return len(token) > 1 and all(map(is_kana, token))


def _lengthen_cut_words(tokens: list[str], chars: list[_Char]) -> None:
    """An all-kana token the analyser cut into several morphemes is a word it does not know:
    read its えい/おう spellings as long vowels, as in the words it does know."""
    start = 0
    for index, token in enumerate(tokens):
        end = start
        while end < len(chars) and chars[end].token == index:
            end += 1
        span = chars[start:end]
        if len(span) > 1 and len({c.morpheme for c in span}) > 1 and all(map(is_kana, token)):
            pieces = lengthen_spelled_vowels([c.reading for c in span])
            for char, piece in zip(span, pieces, strict=True):
                char.reading = piece
        start = end
