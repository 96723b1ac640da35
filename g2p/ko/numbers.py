"""Digits → hangul numerals, so that numbers go through the same pronunciation rules.

Numbers are read as Sino-Korean (1999 → 천구백구십구, 2.5 → 이점오, 54만5천366 →
오십사만오천삼백육십육) except 1-99 right before a native counter such as 개 or 명
(3개 → 세개), listed in counters.tsv. A run of digits with a leading zero (007) or more
than twenty digits is read digit by digit. Numbers joined by a middle dot name dates and
events and are said as one word, the first read as a number and the rest digit by digit:
6·25 → 육이오 (read [유기오]), 3·1절 → 삼일절, 4·19 → 사일구.

The sound rules apply to the spelled numerals like to any other word (:mod:`g2p.ko.rules`,
``n_insertion_morphemes.tsv``): 16 → 십육 [심뉵], 2006 → 이천육 [이천뉵].
"""

from __future__ import annotations

import re

from g2p.ko.tables import TABLES
from g2p.script import to_halfwidth
from g2p.tables import Rows

_NUMBER = re.compile(r"[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?")
_MAX_DIGITS = 20
_DOTTED = re.compile(r"[0-9]+(?:[·・][0-9]+)+")
_DOTS = re.compile(r"[·・]")


_sino = TABLES.mapping("numbers.tsv", ("kind", "value"), "hangul")


@TABLES.view("native_numbers.tsv")
def _native(rows: Rows) -> dict[int, tuple[str, str]]:
    return {int(row["value"]): (row["attributive"], row["combining"]) for row in rows}


@TABLES.view("counters.tsv")
def _counters(rows: Rows) -> tuple[tuple[str, str], ...]:
    """(counter, numerals), longest counter first."""
    return tuple(sorted(((r["counter"], r["numerals"]) for r in rows), key=lambda r: -len(r[0])))


def _digit_by_digit(digits: str) -> str:
    return "".join(_sino()["digit", d] for d in digits)


def _group(value: int) -> str:
    """A number below 10,000: 1234 → 천이백삼십사."""
    words = []
    for unit in (1000, 100, 10, 1):
        digit, value = divmod(value, unit)
        if digit:
            name = _sino()["unit", str(unit)]
            words.append(("" if digit == 1 and name else _sino()["digit", str(digit)]) + name)
    return "".join(words)


def sino_integer(digits: str) -> str:
    """Sino-Korean reading of a string of ASCII digits."""
    if len(digits) > 1 and digits.startswith("0") or len(digits) > _MAX_DIGITS:
        return _digit_by_digit(digits)
    value = int(digits)
    if value == 0:
        return _sino()["digit", "0"]
    words = []
    for power in (10**16, 10**12, 10**8, 10**4, 1):
        group, value = divmod(value, power)
        if group:
            name = _sino()["group", str(power)]
            words.append(("" if group == 1 and power == 10**4 else _group(group)) + name)
    return "".join(words)


def native_attributive(value: int) -> str | None:
    """Native numeral before a counter (1-99), or None outside that range."""
    if not 1 <= value <= 99:
        return None
    tens, units = divmod(value, 10)
    native = _native()
    if not units:
        return native[value][0]
    return (native[tens * 10][1] if tens else "") + native[units][0]


def _counter_numerals(following: str) -> str:
    for counter, numerals in _counters():
        if following.startswith(counter):
            return numerals
    return "sino"


def _read(number: str, following: str) -> str:
    integer, _, fraction = number.replace(",", "").partition(".")
    if not fraction and _counter_numerals(following) == "native":
        native = native_attributive(int(integer)) if len(integer) <= 2 else None
        if native:
            return native
    reading = sino_integer(integer)
    if fraction:
        reading += _sino()["point", "."] + _digit_by_digit(fraction)
    return reading


def _read_dotted(match: re.Match[str]) -> str:
    first, *rest = _DOTS.split(match.group())
    return sino_integer(first) + "".join(map(_digit_by_digit, rest))


def spell_numbers(text: str) -> str:
    """``text`` with every number written in hangul (other characters unchanged)."""
    text = _DOTTED.sub(_read_dotted, to_halfwidth(text))
    return _NUMBER.sub(lambda m: _read(m.group(), text[m.end():]), text)
