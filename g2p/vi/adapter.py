"""The Vietnamese adapter: one token may hold several syllables (UD VTB "hải_quân").

A token is cut into pieces at spaces, underscores and hyphens; each piece is read as

1. a Vietnamese syllable (tables in g2p/data/vi, Hanoi pronunciation);
2. digits, read as Vietnamese number words (status ``digit``, see g2p/vi/numbers.py);
3. a solid loanword cut into Vietnamese syllables (canxi → can xi), only when each of them
   is spelled as the orthography allows (:mod:`g2p.vi.orthography`: Generation's ge is not,
   so it is not read as ge ne ra ti on);
4. otherwise it is not read: Latin-script words and acronyms (iPhone, WTO, Facebook) are
   ``latin``, anything else ``unknown`` (:mod:`g2p.contract` decides the token's status).

``reading`` is the lowercase NFC syllables that were read and the unread pieces as written,
separated by spaces (e-mail → ``e mail``, COVID-19 → ``COVID mười chín``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from g2p.base import Adapter
from g2p.contract import Piece, Read, Unread, assemble
from g2p.ipa import join_segments
from g2p.script import is_punct
from g2p.types import Transcription
from g2p.vi.numbers import number_words
from g2p.vi.orthography import is_well_formed
from g2p.vi.segment import split_loanword
from g2p.vi.spelling import normalize_letters
from g2p.vi.syllable import syllable_ipa

_PIECE_SEPARATORS = re.compile(r"[\s_/\-‐‑–]+")
# UD VTB writes numbers as "70 . 000" or "90 %" inside one token: close those gaps first.
_SPACED_NUMBER = re.compile(r"(?<=\d)[\s_]*([.,])[\s_]*(?=\d)|(?<=\d)[\s_]+(?=%)")


def _read_syllables(syllables: list[str] | tuple[str, ...], number: bool
                    ) -> tuple[Read, str] | None:
    """The read piece and IPA of a run of syllables, None if one is not Vietnamese."""
    ipas = [syllable_ipa(syllable) for syllable in syllables]
    if any(ipa is None for ipa in ipas):
        return None
    return Read(" ".join(normalize_letters(s) for s in syllables), number), join_segments(*ipas)


def _strip_edges(piece: str) -> str:
    """``piece`` without the punctuation around it (a loop: a regex anchored at the end
    rescans the run of punctuation from every position, quadratic in a long token)."""
    start, end = 0, len(piece)
    while start < end and not (piece[start].isalnum() or piece[start] in "_%"):
        start += 1
    while end > start and not (piece[end - 1].isalnum() or piece[end - 1] in "_%"):
        end -= 1
    return piece[start:end]


def _read_piece(piece: str) -> tuple[Piece, str]:
    """A piece of a token (edges stripped, not empty) and its IPA."""
    reading = _read_syllables([piece], number=False)
    if reading is None and piece[0].isdigit():
        words = number_words(piece)
        reading = _read_syllables(words, number=True) if words else None
    if reading is None:
        syllables = split_loanword(piece)
        if syllables and all(map(is_well_formed, syllables)):
            reading = _read_syllables(syllables, number=False)
    return reading or (Unread(piece), "")


@lru_cache(maxsize=1 << 16)
def _read_token(token: str) -> Transcription:
    pieces = [
        _read_piece(stripped)
        for piece in _PIECE_SEPARATORS.split(_SPACED_NUMBER.sub(r"\1", token))
        if not is_punct(piece) and (stripped := _strip_edges(piece))
    ]
    return assemble(token, [piece for piece, _ in pieces],
                    join_segments(*(ipa for _, ipa in pieces)))


class VietnameseAdapter(Adapter):
    """Vietnamese (Latin script) to IPA, Hanoi pronunciation, WikiPron conventions.

    ``tones=False`` drops the Chao tone letters but keeps nặng's glottal closure ʔ, which is
    a segment of its own. Only ``dialect="north"`` (Hanoi) is implemented.
    """

    lang = "vi"

    def __init__(self, *, tones: bool = True, dialect: str = "north") -> None:
        if dialect != "north":
            raise ValueError(f"unsupported dialect {dialect!r}; only 'north' is implemented")
        super().__init__(tones=tones)
        self.dialect = dialect

    def _transcribe(self, tokens: list[str]) -> list[Transcription]:
        return [_read_token(token) for token in tokens]
