"""Character classes, decided once for every adapter: which characters are Han, Latin,
punctuation, spoken at all, and the status of letters a language could not read."""

from __future__ import annotations

import re
import unicodedata

from g2p.types import Status

BOM = "\ufeff"  # a byte-order mark an editor may put before a file's first line
# A lone surrogate: what Python makes of bytes that are not UTF-8 (surrogateescape) or what a
# JSON escape such as "\ud800" decodes to; it is not text, and no encoder takes it.
SURROGATE = re.compile("[\ud800-\udfff]")
_FULLWIDTH_OFFSET = 0xFEE0
# CJK Unified Ideographs with extensions A-H, and the compatibility ideographs.
_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3FFFF))
# A Latin word as a CJK text writes it (after :func:`to_halfwidth`): letters, maybe digits
# inside (3D, iPhone12); a digit run without a letter is a number.
LATIN_WORD = re.compile(r"[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*")


def to_halfwidth(text: str) -> str:
    """Full-width ASCII (Ａ１！) to its ASCII twin; everything else unchanged."""
    return "".join(
        chr(ord(ch) - _FULLWIDTH_OFFSET) if "\uff01" <= ch <= "\uff5e" else ch for ch in text
    )


def is_punct(token: str) -> bool:
    """True when no character is a letter, mark or digit (punctuation, symbols, emoji)."""
    return bool(token) and all(
        unicodedata.category(ch)[0] in "PSZC" for ch in token
    )


def is_number(token: str) -> bool:
    """ASCII or full-width digits, with optional , . separators inside."""
    text = to_halfwidth(token)
    return bool(text) and text[0].isdigit() and all(ch.isdigit() or ch in ",." for ch in text)


def is_latin(token: str) -> bool:
    """Latin letters (optionally with digits and -'. inside), e.g. iPhone, 3D, COVID-19."""
    text = to_halfwidth(token)
    has_letter = False
    for ch in text:
        if ch.isascii() and ch.isalpha():
            has_letter = True
        elif not (ch.isdigit() or ch in "-'.&+_"):
            return False
    return has_letter


def is_latin_letter(ch: str) -> bool:
    """Any Latin letter: ASCII, Vietnamese ư, pinyin ǎ and full-width Ａ alike."""
    return "LATIN" in unicodedata.name(ch, "")


def is_han(ch: str) -> bool:
    """A Han character (hanzi, kanji, hanja)."""
    code = ord(ch)
    return any(first <= code <= last for first, last in _HAN_RANGES)


def is_spoken(ch: str) -> bool:
    """Letters and digits: what a reading must account for (ー, 々 and ゝ are letters too)."""
    return unicodedata.category(ch)[0] in "LN"


def unread_status(unread: str) -> Status:
    """The status of a token with letters its language could not read (``unread``).

    ``latin`` when those are Latin letters or ASCII digits (iPhone, 3D, nộiABC), else
    ``unknown`` (Cyrillic, kana in a Korean token, 々 in a Chinese one).
    """
    spoken = [to_halfwidth(ch) for ch in unread if is_spoken(ch)]
    ascii_digit = [ch for ch in spoken if ch.isascii() and ch.isdigit()]  # the 3 of 3D
    only_latin = bool(spoken) and all(ch in ascii_digit or is_latin_letter(ch) for ch in spoken)
    return Status.LATIN if only_latin else Status.UNKNOWN
