"""Character classes used to decide which tokens have a pronunciation at all."""

from __future__ import annotations

import unicodedata

_FULLWIDTH_OFFSET = 0xFEE0


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
