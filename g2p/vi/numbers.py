"""Digits read aloud as Vietnamese number words (Northern usage).

``"2.005"`` is *hai nghìn không trăm linh năm*: Vietnamese writes ``.`` between thousands
and ``,`` before decimals (*phẩy*); a trailing ``%`` is *phần trăm*. Numbers with a leading
zero (phone numbers, codes) and numbers beyond the billions are read digit by digit.
"""

from __future__ import annotations

import re

from g2p.script import to_halfwidth
from g2p.vi.tables import TABLES

_SCALES = ("", "thousand", "million", "billion")  # numbers.tsv keys of the group powers
_GROUPED = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]{1,3}(?:,[0-9]{3}){2,}")
_PARTS = re.compile(r"([0-9]+)([.,]?)")
_SEPARATORS = {",": "comma", ".": "point"}


_words = TABLES.mapping("numbers.tsv", "key", "word")


def _word(key: str) -> str:
    """The number word of a ``numbers.tsv`` key."""
    return _words()[key]


def _digits(text: str) -> list[str]:
    return [_word(digit) for digit in text]


def _units(units: int, tens: int) -> list[str]:
    if units == 0:
        return []
    if units == 1 and tens >= 2:
        return [_word("one_after_tens")]
    if units == 4 and tens >= 2:
        return [_word("four_after_tens")]
    if units == 5 and tens >= 1:
        return [_word("five_after_tens")]
    return [_word(str(units))]


def _below_thousand(number: int, inner: bool) -> list[str]:
    """Words for 0 < number < 1000; an inner group says its empty hundreds (không trăm)."""
    hundreds, tens, units = number // 100, number // 10 % 10, number % 10
    words = [_word(str(hundreds)), _word("hundred")] if hundreds or inner else []
    if tens == 0:
        if units and words:
            words.append(_word("no_tens"))
    elif tens == 1:
        words.append(_word("10"))
    else:
        words += [_word(str(tens)), _word("tens")]
    return words + _units(units, tens)


def _integer(text: str) -> list[str]:
    if (len(text) > 1 and text[0] == "0") or len(text) > 3 * len(_SCALES):
        return _digits(text)
    if int(text) == 0:
        return [_word("0")]
    groups = [int(text[max(0, end - 3):end]) for end in range(len(text), 0, -3)][::-1]
    words: list[str] = []
    for position, group in enumerate(groups):
        if group:
            words += _below_thousand(group, inner=position > 0)
            scale = _SCALES[len(groups) - 1 - position]
            words.append(_word(scale) if scale else "")
    return [word for word in words if word]


def _number(text: str) -> list[str] | None:
    if _GROUPED.fullmatch(text):
        return _integer(re.sub(r"[.,]", "", text))
    parts = _PARTS.findall(text)
    if not parts or "".join(a + b for a, b in parts) != text or parts[-1][1]:
        return None
    words = []
    for digits, separator in parts:
        words += _integer(digits)
        if separator:
            words.append(_word(_SEPARATORS[separator]))
    return words


def number_words(token: str) -> list[str] | None:
    """The syllables a number token is read as, or None if it is not digits and separators.

    >>> " ".join(number_words("2.005"))
    'hai nghìn không trăm linh năm'
    >>> " ".join(number_words("7,5%"))
    'bảy phẩy năm phần trăm'
    """
    text = to_halfwidth(token)
    words = _number(text.removesuffix("%"))
    return words + _word("percent").split() if words and text.endswith("%") else words
