"""The Vietnamese adapter: one token may hold several syllables (UD VTB "hải_quân").

A token is cut into pieces at spaces, underscores and hyphens; each piece is read as

1. a Vietnamese syllable (tables in g2p/data/vi, Hanoi pronunciation);
2. digits, read as Vietnamese number words (status ``digit``, see g2p/vi/numbers.py);
3. a solid loanword made of Vietnamese syllables (canxi → can xi);
4. otherwise it has no reading: status ``latin`` for Latin-script words and acronyms
   (iPhone, WTO, Facebook), ``unknown`` for anything else, with empty IPA.

The token's IPA joins the IPA of its readable pieces; its status is ``ok`` when every piece
was read, ``digit`` when digits were involved, else the status of the first unreadable piece.
``reading`` is the lowercase NFC syllables that were read and the unread pieces as written,
separated by spaces (e-mail → ``e mail``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from g2p.base import Adapter, silent_token
from g2p.ipa import join_segments
from g2p.script import is_punct, unread_status
from g2p.types import Status, Transcription
from g2p.vi.numbers import number_words
from g2p.vi.segment import split_loanword
from g2p.vi.spelling import normalize_letters
from g2p.vi.syllable import syllable_ipa

_PIECE_SEPARATORS = re.compile(r"[\s_/\-‐‑–]+")
# UD VTB writes numbers as "70 . 000" or "90 %" inside one token: close those gaps first.
_SPACED_NUMBER = re.compile(r"(?<=\d)[\s_]*([.,])[\s_]*(?=\d)|(?<=\d)[\s_]+(?=%)")

_Reading = tuple[str, str, Status]  # (ipa, reading, status) of one piece


def _read_syllables(syllables: list[str], status: Status) -> _Reading | None:
    ipas = [syllable_ipa(syllable) for syllable in syllables]
    if any(ipa is None for ipa in ipas):
        return None
    return join_segments(*ipas), " ".join(normalize_letters(s) for s in syllables), status


def _strip_edges(piece: str) -> str:
    """``piece`` without the punctuation around it (a loop: a regex anchored at the end
    rescans the run of punctuation from every position, quadratic in a long token)."""
    start, end = 0, len(piece)
    while start < end and not (piece[start].isalnum() or piece[start] in "_%"):
        start += 1
    while end > start and not (piece[end - 1].isalnum() or piece[end - 1] in "_%"):
        end -= 1
    return piece[start:end]


def _read_piece(piece: str) -> _Reading:
    piece = _strip_edges(piece)
    if not piece:
        return "", "", Status.PUNCT
    reading = _read_syllables([piece], Status.OK)
    if reading is None and piece[0].isdigit():
        words = number_words(piece)
        reading = _read_syllables(words, Status.DIGIT) if words else None
    if reading is None:
        syllables = split_loanword(piece)
        reading = _read_syllables(list(syllables), Status.OK) if syllables else None
    if reading is None:
        reading = "", piece, unread_status(piece)
    return reading


@lru_cache(maxsize=1 << 16)
def _read_token(token: str) -> Transcription:
    pieces = [
        _read_piece(piece)
        for piece in _PIECE_SEPARATORS.split(_SPACED_NUMBER.sub(r"\1", token))
        if piece and not is_punct(piece)
    ]
    statuses = [status for _, _, status in pieces if status is not Status.PUNCT]
    failed = [s for s in statuses if s not in (Status.OK, Status.DIGIT)]
    if failed:
        status = failed[0]
    elif Status.DIGIT in statuses:
        status = Status.DIGIT
    else:
        status = Status.OK if statuses else Status.PUNCT
    return Transcription(
        token,
        join_segments(*(ipa for ipa, _, _ in pieces)),
        " ".join(reading for _, reading, _ in pieces if reading),
        status,
    )


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
        return [silent_token(token) or _read_token(token) for token in tokens]
