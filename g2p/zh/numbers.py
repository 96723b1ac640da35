"""Arabic numbers read aloud in Mandarin, as numbered pinyin tied to the characters.

``15`` is read as a cardinal (shi2 wu3), ``3.14`` with 点 and its decimals digit by digit,
years (``1990年``), numbers with a leading zero and very long digit strings digit by digit.
Each syllable is tied to the index of the character it is read from, so that character
tokens keep their own syllables where that makes sense (digit by digit, decimals) and a
cardinal's syllables go to its first character.
"""

from __future__ import annotations

import re

from g2p.zh.tables import TABLES

# Thousands separators only between groups of three; anything else ends the number.
NUMBER = re.compile(r"[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?")
_MAX_CARDINAL_DIGITS = 12  # up to 千亿; longer strings are codes and read digit by digit
_UNITS = (1000, 100, 10)
_GROUP_UNITS = (100000000, 10000)  # 亿, 万


_numerals = TABLES.mapping("numerals.tsv", "symbol", "pinyin")


def _word(symbol: str | int) -> str:
    return _numerals()[str(symbol)]


def digit_by_digit(digits: str) -> list[str]:
    return [_word(d) for d in digits]


def _group(value: int, *, leading: bool) -> list[str]:
    """A number below 10000: 一千零五, 十五 (no 一 before a leading 十), 两千."""
    out: list[str] = []
    zero = False
    for unit in (*_UNITS, 1):
        digit, value = divmod(value, unit)
        if digit == 0:
            zero = bool(out) and value > 0
            continue
        if zero:
            out.append(_word(0))
            zero = False
        if unit == 10 and digit == 1 and leading and not out:
            out.append(_word(10))
            continue
        out.append(_word("liang") if digit == 2 and unit == 1000 else _word(digit))
        if unit > 1:
            out.append(_word(unit))
    return out


def cardinal(digits: str) -> list[str]:
    """Syllables of a non-negative integer written in digits (at most 12 of them)."""
    value = int(digits)
    if value == 0:
        return [_word(0)]
    out: list[str] = []
    zero_pending = False
    for unit in (*_GROUP_UNITS, 1):
        group, value = divmod(value, unit)
        if group == 0:
            zero_pending = bool(out)
            continue
        if out and (zero_pending or group < 1000):
            out.append(_word(0))
        words = _group(group, leading=not out)
        if unit > 1 and group == 2:
            words = [_word("liang")]
        out.extend(words)
        if unit > 1:
            out.append(_word(unit))
        zero_pending = False
    return out


def read_number(text: str, *, as_digits: bool = False) -> list[tuple[int, str]]:
    """(character index in ``text``, syllable) pairs for a string matching :data:`NUMBER`.

    ``as_digits`` reads the integer part digit by digit (years before 年, codes).
    """
    integer, _, fraction = text.partition(".")
    digits = integer.replace(",", "")
    out: list[tuple[int, str]] = []
    if as_digits or (len(digits) > 1 and digits[0] == "0") or len(digits) > _MAX_CARDINAL_DIGITS:
        positions = [i for i, ch in enumerate(integer) if ch != ","]
        out.extend(zip(positions, digit_by_digit(digits), strict=True))
    else:
        out.extend((0, syllable) for syllable in cardinal(digits))
    if fraction:
        point = len(integer)
        out.append((point, _word(".")))
        out.extend((point + 1 + i, _word(d)) for i, d in enumerate(fraction))
    return out
