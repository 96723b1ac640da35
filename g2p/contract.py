"""From per-span readings to :class:`Transcription`: the rules of :class:`Status`, once.

Every adapter describes each token as a sequence of pieces: :class:`Read` (a span it read,
perhaps a number read from digits), :class:`Unread` (letters it cannot read, kept as written)
and :class:`Carried` (a span whose sound a neighbouring token carries). :func:`assemble`
alone turns them, with the IPA of the read pieces, into the token's transcription and
decides its status, so the same case gets the same status in every language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from g2p.script import is_punct, is_spoken, unread_status
from g2p.types import Status, Transcription

Item = TypeVar("Item")


@dataclass(frozen=True, slots=True)
class Read:
    """A span read aloud: its native reading; ``number`` when it was read from digits."""

    reading: str
    number: bool = False


@dataclass(frozen=True, slots=True)
class Unread:
    """Letters (or marks) the language cannot read, copied as written into the reading."""

    text: str


@dataclass(frozen=True, slots=True)
class Carried:
    """A span whose sound a neighbouring token carries (今日's 日, a length mark ー);
    ``spelling`` is what the reading keeps of it (ー), often nothing."""

    spelling: str = ""


Piece = Read | Unread | Carried


def silent_status(token: str, pieces: Sequence[Piece]) -> Status | None:
    """``empty`` or ``punct`` for a token with nothing to say, else None.

    A symbol that an adapter reads as part of a number (ja: the ％ of 95 ％) is not silent.
    """
    if not token:
        return Status.EMPTY
    if is_punct(token) and not any(isinstance(piece, Read) for piece in pieces):
        return Status.PUNCT
    return None


def assemble(token: str, pieces: Sequence[Piece], ipa: str, joiner: str = " ") -> Transcription:
    """The transcription of ``token`` from its pieces and the IPA of its read pieces.

    ``joiner`` separates the pieces in the reading (a space between pinyin or Vietnamese
    syllables, nothing in kana or hangul). The status rules, in order: empty, punct (silent);
    ``latin``/``unknown`` when letters were not read (their IPA kept, the letters copied);
    with no phones ``shared`` (a neighbour carries the sound) or ``unknown`` (spelled as
    written); ``digit`` when a number was read from digits; else ``ok``.
    """
    silent = silent_status(token, pieces)
    if silent is not None:
        return Transcription(token, "", "", silent)
    texts: list[str] = []
    unread = ""
    carried = number = False
    for piece in pieces:  # one pass: this runs for every token of a corpus
        if isinstance(piece, Read):
            texts.append(piece.reading)
            number |= piece.number
        elif isinstance(piece, Unread):
            texts.append(piece.text)
            unread += piece.text
        else:
            texts.append(piece.spelling)
            carried = True
    reading = joiner.join(text for text in texts if text)
    if unread and any(map(is_spoken, unread)):
        return Transcription(token, ipa, reading, unread_status(unread))
    if not ipa:
        if carried:
            return Transcription(token, "", reading, Status.SHARED)
        return Transcription(token, "", token, Status.UNKNOWN)
    return Transcription(token, ipa, reading, Status.DIGIT if number else Status.OK)


def per_token(tokens: Sequence[str], items: Sequence[Item]) -> list[Sequence[Item]]:
    """``items``, one per character of the joined tokens, cut back into one slice per token:
    how an adapter that reads the whole sentence hands each token its own characters."""
    slices: list[Sequence[Item]] = []
    start = 0
    for token in tokens:
        slices.append(items[start : start + len(token)])
        start += len(token)
    return slices
